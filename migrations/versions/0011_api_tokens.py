"""Personal access tokens for the JSON API and the answers kept for retried creating requests

Revision ID: 0011_api_tokens
Revises: 0010_workout_repeat_key
Create Date: 2026-12-05 11:40:00.000000

A token is stored as the SHA-256 of its value. Its rate window lives on its row, counted by one
atomic UPDATE, so every web worker shares it. An Idempotency-Key is unique per token, key and
route: twenty concurrent retries insert one row and make one thing.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_api_tokens'
down_revision = '0010_workout_repeat_key'
branch_labels = None
depends_on = None


def _timestamps():
    return [
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    ]


def upgrade():
    op.create_table(
        'api_tokens',
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('scopes', sa.String(length=500), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_used_ip', sa.String(length=45), nullable=True),
        sa.Column('window_start', sa.DateTime(timezone=True), nullable=True),
        sa.Column('window_count', sa.Integer(), server_default=sa.text('0'), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash')),
    )
    op.create_index('ix_api_tokens_user_created', 'api_tokens', ['user_id', 'created_at'], unique=False)
    op.create_table(
        'api_idempotency_keys',
        sa.Column('token_id', sa.Uuid(), nullable=False),
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('route', sa.String(length=300), nullable=False),
        sa.Column('request_hash', sa.String(length=64), nullable=False),
        sa.Column('status_code', sa.SmallInteger(), nullable=True),
        sa.Column('response_body', sa.Text(), nullable=True),
        sa.Column('location', sa.String(length=300), nullable=True),
        sa.Column('id', sa.Uuid(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'], name=op.f('fk_api_idempotency_keys_token_id_api_tokens'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_idempotency_keys')),
        sa.UniqueConstraint('token_id', 'key', 'route', name=op.f('uq_api_idempotency_keys_token_id_key_route')),
    )
    op.create_index('ix_api_idempotency_keys_created', 'api_idempotency_keys', ['created_at'], unique=False)


def downgrade():
    op.drop_index('ix_api_idempotency_keys_created', table_name='api_idempotency_keys')
    op.drop_table('api_idempotency_keys')
    op.drop_index('ix_api_tokens_user_created', table_name='api_tokens')
    op.drop_table('api_tokens')
