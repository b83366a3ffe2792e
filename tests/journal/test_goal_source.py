"""Goals can count journal entries published within their days."""

from datetime import UTC, date, datetime

from manifest.extensions import db
from manifest.goals import sources
from manifest.journal.sources import JOURNAL_ENTRIES
from manifest.models import User
from tests.conftest import counted_statements
from tests.journal.conftest import add_entry, set_user


def test_published_entries_count_within_each_range_in_the_users_days(app, user, other_user):
    set_user(app, user["id"], timezone="Asia/Tokyo")  # UTC+9
    add_entry(app, user["id"], "May 1", status="published", published_at=datetime(2026, 5, 1, 3, tzinfo=UTC))
    # 20:00 UTC on 31 May is 1 June in Tokyo.
    add_entry(app, user["id"], "June 1", status="published", published_at=datetime(2026, 5, 31, 20, tzinfo=UTC))
    add_entry(app, user["id"], "Archived", status="archived", published_at=datetime(2026, 5, 2, tzinfo=UTC))
    add_entry(app, user["id"], "Draft")
    add_entry(app, other_user["id"], "Ben's", status="published", published_at=datetime(2026, 5, 3, tzinfo=UTC))
    with app.app_context():
        ana = db.session.get(User, user["id"])
        may = sources.SourceRequest(JOURNAL_ENTRIES, ana.id, date(2026, 5, 1), date(2026, 5, 31))
        june = sources.SourceRequest(JOURNAL_ENTRIES, ana.id, date(2026, 6, 1), date(2026, 6, 30))
        bens = sources.SourceRequest(JOURNAL_ENTRIES, other_user["id"], date(2026, 5, 1), date(2026, 5, 31))
        with counted_statements(app) as statements:
            answers = sources.compute_all(ana, [may, june, bens])
        options = sources.get(JOURNAL_ENTRIES).options(ana)
    assert answers == {may: 1, june: 1}
    assert len(statements) == 1
    assert [o.id for o in options] == [user["id"]]
