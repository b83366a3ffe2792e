"""Reading a search query and highlighting matches in escaped text."""

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from manifest.search.logic import (
    MAX_QUERY,
    clean_query,
    excerpt,
    highlight,
    highlight_terms,
    parse_query,
)


@pytest.mark.parametrize(("raw", "terms", "excluded"), [
    ("run", ("run",), ()),
    ("  morning   run ", ("morning", "run"), ()),
    ('"morning run" -evening', ("morning run",), ("evening",)),
    ('-"late night" gym', ("gym",), ("late night",)),
    ("yoga or pilates", ("yoga", "pilates"), ()),
    ('"unclosed phrase', ("unclosed phrase",), ()),
    ("a", (), ()),
    ("", (), ()),
    ("-", (), ()),
    ("--", (), ("-",)),
    ("Run run RUN", ("Run",), ()),
])
def test_parse_query(raw, terms, excluded):
    query = parse_query(raw)
    assert (query.terms, query.excluded) == (terms, excluded)


def test_control_characters_and_length_are_cleaned():
    assert clean_query("a\x00b\tc\n") == "a b c"
    assert len(clean_query("x" * 5000)) == MAX_QUERY


@given(st.text(max_size=300))
def test_any_text_parses(raw):
    query = parse_query(raw)
    assert len(query.text) <= MAX_QUERY
    assert "\x00" not in query.text
    assert all(query.terms) and all(query.excluded)


def test_highlight_escapes_first_then_marks():
    out = highlight("<script>alert('run')</script> & run", ["run"])
    assert isinstance(out, Markup)
    assert str(out) == ("&lt;script&gt;alert(&#39;<mark>run</mark>&#39;)&lt;/script&gt; &amp; <mark>run</mark>")


def test_a_term_never_matches_inside_an_entity():
    assert str(highlight("a < b", ["lt"])) == "a &lt; b"
    assert str(highlight("Tom & Jerry", ["amp"])) == "Tom &amp; Jerry"


def test_highlight_is_case_insensitive_and_prefers_longer_terms():
    assert str(highlight("Morning Run", ["morning run", "run"])) == "<mark>Morning Run</mark>"


@given(st.text(max_size=200), st.lists(st.text(min_size=1, max_size=5), max_size=4))
def test_highlight_only_adds_marks(text, terms):
    out = str(highlight(text, terms))
    assert "<" not in re.sub(r"</?mark>", "", out)
    assert html.unescape(re.sub(r"</?mark>", "", out)) == text


def test_excerpt_centres_on_the_match():
    text = "word " * 100 + "needle " + "word " * 100
    cut = excerpt(text, ["needle"], width=60)
    assert "needle" in cut and cut.startswith("…") and cut.endswith("…") and len(cut) <= 62


def test_highlight_terms_include_the_words_of_phrases():
    assert highlight_terms(parse_query('"morning run" gym')) == ("morning run", "morning", "run", "gym")
