"""HabitBull's CSV export: one row per habit and day (HabitName, HabitDescription, HabitCategory,
CalendarDate, Value, CommentText), read into daily habits and their check-ins.

A value of 1 is done and 0 not done; a habit with any value above 1 counts amounts, and is imported
as a number habit whose target is 1 (any amount logged is a done day); the target can be changed
afterwards. A day repeated in the file is imported once.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from manifest.transfer.archive import decode
from manifest.transfer.bundle import Bundle, Unreadable, stable_id
from manifest.transfer.readers.csvfile import csv_errors

HEADER = ("HabitName", "HabitDescription", "HabitCategory", "CalendarDate", "Value", "CommentText")
MAX_VALUE = 10 ** 8


def looks_like(text: str) -> bool:
    return text.split("\n", 1)[0].startswith("HabitName,HabitDescription,HabitCategory")


def _day(text: str) -> date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def read(data: bytes, name: str) -> Bundle:
    reader = csv.DictReader(io.StringIO(decode(data, name)))
    with csv_errors(reader, name):
        return _read(reader, name)


def _read(reader: csv.DictReader, name: str) -> Bundle:
    missing = [c for c in HEADER if c not in (reader.fieldnames or [])]
    if missing:
        raise Unreadable(f"{name} has no {', '.join(missing)} column; is it a HabitBull export?")
    bundle = Bundle("habitbull", recompute_habits=True)
    habits: dict[str, dict] = {}
    entries: list[tuple[str, dict, str]] = []
    for line, row in enumerate(reader, start=2):
        where = f"{name} line {line}"
        habit_name = (row["HabitName"] or "").strip()
        if not habit_name:
            bundle.problem(where, "the habit has no name")
            continue
        try:
            day = _day(row["CalendarDate"] or "")
        except ValueError:
            bundle.problem(where, f"{(row['CalendarDate'] or '')[:20]!r} is not a date")
            continue
        try:
            value = int((row["Value"] or "").strip())
        except ValueError:
            bundle.problem(where, f"{(row['Value'] or '')[:20]!r} is not a whole number")
            continue
        if not 0 <= value < MAX_VALUE:
            bundle.problem(where, f"the value {value} is out of range")
            continue
        habit = habits.setdefault(habit_name, {
            "id": stable_id("habitbull", habit_name), "name": habit_name[:100],
            "description": (row["HabitDescription"] or "").strip() or None,
            "category": (row["HabitCategory"] or "").strip()[:100] or None,
            "frequency": "daily", "habit_type": "yes_no", "position": len(habits), "where": where,
        })
        if value > 1:
            habit["habit_type"] = "numeric"
        entries.append((habit_name, {"entry_date": day, "value": value,
                                     "notes": (row["CommentText"] or "").strip() or None}, where))
    for habit in habits.values():
        where = habit.pop("where")
        if habit["habit_type"] == "numeric":
            habit["target_value"] = Decimal(1)
        bundle.add("habits", habit, where)
    for habit_name, entry, where in entries:
        habit = habits[habit_name]
        value = entry.pop("value")
        entry.update(id=stable_id("habitbull", habit_name, entry["entry_date"]), habit_id=habit["id"],
                     completed=value >= 1)
        if habit["habit_type"] == "numeric":
            entry["value"] = Decimal(value)
        bundle.add("habit_entries", entry, where)
    return bundle
