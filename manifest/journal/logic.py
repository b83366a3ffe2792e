"""Pure journal logic: Markdown rendering and sanitising, slugs, excerpts, reading time, review drafts.

Nothing here touches the database or Flask, except that the rendered HTML is returned as
``Markup``: the sanitiser's output is the one thing templates may print unescaped.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from manifest.filters import long_date, number

# Raw HTML in the text is shown as text, never interpreted; nh3 below is the real guarantee.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

SLUG_MAX = 100
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EXCERPT_LENGTH = 200
WORDS_PER_MINUTE = 200


def sanitise(untrusted_html: str) -> Markup:
    """HTML reduced to an explicit allowlist of tags, attributes and URL schemes."""
    cleaned = nh3.clean(
        untrusted_html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    # The sanitiser's output, and only that, is trusted.
    return Markup(cleaned)


def render_markdown(text: str | None) -> Markup:
    """The one way entry text becomes HTML: Markdown, then the sanitiser."""
    return sanitise(_MARKDOWN.render(text or ""))


def is_own_image(src: str, own_host: str) -> bool:
    """Whether an image address is on this site: a path ("/media/…", "pic.png"), or a full URL
    naming ``own_host``. "//host/…" and "/\\host/…" name another host however they are written."""
    if src.startswith(("//", "/\\", "\\")):
        return False
    parts = urlsplit(src)
    if not parts.scheme and not parts.netloc:
        return True
    return parts.scheme in ("http", "https") and parts.netloc.lower() == own_host.lower()


def _image_or_link(renderer, tokens, idx, options, env) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    if is_own_image(src, env["own_host"]):
        return renderer.image(tokens, idx, options, env)
    alt = renderer.renderInlineAsText(token.children or [], options, env).strip()
    label = escapeHtml(f"Image: {alt}" if alt else f"Image at {urlsplit(src).hostname or src}")
    opened = sum(1 if t.type == "link_open" else -1 if t.type == "link_close" else 0 for t in tokens[:idx])
    if opened > 0:
        return label  # already inside a link (a linked badge): links cannot nest, the outer one stays
    return f'<a href="{escapeHtml(src)}">{label}</a>'


# Public pages: an image from another site would tell that site the address of every reader,
# so it becomes a link the reader may choose to follow.
_PUBLIC_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)
_PUBLIC_MARKDOWN.add_render_rule("image", _image_or_link)


def render_public_markdown(text: str | None, own_host: str) -> Markup:
    """Entry text for a public page: as ``render_markdown``, but images from any other host than
    ``own_host`` become links (the public pages' CSP allows only this site's images)."""
    return sanitise(_PUBLIC_MARKDOWN.render(text or "", {"own_host": own_host}))


def plain_text(text: str | None) -> str:
    """What a reader sees of the Markdown, without markup, on one line."""
    stripped = nh3.clean(_MARKDOWN.render(text or ""), tags=set(), attributes={})
    return " ".join(html.unescape(stripped).split())


def make_excerpt(text: str | None, length: int = EXCERPT_LENGTH) -> str:
    """The first ``length`` characters of the plain text, cut at a word and marked with an ellipsis."""
    plain = plain_text(text)
    if len(plain) <= length:
        return plain
    cut = plain[:length].rsplit(" ", 1)[0] if " " in plain[:length] else plain[:length]
    return cut.rstrip(" ,;:.-") + "…"


def word_count(text: str | None) -> int:
    return len(plain_text(text).split())


def reading_minutes(text: str | None) -> int:
    """Minutes to read at 200 words a minute, rounded, never less than one."""
    return max(1, math.floor(word_count(text) / WORDS_PER_MINUTE + 0.5))


def slugify(title: str | None) -> str:
    """A URL slug: ASCII letters and digits joined by single hyphens, never empty."""
    ascii_text = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    slug = slug[:SLUG_MAX].rstrip("-")
    return slug or "entry"


def unique_slug(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is first not in ``taken``."""
    taken = set(taken)
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        n += 1


def is_valid_slug(slug: str) -> bool:
    return len(slug) <= SLUG_MAX and bool(SLUG_PATTERN.match(slug))


def visitor_key(secret: str | bytes, identity: str) -> str:
    """A keyed hash standing for a visitor, so no address or user id is stored with a view."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, identity.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def month_days(day: date) -> list[tuple[int, int]]:
    """The (month, day) pairs that count as "this day" in past years.

    In a year without 29 February, 28 February also shows what happened on a 29 February.
    """
    pairs = [(day.month, day.day)]
    if (day.month, day.day) == (2, 28) and not _is_leap(day.year):
        pairs.append((2, 29))
    return pairs


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# --- a draft from a daily review ---------------------------------------------------------------

REVIEW_RATINGS = (
    ("mood_rating", "Mood"),
    ("energy_level", "Energy"),
    ("productivity_rating", "Productivity"),
    ("sleep_quality", "Sleep quality"),
)
REVIEW_SECTIONS = (
    ("accomplishments", "Accomplishments"),
    ("challenges", "Challenges"),
    ("gratitude", "Gratitude"),
    ("lessons_learned", "Lessons"),
    ("tomorrow_intentions", "Intentions for tomorrow"),
    ("highlights", "Highlights"),
)


def review_title(day: date) -> str:
    return long_date(day)


def review_markdown(review) -> str:
    """A journal draft from a daily review: how the day felt, then each written section; empty ones left out."""
    parts: list[str] = []
    felt = [f"- {label}: {getattr(review, name)}/10" for name, label in REVIEW_RATINGS
            if getattr(review, name, None) is not None]
    if getattr(review, "sleep_hours", None) is not None:
        felt.append(f"- Sleep: {number(review.sleep_hours)} h")
    if felt:
        parts.append("## How I felt\n\n" + "\n".join(felt))
    for name, label in REVIEW_SECTIONS:
        text = (getattr(review, name, None) or "").strip()
        if text:
            parts.append(f"## {label}\n\n{text}")
    return "\n\n".join(parts) + ("\n" if parts else "")


@dataclass(frozen=True)
class EntryChange:
    """What an entry is written as: the entry form's command, also made from a review."""

    title: str
    content: str = ""
    excerpt: str = ""
    slug: str = ""
    status: str = "draft"
    is_public: bool = False
    is_featured: bool = False
