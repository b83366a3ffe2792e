"""Uploading attachments to a goal: with and without JavaScript, several at once, and what is stored."""

import io

from PIL import Image

from manifest.media.storage import KEY_PATTERN
from tests.conftest import HX
from tests.media.conftest import image_bytes, media_rows, send, stored_files, upload_url


def test_without_javascript_an_upload_redirects_back_to_the_goal(app, auth_client, goal, media_root, user):
    response = send(auth_client, goal, ("beach.png", image_bytes("PNG")), alt="A beach at dawn")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/goals/{goal}#attachments-goal-{goal}")

    [media] = media_rows(app)
    assert (media.user_id, media.related_to_type, media.related_to_id) == (user["id"], "goal", goal)
    assert (media.file_name, media.file_type, media.width, media.height) == ("beach.png", "image/png", 640, 480)
    assert media.alt_text == "A beach at dawn"
    assert KEY_PATTERN.match(media.file_path) and KEY_PATTERN.match(media.thumbnail_path)
    assert "beach" not in media.file_path  # the user's name is a label, never a storage key
    assert {p.relative_to(media_root).as_posix() for p in stored_files(media_root)} == {
        media.file_path, media.thumbnail_path}
    assert media.file_size == (media_root / media.file_path).stat().st_size

    page = auth_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 file attached." in page
    assert f'src="/media/{media.id}/thumbnail"' in page
    assert 'alt="A beach at dawn"' in page


def test_htmx_gets_the_attachments_section_with_the_new_thumbnails(app, auth_client, goal):
    response = send(auth_client, goal, ("a.jpg", image_bytes("JPEG")), ("b.gif", image_bytes("GIF")),
                    ("notes.txt", b"Remember the water bottle.\n"), headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith(f'<section id="attachments-goal-{goal}"')
    assert "<html" not in body
    rows = media_rows(app)
    assert sorted(m.file_type for m in rows) == ["image/jpeg", "image/png", "text/plain"]
    for media in rows:
        assert f"/media/{media.id}" in body
    assert body.count("/thumbnail") == 2  # the text file has no thumbnail
    assert "3 files attached." in body


def test_a_goal_page_shows_its_attachments_and_the_upload_form(auth_client, goal):
    page = auth_client.get(f"/goals/{goal}").get_data(as_text=True)
    assert f'id="attachments-goal-{goal}"' in page
    assert f'action="{upload_url(goal)}"' in page and 'enctype="multipart/form-data"' in page
    assert "No attachments yet." in page
    assert '<label for="attachments-goal-' in page


def test_the_rows_attachment_page_lists_them(app, auth_client, goal):
    send(auth_client, goal, ("a.png", image_bytes()))
    page = auth_client.get(upload_url(goal))
    assert page.status_code == 200
    assert "Run a marathon" in page.get_data(as_text=True)
    assert "a.png" in page.get_data(as_text=True)


def test_choosing_no_file_is_an_inline_error(app, auth_client, goal, media_root):
    response = auth_client.post(upload_url(goal), data={"alt_text": ""}, headers=HX)
    assert response.status_code == 422
    assert "Choose at least one file" in response.get_data(as_text=True)
    response = auth_client.post(upload_url(goal), data={"alt_text": ""})
    assert response.status_code == 422
    assert "Choose at least one file" in response.get_data(as_text=True)
    assert "<html" in response.get_data(as_text=True)
    assert media_rows(app) == [] and stored_files(media_root) == []


def test_unknown_or_unattachable_areas_answer_404(app, auth_client, goal, make_user):
    assert send(auth_client, goal, ("a.png", image_bytes()), area="nonsense").status_code == 404
    # Habits are registered but take no attachments.
    assert send(auth_client, goal, ("a.png", image_bytes()), area="habit").status_code == 404
    assert auth_client.get(upload_url(goal, "habit")).status_code == 404
    assert media_rows(app) == []


def test_pdfs_and_text_download_as_attachments_with_their_real_type(app, auth_client, goal):
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    send(auth_client, goal, ("plan.pdf", pdf), ("notes", b"Day one: 5 km.\n"))
    by_type = {m.file_type: m for m in media_rows(app)}
    response = auth_client.get(f"/media/{by_type['application/pdf'].id}")
    assert response.status_code == 200
    assert response.data == pdf
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "plan.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    text = auth_client.get(f"/media/{by_type['text/plain'].id}")
    assert text.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "notes.txt" in text.headers["Content-Disposition"]


def test_images_are_served_inline_and_thumbnails_are_small(app, auth_client, goal):
    send(auth_client, goal, ("big.jpg", image_bytes("JPEG", size=(1600, 900))))
    [media] = media_rows(app)
    full = auth_client.get(f"/media/{media.id}")
    assert full.status_code == 200 and full.mimetype == "image/jpeg"
    assert full.headers.get("Content-Disposition", "inline").startswith("inline")
    thumb = auth_client.get(f"/media/{media.id}/thumbnail")
    assert thumb.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(thumb.data)).size == (320, 180)
    assert Image.open(io.BytesIO(full.data)).size == (1600, 900)


