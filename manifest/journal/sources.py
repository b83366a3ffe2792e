"""The journal as a goal source: entries published within a goal's days ("write 4 posts a month")."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.goals.sources import SourceOption, SourceRequest, register_source
from manifest.models import BlogEntry, User
from manifest.timeutil import as_utc, zone

JOURNAL_ENTRIES = "journal.entries"


def published_counts(user: User, requests: Sequence[SourceRequest]) -> dict[SourceRequest, Decimal]:
    """Entries published (and still published) on each request's days of the user's calendar, in one query.

    The journal is one source whose id is the user's own id; requests naming any other id are not answered.
    """
    mine = [r for r in requests if r.source_id == user.id]
    if not mine:
        return {}
    tz = zone(user.timezone)
    first = datetime.combine(min(r.start for r in mine), time(), tz).astimezone(UTC)
    after = datetime.combine(max(r.end for r in mine) + timedelta(days=1), time(), tz).astimezone(UTC)
    moments = db.session.scalars(
        sa.select(BlogEntry.published_at).where(
            BlogEntry.user_id == user.id, BlogEntry.status == "published",
            BlogEntry.published_at >= first, BlogEntry.published_at < after,
        )
    )
    days: list[date] = sorted(as_utc(moment).astimezone(tz).date() for moment in moments)
    return {r: Decimal(bisect_right(days, r.end) - bisect_left(days, r.start)) for r in mine}


def _options(user: User) -> list[SourceOption]:
    return [SourceOption(user.id, "My published journal entries", "entries")]


register_source(JOURNAL_ENTRIES, "Journal entries published", "entries", published_counts, _options)
