"""Search results as shown, from plain rows: no database."""

from types import SimpleNamespace

from manifest.search import logic
from manifest.search.pages import Group, Results, hit


def _area(summary=None):
    columns = (SimpleNamespace(key="name"), SimpleNamespace(key="notes"))
    return SimpleNamespace(title=lambda row: row.name, url=lambda row: f"/rows/{row.name}",
                           search_columns=columns, summary=summary)


def test_a_hit_shows_the_first_matching_text_highlighted():
    terms = logic.highlight_terms(logic.parse_query("river"))
    found = hit(_area(), SimpleNamespace(name="Walk", notes="Along the river"), terms)
    assert found.url == "/rows/Walk" and "<mark>river</mark>" in str(found.snippet)


def test_without_a_matching_text_the_summary_is_shown():
    terms = logic.highlight_terms(logic.parse_query("walk"))
    found = hit(_area(summary=lambda row: "Every morning"), SimpleNamespace(name="Walk", notes="Shoes"), terms)
    assert "<mark>Walk</mark>" in str(found.title) and str(found.snippet) == "Every morning"


def test_results_count_hits_and_know_a_too_short_query():
    results = Results(logic.parse_query("river"), [Group(area=None, hits=[1, 2]), Group(area=None, hits=[3])])
    assert results.count == 3 and not results.too_short
    assert Results(logic.parse_query("")).too_short
