"""The one place that decides what day it is for a user."""

import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from werkzeug.exceptions import BadRequest


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    # Exclude legacy aliases such as "US/Pacific" or "Etc/GMT+5" that only confuse a picker.
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/"))) + ["UTC"])


def is_valid_timezone(name: str | None) -> bool:
    return bool(name) and name in timezone_names()


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_now(user) -> datetime:
    return datetime.now(UTC).astimezone(zone(user.timezone))


def local_today(user) -> date:
    return local_now(user).date()


def as_utc(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; they are stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local_date(user, moment: datetime) -> date:
    """The user's calendar day at a stored moment."""
    return as_utc(moment).astimezone(zone(user.timezone)).date()


BAD_DAY_MESSAGE = "That is not a valid date; use YYYY-MM-DD."
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def parse_iso_day(value: str | None) -> date | None:
    """An ISO YYYY-MM-DD date from a URL, or None when absent or malformed."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None
    # Far-off years are typos, and date arithmetic on them would overflow.
    return day if day and EARLIEST_DAY <= day <= LATEST_DAY else None


def require_iso_day(value: str | None) -> date:
    """A day taken from a URL; a malformed one is the client's error (400 with a message)."""
    day = parse_iso_day(value)
    if day is None:
        raise BadRequest(description=BAD_DAY_MESSAGE)
    return day


def week_start(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str | None) -> date | None:
    """The first day of a ``YYYY-MM`` month, or None when malformed or out of range."""
    match = MONTH_PATTERN.match(text or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and EARLIEST_DAY.year <= year <= LATEST_DAY.year):
        return None
    return date(year, month, 1)
