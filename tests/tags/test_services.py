"""Tag services: one query for an area's tags, usage counts that follow every change (including
deleting the tagged rows), and the invariants under any sequence of operations."""

import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import NotFound

from manifest.extensions import db
from manifest.forms import FieldError as TagError
from manifest.models import Goal, Habit, Tag, Taggable, User
from manifest.tags import services
from manifest.tags.logic import slugify
from tests.conftest import HX, counted_statements
from tests.tags.support import assert_invariants, links, make_goal, make_habit, tags_of


def as_user(user_id) -> User:
    return db.session.get(User, user_id)


def test_tags_for_is_one_query_and_keys_every_id(app, user, other_user):
    habits = [make_habit(app, user["id"], f"H{n}") for n in range(5)]
    theirs = make_habit(app, other_user["id"])
    with app.app_context():
        me = as_user(user["id"])
        for n, habit in enumerate(habits[:3]):
            services.add_tag(me, "habit", habit, "shared")
            services.add_tag(me, "habit", habit, f"own {n}")
        services.add_tag(as_user(other_user["id"]), "habit", theirs, "secret")
        me = as_user(user["id"])
        with counted_statements(app) as statements:
            found = services.tags_for(me, "habit", [*habits, theirs])
        assert len(statements) == 1
        assert set(found) == {*habits, theirs}
        assert [t.name for t in found[habits[0]]] == ["own 0", "shared"]
        assert found[habits[4]] == [] and found[theirs] == []
        assert services.tags_for(me, "goal", habits) == {h: [] for h in habits}


def test_ownership_is_checked_through_the_registry(app, user, other_user):
    habit = make_habit(app, user["id"])
    with app.app_context():
        with pytest.raises(NotFound):
            services.add_tag(as_user(other_user["id"]), "habit", habit, "x")
        with pytest.raises(NotFound):
            services.add_tag(as_user(user["id"]), "goal", habit, "x")  # a habit's id is no goal
        with pytest.raises(NotFound):
            services.add_tag(as_user(user["id"]), "media", habit, "x")  # not a registered area
    assert tags_of(app, user["id"]) == {} and tags_of(app, other_user["id"]) == {}


@pytest.mark.parametrize("kind", ["habit", "goal"])
def test_deleting_a_tagged_row_through_its_page_removes_links_and_recounts(app, auth_client, user, kind):
    maker = make_habit if kind == "habit" else make_goal
    doomed, kept = maker(app, user["id"]), maker(app, user["id"])
    for row in (doomed, kept):
        auth_client.post(f"/tags/rows/{kind}/{row}", data={"name": "focus"}, headers=HX)
    auth_client.post(f"/tags/rows/{kind}/{doomed}", data={"name": "only here"}, headers=HX)
    response = auth_client.post(f"/{kind}s/{doomed}/delete")
    assert response.status_code == 303
    assert links(app) == {("focus", kind, kept)}
    assert tags_of(app, user["id"]) == {"focus": 1, "only here": 0}
    assert_invariants(app)


@pytest.mark.parametrize("model", [Habit, Goal])
def test_bulk_deletes_remove_links_and_recount_too(app, user, model):
    kind = "habit" if model is Habit else "goal"
    maker = make_habit if model is Habit else make_goal
    rows = [maker(app, user["id"]) for _ in range(3)]
    with app.app_context():
        for row in rows:
            services.add_tag(as_user(user["id"]), kind, row, "focus")
        db.session.execute(sa.delete(model).where(model.id.in_(rows[:2])))
        db.session.commit()
    assert links(app) == {("focus", kind, rows[2])}
    assert tags_of(app, user["id"]) == {"focus": 1}


def test_a_rolled_back_delete_keeps_links(app, user):
    habit = make_habit(app, user["id"])
    with app.app_context():
        services.add_tag(as_user(user["id"]), "habit", habit, "focus")
        db.session.delete(db.session.get(Habit, habit))
        db.session.flush()
        db.session.rollback()
    assert tags_of(app, user["id"]) == {"focus": 1}
    assert links(app) == {("focus", "habit", habit)}


def test_merge_refuses_itself(app, user):
    habit = make_habit(app, user["id"])
    with app.app_context():
        tag = services.add_tag(as_user(user["id"]), "habit", habit, "focus")
        with pytest.raises(TagError):
            services.merge_tags(as_user(user["id"]), tag, tag)


# --- invariants under any sequence of operations -------------------------------------------

NAMES = st.sampled_from(["focus", "Focus", "health", "work", "deep work", "Deep-Work"])
OPERATION = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 1), st.integers(0, 2), NAMES),
    st.tuples(st.just("remove"), st.integers(0, 1), st.integers(0, 2), NAMES),
    st.tuples(st.just("rename"), st.integers(0, 1), NAMES, NAMES),
    st.tuples(st.just("merge"), st.integers(0, 1), NAMES, NAMES),
    st.tuples(st.just("delete_tag"), st.integers(0, 1), NAMES),
    st.tuples(st.just("delete_row"), st.integers(0, 1), st.integers(0, 2)),
    # A user reaching for the other user's row: always refused.
    st.tuples(st.just("cross_add"), st.integers(0, 1), st.integers(0, 2), NAMES),
)


