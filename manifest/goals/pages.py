"""The goals' view models: what a page shows, built from rows already loaded. Pure: no database,
no request; services.py loads the rows and hands them here."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from manifest.filters import number
from manifest.goals import logic

if TYPE_CHECKING:
    from manifest.goals.sources import Source, SourceOption
    from manifest.models import Goal, GoalMilestone, GoalProgress

GOAL_TYPES = ("daily", "weekly", "monthly", "yearly", "life")
GOAL_STATUSES = ("active", "paused", "completed", "cancelled")
HISTORY_ROWS = 12
# Below this target a goal counts things, and a one-click "+1" makes sense.
ONE_CLICK_TARGET = Decimal(100)

TYPE_LABELS = {"daily": "Daily", "weekly": "Weekly", "monthly": "Monthly", "yearly": "Yearly", "life": "Life goals"}
TYPE_NAMES = {"daily": "daily", "weekly": "weekly", "monthly": "monthly", "yearly": "yearly", "life": "life goal"}
STATUS_LABELS = {"active": "Active", "paused": "Paused", "completed": "Completed", "cancelled": "Cancelled"}
GOAL_STATUSES_ORDER = ("active", "paused", "completed", "cancelled")
PRIORITY_LABELS = ("None", "Lowest", "Low", "Medium", "High", "Top")
PERIOD_NOUNS = {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year"}


# --- one goal as a page shows it -----------------------------------------------------------

@dataclass(eq=False)
class GoalView:
    goal: Goal
    progress: logic.Progress
    window: logic.Period  # the days whose progress counts now (a recurring goal's current period)
    today: date
    on: date  # the day the view is about (Today can look at past days)
    milestones_total: int = 0
    milestones_done: int = 0
    parent: GoalView | None = None
    children: list[GoalView] = field(default_factory=list)

    @property
    def id(self) -> uuid.UUID:
        return self.goal.id

    @property
    def manual(self) -> bool:
        return self.goal.measure == "entries"

    @property
    def recurring(self) -> bool:
        return self.goal.is_recurring and self.goal.goal_type in logic.PERIOD_KINDS

    @property
    def active(self) -> bool:
        return self.goal.status == "active"

    @property
    def ended(self) -> bool:
        """A recurring goal whose last period is over."""
        return self.recurring and self.goal.end_date is not None and self.on > self.goal.end_date

    @property
    def upcoming(self) -> bool:
        """Not started yet: a recurring goal's first period, or a goal's start date, is still ahead."""
        start = self.goal.start_date
        if start is None:
            return False
        return self.window.end < start if self.recurring else self.on < start

    @property
    def deadline(self) -> date | None:
        if self.recurring:
            return None if self.ended else self.window.end
        return self.goal.end_date

    @property
    def due(self) -> str | None:
        if self.recurring:
            return None
        return logic.due_state(self.goal.end_date, self.today, reached=self.progress.reached, open_=self.active)

    @property
    def days_to_deadline(self) -> int | None:
        return None if self.deadline is None else (self.deadline - self.today).days

    @property
    def pace(self) -> logic.Pace | None:
        if not self.active or self.deadline is None or self.progress.reached or self.upcoming:
            return None
        if self.recurring and self.goal.goal_type == "daily":
            return None  # what is left today is the whole story
        return logic.pace_needed(self.progress.remaining, logic.days_left(self.deadline, self.today))

    @property
    def period_name(self) -> str | None:
        return logic.period_label(self.goal.goal_type, self.window, self.today) if self.recurring else None

    @property
    def period_noun(self) -> str | None:
        return PERIOD_NOUNS.get(self.goal.goal_type) if self.recurring else None

    @property
    def unit(self) -> str:
        return self.goal.target_unit or ""

    @property
    def amount_unit(self) -> str:
        """The unit of what remains: milestones for a checklist goal, the goal's unit otherwise."""
        return "milestones" if self.goal.measure == "milestones" else self.unit

    @property
    def amount_text(self) -> str:
        """The progress in words, as every goals region and the API show it: "23 of 24 books",
        "2 of 5 milestones", "average of 3 sub-goals"."""
        p = self.progress
        if self.goal.measure == "milestones":
            total = self.milestones_total
            return f"{self.milestones_done} of {total} milestone{'' if total == 1 else 's'}"
        if self.goal.measure == "children" and p.value is None:
            if p.counted:
                return f"average of {p.counted} sub-goal{'' if p.counted == 1 else 's'}"
            return "no sub-goals yet"
        if p.value is None:
            return "source unavailable"
        unit = f" {self.unit}" if self.unit else ""
        if p.target is not None:
            return f"{number(p.value)} of {number(p.target)}{unit}"
        return f"{number(p.value)}{unit}"

    @property
    def one_click(self) -> bool:
        """Whether "+1" is a sensible single step for this goal."""
        target = self.goal.target_value
        return self.manual and (target is None or target <= ONE_CLICK_TARGET)

    @property
    def can_record(self) -> bool:
        return self.manual and self.goal.status in ("active", "paused")

    @property
    def depth(self) -> int:
        depth, current = 0, self.parent
        while current is not None and depth < 50:
            depth, current = depth + 1, current.parent
        return depth

    @property
    def auto_completes(self) -> bool:
        return not self.recurring and self.goal.measure != "source"

    @property
    def type_label(self) -> str:
        label = TYPE_NAMES[self.goal.goal_type]
        return f"{label}, repeating" if self.recurring else label

    @property
    def priority_label(self) -> str:
        return PRIORITY_LABELS[self.goal.priority or 0]


