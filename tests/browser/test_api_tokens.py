"""Settings → Access tokens in a real browser: a token made and revoked in place, and the made
token works against the API."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from manifest.extensions import db
from manifest.models import ApiToken

pytestmark = pytest.mark.browser


def test_a_token_is_made_shown_once_used_and_revoked_without_a_reload(page, app, user, log_in, browser_errors):
    browser_errors.allow_status(422)  # the empty form, refused on purpose
    log_in(page, user["username"])
    page.goto("/settings")
    page.get_by_role("link", name="access tokens").click()
    expect(page.get_by_role("heading", name="Access tokens", level=1)).to_be_visible()
    page.evaluate("window.__marker = 1")

    form = page.locator("#token-form")
    form.get_by_role("button", name="Create token").click()
    expect(form.get_by_text("Name the token, e.g. Phone shortcut.")).to_be_visible()

    form = page.locator("#token-form")
    form.get_by_label("Name").fill("Phone shortcut")
    form.get_by_label("Write: add and change data").check()
    form.get_by_label("Habits").check()
    form.get_by_label("Expires").select_option("30")
    form.get_by_role("button", name="Create token").click()

    secret_box = page.get_by_label("Your new token")
    expect(secret_box).to_be_visible()
    secret = secret_box.input_value()
    assert secret.startswith("lm_") and len(secret) == 46
    row = page.locator("tr", has_text="Phone shortcut")
    expect(row).to_contain_text("habits:read habits:write")
    expect(row).to_contain_text("Never")  # not used yet
    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of swapping the section"

    # The token works against the API, from outside the browser's session.
    api = app.test_client()
    assert api.get("/api/v1/habits", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke Phone shortcut").click()
    expect(page.locator("tr", has_text="Phone shortcut")).to_contain_text("Revoked")
    expect(page.get_by_label("Your new token")).to_have_count(0)  # shown once, gone with the swap
    assert page.evaluate("window.__marker") == 1
    assert api.get("/api/v1/habits", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    with app.app_context():
        assert db.session.scalars(sa.select(ApiToken)).one().revoked_at is not None