def test_the_description_can_be_changed_and_must_fit(app, auth_client, goal):
    send(auth_client, goal, ("a.png", image_bytes()))
    [media] = media_rows(app)
    response = auth_client.post(f"/media/{media.id}/alt", data={"alt_text": "  My   dog  "}, headers=HX)
    assert response.status_code == 200
    assert 'alt="My dog"' in response.get_data(as_text=True)
    assert media_rows(app)[0].alt_text == "My dog"

    response = auth_client.post(f"/media/{media.id}/alt", data={"alt_text": "x" * 501}, headers=HX)
    assert response.status_code == 422
    assert "under 500 characters" in response.get_data(as_text=True)
    assert media_rows(app)[0].alt_text == "My dog"

    response = auth_client.post(f"/media/{media.id}/alt", data={"alt_text": "My\x00cat"}, headers=HX)
    assert response.status_code == 422
    assert "not allowed" in response.get_data(as_text=True)
    assert media_rows(app)[0].alt_text == "My dog"

    response = auth_client.post(f"/media/{media.id}/alt", data={"alt_text": ""})
    assert response.status_code == 303
    assert media_rows(app)[0].alt_text is None


def test_deleting_an_attachment_removes_its_row_and_files(app, auth_client, goal, media_root):
    send(auth_client, goal, ("a.png", image_bytes()), ("b.png", image_bytes()))
    first, second = media_rows(app)
    response = auth_client.post(f"/media/{first.id}/delete", headers=HX)
    assert response.status_code == 200
    assert f"media-{first.id}" not in response.get_data(as_text=True)
    assert f"media-{second.id}" in response.get_data(as_text=True)
    assert [m.id for m in media_rows(app)] == [second.id]
    assert not (media_root / first.file_path).exists() and not (media_root / first.thumbnail_path).exists()
    assert (media_root / second.file_path).exists()

    response = auth_client.post(f"/media/{second.id}/delete")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/goals/{goal}#attachments-goal-{goal}")
    assert media_rows(app) == [] and stored_files(media_root) == []


def test_every_attachment_change_names_media_changed(app, auth_client, goal):
    uploaded = send(auth_client, goal, ("a.png", image_bytes()), ("b.png", image_bytes()), headers=HX)
    first, second = media_rows(app)
    described = auth_client.post(f"/media/{first.id}/alt", data={"alt_text": "A dog"}, headers=HX)
    deleted = auth_client.post(f"/media/{first.id}/delete", headers=HX)
    from_gallery = auth_client.post(f"/media/{second.id}/delete", data={"view": "gallery"}, headers=HX)
    for answer in (uploaded, described, deleted, from_gallery):
        assert answer.status_code == 200 and answer.headers.get("HX-Trigger") == "media-changed", answer.request.path
    assert 'id="media-gallery"' in from_gallery.get_data(as_text=True)
    refused = send(auth_client, goal, headers=HX)
    assert refused.status_code == 422 and "HX-Trigger" not in refused.headers


def test_the_attachments_section_and_the_gallery_reload_themselves_on_media_changed(auth_client, goal):
    section = auth_client.get(f"/goals/{goal}").get_data(as_text=True)
    assert (f'hx-get="/media/for/goal/{goal}"\n         hx-trigger="media-changed from:body" data-follows'
            in section)
    region = auth_client.get(f"/media/for/goal/{goal}", headers=HX).get_data(as_text=True)
    assert region.lstrip().startswith(f'<section id="attachments-goal-{goal}"') and "<html" not in region
    gallery = auth_client.get("/media/").get_data(as_text=True)
    assert 'hx-trigger="media-changed from:body" data-follows' in gallery
