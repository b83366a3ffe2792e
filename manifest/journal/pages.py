"""View models of the journal pages and the filters in their address: pure (no database, no Flask)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from manifest.args import int_arg

STATUS_LABELS = {"draft": "Draft", "published": "Published", "archived": "Archived"}


@dataclass(frozen=True)
class Filters:
    status: str = ""
    featured: bool = False
    year: int | None = None
    month: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> Filters:
        """Filters from a query string; values that make no sense are ignored rather than refused."""
        status = args.get("status", "")
        year = int_arg(args.get("year"), 1900, 2999)
        month = int_arg(args.get("month"), 1, 12) if year else None
        return cls(
            status=status if status in STATUS_LABELS else "",
            featured=args.get("featured") == "1",
            year=year,
            month=month,
            page=int_arg(args.get("page"), 1, 100_000) or 1,
        )

    @property
    def active(self) -> bool:
        return bool(self.status or self.featured or self.year)

    def args(self, **changes) -> dict:
        """Query arguments for a link keeping these filters (page 1 and empty values left out)."""
        values = {"status": self.status, "featured": "1" if self.featured else "", "year": self.year,
                  "month": self.month, "page": self.page}
        values.update(changes)
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}


@dataclass
class EntryList:
    filters: Filters
    entries: list
    matching: int  # entries matching the filters
    total: int  # all of the user's entries
    years: list[int]
    page: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class Memory:
    kind: str  # "entry" or "review"
    day: date
    years_ago: int
    title: str
    summary: str
    entry: Any = None
    review: Any = None


@dataclass
class PublicPage:
    author: Any
    entries: list
    page: int
    has_next: bool
    has_previous: bool = field(init=False)

    def __post_init__(self):
        self.has_previous = self.page > 1
