"""Goals: every query and rule, always scoped to the owner (the first argument).

Reading goals goes through one statement for the whole tree of a user's goals (with their
milestone counts and, for recurring goals, the total of the current period), plus one call
per kind of source for linked goals. Pages therefore make the same number of queries for 5
goals as for 500.

Every write runs in one transaction that locks the user's goals, changes rows, refreshes the
cached ``current_value`` (always the sum of the goal's entries) and then "settles" the tree:
a goal whose progress has just reached its target is marked completed, and a completed goal
whose progress has just dropped below it is reopened. Recurring goals and goals filled from a
source never change status by themselves (their progress moves with the calendar or with
data recorded elsewhere).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from manifest.extensions import db
from manifest.goals import logic, sources
from manifest.models import Goal, GoalMilestone, GoalProgress, User
from manifest.models.goal import GOAL_STATUSES, GOAL_TYPES
from manifest.timeutil import local_date

# One entry is below a million; the running total must fit NUMERIC(10, 2).
MAX_ENTRY = Decimal(1000000)
MAX_TOTAL = Decimal("99999999.99")
# Recurring goals: the period history covers at most this many periods back.
MAX_PERIODS = 1000
HISTORY_ROWS = 12
CHART_PERIODS = 24
# Below this target a goal counts things, and a one-click "+1" makes sense.
ONE_CLICK_TARGET = Decimal(100)

TYPE_LABELS = {"daily": "Daily", "weekly": "Weekly", "monthly": "Monthly", "yearly": "Yearly", "life": "Life goals"}
TYPE_NAMES = {"daily": "daily", "weekly": "weekly", "monthly": "monthly", "yearly": "yearly", "life": "life goal"}
STATUS_LABELS = {"active": "Active", "paused": "Paused", "completed": "Completed", "cancelled": "Cancelled"}
GOAL_STATUSES_ORDER = ("active", "paused", "completed", "cancelled")
PRIORITY_LABELS = ("None", "Lowest", "Low", "Medium", "High", "Top")
PERIOD_NOUNS = {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year"}


class GoalError(ValueError):
    """A change the rules refuse; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def utc_now() -> datetime:
    return datetime.now(UTC)


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
        view = self.views.get(goal_id)
        if view is None:
            raise NotFound()
        return view

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


def _window(user: User, goal: Goal, on: date, today: date) -> logic.Period:
    if goal.is_recurring and goal.goal_type in logic.PERIOD_KINDS:
        return logic.period_of(goal.goal_type, on)
    start = goal.start_date or local_date(user, goal.created_at or utc_now())
    end = goal.end_date or max(today, start)
    return logic.Period(start, max(end, start))


def _tree_statement(user: User, on: date):
    periods = {kind: logic.period_of(kind, on) for kind in logic.PERIOD_KINDS}
    start = sa.case({kind: p.start for kind, p in periods.items()}, value=Goal.goal_type)
    end = sa.case({kind: p.end for kind, p in periods.items()}, value=Goal.goal_type)
    period_total = (
        sa.select(sa.func.coalesce(sa.func.sum(GoalProgress.value), 0))
        .where(GoalProgress.goal_id == Goal.id, GoalProgress.progress_date >= start, GoalProgress.progress_date <= end)
        .scalar_subquery()
    )
    milestones = sa.select(sa.func.count()).where(GoalMilestone.goal_id == Goal.id)
    return sa.select(
        Goal,
        sa.case((Goal.is_recurring, period_total), else_=None).label("period_total"),
        milestones.scalar_subquery().label("milestones_total"),
        milestones.where(GoalMilestone.done_at.is_not(None)).scalar_subquery().label("milestones_done"),
    ).where(Goal.user_id == user.id)


