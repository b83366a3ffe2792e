"""Numbers read from other apps' files, with bounds: a cell is text anyone could have written, so
it is matched against a short pattern before it becomes a number (``1e99999999`` would take
Decimal-to-int forever, ``inf`` cannot become an int, a 4,000-digit count is not a count).
Anything else is a ValueError, which the readers report against the row."""

from __future__ import annotations

import math
import re
from decimal import Decimal

# Up to 15 digits before and after the point (a comma is read as the point); no exponent.
NUMBER = re.compile(r"[+-]?(?:\d{1,15}(?:[.,]\d{0,15})?|[.,]\d{1,15})")


def decimal(text) -> Decimal | None:
    """The cell as a Decimal (None when blank); ValueError when it is not a plain number."""
    text = (str(text) if text is not None else "").strip()
    if not text:
        return None
    if not NUMBER.fullmatch(text):
        raise ValueError(text[:40])
    return Decimal(text.replace(",", "."))


def whole(text) -> int | None:
    """The cell as a whole number (a fraction is dropped; None when blank); ValueError otherwise."""
    number = decimal(text)
    return None if number is None else int(number)


def finite(value: float, limit: float) -> float:
    """A float read from a file, checked finite and below ``limit`` in size; ValueError otherwise."""
    if not math.isfinite(value) or abs(value) >= limit:
        raise ValueError(f"{value!r} is out of range")
    return value
