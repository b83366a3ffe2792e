"""Pure journal logic: the Markdown path never lets script through, slugs, excerpts, reading time,
"on this day" dates and the draft written from a daily review."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from manifest.journal import logic

# --- the XSS corpus --------------------------------------------------------------------------------

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=x oNeRrOr=alert(1)//",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<body onload=alert(1)>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<details open ontoggle=alert(1)>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&#58;alert(1))",
    "[click](java&#09;script:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](vbscript:msgbox(1))",
    "[click](VBScript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](DATA:text/html,<script>alert(1)</script>)",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml,<svg onload=alert(1)>)",
    "![img](x \"onerror=alert(1)\")",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "[ref]\n\n[ref]: JAVASCRIPT:alert(1) \"t\"",
    "<javascript:alert(1)>",
    "<http://x.example/\" onmouseover=\"alert(1)>",
    "[x](http://x.example/\"onmouseover=\"alert(1))",
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "<!-- <script>alert(1)</script> -->",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "> <script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>\n- [a](javascript:alert(1))",
    "| a |\n|---|\n| <script>alert(1)</script> |",
]

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Elements(HTMLParser):
    """Every element and attribute of the output, as a browser's parser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def assert_harmless(output: str) -> None:
    lowered = output.lower()
    assert "<script" not in lowered
    # No handler attribute anywhere inside a tag (a text mention is escaped and harmless).
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", lowered), output
    assert not re.search(r"<[^>]*javascript:", lowered), output
    parser = _Elements()
    parser.feed(output)
    assert set(parser.tags) <= logic.ALLOWED_TAGS, output
    for tag, name, value in parser.attributes:
        assert not name.startswith("on"), output
        assert name in logic.ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, output
        compact = re.sub(r"[\s\x00-\x1f]", "", value).lower()
        assert not compact.startswith(DANGEROUS_SCHEMES), output


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_the_xss_corpus_never_reaches_a_page(payload):
    output = logic.render_markdown(payload)
    assert isinstance(output, Markup)
    assert_harmless(str(output))


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_the_sanitiser_alone_refuses_the_corpus_even_as_raw_html(payload):
    # The Markdown step escapes raw HTML; the sanitiser must hold even if it did not.
    assert_harmless(str(logic.sanitise(payload)))


def test_links_keep_safe_schemes_and_tell_search_engines_nothing():
    output = str(logic.render_markdown("[a](https://example.com/x) [m](mailto:me@example.com) ![i](https://e.x/i.png)"))
    assert 'href="https://example.com/x"' in output
    assert 'rel="noopener noreferrer nofollow"' in output
    assert 'href="mailto:me@example.com"' in output
    assert '<img src="https://e.x/i.png" alt="i">' in output


def test_markdown_renders_the_usual_syntax():
    output = str(logic.render_markdown("# Title\n\n**bold** *it* ~~gone~~\n\n- one\n- two\n\n> quote\n\n`code`"))
    for fragment in ("<h1>Title</h1>", "<strong>bold</strong>", "<em>it</em>", "<s>gone</s>", "<li>one</li>",
                     "<blockquote>", "<code>code</code>"):
        assert fragment in output


markdownish = st.lists(st.one_of(
    st.text(max_size=30),
    st.sampled_from(["<", ">", "\"", "'", "=", "(", ")", "[", "]", "!", "&#", ";", ":", "\n", "`", " ", "/",
                     "javascript:", "JaVaScRiPt:", "vbscript:", "data:", "script", "onerror", "onload", "svg",
                     "iframe", "style", "img", "&#106;", "&#x3A;", "\t", "<a href=", "](", "]: "]),
), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(markdownish)
def test_no_markdown_text_produces_script_handlers_or_javascript_urls(text):
    assert_harmless(str(logic.render_markdown(text)))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_plain_text_and_excerpt_never_fail_and_stay_short(text):
    excerpt = logic.make_excerpt(text)
    assert len(excerpt) <= logic.EXCERPT_LENGTH + 1
    assert "\n" not in excerpt


# --- slugs -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "slug"), [
    ("Hello, World!", "hello-world"),
    ("  Crème brûlée — à la maison  ", "creme-brulee-a-la-maison"),
    ("2024: a year", "2024-a-year"),
    ("!!!", "entry"),
    ("日本語", "entry"),
    ("", "entry"),
])
def test_slugify(title, slug):
    assert logic.slugify(title) == slug


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_every_title_gives_a_valid_slug(title):
    assert logic.is_valid_slug(logic.slugify(title))


@given(st.sets(st.sampled_from(["a", "a-2", "a-3", "a-4", "b"])))
def test_unique_slug_takes_the_first_free_suffix(taken):
    slug = logic.unique_slug("a", taken)
    assert slug not in taken
    expected = "a" if "a" not in taken else next(f"a-{n}" for n in range(2, 10) if f"a-{n}" not in taken)
    assert slug == expected


def test_unique_slug_of_a_long_title_stays_within_the_limit():
    base = logic.slugify("word " * 60)
    assert len(base) <= logic.SLUG_MAX
    slug = logic.unique_slug(base, {base})
    assert slug.endswith("-2") and len(slug) <= logic.SLUG_MAX and logic.is_valid_slug(slug)


@pytest.mark.parametrize("slug", ["Upper", "a--b", "-a", "a-", "a b", "a_b", "é", "x" * 101, ""])
def test_invalid_slugs(slug):
    assert not logic.is_valid_slug(slug)


