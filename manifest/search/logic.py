"""Pure rules of the search: reading a query, highlighting matches. No database, no Flask
(markupsafe only, so highlighted text is escaped before anything is marked)."""

import re
import unicodedata
from dataclasses import dataclass, field

from markupsafe import Markup, escape

MIN_QUERY = 2
MAX_QUERY = 200
MAX_TERMS = 12
SNIPPET = 160
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Query:
    """A query in the websearch syntax: words, "quoted phrases" and -exclusions."""

    text: str
    terms: tuple[str, ...] = field(default=())  # words and phrases that must all appear
    excluded: tuple[str, ...] = field(default=())  # words and phrases that must not appear

    @property
    def searchable(self) -> bool:
        return bool(self.terms)


def clean_query(raw: str | None) -> str:
    """The query as searched: control characters dropped (PostgreSQL refuses NUL), whitespace
    collapsed, cut to a sane length."""
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in (raw or ""))
    return " ".join(text.split())[:MAX_QUERY].strip()


def parse_query(raw: str | None) -> Query:
    """Read the websearch syntax the way PostgreSQL's websearch_to_tsquery does, simply: "or"
    is ignored (every term must match), a leading hyphen excludes a word or a phrase."""
    text = clean_query(raw)
    terms: list[str] = []
    excluded: list[str] = []
    if len(text) < MIN_QUERY:
        return Query(text)
    for match in _TOKEN.finditer(text):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None:
            negated = word.startswith("-") and len(word) > 1
            value = word[1:] if negated else word
        else:
            value = phrase
        value = " ".join(value.split()).strip("\"'")
        if not value or (word is not None and value.lower() == "or"):
            continue
        target = excluded if negated else terms
        if value.casefold() not in (t.casefold() for t in target) and len(terms) + len(excluded) < MAX_TERMS:
            target.append(value)
    return Query(text, tuple(terms), tuple(excluded))


def _pattern(terms) -> re.Pattern | None:
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def highlight(text: str | None, terms) -> Markup:
    """``text`` escaped, with every occurrence of a term wrapped in <mark>.

    Matches are found in the raw text and each piece is escaped on its own, so a term can
    never match inside an entity and user text never reaches the page unescaped.
    """
    text = text or ""
    pattern = _pattern(terms)
    if pattern is None:
        return Markup(escape(text))
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last:match.start()]))
        out.append(Markup("<mark>") + escape(match.group()) + Markup("</mark>"))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def excerpt(text: str | None, terms, width: int = SNIPPET) -> str:
    """About ``width`` characters of ``text`` around its first match (raw text, highlight it after)."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0 if match is None else max(0, match.start() - width // 3)
    end = min(len(text), start + width)
    start = max(0, end - width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def matches(text: str | None, terms) -> bool:
    pattern = _pattern(terms)
    return bool(text and pattern and pattern.search(text))


def highlight_terms(query: Query) -> tuple[str, ...]:
    """What to mark: the terms and the words of each phrase (stemmed matches are not marked)."""
    words = []
    for term in query.terms:
        words.append(term)
        words.extend(w for w in term.split() if len(w) > 1)
    return tuple(dict.fromkeys(words))
