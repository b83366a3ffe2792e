"""View models of the attachment pages, built from loaded rows: pure (no database, no Flask)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class GalleryItem:
    media: Any  # the Media row
    area: Any  # its manifest.areas.Area, or None when that area is gone
    row: Any  # the row it is attached to, or None when that area or row is gone


@dataclass
class Gallery:
    items: list[GalleryItem]
    total: int
    page: int
    pages: int
    area: Any  # the area shown, None for all of them
    areas: list
    used: int
    quota: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def left(self) -> int:
        """Bytes of storage still free."""
        return max(self.quota - self.used, 0)

    def count_of(self, area_key: str) -> int:
        return self.counts.get(area_key, 0)