def load_tree(user: User, today: date, on: date | None = None, *, lock: bool = False) -> Tree:
    """The user's goals with their progress: one statement, plus one per kind of linked source."""
    on = on or today
    statement = _tree_statement(user, on)
    if lock:
        # Writes of one user apply one at a time, so every settle sees the rows before it.
        statement = statement.with_for_update(of=Goal)
    rows = db.session.execute(statement).all()

    windows = {row.Goal.id: _window(user, row.Goal, on, today) for row in rows}
    requests: dict[uuid.UUID, sources.SourceRequest] = {}
    for row in rows:
        goal, window = row.Goal, windows[row.Goal.id]
        if goal.measure == "source" and goal.source_key and goal.source_id and window.start <= window.end:
            requests[goal.id] = sources.SourceRequest(goal.source_key, goal.source_id, window.start, window.end)
    answers = sources.compute_all(user, list(requests.values())) if requests else {}

    nodes = []
    for row in rows:
        goal = row.Goal
        if goal.measure == "source":
            request = requests.get(goal.id)
            value = answers.get(request) if request else Decimal(0)
        elif goal.is_recurring and goal.goal_type in logic.PERIOD_KINDS:
            value = Decimal(str(row.period_total or 0))
        else:
            value = goal.current_value or Decimal(0)
        nodes.append(logic.Node(
            id=goal.id, parent_id=goal.parent_goal_id, measure=goal.measure, rollup=goal.rollup,
            target=goal.target_value, unit=goal.target_unit, value=value,
            milestones_done=row.milestones_done or 0, milestones_total=row.milestones_total or 0,
            counts=goal.status != "cancelled",
        ))
    progress = logic.rollup(nodes)
    views = {
        row.Goal.id: GoalView(
            goal=row.Goal, progress=progress[row.Goal.id], window=windows[row.Goal.id], today=today, on=on,
            milestones_total=row.milestones_total or 0, milestones_done=row.milestones_done or 0,
        )
        for row in rows
    }
    for view in views.values():
        parent = views.get(view.goal.parent_goal_id) if view.goal.parent_goal_id else None
        if parent is not None and parent is not view:
            view.parent = parent
            parent.children.append(view)
    for view in views.values():
        view.children.sort(key=sort_key)
    return Tree(views, today, on)


def sort_key(view: GoalView):
    """Priority first (5 = top), then the nearest deadline, then the title."""
    return (-(view.goal.priority or 0), view.deadline or date.max, view.goal.title.casefold())


def get_goal(user: User, goal_id: uuid.UUID) -> Goal:
    goal = db.session.scalars(sa.select(Goal).where(Goal.id == goal_id, Goal.user_id == user.id)).first()
    if goal is None:
        raise NotFound()
    return goal


# --- the overview --------------------------------------------------------------------------

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
    tree: Tree
    filters: Filters
    groups: list[tuple[str, str, list[GoalView]]]
    shown: int

    @property
    def total(self) -> int:
        return len(self.tree.views)

    @property
    def shown_ids(self) -> set[uuid.UUID]:
        return {view.id for _, _, views in self.groups for view in views}


def overview(user: User, filters: Filters, today: date) -> Overview:
    tree = load_tree(user, today)
    shown = sorted((v for v in tree.views.values() if filters.matches(v)), key=sort_key)
    if filters.group == "status":
        order, labels, key = GOAL_STATUSES_ORDER, STATUS_LABELS, (lambda v: v.goal.status)
    else:
        order, labels, key = GOAL_TYPES, TYPE_LABELS, (lambda v: v.goal.goal_type)
    groups = [(name, labels[name], [v for v in shown if key(v) == name]) for name in order]
    return Overview(tree, filters, [g for g in groups if g[2]], len(shown))


# --- Today ---------------------------------------------------------------------------------

@dataclass
class TodayGoals:
    day: date
    today: date
    rows: list[GoalView]

    def __bool__(self) -> bool:
        return bool(self.rows)


def _on_today(user: User, view: GoalView, day: date) -> bool:
    goal = view.goal
    if goal.goal_type == "life":
        return False
    if goal.status == "completed":
        # Reached on this very day: it stays, so the change can be seen (and undone).
        if goal.completed_at is None or local_date(user, goal.completed_at) != day:
            return False
    elif goal.status != "active":
        return False
    if view.upcoming or view.ended:
        return False
    if view.recurring:
        return True
    return (goal.start_date is None or goal.start_date <= day) and (goal.end_date is None or goal.end_date >= day)


def today_goals(user: User, day: date, today: date) -> TodayGoals:
    """The active goals whose current period contains ``day``, shortest periods first."""
    tree = load_tree(user, today, day)
    rows = [v for v in tree.views.values() if _on_today(user, v, day)]
    rows.sort(key=lambda v: (GOAL_TYPES.index(v.goal.goal_type), *sort_key(v)))
    return TodayGoals(day, today, rows)


# --- the goal page -------------------------------------------------------------------------

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


def _first_day(user: User, goal: Goal) -> date:
    return goal.start_date or local_date(user, goal.created_at or utc_now())