@dataclass
class Tree:
    """Every goal of a user, linked to its parent and children, with progress as of ``on``."""

    views: dict[uuid.UUID, GoalView]
    today: date
    on: date

    def get(self, goal_id: uuid.UUID) -> GoalView:
        # Services only ask for goals they loaded as the owner's, so a miss is a bug (KeyError).
        return self.views[goal_id]

    def ancestors(self, view: GoalView) -> list[GoalView]:
        found, current = [], view.parent
        while current is not None and current not in found:
            found.append(current)
            current = current.parent
        return found

    @property
    def parent_of(self) -> dict[uuid.UUID, uuid.UUID | None]:
        return {gid: v.goal.parent_goal_id for gid, v in self.views.items()}

    def categories(self) -> list[str]:
        return sorted({v.goal.category for v in self.views.values() if v.goal.category}, key=str.casefold)


def sort_key(view: GoalView):
    """Priority first (5 = top), then the nearest deadline, then the title."""
    return (-(view.goal.priority or 0), view.deadline or date.max, view.goal.title.casefold())


# --- the overview ---------------------------------------------------------------------------

STATUS_FILTERS = {
    "current": ("active", "paused"), "active": ("active",), "paused": ("paused",),
    "completed": ("completed",), "cancelled": ("cancelled",), "all": GOAL_STATUSES,
}
STATUS_FILTER_LABELS = {
    "current": "Active and paused", "active": "Active", "paused": "Paused", "completed": "Completed",
    "cancelled": "Cancelled", "all": "All",
}
GROUPINGS = {"type": "Type", "status": "Status"}


@dataclass(frozen=True)
class Filters:
    q: str = ""
    status: str = "current"
    type: str = ""
    category: str = ""
    group: str = "type"

    @classmethod
    def from_args(cls, args) -> Filters:
        """Filters from a query string; anything unknown falls back to the default (old bookmarks keep working)."""
        def text(name: str, limit: int) -> str:
            return " ".join((args.get(name) or "").replace("\x00", "").split())[:limit]

        status, kind, group = args.get("status", ""), args.get("type", ""), args.get("group", "")
        return cls(
            q=text("q", 100),
            status=status if status in STATUS_FILTERS else "current",
            type=kind if kind in GOAL_TYPES else "",
            category=text("category", 100),
            group=group if group in GROUPINGS else "type",
        )

    @property
    def query(self) -> dict[str, str]:
        """The filters that differ from the default, for the overview's address."""
        default = Filters()
        return {name: value for name in ("q", "status", "type", "category", "group")
                if (value := getattr(self, name)) != getattr(default, name)}

    def matches(self, view: GoalView) -> bool:
        goal = view.goal
        if goal.status not in STATUS_FILTERS[self.status]:
            return False
        if self.type and goal.goal_type != self.type:
            return False
        if self.category and (goal.category or "").casefold() != self.category.casefold():
            return False
        if self.q:
            haystack = " ".join(filter(None, (goal.title, goal.description, goal.category))).casefold()
            return all(word in haystack for word in self.q.casefold().split())
        return True


