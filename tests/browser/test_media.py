"""Attachments in a real browser: choosing a file on a goal page uploads it with a progress bar and
its thumbnail appears without a reload; a refused file says why, in place."""

import io
import uuid
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from manifest.extensions import db
from manifest.models import Goal


@pytest.fixture(autouse=True)
def media_root(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    return tmp_path / "media"


@pytest.fixture
def goal(app, user) -> uuid.UUID:
    with app.app_context():
        goal = Goal(user_id=user["id"], title="Run a marathon", goal_type="yearly")
        db.session.add(goal)
        db.session.commit()
        return goal.id


def png(path, size=(800, 600)) -> str:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, "PNG")
    path.write_bytes(out.getvalue())
    return str(path)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_choosing_an_image_shows_its_thumbnail_without_a_reload(open_page, log_in, user, goal, tmp_path, viewport):
    from tests.browser.conftest import DESKTOP, PHONE

    page = open_page(DESKTOP if viewport == "desktop" else PHONE)
    log_in(page, user["username"])
    page.goto(f"/goals/{goal}")
    section = page.locator(f"#attachments-goal-{goal}")
    expect(section.get_by_text("No attachments yet.")).to_be_visible()
    page.evaluate("window.__mediaMarker = 7")

    section.get_by_role("button", name="Upload").click()
    expect(section.get_by_role("alert")).to_contain_text("Choose a file first")

    section.get_by_label("Add images or files").set_input_files([png(tmp_path / "sunrise.png"),
                                                                 png(tmp_path / "finish.png", (300, 900))])
    # A description typed after choosing the files goes with them.
    section.get_by_label("Description of the images (optional)").fill("Race day")
    section.get_by_role("button", name="Upload").click()

    thumbs = page.locator(f"#attachments-goal-{goal} img")
    expect(thumbs).to_have_count(2)
    expect(page.locator(f"#attachments-goal-{goal}").get_by_title("sunrise.png")).to_be_visible()
    expect(page.locator(f'#attachments-goal-{goal} img[alt="Race day"]')).to_have_count(2)
    for n in range(2):
        expect(thumbs.nth(n)).to_have_js_property("complete", True)
        assert thumbs.nth(n).evaluate("img => img.naturalWidth") > 0
    assert page.evaluate("window.__mediaMarker") == 7, "the page reloaded instead of swapping in place"

    # The swapped-in section works too: delete one through htmx.
    page.locator(f"#attachments-goal-{goal}").get_by_role("button", name="Delete sunrise.png").click()
    expect(page.locator(f"#attachments-goal-{goal} img")).to_have_count(1)
    assert page.evaluate("window.__mediaMarker") == 7


def test_a_refused_file_says_why_in_place(page, log_in, user, goal, tmp_path, browser_errors):
    browser_errors.allow_status(422)
    log_in(page, user["username"])
    page.goto(f"/goals/{goal}")
    fake = tmp_path / "holiday.jpg"
    fake.write_bytes(b"<html><body><script>alert(1)</script></body></html>")
    page.get_by_label("Add images or files").set_input_files(str(fake))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("“holiday.jpg” looks like a web page")
    expect(page.locator(f"#attachments-goal-{goal} img")).to_have_count(0)


def test_dropping_files_uploads_them(page, log_in, user, goal):
    import base64

    out = io.BytesIO()
    Image.new("RGB", (120, 80), "purple").save(out, "PNG")
    log_in(page, user["username"])
    page.goto(f"/goals/{goal}")
    page.evaluate("window.__mediaMarker = 9")
    page.locator(f"#attachments-goal-{goal} [data-media-drop]").evaluate(
        """(zone, data) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "dropped.png", {type: "image/png"}));
            transfer.items.add(new File(["plain notes\\n"], "notes.txt", {type: "text/plain"}));
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""",
        base64.b64encode(out.getvalue()).decode(),
    )
    section = page.locator(f"#attachments-goal-{goal}")
    expect(section.locator("img")).to_have_count(1)
    expect(section.get_by_title("notes.txt")).to_be_visible()
    assert page.evaluate("window.__mediaMarker") == 9