def _recurring_history(user: User, page: GoalPage) -> None:
    goal = page.goal
    kind, today = goal.goal_type, page.tree.today
    last = min(today, goal.end_date) if goal.end_date else today
    first = _first_day(user, goal)
    if page.entries:
        first = min(first, min(e.progress_date for e in page.entries))
    periods = logic.periods_between(kind, first, last)[-MAX_PERIODS:]
    if not periods:
        return
    if goal.measure == "source":
        requests = {p.start: sources.SourceRequest(goal.source_key, goal.source_id, p.start, p.end) for p in periods}
        answers = sources.compute_all(user, list(requests.values()))
        values = {start: answers.get(r, Decimal(0)) for start, r in requests.items()}
    else:
        values = logic.bucket_by_period(kind, ((e.progress_date, e.value) for e in page.entries))
    page.periods = logic.period_results(kind, periods[0].start, periods[-1].end, today, values, goal.target_value)
    page.streaks = logic.period_streaks(page.periods)
    page.period_chart = logic.period_chart(page.periods[-CHART_PERIODS:], goal.target_value)


SOURCE_SAMPLES = 40


def _source_chart(user: User, page: GoalPage) -> logic.LineChart | None:
    """The running total of a linked goal, sampled at up to 40 days of its window (one query)."""
    goal, window, today = page.goal, page.view.window, page.tree.today
    end = min(window.end, today)
    if end < window.start:
        return None
    span = (end - window.start).days
    step = max(span // SOURCE_SAMPLES, 1)
    days = sorted({window.start + timedelta(days=i) for i in range(0, span + 1, step)} | {end})
    requests = [sources.SourceRequest(goal.source_key, goal.source_id, window.start, d) for d in days]
    answers = sources.compute_all(user, requests)
    amounts, previous = [], Decimal(0)
    for day, request in zip(days, requests, strict=True):
        total = answers.get(request, previous)
        if total != previous:
            amounts.append((day, total - previous))
            previous = total
    return logic.cumulative_chart(amounts, window.start, window.end, goal.target_value)


def goal_page(user: User, goal_id: uuid.UUID, today: date) -> GoalPage:
    tree = load_tree(user, today)
    view = tree.get(goal_id)
    goal = view.goal
    entries = list(db.session.scalars(
        sa.select(GoalProgress).where(GoalProgress.goal_id == goal.id)
        .order_by(GoalProgress.progress_date.desc(), GoalProgress.created_at.desc())
    ))
    milestones = list(db.session.scalars(
        sa.select(GoalMilestone).where(GoalMilestone.goal_id == goal.id)
        .order_by(GoalMilestone.position, GoalMilestone.created_at)
    ))
    page = GoalPage(view, tree, entries, milestones)
    if goal.completed_at is not None:
        page.completed_on = local_date(user, goal.completed_at)
    if goal.measure == "source":
        source = sources.get(goal.source_key)
        if source is not None:
            page.source_label = source.label
            page.source_name = next((o.name for o in source.options(user) if o.id == goal.source_id), None)
    if view.recurring:
        _recurring_history(user, page)
        return page
    if goal.measure == "entries":
        amounts = [(e.progress_date, e.value) for e in entries]
        start = goal.start_date or min([view.window.start, *(d for d, _ in amounts)])
        page.chart = logic.cumulative_chart(amounts, start, max(goal.end_date or today, start), goal.target_value)
    elif goal.measure == "milestones":
        amounts = [(local_date(user, m.done_at), Decimal(1)) for m in milestones if m.done_at]
        start = min([view.window.start, *(d for d, _ in amounts)])
        target = Decimal(len(milestones)) if milestones else None
        page.chart = logic.cumulative_chart(amounts, start, max(goal.end_date or today, start), target)
    elif goal.measure == "source" and page.source_name is not None:
        page.chart = _source_chart(user, page)
    if view.active and goal.measure in ("entries", "source"):
        page.projected = logic.projected_finish(view.progress.value, goal.target_value, view.window.start, today)
    return page


# --- writes: settling completion -----------------------------------------------------------

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


def _settle(user: User, before: Tree, today: date, skip: frozenset = frozenset()) -> list[Notice]:
    """Complete goals that just reached their target; reopen completed ones that just fell below it."""
    db.session.flush()
    after = load_tree(user, today)
    notices = []
    for goal_id, view in after.views.items():
        previous = before.views.get(goal_id)
        if previous is None or goal_id in skip or not view.auto_completes:
            continue
        if previous.progress.reached == view.progress.reached:
            continue
        goal = view.goal
        if view.progress.reached and goal.status == "active":
            goal.status, goal.completed_at = "completed", utc_now()
            notices.append(Notice("completed", goal.id, goal.title))
        elif not view.progress.reached and goal.status == "completed":
            goal.status, goal.completed_at = "active", None
            notices.append(Notice("reopened", goal.id, goal.title))
    return notices


def _refresh_current_value(goal: Goal) -> None:
    """current_value is the sum of the goal's entries, checked against what the column can hold."""
    db.session.flush()
    total = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(GoalProgress.value), 0)).where(GoalProgress.goal_id == goal.id)
    )
    total = Decimal(str(total))
    if total > MAX_TOTAL:
        raise GoalError("That would take the goal's total past 99,999,999.99.", "value")
    goal.current_value = total


