"""Media thumbnails: a second stored file per image

Revision ID: 0006_media_thumbnails
Revises: 0005_areas
Create Date: 2026-11-24 20:52:32.655626

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_media_thumbnails'
down_revision = '0005_areas'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thumbnail_path', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.drop_column('thumbnail_path')