@dataclass
class Overview:
    """The goals the filters let through, grouped by their roots: a goal shown with its parent (or
    an ancestor) sits under it, not in a group of its own."""

    tree: Tree
    filters: Filters
    groups: list[tuple[str, str, list[GoalView]]]
    shown: int
    nested: dict[uuid.UUID, list[GoalView]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.tree.views)

    @property
    def shown_ids(self) -> set[uuid.UUID]:
        return {view.id for _, _, views in self.groups for view in self._with_nested(views)}

    def children_of(self, view: GoalView) -> list[GoalView]:
        """The shown goals nested under ``view``: its sub-goals, or deeper ones whose parents are hidden."""
        return self.nested.get(view.id, [])

    def _with_nested(self, views) -> list[GoalView]:
        found = []
        for view in views:
            found.append(view)
            found.extend(self._with_nested(self.children_of(view)))
        return found

    def count(self, views) -> int:
        """How many goals a group shows, nested ones included."""
        return len(self._with_nested(views))

    @classmethod
    def of(cls, tree: Tree, filters: Filters) -> Overview:
        shown = sorted((v for v in tree.views.values() if filters.matches(v)), key=sort_key)
        shown_ids = {v.id for v in shown}
        nested: dict[uuid.UUID, list[GoalView]] = {}
        roots = []
        for view in shown:
            ancestors = tree.ancestors(view)
            # A cycle (which the forms refuse) leaves its goals at the top rather than lost.
            holder = None if view in ancestors else next((a for a in ancestors if a.id in shown_ids), None)
            if holder is None:
                roots.append(view)
            else:
                nested.setdefault(holder.id, []).append(view)
        if filters.group == "status":
            order, labels, key = GOAL_STATUSES_ORDER, STATUS_LABELS, (lambda v: v.goal.status)
        else:
            order, labels, key = GOAL_TYPES, TYPE_LABELS, (lambda v: v.goal.goal_type)
        groups = [(name, labels[name], [v for v in roots if key(v) == name]) for name in order]
        return cls(tree, filters, [g for g in groups if g[2]], len(shown), nested)


# --- Today -------------------------------------------------------------------------------------

# Which events move a goal filled from a source, by the source key's area (docs/architecture.md).
SOURCE_EVENTS = {
    "habit": ("habit-checked", "habits-changed"),
    "nutrition": ("food-changed",),
    "workouts": ("workout-changed",),
    "review": ("review-changed",),
    "journal": ("journal-changed",),
    "weight": ("measurement-changed",),
}
# The areas whose pages show "goals fed by this page", and the source areas they feed.
FED_BY = {"food": "nutrition", "workouts": "workouts"}


def source_area(goal: Goal) -> str | None:
    if goal.measure != "source" or not goal.source_key:
        return None
    return goal.source_key.partition(".")[0]


def listens_for(views: Iterable[GoalView]) -> list[str]:
    """The events a region showing these goals refreshes on: goal actions always, and what feeds
    them or any goal below them (a parent's progress rolls up its sub-goals', shown or not)."""
    areas, seen, stack = set(), set(), list(views)
    while stack:
        view = stack.pop()
        if id(view) in seen:
            continue
        seen.add(id(view))
        areas.add(source_area(view.goal))
        stack.extend(view.children)
    return ["goal-progress", *(event for area, events in SOURCE_EVENTS.items() if area in areas for event in events)]


def on_today(view: GoalView, day: date, completed_on: date | None) -> bool:
    """Whether a goal belongs on Today for ``day``: active and running then (or completed that very day)."""
    goal = view.goal
    if goal.goal_type == "life":
        return False
    if goal.status == "completed":
        # Reached on this very day: it stays, so the change can be seen (and undone).
        if completed_on != day:
            return False
    elif goal.status != "active":
        return False
    if view.upcoming or view.ended:
        return False
    if view.recurring:
        return True
    return (goal.start_date is None or goal.start_date <= day) and (goal.end_date is None or goal.end_date >= day)


@dataclass
class TodayGoals:
    day: date
    today: date
    rows: list[GoalView]

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def events(self) -> list[str]:
        return listens_for(self.rows)

    @classmethod
    def of(cls, tree: Tree, day: date, local_day: Callable[[datetime], date]) -> TodayGoals:
        """The goals whose current period contains ``day``, shortest periods first."""
        # on_today reads the day a goal was completed only to refuse a completed goal on another
        # day, so it is worked out (a time zone conversion) only for a goal that passes otherwise.
        rows = [v for v in tree.views.values() if on_today(v, day, day) and (
                v.goal.status != "completed" or v.goal.completed_at is not None and local_day(v.goal.completed_at) == day)]
        rows.sort(key=lambda v: (GOAL_TYPES.index(v.goal.goal_type), *sort_key(v)))
        return cls(day, tree.today, rows)


