"""Loop Habit Tracker: its CSV export (a ZIP, or Habits.csv with the Checkmarks.csv grid) and its
SQLite backup (.db), read into habits and check-ins.

Loop's rhythm is "NumRepetitions in Interval days". Every day, or n in 7 days, is one of our
schedules; anything else ("2 times in 3 days") becomes the nearest weekly count, and the habit keeps
Loop's rhythm for its strength score, which follows Loop's formula, so the strength matches Loop's.

Check-marks: YES_MANUAL is done, NO is not done, SKIP is skipped. YES_AUTO is Loop's own fill-in
between check-ins of a habit that is not daily, and UNKNOWN is a day nothing was said: neither is
a check-in (a note on such a day is kept on a not-done day). Numeric values are stored × 1000.
"""

from __future__ import annotations

import csv
import io
import math
import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from manifest.transfer.archive import SafeArchive, decode
from manifest.transfer.bundle import Bundle, Unreadable, stable_id
from manifest.transfer.readers.csvfile import csv_errors
from manifest.transfer.values import unguard_text

# Loop's palette, by the index its database stores.
PALETTE = (
    "#D32F2F", "#E64A19", "#F57C00", "#FF8F00", "#F9A825", "#AFB42B", "#7CB342", "#388E3C",
    "#00897B", "#00ACC1", "#039BE5", "#1976D2", "#303F9F", "#5E35B1", "#8E24AA", "#D81B60",
    "#5D4037", "#303030", "#757575", "#AAAAAA",
)
MARKS = {"YES_MANUAL": 2, "YES_AUTO": 1, "NO": 0, "SKIP": 3, "UNKNOWN": -1}
YES_MANUAL, YES_AUTO, NO, SKIP, UNKNOWN = 2, 1, 0, 3, -1
HABITS_FILE, GRID_FILE = "Habits.csv", "Checkmarks.csv"
SQLITE_MAGIC = b"SQLite format 3\x00"
MAX_TARGET = 1e8  # a habit's target_value is NUMERIC(10, 2)


def schedule(times: int, days: int) -> dict:
    """Our schedule for "times in days", with Loop's rhythm kept when ours cannot say it."""
    if times >= days:
        return {"frequency": "daily"}
    if days == 7:
        return {"frequency": "weekly", "target_days": times}
    weekly = min(7, max(1, round(times * 7 / days)))
    return {"frequency": "weekly", "target_days": weekly, "rhythm_times": times, "rhythm_days": days}


class HabitSpec:
    """One Loop habit on its way into the bundle."""

    def __init__(self, bundle: Bundle, key: str, where: str, *, name: str, question: str = "",
                 description: str = "", times: int = 1, days: int = 1, color: str | None = None,
                 position: int = 0, archived: bool = False, numeric: bool = False, target: float = 0,
                 at_most: bool = False, unit: str = ""):
        self.bundle, self.numeric = bundle, numeric
        self.id = stable_id("loop", key)
        text = "\n\n".join(part.strip() for part in (question, description) if part and part.strip())
        if numeric and not (math.isfinite(target) and abs(target) < MAX_TARGET):
            bundle.problem(where, f"the target {target:g} is out of range; it is imported as 1")
            target = 0
        target_value = Decimal(str(target)).quantize(Decimal("0.01")) if numeric else None
        if numeric and (target_value is None or target_value <= 0):
            target_value = Decimal(1)  # Loop allows no target; ours needs one to say a day was met
        self.target, self.at_most = target_value, at_most
        if not 1 <= times <= days <= 366:
            bundle.problem(where, f"the rhythm {times} in {days} days is not one that can be imported; "
                                  "it is imported as daily")
            times = days = 1
        values = {
            "id": self.id, "name": name.strip()[:100] or "Habit", "description": text or None,
            "color": color.lower() if color else None, "is_active": not archived, "position": position,
            "habit_type": "numeric" if numeric else "yes_no", "target_value": target_value,
            "unit": (unit or "").strip()[:30] or None, "target_direction": "at_most" if at_most else "at_least",
            **schedule(times, days),
        }
        bundle.add("habits", values, where)

    def entry(self, day: date, value: int, notes: str | None, where: str) -> None:
        notes = (notes or "").strip() or None
        entry = {"id": stable_id("loop", self.id, day), "habit_id": self.id, "entry_date": day, "notes": notes}
        if self.numeric:
            if value in (UNKNOWN, YES_AUTO) or (value == NO and not notes):
                if not notes:
                    return
                entry.update(completed=False)
            elif value == SKIP:
                entry.update(skipped=True, completed=False)
            elif value < 0:
                self.bundle.problem(where, f"the value {value / 1000:g} is below zero")
                return
            else:
                amount = (Decimal(value) / 1000).quantize(Decimal("0.01"))
                if amount >= Decimal("1e8"):
                    self.bundle.problem(where, f"the value {amount} is too large")
                    return
                met = amount <= self.target if self.at_most else amount >= self.target
                entry.update(value=amount, completed=met)
        elif value == YES_MANUAL:
            entry.update(completed=True)
        elif value == SKIP:
            entry.update(skipped=True, completed=False)
        elif value == NO:
            entry.update(completed=False)
        elif value in (YES_AUTO, UNKNOWN):
            if not notes:
                return
            entry.update(completed=False)
        else:
            self.bundle.problem(where, f"the check-mark {value} is not one Loop writes")
            return
        self.bundle.add("habit_entries", entry, where)