# --- excerpt and reading time ----------------------------------------------------------------------

def test_excerpt_is_plain_text_cut_at_a_word():
    text = "# Heading\n\nSome **bold** text. " + "word " * 100
    excerpt = logic.make_excerpt(text)
    assert excerpt.startswith("Heading Some bold text. word")
    assert excerpt.endswith("…") and "**" not in excerpt and "#" not in excerpt
    assert len(excerpt) <= logic.EXCERPT_LENGTH + 1


def test_short_text_is_its_own_excerpt():
    assert logic.make_excerpt("Just *this*.") == "Just this."
    assert logic.make_excerpt("") == ""


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (1, 1), (199, 1), (299, 1), (300, 2), (400, 2), (1000, 5)])
def test_reading_time_is_words_over_200_at_least_one(words, minutes):
    assert logic.reading_minutes("word " * words) == minutes


@given(st.integers(0, 5000), st.integers(0, 500))
def test_reading_time_is_at_least_one_minute_and_grows_with_the_text(words, more):
    minutes = logic.reading_minutes("w " * words)
    assert minutes >= 1
    assert abs(minutes - words / 200) <= 0.5 or words < 200
    assert logic.reading_minutes("w " * (words + more)) >= minutes


# --- on this day and visitor keys --------------------------------------------------------------------

def test_month_days_shows_29_february_on_28_february_of_common_years():
    assert logic.month_days(date(2025, 2, 28)) == [(2, 28), (2, 29)]
    assert logic.month_days(date(2024, 2, 28)) == [(2, 28)]
    assert logic.month_days(date(2024, 2, 29)) == [(2, 29)]
    assert logic.month_days(date(2100, 2, 28)) == [(2, 28), (2, 29)]


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2999, 12, 30)))
def test_month_days_always_includes_the_day_itself(day):
    pairs = logic.month_days(day)
    assert pairs[0] == (day.month, day.day)
    assert len(pairs) == 1 or (day.month, day.day) == (2, 28) and (day + timedelta(days=1)).month == 3


def test_visitor_key_is_a_keyed_hex_digest():
    key = logic.visitor_key("secret", "anon:1.2.3.4\nUA")
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert key == logic.visitor_key(b"secret", "anon:1.2.3.4\nUA")
    assert key != logic.visitor_key("other secret", "anon:1.2.3.4\nUA")
    assert "1.2.3.4" not in key


# --- a draft from a review ---------------------------------------------------------------------------

def review(**values):
    fields = dict.fromkeys(
        ("mood_rating", "energy_level", "productivity_rating", "sleep_quality", "sleep_hours", "accomplishments",
         "challenges", "lessons_learned", "gratitude", "tomorrow_intentions", "highlights"))
    return SimpleNamespace(**{**fields, **values})


def test_review_markdown_tells_the_day_and_leaves_out_empty_sections():
    text = logic.review_markdown(review(
        mood_rating=7, sleep_quality=6, sleep_hours=Decimal("7.5"), accomplishments="Shipped it",
        gratitude="Sunshine", highlights="   ", challenges="",
    ))
    assert text == (
        "## How I felt\n\n- Mood: 7/10\n- Sleep quality: 6/10\n- Sleep: 7.5 h\n\n"
        "## Accomplishments\n\nShipped it\n\n## Gratitude\n\nSunshine\n"
    )


def test_an_empty_review_gives_an_empty_draft():
    assert logic.review_markdown(review()) == ""


def test_review_text_goes_through_the_sanitiser_like_any_text():
    text = logic.review_markdown(review(lessons_learned="<script>alert(1)</script> [x](javascript:alert(1))"))
    assert_harmless(str(logic.render_markdown(text)))


@pytest.mark.parametrize(("src", "own"), [
    ("/media/files/1", True),
    ("pic.png", True),
    ("https://manifest.example/media/1", True),
    ("HTTPS://MANIFEST.EXAMPLE/media/1", True),
    ("https://images.example/cat.png", False),
    ("http://manifest.example.evil.example/x", False),
    ("https://manifest.example:8443/x", False),
    ("//images.example/x", False),
    ("/\\images.example/x", False),
    ("\\\\images.example/x", False),
    ("javascript:alert(1)", False),
    ("data:image/png;base64,AAAA", False),
])
def test_only_paths_and_this_sites_urls_count_as_own_images(src, own):
    assert logic.is_own_image(src, "manifest.example") is own


def test_public_markdown_turns_other_sites_images_into_links():
    html = logic.render_public_markdown("![a cat](https://images.example/cat.png) ![me](/media/files/1)", "manifest.example")
    assert '<img src="/media/files/1" alt="me">' in html
    assert "<img src=\"https://images.example" not in html
    assert '<a href="https://images.example/cat.png" rel="noopener noreferrer nofollow">Image: a cat</a>' in html
    linked = logic.render_public_markdown("[![build](https://ci.example/badge.svg)](https://ci.example/)", "m.example")
    assert linked == '<p><a href="https://ci.example/" rel="noopener noreferrer nofollow">Image: build</a></p>\n'
    # Signed-in pages keep the picture the author wrote.
    assert '<img src="https://images.example/cat.png" alt="a cat">' in logic.render_markdown("![a cat](https://images.example/cat.png)")
