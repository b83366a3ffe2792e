"""What the csv module raises on a file no app wrote (a field over its size limit, a broken
quote), said to the user as why the file cannot be imported."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager

from manifest.transfer.bundle import Unreadable


@contextmanager
def csv_errors(reader, name: str) -> Iterator[None]:
    """Inside: csv.Error from ``reader`` becomes Unreadable, naming the file and line."""
    try:
        yield
    except csv.Error as error:
        # A DictReader counts a line once it is read whole; its inner reader counts the one that failed.
        raise Unreadable(_message(error, name, getattr(reader, "reader", reader).line_num)) from None


def _message(error: csv.Error, name: str, line: int) -> str:
    if "field larger than field limit" in str(error):
        limit = csv.field_size_limit()
        return (f"{name} line {line} has a field longer than {limit:,} characters; "
                "it cannot be imported as it is (is it the app's own CSV export?).")
    return f"{name} cannot be read as CSV at line {line} ({str(error)[:80]})."