def _write(user: User, today: date, work) -> Change:
    """Run ``work(tree, keep)`` in one locked, settled transaction; it returns the goal it changed
    and adds to ``keep`` the goals whose status the user chose, which settling leaves alone."""
    keep: set[uuid.UUID] = set()
    try:
        before = load_tree(user, today, lock=True)
        goal_id = work(before, keep)
        notices = _settle(user, before, today, frozenset(keep))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return Change(goal_id, notices)


# --- progress entries ----------------------------------------------------------------------

def parse_amount(raw) -> Decimal:
    """A positive amount below a million, with at most two decimals; GoalError otherwise."""
    if isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw or "").strip().replace(",", ".")
        if not text:
            raise GoalError("Enter an amount.", "value")
        try:
            value = Decimal(text)
        except ArithmeticError:
            raise GoalError("Enter a number, e.g. 2.5.", "value") from None
    if not value.is_finite():
        raise GoalError("Enter a number, e.g. 2.5.", "value")
    if value <= 0:
        raise GoalError("Enter an amount above 0.", "value")
    if value >= MAX_ENTRY:
        raise GoalError("Enter an amount below a million.", "value")
    return value.quantize(Decimal("0.01"))


def _check_day(day: date, today: date) -> None:
    if day > today:
        raise GoalError("Progress cannot be recorded for a day that has not come yet.", "progress_date")
    if day.year < 1900:
        raise GoalError("Choose a day after 1900.", "progress_date")


def _manual(view: GoalView) -> Goal:
    if not view.manual:
        raise GoalError("This goal fills itself; its progress cannot be entered by hand.", "value")
    if view.goal.status == "cancelled":
        raise GoalError("This goal is cancelled; resume it to record progress.", "value")
    return view.goal


def add_entry(user: User, goal_id: uuid.UUID, value, day: date, note: str | None, today: date) -> Change:
    amount = parse_amount(value)
    _check_day(day, today)

    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = _manual(tree.get(goal_id))
        db.session.add(GoalProgress(goal_id=goal.id, progress_date=day, value=amount, notes=_clean(note)))
        _refresh_current_value(goal)
        return goal.id

    return _write(user, today, work)


def _owned_child(goal: Goal, model, child_id: uuid.UUID):
    """A progress entry or milestone of ``goal`` (already owner-checked); 404 for any other."""
    child = db.session.scalars(sa.select(model).where(model.id == child_id, model.goal_id == goal.id)).first()
    if child is None:
        raise NotFound()
    return child


def _owned_entry(goal: Goal, progress_id: uuid.UUID) -> GoalProgress:
    return _owned_child(goal, GoalProgress, progress_id)


def get_entry(user: User, goal_id: uuid.UUID, progress_id: uuid.UUID) -> GoalProgress:
    return _owned_entry(get_goal(user, goal_id), progress_id)


def update_entry(user: User, goal_id: uuid.UUID, progress_id: uuid.UUID, value, day: date, note: str | None,
                 today: date) -> Change:
    amount = parse_amount(value)
    _check_day(day, today)

    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = tree.get(goal_id).goal
        entry = _owned_entry(goal, progress_id)
        entry.value, entry.progress_date, entry.notes = amount, day, _clean(note)
        _refresh_current_value(goal)
        return goal.id

    return _write(user, today, work)


def delete_entry(user: User, goal_id: uuid.UUID, progress_id: uuid.UUID, today: date) -> Change:
    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = tree.get(goal_id).goal
        db.session.delete(_owned_entry(goal, progress_id))
        _refresh_current_value(goal)
        return goal.id

    return _write(user, today, work)


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


# --- status --------------------------------------------------------------------------------

