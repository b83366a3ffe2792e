"""View models of the tag pages, built from loaded rows: pure (no database, no Flask)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Item:
    title: str
    url: str
    summary: str


@dataclass
class Group:
    area: Any  # manifest.areas.Area
    items: list[Item] = field(default_factory=list)
    more: bool = False


@dataclass
class TagPage:
    tag: Any  # the Tag
    groups: list[Group]

    @property
    def empty(self) -> bool:
        return not any(group.items for group in self.groups)


def group(area, rows, limit: int) -> Group | None:
    """One area's rows carrying the tag (``limit + 1`` fetched to know whether there are more)."""
    items = [Item(area.title(row), area.url(row), area.summary(row) if area.summary else "") for row in rows[:limit]]
    return Group(area, items, more=len(rows) > limit) if items else None