def test_deleting_from_the_gallery_updates_the_storage_used(signed_in, goal, tmp_path):
    page = signed_in
    page.goto(f"/goals/{goal}")
    section = page.locator(f"#attachments-goal-{goal}")
    section.get_by_label("Add images or files").set_input_files([png(tmp_path / "a.png"), png(tmp_path / "b.png")])
    section.get_by_role("button", name="Upload").click()
    expect(section.locator("img")).to_have_count(2)

    page.goto("/media/")
    page.evaluate("window.__galleryMarker = 3")
    usage = page.locator(".media-usage")
    before = usage.inner_text()
    page.locator("#media-gallery").get_by_role("button", name="Delete a.png").click()
    expect(page.locator("#media-gallery img")).to_have_count(1)
    expect(usage).not_to_have_text(before)
    assert page.evaluate("window.__galleryMarker") == 3, "the page reloaded"


def test_describing_an_image_saves_in_place(signed_in, goal, tmp_path):
    page = signed_in
    page.goto(f"/goals/{goal}")
    section = page.locator(f"#attachments-goal-{goal}")
    section.get_by_label("Add images or files").set_input_files(png(tmp_path / "view.png"))
    section.get_by_role("button", name="Upload").click()
    expect(section.locator("img")).to_have_count(1)
    page.evaluate("window.__altMarker = 9")
    section = page.locator(f"#attachments-goal-{goal}")
    section.get_by_text("Description of view.png").click()
    section.get_by_label("Describe the image for people who cannot see it").fill("Sunset over the bay")
    section.get_by_role("button", name="Save").click()
    expect(page.locator(f'#attachments-goal-{goal} img[alt="Sunset over the bay"]')).to_have_count(1)
    assert page.evaluate("window.__altMarker") == 9, "the page reloaded"


def _attach_elsewhere(app, user, goal, tmp_path, name: str) -> None:
    """A file attached outside this page (another tab, say)."""
    from manifest.media import services
    from manifest.models import User

    data = Path(png(tmp_path / name)).read_bytes()
    with app.app_context(), app.test_request_context():
        services.add_attachments(db.session.get(User, user["id"]), services.get_area("goal"),
                                 db.session.get(Goal, goal), [services.Upload(name, data)], "")


def test_the_attachments_section_counts_in_place_and_follows_changes_made_elsewhere(
        app, signed_in, user, goal, tmp_path):
    page = signed_in
    page.goto(f"/goals/{goal}")
    page.evaluate("window.__countMarker = 5")
    section = page.locator(f"#attachments-goal-{goal}")
    section.get_by_label("Add images or files").set_input_files(png(tmp_path / "a.png"))
    section.get_by_role("button", name="Upload").click()
    expect(section.locator("h2 .count")).to_have_text("1")
    # Its own upload announced media-changed; the section that answered it does not reload over its notice.
    page.wait_for_timeout(300)
    expect(section.get_by_role("status")).to_have_text("1 file attached.")

    _attach_elsewhere(app, user, goal, tmp_path, "b.png")
    page.evaluate("document.querySelector('main').dispatchEvent(new CustomEvent('media-changed', {bubbles: true}))")
    expect(section.locator("h2 .count")).to_have_text("2")
    expect(section.get_by_title("b.png")).to_be_visible()

    section.get_by_role("button", name="Delete a.png").click()
    expect(section.locator("h2 .count")).to_have_text("1")
    expect(section.get_by_title("a.png")).to_have_count(0)
    assert page.evaluate("window.__countMarker") == 5, "the page reloaded"


def test_the_gallery_follows_attachment_changes_made_elsewhere(app, signed_in, user, goal, tmp_path):
    page = signed_in
    _attach_elsewhere(app, user, goal, tmp_path, "a.png")
    page.goto("/media/")
    page.evaluate("window.__galleryMarker = 4")
    expect(page.locator("#media-gallery img")).to_have_count(1)
    _attach_elsewhere(app, user, goal, tmp_path, "b.png")
    page.evaluate("document.querySelector('main').dispatchEvent(new CustomEvent('media-changed', {bubbles: true}))")
    expect(page.locator("#media-gallery img")).to_have_count(2)
    assert page.evaluate("window.__galleryMarker") == 4, "the page reloaded"
