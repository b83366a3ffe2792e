"""The areas whose rows can be tagged, searched and given attachments, each registered once.

An area registers itself from its own package::

    register_area(Area(
        key="habit", label="Habits", model=Habit,
        title=lambda habit: habit.name,
        url=lambda habit: url_for("habits.show", habit_id=habit.id),
        sort_column=Habit.created_at,
        search_columns=(Habit.name, Habit.description),
    ))

Tags, search and media read this registry; none of them names an area in its own code. Every
registered model has a ``user_id`` column, so ownership is checked the same way everywhere.
``key`` is the value stored in ``taggables.taggable_type`` and ``media.related_to_type``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.exceptions import NotFound

from manifest.models.tag import TAGGABLE_TYPES
from manifest.ownership import owned


@dataclass(frozen=True)
class Area:
    key: str
    label: str  # plural, for headings: "Journal entries"
    model: type
    title: Callable[[Any], str]  # what a row is called in a list
    url: Callable[[Any], str]  # where a row is shown (called inside a request)
    sort_column: Any  # newest first on tag pages and in search results
    search_columns: tuple = ()  # text columns the header search looks in
    attachments: bool = False  # whether rows take media attachments
    summary: Callable[[Any], str] | None = field(default=None)  # a short second line, optional
    # For a row owned through its parent (an exercise through its workout): the relationship to the
    # parent, which has the user_id. Such rows are found by the search only (register_search_area).
    owned_through: Any = None


AREAS: dict[str, Area] = {}
# Rows the header search looks in besides the areas: parts of an area's row (a workout's
# exercises) that are neither tagged nor given attachments of their own.
SEARCH_AREAS: dict[str, Area] = {}


def register_area(area: Area) -> None:
    if area.key not in TAGGABLE_TYPES:
        raise ValueError(f"{area.key!r} is not one of the taggable types {TAGGABLE_TYPES}")
    if not hasattr(area.model, "user_id"):
        raise ValueError(f"{area.model.__name__} has no user_id: areas must be owned by a user")
    AREAS[area.key] = area


def register_search_area(area: Area) -> None:
    if not area.search_columns:
        raise ValueError(f"{area.key!r} has no search_columns")
    if area.owned_through is None and not hasattr(area.model, "user_id"):
        raise ValueError(f"{area.model.__name__} has no user_id and no owned_through: areas must be owned by a user")
    SEARCH_AREAS[area.key] = area


def get_area(key: str | None) -> Area | None:
    return AREAS.get(key or "")


def attachable_areas() -> list[Area]:
    return [area for area in AREAS.values() if area.attachments]


def user_row(user, area: Area, row_id) -> Any:
    """The user's row of an area, or 404: another user's row is as absent as a missing one."""
    return owned(user, area.model, row_id)


def owned_row(user, area_key: str | None, row_id, *, attachable: bool = False) -> tuple[Area, Any]:
    """The area and the user's row in it, or 404 (unknown area, one without attachments when they
    are asked for, no such row, another user's row)."""
    area = get_area(area_key)
    if area is None or (attachable and not area.attachments):
        raise NotFound()
    return area, user_row(user, area, row_id)
