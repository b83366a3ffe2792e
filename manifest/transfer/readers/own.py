"""Our own export archive (docs/export-format.md) read back into a Bundle."""

from __future__ import annotations

import io
import json
import uuid

from manifest.transfer.archive import SafeArchive, decode
from manifest.transfer.bundle import Bundle, Unreadable
from manifest.transfer.export import HIDDEN_COLUMNS
from manifest.transfer.format import AREAS, FORMAT_NAME, FORMAT_VERSION, Area
from manifest.transfer.values import BadValue, from_json

EXTRA_KEYS = {"media": ("file", "thumbnail")}
# manifest.json is read while the upload waits: an export writes a few kB.
MAX_MANIFEST = 256 * 1024


def looks_like(archive: SafeArchive) -> bool:
    return archive.has("manifest.json")


def read_manifest(archive: SafeArchive) -> dict:
    """manifest.json, checked: our format, in a version this app reads."""
    with archive.open("manifest.json") as f:
        data = f.read(MAX_MANIFEST + 1)
    if len(data) > MAX_MANIFEST:
        raise Unreadable(f"manifest.json is larger than a Let's Manifest export writes "
                         f"({MAX_MANIFEST // 1024} KB at most); is this an export of this app?")
    try:
        manifest = json.loads(decode(data, "manifest.json"))
    except (ValueError, RecursionError):  # JSONDecodeError, or a number too long to read
        raise Unreadable("manifest.json is not valid JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise Unreadable("manifest.json does not describe a Let's Manifest export.")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise Unreadable("manifest.json has no valid format_version.")
    if version > FORMAT_VERSION:
        raise Unreadable(f"This export uses format version {version}, made by a newer Let's Manifest; "
                         f"this one reads versions up to {FORMAT_VERSION}. Update the app, then import it.")
    return manifest


def read(archive: SafeArchive) -> Bundle:
    manifest = read_manifest(archive)
    bundle = Bundle("manifest")
    try:
        bundle.account_id = uuid.UUID(str((manifest.get("account") or {}).get("id")))
    except ValueError:
        bundle.account_id = None
    for area in AREAS:
        name = f"{area.name}.json"
        if archive.has(name):
            for line, raw in _rows(archive, name):
                _record(bundle, area, raw, f"{name} line {line}")
    for name in archive.names():
        if name.startswith("attachments/"):
            bundle.files[name] = (lambda n=name: archive.open(n))
            bundle.file_sizes[name] = archive.infos[name].file_size
    return bundle


def _rows(archive: SafeArchive, name: str):
    """(line, row) of a JSON array written one row per line; any other layout of valid JSON is
    read whole (line numbers then count rows)."""
    text = archive.read_text(name)
    rows = []
    try:
        for number, line in enumerate(io.StringIO(text), start=1):
            line = line.strip().rstrip(",")
            if line in ("", "[", "]", "[]"):
                continue
            rows.append((number, json.loads(line)))
        return rows
    except (ValueError, RecursionError):
        pass
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as error:
        raise Unreadable(f"{name} is not valid JSON (line {error.lineno}).") from None
    except (ValueError, RecursionError):  # a number too long to read, arrays nested too deep
        raise Unreadable(f"{name} is not valid JSON.") from None
    if not isinstance(whole, list):
        raise Unreadable(f"{name} should hold a list of rows.")
    return [(n, row) for n, row in enumerate(whole, start=1)]


def _required(area: Area) -> list[str]:
    skip = {"id", "created_at", "updated_at", *HIDDEN_COLUMNS.get(area.name, ())}
    return [c.name for c in area.columns
            if not c.nullable and c.default is None and c.server_default is None and c.name not in skip]


def _record(bundle: Bundle, area: Area, raw, where: str) -> None:
    if not isinstance(raw, dict):
        bundle.problem(where, "not a row (expected an object)")
        return
    values: dict = {}
    try:
        values["id"] = uuid.UUID(str(raw.get("id")))
    except ValueError:
        bundle.problem(where, "its id is missing or not an id")
        return
    problems = []
    for column in area.columns:
        if column.name == "id" or column.name not in raw:
            continue
        try:
            values[column.name] = from_json(column, raw[column.name])
        except BadValue as error:
            problems.append(f"{column.name}: {error}")
    missing = [name for name in _required(area) if raw.get(name) is None]
    problems += [f"{name} is missing" for name in missing]
    if problems:
        bundle.problem(where, "; ".join(problems))
        return
    for key in EXTRA_KEYS.get(area.name, ()):
        if isinstance(raw.get(key), str):
            values[key] = raw[key]
    bundle.add(area.name, values, where)
