"""What the data page and an import's page show about a job: pure, from loaded rows."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from manifest.transfer.format import AREAS_BY_NAME

SOURCE_LABELS = {
    "manifest": "Let's Manifest export", "loop": "Loop Habit Tracker", "habitbull": "HabitBull",
    "strong": "Strong",
}

STATUS_LABELS = {
    "uploaded": "being read", "ready": "waiting for your go-ahead", "refused": "could not be imported",
    "queued": "importing", "running": "importing", "done": "imported", "failed": "failed, nothing imported",
    "cancelled": "cancelled",
}


def percent(done: int, total: int) -> int:
    if total <= 0:
        return 0
    return max(0, min(100, int(done * 100 / total)))


@dataclass(frozen=True)
class Line:
    label: str
    count: int


def lines(counts: dict | None) -> list[Line]:
    """Counts per area as "3,400 check-ins", in the format's order, areas without a label left out."""
    counts = counts or {}
    return [Line(AREAS_BY_NAME[name].label, counts[name]) for name in AREAS_BY_NAME
            if counts.get(name) and AREAS_BY_NAME[name].label]


def summary(counts: dict | None) -> str:
    """"12 habits, 3,400 check-ins, 2 goals"."""
    parts = [f"{line.count:,} {line.label}" for line in lines(counts)]
    return ", ".join(parts) if parts else "nothing"


def present_count(outcome: dict | None) -> int:
    return sum((outcome or {}).get("present", {}).values())


def hours_left(expires_at: datetime | None, now: datetime) -> int | None:
    if expires_at is None:
        return None
    moment = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=UTC)
    return max(0, math.ceil((moment - now).total_seconds() / 3600))
