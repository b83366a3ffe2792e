"""Uploaded ZIP archives, opened with suspicion: nothing is ever extracted to disk, and an archive
is refused whole when it holds too many files, unpacks to too much (a ZIP bomb: the sizes it
declares bound what zipfile will inflate), is encrypted, or names a file outside itself."""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath
from typing import BinaryIO

from manifest.media.logic import human_size
from manifest.transfer.bundle import Unreadable


def is_zip(path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) in (b"PK\x03\x04", b"PK\x05\x06")


def _unsafe(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or ":" in name.split("/")[0]:
        return True
    return any(part == ".." for part in PurePosixPath(name).parts)


class SafeArchive:
    def __init__(self, path, *, max_unpacked: int, max_files: int):
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise Unreadable("This file is not a ZIP archive that can be opened (it may be damaged).") from None
        if len(infos) > max_files:
            raise Unreadable(f"The archive holds {len(infos):,} files; at most {max_files:,} are accepted.")
        unpacked = sum(info.file_size for info in infos)
        if unpacked > max_unpacked:
            raise Unreadable(f"The archive would unpack to {human_size(unpacked)}; at most "
                             f"{human_size(max_unpacked)} is accepted.")
        for info in infos:
            if _unsafe(info.filename):
                raise Unreadable(f"The archive names a file outside itself ({info.filename[:80]!r}); "
                                 "nothing was imported.")
            if info.flag_bits & 0x1:
                raise Unreadable("The archive is password-protected; export it again without a password.")
        self.infos = {info.filename: info for info in infos if not info.is_dir()}

    def names(self) -> list[str]:
        return list(self.infos)

    def has(self, name: str) -> bool:
        return name in self.infos

    def open(self, name: str) -> BinaryIO:
        return self.zip.open(self.infos[name])

    def read_text(self, name: str) -> str:
        with self.open(name) as f:
            return decode(f.read(), name)

    def close(self) -> None:
        self.zip.close()


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark and NUL characters are dropped: no one writes a NUL, and
    PostgreSQL's text cannot hold one); anything else is refused with the file's name."""
    try:
        return data.decode("utf-8-sig").replace("\x00", "")
    except UnicodeDecodeError as error:
        raise Unreadable(f"{name} is not UTF-8 text (byte {error.start + 1} cannot be read). "
                         "Save it as UTF-8 and try again.") from None