# --- the CSV export --------------------------------------------------------------------------

def _table(text: str, name: str, required: tuple[tuple[str, ...], ...]) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(text))
    with csv_errors(reader, name):
        header = [h.strip() for h in reader.fieldnames or []]
        reader.fieldnames = header
        for choices in required:
            if not any(c in header for c in choices):
                raise Unreadable(f"{name} has no {' or '.join(choices)} column; is it a Loop Habit Tracker export?")
        return header, list(reader)


def _int(text, default: int) -> int:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return default


def _day(text: str) -> date:
    return date.fromisoformat(text.strip())


def _mark(cell: str) -> int | None:
    cell = (cell or "").strip()
    if cell in MARKS:
        return MARKS[cell]
    try:
        return int(cell)
    except ValueError:
        return None


def is_habits_csv(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return first.startswith("Position,Name,")


def read_csv(files: dict[str, str]) -> Bundle:
    """``files``: archive path -> text, with Habits.csv and either per-habit folders or the grid."""
    habits_name = next((n for n in files if n.rsplit("/", 1)[-1] == HABITS_FILE), None)
    if habits_name is None:
        raise Unreadable("A Loop Habit Tracker export needs its Habits.csv.")
    prefix = habits_name[: -len(HABITS_FILE)]
    _, rows = _table(files[habits_name], HABITS_FILE, (
        ("Name",), ("FrequencyNumerator", "NumRepetitions"), ("FrequencyDenominator", "Interval")))
    bundle = Bundle("loop", recompute_habits=True)
    grid = _grid(files.get(prefix + GRID_FILE))
    for line, row in enumerate(rows, start=2):
        where = f"{HABITS_FILE} line {line}"
        name = (row.get("Name") or "").strip()
        if not name:
            bundle.problem(where, "the habit has no name")
            continue
        position = (row.get("Position") or "").strip()
        spec = HabitSpec(
            bundle, f"csv:{name}", where, name=name, question=row.get("Question") or "",
            description=row.get("Description") or "",
            times=_int(row.get("FrequencyNumerator") or row.get("NumRepetitions"), 0),
            days=_int(row.get("FrequencyDenominator") or row.get("Interval"), 0),
            color=_color(row.get("Color")), position=_int(position, line - 2),
            archived=(row.get("Archived?") or "").strip().lower() == "true",
            numeric=(row.get("Type") or "").strip().upper().startswith("NUMERIC"),
            target=_float(row.get("Target Value")), at_most=(row.get("Target Type") or "").strip() == "AT_MOST",
            unit=row.get("Unit") or "",
        )
        folder = next((n for n in files if n.startswith(f"{prefix}{position} ") and n.endswith("/" + GRID_FILE)), None)
        if folder is not None:
            _entries_from_file(spec, files[folder], folder)
        elif name in grid:
            for day, cell, line_no in grid[name]:
                value = _mark(cell)
                if value is None:
                    bundle.problem(f"{GRID_FILE} line {line_no}", f"{cell!r} is not a check-mark")
                else:
                    spec.entry(day, value, None, f"{GRID_FILE} line {line_no}")
    return bundle


def _float(text) -> float:
    """A target as a float (0 when blank or not a number; the caller checks it is finite)."""
    if isinstance(text, int | float):  # from the database
        try:
            return float(text)
        except OverflowError:
            return math.inf
    try:
        return float(str(text).strip())
    except (TypeError, ValueError):
        return 0.0


def _color(text) -> str | None:
    text = (text or "").strip()
    if len(text) == 7 and text.startswith("#") and all(c in "0123456789abcdefABCDEF" for c in text[1:]):
        return text
    return None


def _grid(text: str | None) -> dict[str, list[tuple[date, str, int]]]:
    """The root Checkmarks.csv: one row per day, one column per habit (by name)."""
    if not text:
        return {}
    reader = csv.reader(io.StringIO(text))
    with csv_errors(reader, GRID_FILE):
        return _grid_cells(reader)


def _grid_cells(reader) -> dict[str, list[tuple[date, str, int]]]:
    header = next(reader, [])
    if not header or header[0].strip() != "Date":
        raise Unreadable(f"{GRID_FILE} should start with a Date column.")
    # Our own habit check-ins spreadsheet has this shape: a name it quoted for spreadsheets is read as it was.
    names = [unguard_text(h.strip()) for h in header[1:]]
    cells: dict[str, list] = {n: [] for n in names if n}
    for line, row in enumerate(reader, start=2):
        if not row or not row[0].strip():
            continue
        try:
            day = _day(row[0])
        except ValueError:
            raise Unreadable(f"{GRID_FILE} line {line}: {row[0][:20]!r} is not a date (YYYY-MM-DD).") from None
        for name, cell in zip(names, row[1:], strict=False):
            if name:
                cells[name].append((day, cell, line))
    return cells


def _entries_from_file(spec: HabitSpec, text: str, name: str) -> None:
    _, rows = _table(text, name, (("Date",), ("Value",)))
    for line, row in enumerate(rows, start=2):
        where = f"{name} line {line}"
        try:
            day = _day(row.get("Date") or "")
        except ValueError:
            spec.bundle.problem(where, f"{(row.get('Date') or '')[:20]!r} is not a date (YYYY-MM-DD)")
            continue
        value = _mark(row.get("Value") or "")
        if value is None:
            spec.bundle.problem(where, f"{(row.get('Value') or '')[:20]!r} is not a check-mark")
            continue
        spec.entry(day, value, row.get("Notes"), where)


def read_archive(archive: SafeArchive) -> Bundle:
    files = {n: archive.read_text(n) for n in archive.names() if n.endswith(".csv") and "Scores" not in n}
    return read_csv(files)


def read_files(files: dict[str, bytes]) -> Bundle:
    return read_csv({name: decode(data, name) for name, data in files.items()})


# --- the SQLite backup -------------------------------------------------------------------------

def is_sqlite(head: bytes) -> bool:
    return head.startswith(SQLITE_MAGIC)


def read_database(path) -> Bundle:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        raise Unreadable("This database file cannot be opened.") from None
    try:
        connection.execute("PRAGMA trusted_schema=OFF")
        tables = {r[0].lower() for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"habits", "repetitions"} <= tables:
            raise Unreadable("This database is not a Loop Habit Tracker backup (it has no Habits and "
                             "Repetitions tables).")
        return _from_database(connection)
    except sqlite3.DatabaseError:
        raise Unreadable("This database file is damaged or not a Loop Habit Tracker backup.") from None
    finally:
        connection.close()


def _text(value) -> str:
    """A text column as SQLite gives it back, whatever it holds: a BLOB is read as UTF-8 (what
    cannot be read is replaced), a number as its digits, NULL as nothing."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return str(value).replace("\x00", "")


def _columns(connection, table: str) -> set[str]:
    return {r[1].lower() for r in connection.execute(f"PRAGMA table_info({table})")}


def _from_database(connection) -> Bundle:
    habit_columns = _columns(connection, "Habits")
    wanted = ("id", "name", "description", "question", "freq_num", "freq_den", "color", "position", "archived",
              "type", "target_value", "target_type", "unit", "uuid")
    select = ", ".join(c if c in habit_columns else "NULL" for c in wanted)
    bundle = Bundle("loop", recompute_habits=True)
    specs: dict[int, HabitSpec] = {}
    for line, row in enumerate(connection.execute(f"SELECT {select} FROM Habits ORDER BY position"), start=1):
        data = dict(zip(wanted, row, strict=True))
        color = data["color"]
        spec = HabitSpec(
            bundle, f"db:{data['uuid'] or data['name']}", f"Habits row {line}", name=_text(data["name"]),
            question=_text(data["question"]), description=_text(data["description"]),
            times=_int(data["freq_num"], 1), days=_int(data["freq_den"], 1),
            color=PALETTE[color] if isinstance(color, int) and 0 <= color < len(PALETTE) else None,
            position=_int(data["position"], line - 1), archived=bool(data["archived"]),
            numeric=data["type"] == 1, target=_float(data["target_value"]), at_most=data["target_type"] == 1,
            unit=_text(data["unit"]),
        )
        specs[data["id"]] = spec
    notes = "notes" if "notes" in _columns(connection, "Repetitions") else "NULL"
    query = f"SELECT habit, timestamp, value, {notes} FROM Repetitions ORDER BY habit, timestamp"
    for line, (habit, stamp, value, note) in enumerate(connection.execute(query), start=1):
        spec = specs.get(habit)
        where = f"Repetitions row {line}"
        if spec is None:
            continue
        try:
            day = datetime.fromtimestamp(int(stamp) / 1000, UTC).date()
            spec.entry(day, int(value), _text(note), where)
        except (TypeError, ValueError, OverflowError, OSError, InvalidOperation):
            bundle.problem(where, "the date or value cannot be read")
    return bundle
