"""Template filters for dates and numbers, so templates stay free of formatting logic."""

from datetime import date
from decimal import Decimal

from flask import Flask


def long_date(day: date) -> str:
    return f"{day:%A}, {day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def number(value) -> str:
    """12.50 -> 12.5, 3.00 -> 3; empty for None."""
    if value is None:
        return ""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def plain_text(markdown: str | None) -> str:
    """What a reader sees of some Markdown, on one line: for excerpts written with ** or _."""
    from manifest.journal.logic import (
        plain_text as render_plain,  # the journal package imports this module
    )

    return render_plain(markdown)


def register_filters(app: Flask) -> None:
    app.add_template_filter(long_date, "longdate")
    app.add_template_filter(short_date, "shortdate")
    app.add_template_filter(number, "num")
    app.add_template_filter(percent, "percent")
    app.add_template_filter(plain_text, "plain")
