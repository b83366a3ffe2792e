"""How one value is written to the export's JSON and CSV files, and read back from JSON.

JSON: ids and dates as ISO strings, timestamps in UTC with their offset, numbers as numbers.
CSV: the same text a spreadsheet reads without help: ISO dates, dot decimals, true/false, empty for none.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal

import sqlalchemy as sa


def as_utc(moment: datetime) -> datetime:
    # SQLite hands timezone-aware columns back naive; they were stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def to_json(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return value
    raise TypeError(f"cannot export a {type(value).__name__}")


# A spreadsheet reads a cell that begins with one of these as a formula (or, for tab and carriage
# return, as one after it trims them). Text that does is written with a leading single quote, as
# OWASP advises for CSV injection: spreadsheets show the text as it is and run nothing.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_text(text: str) -> str:
    """Text for a spreadsheet cell: quoted when a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unguard_text(text: str) -> str:
    """guard_text undone, for a reader of our own spreadsheets."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def to_csv(value) -> str:
    """A value as a CSV cell. Only text can be quoted by guard_text: numbers (-2.5 too), dates,
    times, ids and true/false are written as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return guard_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        # Plain notation with a dot, never 1E+2, and no trailing zeros beyond the value's own.
        return format(value.normalize(), "f")
    if isinstance(value, list):
        return guard_text(", ".join(str(v) for v in value))
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    encoded = to_json(value)
    return encoded if isinstance(encoded, str) else str(encoded)


class BadValue(ValueError):
    pass


def integer_limit(kind) -> int:
    if isinstance(kind, sa.SmallInteger):
        return 2 ** 15
    if isinstance(kind, sa.BigInteger):
        return 2 ** 63
    return 2 ** 31


def from_json(column: sa.Column, value):
    """A JSON value as the column stores it; BadValue says what is wrong."""
    if value is None:
        return None
    kind = column.type
    try:
        if isinstance(kind, sa.Uuid):
            return uuid.UUID(str(value))
        if isinstance(kind, sa.Boolean):
            if not isinstance(value, bool):
                raise BadValue("expected true or false")
            return value
        if isinstance(kind, sa.DateTime):
            moment = datetime.fromisoformat(str(value))
            return as_utc(moment)
        if isinstance(kind, sa.Date):
            return date.fromisoformat(str(value))
        if isinstance(kind, sa.Time):
            return time.fromisoformat(str(value))
        if isinstance(kind, sa.Numeric):
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise BadValue("expected a number")
            number = Decimal(str(value))
            if not number.is_finite():
                raise BadValue("expected a number")
            if kind.precision is not None and abs(number) >= Decimal(10) ** (kind.precision - (kind.scale or 0)):
                raise BadValue(f"{value} is too large")
            return number
        if isinstance(kind, sa.Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise BadValue("expected a whole number")
            if abs(value) >= integer_limit(kind):
                raise BadValue(f"{value} is too large")
            return value
        if isinstance(kind, sa.String):
            if not isinstance(value, str):
                raise BadValue("expected text")
            if kind.length and len(value) > kind.length:
                raise BadValue(f"longer than {kind.length} characters")
            if "\x00" in value:
                raise BadValue("contains a NUL character")
            return value
        if isinstance(kind, sa.JSON):
            return value
    except BadValue:
        raise
    except (ValueError, TypeError, ArithmeticError):
        raise BadValue(f"not a valid {type(kind).__name__.lower()}: {str(value)[:40]!r}") from None
    return value
