"""The Strong workout app's CSV export, read into workouts with their exercises and every set.

Two shapes exist: the older comma-separated one
(``Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE``),
whose weights and distances are in the units the app was set to (the importing account's units
are assumed), and the newer semicolon-separated one with ``Workout #`` and units in the column
names (``Weight (kg)``, ``Weight (lbs)``, ``Distance (meters)``…). ``Set Order`` is a number, or W, D
or F for a warm-up, drop or failure set; "Rest Timer" rows are rests, not sets.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from manifest.transfer.archive import decode
from manifest.transfer.bundle import Bundle, Unreadable, stable_id
from manifest.transfer.readers import numbers
from manifest.transfer.readers.csvfile import csv_errors

SET_TYPES = {"W": "warmup", "D": "drop", "F": "failure"}
REST = "rest timer"
WEIGHT_COLUMNS = {"Weight (kg)": "kg", "Weight (lbs)": "lbs", "Weight": None}
DISTANCE_COLUMNS = {"Distance (meters)": "meters", "Distance (km)": "km", "Distance (miles)": "miles",
                    "Distance": None}
DURATION = re.compile(r"^(?:(\d{1,5})h)?\s*(?:(\d{1,7})m(?:in)?)?\s*(?:(\d{1,9})s)?$")
MAX_WEIGHT = Decimal(10000)
MAX_DISTANCE = Decimal(1000000)
MAX_MINUTES = 10 ** 6


def looks_like(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return "Exercise Name" in first and "Set Order" in first and ("Workout Name" in first)


def _sniff_delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _column(header: list[str], choices: dict) -> tuple[str | None, str | None]:
    for name, unit in choices.items():
        if name in header:
            return name, unit
    return None, None


def _number(text: str | None) -> Decimal | None:
    return numbers.decimal(text)  # ValueError for anything but a plain number


def _minutes(text: str | None, seconds_column: bool) -> int | None:
    """Minutes from "1h 5m", a number of minutes, or seconds in the newer shape's column;
    ValueError when it is none of these or out of range."""
    text = (text or "").strip()
    if not text:
        return None
    if seconds_column:
        minutes = round(numbers.whole(text) / 60)
    elif numbers.NUMBER.fullmatch(text):
        minutes = numbers.whole(text)
    else:
        match = DURATION.match(text)
        if not match or not any(match.groups()):
            raise ValueError(text)
        hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
        minutes = hours * 60 + minutes + round(seconds / 60)
    if not 0 <= minutes < MAX_MINUTES:
        raise ValueError(text)
    return minutes


def _moment(text: str) -> tuple[date, time | None]:
    text = text.strip()
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return moment.date(), (moment.time() if pattern != "%Y-%m-%d" else None)
    raise ValueError(text)


def read(data: bytes, name: str, *, weight_unit: str, distance_unit: str) -> Bundle:
    text = decode(data, name)
    delimiter = _sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    with csv_errors(reader, name):
        return _read(reader, name, weight_unit=weight_unit, distance_unit=distance_unit)


def _read(reader: csv.DictReader, name: str, *, weight_unit: str, distance_unit: str) -> Bundle:
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in ("Date", "Workout Name", "Exercise Name", "Set Order", "Reps") if c not in header]
    if missing:
        raise Unreadable(f"{name} has no {', '.join(missing)} column; is it a Strong export?")
    weight_column, weight_in = _column(header, WEIGHT_COLUMNS)
    distance_column, distance_in = _column(header, DISTANCE_COLUMNS)
    duration_column = "Duration (sec)" if "Duration (sec)" in header else "Duration"
    weight_in = weight_in or weight_unit
    distance_in = distance_in or distance_unit
    bundle = Bundle("strong")
    workouts: dict[str, dict] = {}
    exercises: dict[tuple[str, str], dict] = {}
    positions: dict = {}  # exercise id -> sets so far
    for line, row in enumerate(reader, start=2):
        where = f"{name} line {line}"
        try:
            day, at = _moment(row.get("Date") or "")
        except ValueError:
            bundle.problem(where, f"{(row.get('Date') or '')[:25]!r} is not a date and time")
            continue
        workout_key = (row.get("Workout #") or "").strip() or f"{row.get('Date', '').strip()}|{row.get('Workout Name')}"
        workout = workouts.get(workout_key)
        if workout is None:
            try:
                minutes = _minutes(row.get(duration_column), duration_column == "Duration (sec)")
            except ValueError:
                bundle.problem(where, f"{(row.get(duration_column) or '')[:20]!r} is not a duration")
                minutes = None
            workout = {
                "id": stable_id("strong", workout_key, day), "workout_date": day, "workout_time": at,
                "workout_type": "strength", "workout_name": (row.get("Workout Name") or "").strip()[:255] or None,
                "duration_minutes": minutes, "notes": (row.get("Workout Notes") or "").strip() or None,
            }
            workouts[workout_key] = workout
            bundle.add("workouts", workout, where)
        exercise_name = (row.get("Exercise Name") or "").strip()
        set_order = (row.get("Set Order") or "").strip()
        if not exercise_name:
            bundle.problem(where, "the exercise has no name")
            continue
        exercise_key = (workout_key, exercise_name)
        exercise = exercises.get(exercise_key)
        if exercise is None:
            exercise = {
                "id": stable_id("strong", workout_key, exercise_name), "workout_id": workout["id"],
                "exercise_name": exercise_name[:255], "order_index": sum(1 for k in exercises if k[0] == workout_key),
                "notes": None,
            }
            exercises[exercise_key] = exercise
            bundle.add("workout_exercises", exercise, where)
        try:
            seconds = _int_or_none(row.get("Seconds"))
        except (InvalidOperation, ValueError):
            bundle.problem(where, f"{(row.get('Seconds') or '')[:20]!r} is not a number of seconds")
            continue
        if seconds is not None and not 0 <= seconds < 10 ** 7:
            bundle.problem(where, "the number of seconds is out of range")
            continue
        if set_order.lower() == REST or exercise_name.lower() == REST:
            if seconds is not None:
                exercise["rest_seconds"] = seconds
            continue
        set_type = SET_TYPES.get(set_order.upper(), "normal")
        if set_type == "normal" and not set_order.isdigit():
            bundle.problem(where, f"the set order {set_order[:10]!r} is not a number, W, D or F")
            continue
        try:
            weight = _number(row.get(weight_column)) if weight_column else None
            distance = _number(row.get(distance_column)) if distance_column else None
            reps = _int_or_none(row.get("Reps"))
        except (InvalidOperation, ValueError):
            bundle.problem(where, "a weight, distance or number of reps cannot be read")
            continue
        if (weight is not None and not 0 <= weight < MAX_WEIGHT) or (reps is not None and not 0 <= reps < 100_000) \
                or (distance is not None and not 0 <= distance < MAX_DISTANCE):
            bundle.problem(where, "a weight, distance or number of reps is out of range")
            continue
        _note(exercise, (row.get("Notes") or "").strip())
        rpe = (row.get("RPE") or "").strip()
        if rpe:
            _note(exercise, f"RPE {rpe} (set {set_order})")
        if distance or (seconds and not reps and not weight):
            # A cardio row: the exercise carries its distance and time.
            exercise.update(exercise_type="cardio", distance=distance or None,
                            distance_unit=distance_in if distance else None, duration_seconds=seconds)
            continue
        if weight == 0:
            weight = None  # Strong writes 0 for a body-weight set
        position = positions.get(exercise["id"], 0)
        positions[exercise["id"]] = position + 1
        bundle.add("workout_sets", {
            "id": stable_id("strong", workout_key, exercise_name, set_order, position),
            "workout_exercise_id": exercise["id"], "position": position, "reps": reps, "weight": weight,
            "weight_unit": weight_in if weight is not None else None, "set_type": set_type,
        }, where)
        exercise.setdefault("weight_unit", weight_in)
    if not workouts and not bundle.problems:
        raise Unreadable(f"{name} holds no workouts.")
    return bundle


def _int_or_none(text) -> int | None:
    return numbers.whole(text)  # ValueError for anything but a plain number


def _note(exercise: dict, text: str) -> None:
    if text and text not in (exercise.get("notes") or ""):
        exercise["notes"] = f"{exercise['notes']}; {text}" if exercise.get("notes") else text
