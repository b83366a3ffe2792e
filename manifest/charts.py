"""Server-rendered SVG chart geometry shared by every area (no JavaScript, works under the CSP).

A chart is drawn in a box ``width`` x 100 units; templates/_macros/charts.html turns it into SVG.
Points are labelled series: ``[(label, value or None), ...]`` oldest first; None is a gap
(nothing recorded), not a zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

HEIGHT = 100
HEADROOM = 0.92  # the highest value sits a little below the top edge
SLOT = 10  # x units per point or bar

Number = Decimal | int | float
Series = Sequence[tuple[str, Number | None]]


# The values a free scale may end at, times a power of ten: every one a round number to read.
NICE = (1, Decimal("1.2"), Decimal("1.5"), 2, Decimal("2.5"), 3, 4, 5, 6, 7, 8, 10)


def nice_ceiling(value: float) -> Decimal:
    """The smallest round value (a NICE step times a power of ten) at or above ``value`` > 0:
    59.8 -> 60, 1.087 -> 1.2, 2486 -> 2500."""
    exact = Decimal(repr(float(value)))
    unit = Decimal(1).scaleb(exact.adjusted())  # the power of ten of its first digit; 10 x unit > value
    return next(Decimal(f"{(step * unit).normalize():f}") for step in NICE if step * unit >= exact)


def _free_top(low: float, top: float) -> Decimal:
    """A free scale's top edge: round, and far enough above ``top`` that the highest value sits a
    little below it (at most HEADROOM of the way up from ``low``)."""
    return nice_ceiling(low + (top - low) / HEADROOM)


def _free_bottom(lowest: float) -> float:
    """A free scale's bottom: 0, or a round value below a negative lowest value."""
    return 0.0 if lowest >= 0 else -float(nice_ceiling(-lowest))


def _scale(value: Number, low: float, top: float) -> float:
    """The y of ``value`` on a scale from ``low`` (the bottom edge) to ``top`` (the top edge)."""
    span = (top - low) or 1.0
    return round(HEIGHT - (float(value) - low) / span * HEIGHT, 2)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    label: str
    value: Number | None
    over: bool  # above the target line


@dataclass(frozen=True)
class BarChart:
    width: int
    bar_width: float
    bars: list[Bar]
    target_y: float | None
    first: str
    last: str
    top: Decimal = Decimal(0)  # the value at the top edge of the drawing


def bar_chart(series: Series, target: Number | None = None) -> BarChart | None:
    """One bar per point, with an optional target line; None when nothing was recorded."""
    values = [float(v) for _, v in series if v is not None]
    if not values:
        return None
    edge = _free_top(0.0, max(*values, float(target or 0), 1.0))
    top = float(edge)
    bars = []
    for i, (label, value) in enumerate(series):
        y = _scale(value, 0.0, top) if value is not None else HEIGHT
        over = value is not None and target is not None and float(value) > float(target)
        bars.append(Bar(x=i * SLOT + 1, y=y, height=round(HEIGHT - y, 2), label=label, value=value, over=over))
    target_y = _scale(target, 0.0, top) if target is not None else None
    return BarChart(len(series) * SLOT, SLOT - 2, bars, target_y, series[0][0], series[-1][0], edge)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str
    value: Number


@dataclass(frozen=True)
class LineChart:
    width: int
    lines: list[str]  # polylines; a gap in the data starts a new one
    dots: list[Dot]
    target_y: float | None
    low: float  # the value at the bottom edge
    top: Decimal  # the value at the top edge of the drawing
    first: str
    last: str


def line_chart(
    series: Series, *, low: Number | None = None, high: Number | None = None, target: Number | None = None,
) -> LineChart | None:
    """A line through the recorded points; ``low``/``high`` fix the scale (e.g. 1-10 ratings)."""
    values = [float(v) for _, v in series if v is not None]
    if not values:
        return None
    bottom = float(low) if low is not None else _free_bottom(min(0.0, *values))
    # A fixed scale (ratings 1-10) ends at its top value; a free one at a round value above its peak.
    if high is not None:
        edge = Decimal(repr(float(high))).normalize()
    else:
        edge = _free_top(bottom, max(*values, float(target or 0), bottom + 1.0))
    top = float(edge)
    lines: list[str] = []
    dots: list[Dot] = []
    current: list[str] = []
    for i, (label, value) in enumerate(series):
        if value is None:
            if current:
                lines.append(" ".join(current))
            current = []
            continue
        dot = Dot(x=i * SLOT + SLOT / 2, y=_scale(value, bottom, top), label=label, value=value)
        dots.append(dot)
        current.append(f"{dot.x},{dot.y}")
    if current:
        lines.append(" ".join(current))
    target_y = _scale(target, bottom, top) if target is not None else None
    return LineChart(len(series) * SLOT, lines, dots, target_y, bottom, edge, series[0][0], series[-1][0])
