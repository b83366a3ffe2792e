"""What notifications say and where they lead, and the rows the notifications page shows: pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import quote

STATUS_LABELS = {
    "pending": "Email on its way",
    "sending": "Email on its way",
    "sent": None,
    "failed": "Email could not be sent",
    "skipped": "Not sent: found too late",
}


@dataclass(frozen=True)
class Text:
    title: str
    message: str
    link: str


def habit_text(habit_id, name: str, at: time, day: date) -> Text:
    return Text(name, f"Time for {name} ({at.strftime('%H:%M')}).", f"/?day={day.isoformat()}#habit-{habit_id}")


def review_text(day: date) -> Text:
    return Text("Your evening review", "Take a minute to look back on your day.", f"/reviews/{day.isoformat()}")


def goal_text(goal_id, title: str, deadline: date, recurring: bool, hours: int) -> Text:
    if recurring:
        message = f"This period of “{title}” closes in {hours} hours and it is not reached yet."
    else:
        message = f"“{title}” is due {deadline.strftime('%-d %B')}: {hours} hours left."
    return Text(title, message, f"/goals/{goal_id}")


@dataclass(frozen=True)
class WeekSummary:
    start: date  # the Monday of the week summed up
    habits_done: int
    goals_moved: int
    workouts: int
    mood: Decimal | None


def digest_text(summary: WeekSummary) -> Text:
    end = summary.start + timedelta(days=6)
    mood = f"{summary.mood:.1f}/10" if summary.mood is not None else "not recorded"
    message = (
        f"Week of {summary.start.strftime('%-d %b')}–{end.strftime('%-d %b')}: "
        f"{summary.habits_done} habit check-ins, {summary.goals_moved} goals moved, "
        f"{summary.workouts} workouts, average mood {mood}."
    )
    return Text("Your week in review", message, f"/reviews/?month={quote(summary.start.strftime('%Y-%m'))}")


# The weekly summary also leads to each area it sums up.
DIGEST_LINKS = (("Habits", "/habits/"), ("Goals", "/goals/"), ("Workouts", "/workouts/"), ("Reviews", "/reviews/"))


def extra_links(kind: str) -> tuple[tuple[str, str], ...]:
    return DIGEST_LINKS if kind == "digest" else ()


TEST_TEXT = Text("Test notification", "Notifications reach you here. You can change what you get in the settings.",
                 "/notifications/settings")


@dataclass(frozen=True)
class Row:
    id: object
    title: str
    message: str
    link: str | None
    when: datetime  # local
    is_read: bool
    status: str
    note: str | None
    error: str | None
    links: tuple[tuple[str, str], ...] = ()


def _utc(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; they are stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def rows(notifications, zone) -> list[Row]:
    return [
        Row(n.id, n.title, n.message, n.link, _utc(n.scheduled_at).astimezone(zone), n.is_read, n.status,
            STATUS_LABELS.get(n.status) if n.email or n.status == "skipped" else None,
            n.last_error if n.status == "failed" else None, extra_links(n.kind))
        for n in notifications
    ]


@dataclass(frozen=True)
class Device:
    """A device that gets push notifications, as the settings list it."""

    id: object
    name: str
    added: datetime  # local
    last_used: datetime | None  # local; None until a push reached it
    error: str | None


def devices(subscriptions, zone) -> list[Device]:
    return [
        Device(s.id, s.name, _utc(s.created_at).astimezone(zone),
               _utc(s.last_used_at).astimezone(zone) if s.last_used_at else None, s.last_error)
        for s in subscriptions
    ]


def places(email: bool, devices: int) -> str:
    """Where a test notification went, as said after "check": "the bell, your inbox and 2 devices"."""
    where = ["the bell"] + (["your inbox"] if email else [])
    if devices:
        where.append("your device" if devices == 1 else f"your {devices} devices")
    return where[0] if len(where) == 1 else ", ".join(where[:-1]) + " and " + where[-1]
