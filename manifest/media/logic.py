"""Pure rules for attachments: what a file is (from its bytes), how its name is shown, sizes in words.

No database, no Flask, no Pillow: the image work lives in images.py.
"""

from __future__ import annotations

import re
import unicodedata

# Kinds we accept, keyed by what the first bytes say. Images are confirmed by Pillow afterwards.
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
DOCUMENT_TYPES = {"application/pdf": "pdf", "text/plain": "txt"}
EXTENSIONS = {**IMAGE_TYPES, **DOCUMENT_TYPES}

# Text that a browser could take for markup (its MIME sniffing looks for these), never accepted as text.
MARKUP_SIGNS = re.compile(
    rb"<\s*(!doctype|html|head|body|script|iframe|svg|xml|\?xml|style|object|embed|a\s|img|meta|link|div|"
    rb"table|title|br|p[\s>]|b[\s>]|h1|font|!--)",
    re.IGNORECASE,
)
# Control characters other than tab, newline, form feed and carriage return mean "binary".
BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")

DEFAULT_LABEL = "attachment"
MAX_LABEL = 255


class Refused(ValueError):
    """A file we will not keep; the message says why, in words a user understands."""


def sniff(data: bytes) -> str:
    """The type of ``data`` from its bytes alone (never its name or the browser's claim).

    Raises Refused for anything outside the accepted kinds: HTML, SVG, scripts, executables, archives.
    """
    if not data:
        raise Refused("is empty")
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if _plain_text(data):
        return "text/plain"
    raise Refused("is not a supported kind of file (JPEG, PNG, GIF or WebP images, PDF or plain text)")


def _plain_text(data: bytes) -> bool:
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if BINARY_BYTES.search(body):
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if body.lstrip().startswith(b"<") or MARKUP_SIGNS.search(body):
        # Served as text it would be harmless, but a page or an SVG saved as .txt is not what "text" means.
        raise Refused("looks like a web page or markup (HTML, SVG, XML), which cannot be attached")
    return True


def is_image(content_type: str | None) -> bool:
    return (content_type or "") in IMAGE_TYPES


def extension(content_type: str) -> str:
    return EXTENSIONS.get(content_type, "bin")


def label(name: str | None) -> str:
    """The user's file name, made safe to show and to offer as a download name.

    Only the last path part is kept (``../../etc/passwd`` -> ``passwd``), control and
    formatting characters go, whitespace collapses, and the result fits the column.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    text = " ".join(text.split()).strip(". ")
    if not text:
        return DEFAULT_LABEL
    if len(text) > MAX_LABEL:
        _stem, dot, ext = text.rpartition(".")
        keep = ext if dot and 0 < len(ext) <= 10 else ""
        text = text[: MAX_LABEL - len(keep) - (1 if keep else 0)].rstrip() + ("." + keep if keep else "")
    return text


def download_name(name: str, content_type: str) -> str:
    """The label with the extension of what the file really is, so a saved copy opens in the right app."""
    ext = extension(content_type)
    stem, dot, current = name.rpartition(".")
    if dot and (current.lower() == ext or (ext == "jpg" and current.lower() == "jpeg")):
        return name
    return f"{stem if dot and stem else name}.{ext}"


def human_size(size: int) -> str:
    """1536 -> '1.5 KB'; powers of 1024, one decimal below 10."""
    value = float(max(size, 0))
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            if unit == "bytes":
                return f"{int(value)} byte{'s' if int(value) != 1 else ''}"
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def clamp_page(page: int | None, total: int, per_page: int) -> int:
    return min(max(page or 1, 1), page_count(total, per_page))
