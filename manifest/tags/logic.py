"""Pure rules for tag names and slugs: no database, no Flask."""

import hashlib
import re
import unicodedata

MAX_NAME = 50
MAX_SLUG = 50
_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")
_HEX = re.compile(r"^#[0-9a-f]{6}$")


class TagError(ValueError):
    """A tag change the rules refuse; the message is shown to the user."""


def clean_name(raw: str | None) -> str:
    """The name as stored: trimmed, inner whitespace collapsed; refused when empty or too long."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", raw or "")).strip()
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    if not name:
        raise TagError("Give the tag a name.")
    if len(name) > MAX_NAME:
        raise TagError(f"A tag name has at most {MAX_NAME} characters.")
    return name


def slugify(name: str) -> str:
    """A URL-safe, lower-case key: letters and digits of any script joined by hyphens.

    A name with no letters or digits at all (an emoji, say) still needs a stable slug,
    so it gets one derived from its text.
    """
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    slug = _NOT_WORD.sub("-", folded).strip("-")[:MAX_SLUG].strip("-")
    if not slug:
        slug = "tag-" + hashlib.sha256(name.encode()).hexdigest()[:12]
    return slug


def clean_color(raw: str | None) -> str | None:
    """``#rrggbb`` in lower case, or None for no colour."""
    color = (raw or "").strip().lower()
    if not color:
        return None
    if not _HEX.match(color):
        raise TagError("Pick a colour like #3b82f6.")
    return color
