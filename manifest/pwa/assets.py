"""The static files the service worker keeps for offline use, and a version made of their
contents: any change to one of them changes the worker's script, so browsers install the new
worker, which fills a new cache and deletes the old ones."""

import functools
import hashlib
from pathlib import Path

# Folders of static/ whose files the app shell needs (icons included); nothing else is cached.
SHELL_FOLDERS = ("css", "js", "vendor", "img")
SUFFIXES = {".css", ".js", ".svg", ".png", ".woff2"}


def shell_files(static_folder: str) -> list[str]:
    """Paths under static/ of the files to keep, in a stable order."""
    root = Path(static_folder)
    return sorted(
        path.relative_to(root).as_posix()
        for folder in SHELL_FOLDERS
        for path in (root / folder).rglob("*")
        if path.is_file() and path.suffix in SUFFIXES
    )


@functools.lru_cache(maxsize=512)
def _file_digest(path: Path, modified_ns: int, size: int) -> bytes:
    # Keyed by the file's modification time and size: /sw.js is public and asked for on every
    # visit, so each file is read once per change, not once per request.
    return hashlib.sha256(path.read_bytes()).digest()


def version(static_folder: str, files: list[str], *extra: bytes) -> str:
    """A short hash of the files' names and contents (and of ``extra``, the offline page)."""
    digest = hashlib.sha256()
    root = Path(static_folder)
    for name in files:
        path = root / name
        stat = path.stat()
        digest.update(name.encode() + b"\0" + _file_digest(path, stat.st_mtime_ns, stat.st_size))
    for blob in extra:
        digest.update(hashlib.sha256(blob).digest())
    return digest.hexdigest()[:16]
