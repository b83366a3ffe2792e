"""Pages fit a phone-width screen: nothing scrolls sideways at 375 px."""

import pytest

from .conftest import PHONE


def assert_fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= PHONE["width"], f"{page.url} is {overflow} px wide on a {PHONE['width']} px screen"


@pytest.mark.parametrize("path", ["/login", "/signup"])
def test_public_pages_fit_a_phone(phone_page, path):
    phone_page.goto(path)
    assert_fits(phone_page)


@pytest.mark.parametrize("path", ["/", "/settings"])
def test_signed_in_pages_fit_a_phone(phone_page, app, make_user, log_in, path):
    # A long unbroken name is the usual way a heading pushes a page wider than the screen.
    make_user("a_rather_long_username_of_forty_chars_x")
    log_in(phone_page, "a_rather_long_username_of_forty_chars_x")
    phone_page.goto(path)
    assert_fits(phone_page)