def _fresh_rows(user_ids) -> dict:
    db.session.execute(sa.delete(Taggable))
    db.session.execute(sa.delete(Tag))
    db.session.execute(sa.delete(Habit))
    db.session.execute(sa.delete(Goal))
    rows = {}
    for index, user_id in enumerate(user_ids):
        made = [Habit(user_id=user_id, name="h1"), Habit(user_id=user_id, name="h2"),
                Goal(user_id=user_id, title="g", goal_type="monthly")]
        db.session.add_all(made)
        db.session.flush()
        rows[index] = [("habit", made[0].id), ("habit", made[1].id), ("goal", made[2].id)]
    db.session.commit()
    return rows


def _tag_by_slug(user_id, name):
    return db.session.scalar(sa.select(Tag).where(Tag.user_id == user_id, Tag.slug == slugify(name)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(OPERATION, max_size=12))
def test_invariants_hold_under_any_sequence(app, user, other_user, operations):
    user_ids = [user["id"], other_user["id"]]
    with app.app_context():
        rows = _fresh_rows(user_ids)
        # The model: per user, slug -> set of rows.
        model: dict[int, dict[str, set]] = {0: {}, 1: {}}
        for op, who, *args in operations:
            me = as_user(user_ids[who])
            mine = model[who]
            try:
                if op == "add":
                    kind, row_id = rows[who][args[0]]
                    services.add_tag(me, kind, row_id, args[1])
                    mine.setdefault(slugify(args[1]), set()).add((kind, row_id))
                elif op == "cross_add":
                    kind, row_id = rows[1 - who][args[0]]
                    with pytest.raises(NotFound):
                        services.add_tag(me, kind, row_id, args[1])
                elif op == "remove":
                    kind, row_id = rows[who][args[0]]
                    tag = _tag_by_slug(me.id, args[1])
                    if tag is None:
                        continue
                    services.remove_tag(me, kind, row_id, tag)
                    mine[tag.slug].discard((kind, row_id))
                elif op == "rename":
                    tag = _tag_by_slug(me.id, args[0])
                    if tag is None:
                        continue
                    old, new = tag.slug, slugify(args[1])
                    try:
                        services.rename_tag(me, tag, args[1])
                    except services.TagClash:
                        assert new in mine and new != old
                        continue
                    mine[new] = mine.pop(old)
                elif op == "merge":
                    source, target = _tag_by_slug(me.id, args[0]), _tag_by_slug(me.id, args[1])
                    if source is None or target is None:
                        continue
                    if source.id == target.id:
                        with pytest.raises(TagError):
                            services.merge_tags(me, source, target)
                        continue
                    # Read the slugs first: the source is gone after the merge.
                    source_slug, target_slug = source.slug, target.slug
                    services.merge_tags(me, source, target)
                    mine[target_slug] |= mine.pop(source_slug)
                elif op == "delete_tag":
                    tag = _tag_by_slug(me.id, args[0])
                    if tag is None:
                        continue
                    services.delete_tag(me, tag)
                    mine.pop(tag.slug)
                elif op == "delete_row":
                    kind, row_id = rows[who][args[0]]
                    row = db.session.get(Habit if kind == "habit" else Goal, row_id)
                    if row is None:
                        continue
                    db.session.delete(row)
                    db.session.commit()
                    for members in mine.values():
                        members.discard((kind, row_id))
            except NotFound:
                # Only a deleted row may vanish from under an operation.
                assert op in ("add", "remove")
                kind, row_id = rows[who][args[0]]
                assert db.session.get(Habit if kind == "habit" else Goal, row_id) is None
            finally:
                db.session.rollback()
        db.session.expire_all()
        for who, user_id in enumerate(user_ids):
            stored = {}
            for tag in db.session.scalars(sa.select(Tag).where(Tag.user_id == user_id)):
                stored[tag.slug] = {
                    (kind, row_id) for kind, row_id in db.session.execute(
                        sa.select(Taggable.taggable_type, Taggable.taggable_id).where(Taggable.tag_id == tag.id)
                    )
                }
            assert stored == model[who]
    assert_invariants(app)


def test_find_or_create_reuses_a_concurrent_twin(app, user):
    with app.app_context():
        me = as_user(user["id"])
        db.session.add(Tag(id=uuid.uuid4(), user_id=me.id, name="Focus", slug="focus"))
        db.session.commit()
        assert services.find_or_create(me, "FOCUS").name == "Focus"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Tag)) == 1
