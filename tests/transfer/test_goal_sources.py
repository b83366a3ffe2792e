"""A goal that follows the account's own figures (its weight) follows the receiving account's
when an export is restored into another account."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Goal, User
from manifest.progress import goal_sources
from manifest.transfer import export, readers, restore

LIMITS = readers.Limits(max_unpacked=2 ** 31, max_files=100_000)


@pytest.mark.parametrize("key", [goal_sources.LOST, goal_sources.GAINED])
def test_a_weight_goal_follows_the_receiving_accounts_weight(app, user, other_user, tmp_path, key):
    with app.app_context():
        ana = db.session.get(User, user["id"])
        db.session.add(Goal(user_id=ana.id, title="Weight", goal_type="monthly", measure="source", source_key=key,
                            source_id=goal_sources.source_id(ana.id, key), target_value=Decimal(3)))
        db.session.commit()
        export.write_archive(ana, tmp_path / "export.zip")
        ben = db.session.get(User, other_user["id"])
        with readers.read([(tmp_path / "export.zip", "export.zip")], LIMITS, readers.Units("kg", "km")) as bundle:
            restore.restore(ben, bundle, dry_run=False)
        goal = db.session.scalar(sa.select(Goal).where(Goal.user_id == ben.id))
        assert (goal.measure, goal.source_key, goal.source_id) == ("source", key, goal_sources.source_id(ben.id, key))