def set_status(user: User, goal_id: uuid.UUID, status: str, today: date) -> Change:
    if status not in GOAL_STATUSES:
        raise GoalError("Choose active, paused, completed or cancelled.", "status")
    notices: list[Notice] = []

    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = tree.get(goal_id).goal
        keep.add(goal.id)
        if goal.status != status:
            goal.status = status
            goal.completed_at = utc_now() if status == "completed" else None
            notices.append(Notice("status", goal.id, goal.title, status))
        return goal.id

    change = _write(user, today, work)
    change.notices[:0] = notices
    return change


# --- creating and editing goals ------------------------------------------------------------

@dataclass(frozen=True)
class Choices:
    """What the goal form may offer: parents, sources and categories, all the user's own."""

    parents: list[GoalView]
    sources: list[tuple[sources.Source, list[sources.SourceOption]]]
    categories: list[str]


def form_choices(user: User, today: date, goal_id: uuid.UUID | None = None) -> Choices:
    """Parents exclude the goal itself and its sub-goals (a goal cannot sit inside itself)."""
    tree = load_tree(user, today)
    excluded = set()
    if goal_id is not None:
        excluded = {goal_id} | logic.descendants(goal_id, tree.parent_of)
    parents = []

    def walk(views: list[GoalView]) -> None:
        for view in sorted(views, key=lambda v: v.goal.title.casefold()):
            if view.id not in excluded:
                parents.append(view)
                walk(view.children)

    walk([v for v in tree.views.values() if v.parent is None])
    return Choices(parents, sources.options_for(user), tree.categories())


def _parent_for(tree: Tree, goal_id: uuid.UUID | None, parent_id: uuid.UUID | None) -> uuid.UUID | None:
    if parent_id is None:
        return None
    if parent_id not in tree.views:
        raise GoalError("Choose one of your goals as the parent.", "parent_goal_id")
    if goal_id is not None and logic.would_cycle(goal_id, parent_id, tree.parent_of):
        raise GoalError("A goal cannot be a sub-goal of itself or of one of its own sub-goals.", "parent_goal_id")
    return parent_id


def _source_for(user: User, data: dict) -> tuple[str, uuid.UUID, sources.SourceOption] | None:
    if data["measure"] != "source":
        return None
    key, _, raw_id = (data.get("source") or "").partition(":")
    source = sources.get(key)
    try:
        source_id = uuid.UUID(raw_id)
    except ValueError:
        source_id = None
    option = next((o for o in source.options(user) if o.id == source_id), None) if source and source_id else None
    if option is None:
        raise GoalError("Choose what this goal is filled from.", "source")
    return key, option.id, option


def _apply(goal: Goal, data: dict, today: date, source) -> None:
    goal.title = data["title"].strip()
    goal.description = _clean(data.get("description"))
    goal.category = _clean(data.get("category"))
    goal.goal_type = data["goal_type"]
    goal.is_recurring = bool(data.get("is_recurring")) and goal.goal_type in logic.PERIOD_KINDS
    goal.recurrence_pattern = goal.goal_type if goal.is_recurring else None
    goal.priority = data["priority"]
    goal.measure = data["measure"]
    goal.rollup = data.get("rollup") or "average"
    goal.target_value = data.get("target_value")
    goal.target_unit = _clean(data.get("target_unit"))
    goal.source_key, goal.source_id = (source[0], source[1]) if source else (None, None)
    if goal.measure == "milestones":
        # The milestones are the target: a number typed here would mean nothing.
        goal.target_value = goal.target_unit = None
    if source and not goal.target_unit:
        goal.target_unit = source[2].unit
    start, end = data.get("start_date"), data.get("end_date")
    if goal.goal_type in logic.PERIOD_KINDS and not goal.is_recurring and end is None:
        # A "monthly" goal without dates is about this month; with a start, a month from it.
        span = logic.span_from(goal.goal_type, start) if start else logic.period_of(goal.goal_type, today)
        start, end = span.start, span.end
    goal.start_date, goal.end_date = start, end


def create_goal(user: User, data: dict, today: date) -> Change:
    source = _source_for(user, data)

    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = Goal(user_id=user.id, status=data.get("status") or "active")
        goal.parent_goal_id = _parent_for(tree, None, data.get("parent_goal_id"))
        _apply(goal, data, today, source)
        if goal.status == "completed":
            goal.completed_at = utc_now()
        db.session.add(goal)
        db.session.flush()
        return goal.id

    return _write(user, today, work)


