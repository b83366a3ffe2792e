"""Service rules that the pages cannot show directly: a slug taken between the check and the save."""

import pytest

from manifest.extensions import db
from manifest.forms import FieldError
from manifest.journal import services
from manifest.journal.logic import EntryChange
from manifest.models import BlogEntry, User
from manifest.ownership import owned
from tests.journal.conftest import add_entry, entries_of


def test_a_slug_taken_meanwhile_moves_to_the_next_free_one(app, user, monkeypatch):
    add_entry(app, user["id"], "Same", slug="same")
    real = services._taken_slugs
    calls = []

    def stale(*args, **kwargs):
        # The first look misses the row another request has just saved.
        calls.append(1)
        return set() if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(services, "_taken_slugs", stale)
    with app.app_context():
        entry = services.create_entry(db.session.get(User, user["id"]), EntryChange(title="Same", content="x"))
        assert entry.slug == "same-2"
    assert len(calls) == 2
    assert sorted(e.slug for e in entries_of(app, user["id"])) == ["same", "same-2"]


def test_a_typed_slug_taken_meanwhile_is_a_form_error(app, user, monkeypatch):
    add_entry(app, user["id"], "Same", slug="same")
    monkeypatch.setattr(services, "slug_taken", lambda *args, **kwargs: False)
    with app.app_context(), pytest.raises(FieldError) as error:
        services.create_entry(db.session.get(User, user["id"]), EntryChange(title="Other", slug="same"))
    assert error.value.field == "slug"
    assert [e.title for e in entries_of(app, user["id"])] == ["Same"]


def test_an_update_keeps_its_own_slug(app, user):
    entry_id = add_entry(app, user["id"], "Mine", slug="mine")
    with app.app_context():
        me = db.session.get(User, user["id"])
        entry = services.update_entry(me, owned(me, BlogEntry, entry_id),
                                      EntryChange(title="Mine", slug="mine", content="new"))
        assert entry.slug == "mine" and entry.content == "new"
