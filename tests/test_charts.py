"""The shared chart geometry: taller values draw higher, gaps stay gaps, the scale tells the truth."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from manifest.charts import HEIGHT, NICE, bar_chart, line_chart, nice_ceiling

values = st.lists(st.one_of(st.none(), st.decimals(min_value=0, max_value=10_000, places=1)), min_size=1, max_size=40)


def labelled(vals):
    return [(f"day {i}", v) for i, v in enumerate(vals)]


def test_nothing_recorded_draws_no_chart():
    assert bar_chart(labelled([None, None])) is None
    assert line_chart([]) is None


@given(values)
def test_bars_are_as_tall_as_their_values_and_never_leave_the_box(vals):
    chart = bar_chart(labelled(vals))
    if chart is None:
        assert all(v is None for v in vals)
        return
    recorded = sorted((b.value, b.height) for b in chart.bars if b.value is not None)
    heights = [h for _, h in recorded]
    assert heights == sorted(heights)
    assert all(0 <= b.height <= HEIGHT and 0 <= b.y <= HEIGHT for b in chart.bars)
    # The scale's top value (rounded for reading) sits at the top edge: the highest bar is that share.
    highest = max(float(v) for v in vals if v is not None)
    if highest >= 1:
        assert abs(max(h for _, h in recorded) / HEIGHT - highest / float(chart.top)) < 0.05


def test_over_target_bars_are_marked_and_the_target_line_is_drawn():
    chart = bar_chart(labelled([Decimal(1800), Decimal(2400), None]), target=2000)
    assert [b.over for b in chart.bars] == [False, True, False]
    assert 0 < chart.target_y < HEIGHT
    assert (chart.first, chart.last) == ("day 0", "day 2")


def test_a_gap_in_a_line_starts_a_new_line():
    chart = line_chart(labelled([5, 6, None, 7, 8]), low=1, high=10)
    assert len(chart.lines) == 2 and len(chart.dots) == 4
    assert chart.low == 1 and chart.top == 10  # a fixed scale ends at its top value
    # Higher ratings are drawn higher (smaller y).
    ys = [d.y for d in chart.dots]
    assert ys == sorted(ys, reverse=True)


def is_round(value: Decimal) -> bool:
    """A NICE step times a power of ten: 60, 1.2, 2500, 0.04; not 59.8 or 1.1."""
    return any(value == step * Decimal(1).scaleb(value.adjusted()) for step in NICE)


def test_free_scales_end_at_round_values():
    # A peak of 55 once made the scale end at 59.8, one of 1 at 1.1.
    assert bar_chart(labelled([Decimal(55), Decimal(20)])).top == 60
    assert line_chart(labelled([Decimal(1), Decimal("0.5")])).top == Decimal("1.2")
    assert bar_chart(labelled([Decimal("2287.5")]), target=2000).top == 2500
    chart = line_chart(labelled([Decimal(-3), Decimal(5)]))
    assert (chart.low, chart.top) == (-3, 6)
    assert [nice_ceiling(v) for v in (59.8, 1.087, 0.031, 10, 65.2)] == [60, Decimal("1.2"), Decimal("0.04"), 10, 70]


@given(values)
def test_a_free_scale_ends_at_a_round_value_above_every_bar(vals):
    chart = bar_chart(labelled(vals))
    if chart is None:
        return
    assert is_round(chart.top)
    assert chart.top > max(v for v in vals if v is not None)
    assert all(b.y > 0 for b in chart.bars)  # the highest sits below the top edge
