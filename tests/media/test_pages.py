"""The gallery's view model, from plain values: no database."""

from manifest.media.pages import Gallery


def test_the_gallery_knows_what_is_left_and_counts_per_area():
    view = Gallery(items=[], total=3, page=1, pages=1, area=None, areas=[], used=700, quota=1000,
                   counts={"goal": 2, "workout": 1})
    assert view.left == 300 and view.count_of("goal") == 2 and view.count_of("habit") == 0
    assert Gallery([], 0, 1, 1, None, [], used=1200, quota=1000).left == 0
