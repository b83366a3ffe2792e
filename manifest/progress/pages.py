"""View models of progress: pure, built from loaded values (no database, no Flask)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from manifest import charts
from manifest.goals.logic import Period
from manifest.progress import logic

PERIOD_LABELS = {"weekly": "Week", "monthly": "Month", "yearly": "Year"}


def period_name(kind: str, span: Period, today: date) -> str:
    current = span.start <= today <= span.end
    if kind == "weekly":
        return "This week" if current else f"Week of {span.start.day} {span.start:%b %Y}"
    if kind == "monthly":
        return "This month" if current else f"{span.start:%B %Y}"
    return "This year" if current else str(span.start.year)


def short_label(kind: str, span: Period) -> str:
    if kind == "weekly":
        return f"{span.start.day} {span.start:%b}"
    if kind == "monthly":
        return f"{span.start:%b %Y}"
    return str(span.start.year)


@dataclass(frozen=True)
class Metric:
    name: str  # a Values field
    label: str
    unit: str
    change_unit: str = ""  # how a change is counted: a rate moves in points, not percent of itself


METRICS = (
    Metric("habit_completion_rate", "Habit completion", "%", "points"),
    Metric("total_workouts", "Workouts", ""),
    Metric("total_workout_minutes", "Workout minutes", "min", "min"),
    Metric("average_daily_mood", "Average mood", "/ 10", "points"),
    Metric("average_energy_level", "Average energy", "/ 10", "points"),
    Metric("total_blog_entries", "Journal entries", ""),
    Metric("completed_goals", "Goals completed", ""),
    Metric("weight", "Weight at the end", ""),
)


@dataclass(frozen=True)
class Row:
    metric: Metric
    unit: str
    change_unit: str
    previous: logic.Delta
    last_year: logic.Delta


@dataclass(frozen=True)
class ChartData:
    """A chart and its text alternative: the same figures as a table."""

    title: str
    unit: str
    kind: str  # "bar" or "line"
    chart: object  # charts.BarChart | charts.LineChart | None
    points: list[tuple[str, object]]
    second: object = None  # a second line on the same scale (energy beside mood)
    second_points: list[tuple[str, object]] | None = None
    second_title: str = ""


@dataclass
class ProgressPage:
    kind: str
    current: Period
    current_name: str
    days_in: int  # days of the current period so far
    days_total: int
    rows: list[Row]
    charts: list[ChartData]
    empty: bool


def _empty(values: logic.Values) -> bool:
    return not (values.total_workouts or values.habit_completion_rate is not None or values.average_daily_mood is not None
                or values.weight is not None or values.total_blog_entries or values.total_goals)


def _trim(periods: list[Period], values: list[logic.Values]) -> tuple[list[Period], list[logic.Values]]:
    """Leave out the periods before anything was recorded (the chart starts with the history)."""
    start = next((i for i, v in enumerate(values) if not _empty(v)), len(values) - 1)
    return periods[start:], values[start:]


def progress_page(kind: str, periods: list[Period], values: list[logic.Values], last_year: logic.Values | None,
                  today: date, weight_unit: str) -> ProgressPage:
    current, now = periods[-1], values[-1]
    previous = values[-2] if len(values) > 1 else None
    rows = []
    for metric in METRICS:
        unit = weight_unit if metric.name == "weight" else metric.unit
        then_prev = getattr(previous, metric.name) if previous else None
        then_year = getattr(last_year, metric.name) if last_year else None
        rows.append(Row(metric, unit, weight_unit if metric.name == "weight" else metric.change_unit,
                        logic.compare(metric.name, getattr(now, metric.name), then_prev, in_progress=True),
                        logic.compare(metric.name, getattr(now, metric.name), then_year, in_progress=True)))
    shown_periods, shown = _trim(periods, values)
    labels = [short_label(kind, p) + (" (so far)" if p is current else "") for p in shown_periods]

    def points(name):
        return list(zip(labels, [getattr(v, name) for v in shown], strict=True))

    rate, workouts, minutes = points("habit_completion_rate"), points("total_workouts"), points("total_workout_minutes")
    mood, energy, weight = points("average_daily_mood"), points("average_energy_level"), points("weight")
    chart_list = [
        ChartData("Habit completion", "%", "line", charts.line_chart(rate, low=0, high=100), rate),
        ChartData("Workouts", "", "bar", charts.bar_chart(workouts), workouts),
        ChartData("Workout minutes", "min", "bar", charts.bar_chart(minutes), minutes),
        ChartData("Average mood", "/ 10", "line", charts.line_chart(mood, low=1, high=10), mood,
                  charts.line_chart(energy, low=1, high=10), energy, "Average energy"),
        ChartData("Weight at the end", weight_unit, "line", weight_chart_for(weight), weight),
    ]
    return ProgressPage(kind, current, period_name(kind, current, today), (today - current.start).days + 1,
                        current.days, rows, chart_list, all(_empty(v) for v in values))


def scale_for(values: list[float]) -> tuple[int, int]:
    """A weight scale that shows the changes: from just below the lowest value to just above the highest."""
    low, high = min(values), max(values)
    margin = max((high - low) * 0.15, 1.0)
    return math.floor(low - margin), math.ceil(high + margin)


def weight_chart_for(series: list[tuple[str, object]]) -> charts.LineChart | None:
    known = [float(v) for _, v in series if v is not None]
    if not known:
        return None
    low, high = scale_for(known)
    return charts.line_chart(series, low=low, high=high)


# --- measurements --------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrendChart:
    raw: charts.LineChart
    trend: charts.LineChart
    points: list[logic.TrendPoint]
    unit: str


@dataclass(frozen=True)
class WeightSummary:
    latest: logic.TrendPoint | None
    rate: float | None  # per week, user's unit
    chart: TrendChart | None
    unit: str

    @property
    def rate_text(self) -> str:
        if self.rate is None:
            return ""
        if abs(self.rate) < 0.05:
            return f"steady (under 0.05 {self.unit} a week)"
        return f"{'down' if self.rate < 0 else 'up'} {abs(self.rate):.1f} {self.unit} a week"


def trend_chart(trend: list[logic.TrendPoint], unit: str) -> TrendChart | None:
    if not trend:
        return None
    low, high = scale_for([p.weight for p in trend] + [p.trend for p in trend])
    labels = [f"{p.day.day} {p.day:%b %Y}" for p in trend]
    raw = charts.line_chart(list(zip(labels, [Decimal(f"{p.weight:.2f}") for p in trend], strict=True)), low=low, high=high)
    smooth = charts.line_chart(list(zip(labels, [Decimal(f"{p.trend:.2f}") for p in trend], strict=True)), low=low, high=high)
    return TrendChart(raw, smooth, trend, unit)


def weight_summary(readings: list[tuple[date, float]], unit: str) -> WeightSummary:
    trend = logic.weight_trend(readings)
    return WeightSummary(trend[-1] if trend else None, logic.weekly_rate(trend), trend_chart(trend, unit), unit)