@dataclass
class FedGoals:
    """The active goals another area's page feeds ("goals fed by this page")."""

    area: str
    day: date
    rows: list[GoalView]

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def events(self) -> list[str]:
        return listens_for(self.rows) if self.rows else self.listening(self.area)

    @staticmethod
    def listening(area: str) -> list[str]:
        """What the region listens for whatever goals it shows: its area's changes and goals'."""
        return ["goal-progress", *SOURCE_EVENTS[FED_BY[area]]]

    @classmethod
    def of(cls, tree: Tree, area: str) -> FedGoals:
        source = FED_BY[area]
        rows = [v for v in tree.views.values() if v.active and source_area(v.goal) == source
                and v.window.start <= tree.on <= v.window.end and not v.upcoming and not v.ended]
        return cls(area, tree.on, sorted(rows, key=sort_key))


# --- the goal page -----------------------------------------------------------------------------

@dataclass
class GoalPage:
    view: GoalView
    tree: Tree
    entries: list[GoalProgress]
    milestones: list[GoalMilestone]
    chart: logic.LineChart | None = None
    periods: list[logic.PeriodResult] = field(default_factory=list)
    streaks: logic.PeriodStreaks | None = None
    period_chart: logic.BarChart | None = None
    source_label: str | None = None
    source_name: str | None = None
    projected: date | None = None
    completed_on: date | None = None

    @property
    def goal(self) -> Goal:
        return self.view.goal

    @property
    def ancestors(self) -> list[GoalView]:
        return list(reversed(self.tree.ancestors(self.view)))

    @property
    def recent_periods(self) -> list[logic.PeriodResult]:
        return list(reversed(self.periods[-HISTORY_ROWS:]))

    def period_label(self, result: logic.PeriodResult) -> str:
        return logic.period_label(self.goal.goal_type, result.period, self.tree.today)

    @property
    def overdue_milestones(self) -> set[uuid.UUID]:
        today = self.tree.today
        return {m.id for m in self.milestones if m.done_at is None and m.target_date and m.target_date < today}


# --- what a write did --------------------------------------------------------------------------

@dataclass(frozen=True)
class Notice:
    kind: str  # completed, reopened, status
    goal_id: uuid.UUID
    title: str
    status: str = ""

    @property
    def message(self) -> str:
        if self.kind == "completed":
            return f"“{self.title}” reached its target and is marked completed."
        if self.kind == "reopened":
            return f"“{self.title}” is below its target again, so it is open again."
        return {
            "active": f"“{self.title}” is active again.",
            "paused": f"“{self.title}” is paused.",
            "completed": f"“{self.title}” is marked completed.",
            "cancelled": f"“{self.title}” is cancelled.",
        }[self.status]

    @property
    def undoable(self) -> bool:
        return self.kind == "completed"


@dataclass
class Change:
    """What a write did: the goal it was about and the status changes it caused."""

    goal_id: uuid.UUID
    notices: list[Notice] = field(default_factory=list)


def settle_notices(before: Tree, after: Tree, skip: frozenset = frozenset()) -> list[Notice]:
    """Goals that just reached their target (complete them) or just fell below it (reopen them)."""
    notices = []
    for goal_id, view in after.views.items():
        previous = before.views.get(goal_id)
        if previous is None or goal_id in skip or not view.auto_completes:
            continue
        if previous.progress.reached == view.progress.reached:
            continue
        goal = view.goal
        if view.progress.reached and goal.status == "active":
            notices.append(Notice("completed", goal.id, goal.title))
        elif not view.progress.reached and goal.status == "completed":
            notices.append(Notice("reopened", goal.id, goal.title))
    return notices


# --- the goal form -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Choices:
    """What the goal form may offer: parents, sources and categories, all the user's own."""

    parents: list[GoalView]
    sources: list[tuple[Source, list[SourceOption]]]
    categories: list[str]

    @classmethod
    def of(cls, tree: Tree, sources, excluded: set[uuid.UUID]) -> Choices:
        """Parents in title order, each followed by its sub-goals; ``excluded`` (a goal and its
        sub-goals, which it cannot sit inside) left out."""
        parents = []

        def walk(views: list[GoalView]) -> None:
            for view in sorted(views, key=lambda v: v.goal.title.casefold()):
                if view.id not in excluded:
                    parents.append(view)
                    walk(view.children)

        walk([v for v in tree.views.values() if v.parent is None])
        return cls(parents, sources, tree.categories())