def update_goal(user: User, goal_id: uuid.UUID, data: dict, today: date) -> Change:
    source = _source_for(user, data)
    status = data.get("status")

    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = tree.get(goal_id).goal
        goal.parent_goal_id = _parent_for(tree, goal.id, data.get("parent_goal_id"))
        _apply(goal, data, today, source)
        # A status picked in the form stands; otherwise a new target may complete or reopen the goal.
        if status and status != goal.status:
            keep.add(goal.id)
            goal.status = status
            goal.completed_at = utc_now() if status == "completed" else None
        return goal.id

    return _write(user, today, work)


def delete_goal(user: User, goal_id: uuid.UUID, today: date) -> str:
    title: list[str] = []

    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = tree.get(goal_id).goal
        title.append(goal.title)
        # Sub-goals stay, as top-level goals (the database sets their parent to NULL).
        for child in tree.get(goal_id).children:
            child.goal.parent_goal_id = None
        db.session.delete(goal)
        return goal.id

    _write(user, today, work)
    return title[0]


def _count(*conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(*conditions))


def deletion_summary(user: User, goal_id: uuid.UUID) -> dict:
    """What deleting a goal takes with it (entries, milestones) and what it leaves (sub-goals)."""
    goal = get_goal(user, goal_id)
    return {
        "goal": goal,
        "entries": _count(GoalProgress.goal_id == goal.id),
        "milestones": _count(GoalMilestone.goal_id == goal.id),
        "children": _count(Goal.parent_goal_id == goal.id, Goal.user_id == user.id),
    }


# --- milestones ----------------------------------------------------------------------------

def _milestones(goal: Goal) -> list[GoalMilestone]:
    return list(db.session.scalars(
        sa.select(GoalMilestone).where(GoalMilestone.goal_id == goal.id)
        .order_by(GoalMilestone.position, GoalMilestone.created_at)
    ))


def _owned_milestone(goal: Goal, milestone_id: uuid.UUID) -> GoalMilestone:
    return _owned_child(goal, GoalMilestone, milestone_id)


def get_milestone(user: User, goal_id: uuid.UUID, milestone_id: uuid.UUID) -> GoalMilestone:
    return _owned_milestone(get_goal(user, goal_id), milestone_id)


def add_milestone(user: User, goal_id: uuid.UUID, title: str, target_date: date | None, today: date) -> Change:
    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = tree.get(goal_id).goal
        last = db.session.scalar(sa.select(sa.func.max(GoalMilestone.position)).where(GoalMilestone.goal_id == goal.id))
        db.session.add(GoalMilestone(goal_id=goal.id, title=title.strip(), target_date=target_date,
                                     position=0 if last is None else last + 1))
        return goal.id

    return _write(user, today, work)


def set_milestone_done(user: User, goal_id: uuid.UUID, milestone_id: uuid.UUID, done: bool, today: date) -> Change:
    """Set the wanted state (not a toggle), so a repeated click changes nothing more."""
    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = tree.get(goal_id).goal
        milestone = _owned_milestone(goal, milestone_id)
        if done and milestone.done_at is None:
            milestone.done_at = utc_now()
        elif not done:
            milestone.done_at = None
        return goal.id

    return _write(user, today, work)


def edit_milestone(user: User, goal_id: uuid.UUID, milestone_id: uuid.UUID, title: str, target_date: date | None,
                   today: date) -> Change:
    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = tree.get(goal_id).goal
        milestone = _owned_milestone(goal, milestone_id)
        milestone.title, milestone.target_date = title.strip(), target_date
        return goal.id

    return _write(user, today, work)


def move_milestone(user: User, goal_id: uuid.UUID, milestone_id: uuid.UUID, offset: int, today: date) -> Change:
    """Move up (-1) or down (+1) and renumber them all, which also repairs ties."""
    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = tree.get(goal_id).goal
        milestones = _milestones(goal)
        index = next((i for i, m in enumerate(milestones) if m.id == milestone_id), None)
        if index is None:
            raise NotFound()
        target = min(max(index + offset, 0), len(milestones) - 1)
        milestones.insert(target, milestones.pop(index))
        for position, milestone in enumerate(milestones):
            if milestone.position != position:
                milestone.position = position
        return goal.id

    return _write(user, today, work)


def delete_milestone(user: User, goal_id: uuid.UUID, milestone_id: uuid.UUID, today: date) -> Change:
    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = tree.get(goal_id).goal
        db.session.delete(_owned_milestone(goal, milestone_id))
        return goal.id

    return _write(user, today, work)
