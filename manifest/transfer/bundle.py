"""What every reader makes of an uploaded file: rows per area in the export format, each with the
id it has in the file and where it came from, plus the problems found while reading."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

# Readers of other apps' files give their rows ids derived from what identifies them there (a
# habit's name, a workout's start), so the same file read twice gives the same ids.
SOURCE_NAMESPACE = uuid.UUID("0b6f4f38-7d1e-4a83-9a55-3f0e5f1de2a7")


def stable_id(*parts) -> uuid.UUID:
    return uuid.uuid5(SOURCE_NAMESPACE, "\x1f".join(str(p) for p in parts))


class Unreadable(ValueError):
    """The file as a whole cannot be imported; the message says why, for the user."""


@dataclass
class Record:
    values: dict  # column -> value as the column stores it; "id" is the id in the file
    where: str  # "habits.json line 4", "Habits.csv line 3"

    @property
    def id(self) -> uuid.UUID:
        return self.values["id"]


@dataclass
class Bundle:
    source: str  # one of IMPORT_SOURCES
    rows: dict[str, list[Record]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    # Archive path of an attachment's file -> a way to open its bytes.
    files: dict[str, Callable[[], BinaryIO]] = field(default_factory=dict)
    # Archive path of an attachment's file -> its size unpacked (what storing it takes).
    file_sizes: dict[str, int] = field(default_factory=dict)
    # The exporting account's id (our own exports): goals linked to "all my meals" follow the account.
    account_id: uuid.UUID | None = None
    # Habits whose cached streaks the import computes (other apps' files carry none).
    recompute_habits: bool = False

    def add(self, area: str, values: dict, where: str) -> Record:
        # A NUL character is no part of any text a user wrote, and PostgreSQL's text cannot hold one.
        # Cleaned in place: readers keep filling in a row they have added (an exercise's rest).
        for key, value in values.items():
            if isinstance(value, str) and "\x00" in value:
                values[key] = value.replace("\x00", "")
        record = Record(values, where)
        self.rows.setdefault(area, []).append(record)
        return record

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    @property
    def row_count(self) -> int:
        return sum(len(records) for records in self.rows.values())
