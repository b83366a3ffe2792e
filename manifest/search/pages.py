"""The search results as shown, built from loaded rows: pure (no database, no Flask)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from manifest.search import logic


@dataclass
class Hit:
    title: Markup
    url: str
    snippet: Markup


@dataclass
class Group:
    area: Any  # manifest.areas.Area
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


@dataclass
class Results:
    query: logic.Query
    groups: list[Group] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(group.hits) for group in self.groups)

    @property
    def too_short(self) -> bool:
        return not self.query.searchable


def hit(area, row, terms) -> Hit:
    """One found row: its title and the first matching text the title does not already show (or its
    summary), terms highlighted."""
    title = area.title(row) or ""
    snippet = ""
    for column in area.search_columns:
        value = getattr(row, column.key, None)
        if isinstance(value, str) and value not in title and logic.matches(value, terms):
            snippet = value
            break
    if not snippet and area.summary:
        snippet = area.summary(row) or ""
    return Hit(logic.highlight(title, terms), area.url(row), logic.highlight(logic.excerpt(snippet, terms), terms))
