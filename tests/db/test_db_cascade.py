"""Deleting a user, a goal or a tagged row takes exactly the rows that depend on it."""

from datetime import date

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Goal, GoalProgress, Tag, Taggable
from manifest.models.hooks import TAGGABLE_MODELS
from manifest.models.tag import TAGGABLE_TYPES
from tests.conftest import HX, PASSWORD
from tests.db.helpers import populate, surviving, table_counts, user_tables


def test_populate_reaches_every_user_table(app, user):
    # The cascade test below is only as good as this: a new table must get rows there too.
    with app.app_context():
        ids = populate(user["id"])
        assert sorted(ids) == sorted(user_tables())
        assert {row.taggable_type for row in db.session.scalars(sa.select(Taggable))} == set(TAGGABLE_TYPES)


@pytest.mark.parametrize("headers", [{}, HX], ids=["form", "htmx"])
def test_account_deletion_removes_every_row_of_the_user_and_only_those(app, auth_client, user, other_user,
                                                                        other_client, headers):
    with app.app_context():
        mine = populate(user["id"])
        theirs = populate(other_user["id"])
        counts_before = table_counts()
    assert all(count > 0 for count in counts_before.values()), counts_before

    response = auth_client.post("/settings/delete", data={"password": PASSWORD}, headers=headers)

    if headers:
        assert response.headers["HX-Redirect"] == "/signup"
    else:
        assert response.status_code == 303
        assert response.headers["Location"] == "/signup"
    with app.app_context():
        assert surviving(mine) == {table: 0 for table in mine}
        assert surviving(theirs) == {table: len(row_ids) for table, row_ids in theirs.items()}
        # Nothing else appeared or vanished: each table now holds exactly the other user's rows.
        assert table_counts() == {table: len(theirs[table]) for table in user_tables()}
    assert auth_client.get("/").status_code == 302
    assert other_client.get("/").status_code == 200


def test_account_deletion_with_wrong_password_keeps_everything(app, auth_client, user):
    with app.app_context():
        mine = populate(user["id"])

    response = auth_client.post("/settings/delete", data={"password": "not my password"}, headers=HX)

    assert response.status_code == 422
    assert "That is not your password." in response.get_data(as_text=True)
    with app.app_context():
        assert surviving(mine) == {table: len(row_ids) for table, row_ids in mine.items()}
    assert auth_client.get("/").status_code == 200


def test_deleting_a_parent_goal_keeps_its_sub_goals_detached(app, user):
    with app.app_context():
        parent = Goal(user_id=user["id"], title="Get fit", goal_type="yearly")
        db.session.add(parent)
        db.session.flush()
        child = Goal(user_id=user["id"], parent_goal_id=parent.id, title="Run weekly", goal_type="weekly")
        db.session.add(child)
        db.session.flush()
        db.session.add(GoalProgress(goal_id=child.id, progress_date=date(2024, 3, 1), value=1))
        db.session.commit()
        parent_id, child_id = parent.id, child.id
        db.session.expunge_all()

        # A bulk delete, so only the database's ON DELETE rule can touch the child.
        db.session.execute(sa.delete(Goal).where(Goal.id == parent_id))
        db.session.commit()

        child = db.session.get(Goal, child_id)
        assert child is not None
        assert child.parent_goal_id is None
        assert db.session.scalar(sa.select(sa.func.count()).where(GoalProgress.goal_id == child_id)) == 1


@pytest.mark.parametrize("model", list(TAGGABLE_MODELS), ids=lambda model: TAGGABLE_MODELS[model])
def test_deleting_a_tagged_row_removes_its_links_in_the_same_transaction(app, user, model):
    kind = TAGGABLE_MODELS[model]
    with app.app_context():
        populate(user["id"])
        target_id = db.session.scalar(sa.select(Taggable.taggable_id).where(Taggable.taggable_type == kind))
        second_tag = Tag(user_id=user["id"], name="Later", slug="later")
        db.session.add(second_tag)
        db.session.flush()
        db.session.add(Taggable(tag_id=second_tag.id, taggable_type=kind, taggable_id=target_id))
        db.session.commit()
        links_of_target = sa.select(sa.func.count()).where(Taggable.taggable_type == kind,
                                                            Taggable.taggable_id == target_id)
        all_links = sa.select(sa.func.count()).select_from(Taggable)
        links_before = db.session.scalar(all_links)
        assert db.session.scalar(links_of_target) == 2

        db.session.delete(db.session.get(model, target_id))
        db.session.flush()
        # Inside the still-open transaction the links are already gone...
        assert db.session.scalar(links_of_target) == 0
        db.session.rollback()
        # ...and they come back with the row on rollback: one transaction, not two.
        assert db.session.get(model, target_id) is not None
        assert db.session.scalar(links_of_target) == 2

        db.session.delete(db.session.get(model, target_id))
        db.session.commit()
        assert db.session.get(model, target_id) is None
        assert db.session.scalar(links_of_target) == 0
        # The links of every other tagged row are untouched.
        assert db.session.scalar(all_links) == links_before - 2


def test_every_taggable_kind_has_a_model_whose_deletion_cleans_up():
    assert sorted(TAGGABLE_MODELS.values()) == sorted(TAGGABLE_TYPES)
