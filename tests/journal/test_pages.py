"""The journal's filters and view models, from plain values: no database."""

from datetime import date

from manifest.args import int_arg
from manifest.journal.pages import EntryList, Filters, Memory, PublicPage


def test_filters_ignore_what_makes_no_sense():
    f = Filters.from_args({"status": "secret", "year": "1200", "month": "5", "page": "-1", "featured": "1"})
    assert f == Filters(status="", featured=True, year=None, month=None, page=1)
    f = Filters.from_args({"status": "draft", "year": "2025", "month": "13", "page": "3"})
    assert (f.status, f.year, f.month, f.page, f.active) == ("draft", 2025, None, 3, True)
    assert not Filters().active


def test_filter_links_leave_out_empty_values_and_the_first_page():
    f = Filters(status="published", year=2025, page=2)
    assert f.args() == {"status": "published", "year": 2025, "page": 2}
    assert f.args(page=1) == {"status": "published", "year": 2025}


def test_int_arg_keeps_to_its_range():
    assert int_arg("7", 1, 10) == 7
    assert int_arg("11", 1, 10) is None and int_arg("x", 1, 10) is None and int_arg(None, 1, 10) is None


def test_paging_of_lists():
    listing = EntryList(Filters(), [], matching=45, total=50, years=[2025], page=2, pages=3)
    assert listing.has_previous and listing.has_next
    assert not PublicPage(author=None, entries=[], page=1, has_next=False).has_previous
    assert Memory("entry", date(2025, 1, 1), 1, "T", "S").entry is None
