"""Which reader an upload needs, found from its content (never from its name alone)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from manifest.transfer.archive import SafeArchive, decode, is_zip
from manifest.transfer.bundle import Bundle, Unreadable
from manifest.transfer.readers import habitbull, loop, own, strong

SUPPORTED = ("a Let's Manifest export (.zip), a Loop Habit Tracker export (.zip, Habits.csv with "
             "Checkmarks.csv, or its .db backup), a HabitBull .csv or a Strong .csv")


@dataclass(frozen=True)
class Limits:
    max_unpacked: int
    max_files: int


@dataclass(frozen=True)
class Units:
    weight: str
    distance: str


class Opened:
    """A bundle and what must stay open while it is used (its archive)."""

    def __init__(self, bundle: Bundle, archive: SafeArchive | None = None):
        self.bundle, self.archive = bundle, archive

    def __enter__(self) -> Bundle:
        return self.bundle

    def __exit__(self, *exc) -> None:
        if self.archive is not None:
            self.archive.close()


def read(files: list[tuple[Path, str]], limits: Limits, units: Units) -> Opened:
    """Read the uploaded files (each a path and the name it was sent with) into a bundle;
    Unreadable says why they cannot be imported."""
    if not files:
        raise Unreadable("Choose a file to import.")
    if len(files) == 1:
        return _one(*files[0], limits, units)
    texts = {}
    for path, label in files:
        if is_zip(path) or loop.is_sqlite(path.read_bytes()[:16]):
            raise Unreadable("Send an archive or a database on its own, not together with other files.")
        texts[label] = decode(path.read_bytes(), label)
    habits = [name for name, text in texts.items() if loop.is_habits_csv(text)]
    if len(habits) != 1:
        raise Unreadable("Several files are read as a Loop Habit Tracker export: its Habits.csv and "
                         "Checkmarks.csv. " + f"This app can import {SUPPORTED}.")
    grid = [name for name in texts if name not in habits and texts[name].startswith("Date,")]
    files = {loop.HABITS_FILE: texts[habits[0]]}
    if grid:
        files[loop.GRID_FILE] = texts[grid[0]]
    return Opened(loop.read_csv(files))


def inspect(files: list[tuple[Path, str]], limits: Limits, units: Units) -> str:
    """Where the files come from, once the checks that need no database pass (Unreadable otherwise).
    Our own archive is checked up to its manifest here; its rows are read by the preview job."""
    if len(files) == 1 and files[0][0].stat().st_size and is_zip(files[0][0]):
        archive = SafeArchive(files[0][0], max_unpacked=limits.max_unpacked, max_files=limits.max_files)
        try:
            if own.looks_like(archive):
                own.read_manifest(archive)
                return "manifest"
        finally:
            archive.close()
    with read(files, limits, units) as bundle:
        return bundle.source


def _one(path: Path, label: str, limits: Limits, units: Units) -> Opened:
    head = path.read_bytes()[:4096] if path.stat().st_size else b""
    if not head:
        raise Unreadable("The file is empty.")
    if is_zip(path):
        archive = SafeArchive(path, max_unpacked=limits.max_unpacked, max_files=limits.max_files)
        try:
            if own.looks_like(archive):
                return Opened(own.read(archive), archive)
            if any(name.rsplit("/", 1)[-1] == loop.HABITS_FILE for name in archive.names()):
                return Opened(loop.read_archive(archive), archive)
        except BaseException:
            archive.close()
            raise
        archive.close()
        raise Unreadable(f"This ZIP archive is not one this app can import; it can import {SUPPORTED}.")
    if loop.is_sqlite(head):
        return Opened(loop.read_database(path))
    if head.startswith(b"PK"):
        raise Unreadable("This file is not a ZIP archive that can be opened (it may be damaged).")
    data = path.read_bytes()
    text = decode(data, label)
    if habitbull.looks_like(text):
        return Opened(habitbull.read(data, label))
    if strong.looks_like(text):
        return Opened(strong.read(data, label, weight_unit=units.weight, distance_unit=units.distance))
    if loop.is_habits_csv(text):
        return Opened(loop.read_csv({loop.HABITS_FILE: text}))
    raise Unreadable(f"This file is not one this app can import; it can import {SUPPORTED}.")
