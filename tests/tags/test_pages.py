"""The tag page's view models, from plain rows: no database."""

from types import SimpleNamespace

from manifest.tags.pages import Group, Item, TagPage, group


def _area(summary=None):
    return SimpleNamespace(title=lambda row: row.name, url=lambda row: f"/x/{row.name}", summary=summary)


def test_a_group_keeps_the_limit_and_says_there_are_more():
    rows = [SimpleNamespace(name=n) for n in "abc"]
    found = group(_area(), rows, limit=2)
    assert [item.title for item in found.items] == ["a", "b"] and found.more
    assert group(_area(), rows[:2], limit=2).more is False


def test_a_group_without_rows_is_none_and_summaries_are_optional():
    assert group(_area(), [], limit=5) is None
    row = SimpleNamespace(name="a")
    assert group(_area(), [row], 5).items == [Item("a", "/x/a", "")]
    assert group(_area(summary=lambda r: "second line"), [row], 5).items[0].summary == "second line"


def test_a_tag_page_is_empty_only_without_items():
    assert TagPage(tag=None, groups=[]).empty
    assert TagPage(tag=None, groups=[Group(area=None)]).empty
    assert not TagPage(tag=None, groups=[Group(area=None, items=[Item("a", "/a", "")])]).empty
