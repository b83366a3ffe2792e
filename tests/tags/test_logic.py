"""Tag names and slugs."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from manifest.tags.logic import MAX_SLUG, TagError, clean_color, clean_name, slugify


@pytest.mark.parametrize(("name", "slug"), [
    ("Deep Work", "deep-work"),
    ("  Café  au lait ", "cafe-au-lait"),
    ("C++ / Rust", "c-rust"),
    ("snake_case", "snake-case"),
    ("日本語", "日本語"),
])
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_a_name_without_letters_still_gets_a_stable_slug():
    assert slugify("🔥🔥") == slugify("🔥🔥")
    assert slugify("🔥🔥") != slugify("🎉")
    assert slugify("🔥🔥").startswith("tag-")


@given(st.text(max_size=80))
def test_slugs_are_url_safe_short_and_stable(name):
    slug = slugify(name)
    assert 0 < len(slug) <= MAX_SLUG
    assert re.fullmatch(r"[\w-]+", slug) and "_" not in slug
    assert not slug.startswith("-") and not slug.endswith("-")
    assert slugify(name) == slug


@given(st.text(min_size=1, max_size=50))
def test_names_that_differ_only_in_case_share_a_slug(name):
    assert slugify(name.upper()) == slugify(name.lower()) or not name.isascii()


@pytest.mark.parametrize("name", ["", "   ", "\x00\t", "x" * 51])
def test_bad_names_are_refused(name):
    with pytest.raises(TagError):
        clean_name(name)


def test_names_are_trimmed_and_collapsed():
    assert clean_name("  deep \n  work ") == "deep work"


@pytest.mark.parametrize(("raw", "color"), [("#A0B1C2", "#a0b1c2"), ("", None), (None, None)])
def test_colors(raw, color):
    assert clean_color(raw) == color


@pytest.mark.parametrize("raw", ["red", "#12345", "#zzzzzz", "#1234567"])
def test_bad_colors_are_refused(raw):
    with pytest.raises(TagError):
        clean_color(raw)
