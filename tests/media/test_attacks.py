"""Hostile uploads are refused or contained, with a message, and leave no row and no file behind."""

import io

import pytest
from PIL import Image

from tests.conftest import HX
from tests.media.conftest import image_bytes, media_rows, send, stored_files, upload_url

HTML = b"<!doctype html><html><body><script>fetch('/settings').then(r => r.text())</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.domain)</script></svg>'
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4


def bomb(side: int) -> bytes:
    """A blank square image: tiny on disk, ``side``² pixels once decoded."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG", optimize=True)
    return out.getvalue()


def assert_nothing_kept(app, media_root):
    assert media_rows(app) == []
    assert stored_files(media_root) == []


@pytest.mark.parametrize(("name", "data", "message"), [
    ("cute-cat.jpg", HTML, "looks like a web page"),
    ("logo.svg", SVG, "looks like a web page"),
    ("logo.png", SVG, "looks like a web page"),
    ("photo.jpg", ELF, "not a supported kind of file"),
    ("photo.jpg", b"\xff\xd8\xff\xe0 this is no jpeg at all", "not a readable image"),
    ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a readable image"),
    ("archive.zip", b"PK\x03\x04" + b"\x00" * 100, "not a supported kind of file"),
    ("empty.txt", b"", "is empty"),
])
@pytest.mark.parametrize("headers", [{}, HX])
def test_disguised_and_dangerous_files_are_refused(app, auth_client, goal, media_root, name, data, message, headers):
    response = send(auth_client, goal, (name, data), headers=headers)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body and "Nothing was uploaded." in body
    assert ("<html" in body) is not bool(headers)
    assert_nothing_kept(app, media_root)


def test_the_browsers_claimed_type_is_ignored(app, auth_client, goal, media_root):
    data = {"files": [(io.BytesIO(HTML), "photo.jpg", "image/jpeg")]}
    response = auth_client.post(upload_url(goal), data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert_nothing_kept(app, media_root)


def test_one_bad_file_refuses_the_whole_batch(app, auth_client, goal, media_root):
    response = send(auth_client, goal, ("fine.png", image_bytes()), ("evil.jpg", HTML), headers=HX)
    assert response.status_code == 422
    assert "“evil.jpg” looks like a web page" in response.get_data(as_text=True)
    assert_nothing_kept(app, media_root)


def test_a_decompression_bomb_is_refused_with_a_message(app, auth_client, goal, media_root):
    data = bomb(20_000)  # 400 million pixels in a few dozen kilobytes
    assert len(data) < 100_000
    response = send(auth_client, goal, ("bomb.png", data), headers=HX)
    assert response.status_code == 422
    assert "too large an image" in response.get_data(as_text=True)
    assert_nothing_kept(app, media_root)


def test_images_over_the_pixel_cap_are_refused_before_decoding(app, auth_client, goal, media_root, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_MAX_PIXELS", 1_000_000)
    response = send(auth_client, goal, ("wide.png", bomb(1001)), headers=HX)
    assert response.status_code == 422
    assert "1001 × 1001 pixels" in response.get_data(as_text=True)
    assert_nothing_kept(app, media_root)
    assert send(auth_client, goal, ("ok.png", bomb(1000))).status_code == 303


@pytest.mark.parametrize("headers", [{}, HX])
def test_one_byte_over_the_size_limit_answers_413(app, auth_client, goal, media_root, monkeypatch, headers):
    monkeypatch.setitem(app.config, "MEDIA_MAX_BYTES", 2000)
    response = send(auth_client, goal, ("big.txt", b"a" * 2001), headers=headers)
    assert response.status_code == 413
    body = response.get_data(as_text=True)
    assert "“big.txt” is larger than the 2.0 KB allowed per file." in body
    if headers:
        assert response.headers["HX-Retarget"] == "#flashes"
        assert "<html" not in body
    assert_nothing_kept(app, media_root)
    assert send(auth_client, goal, ("fits.txt", b"a" * 2000)).status_code == 303


@pytest.mark.parametrize("headers", [{}, HX])
def test_a_request_over_the_whole_limit_answers_413_before_anything_is_read(
        app, auth_client, goal, media_root, monkeypatch, headers):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    response = send(auth_client, goal, ("huge.txt", b"a" * 10_000), headers=headers)
    assert response.status_code == 413
    body = response.get_data(as_text=True)
    assert "too large: each file may be at most 10 MB" in body
    assert ("<html" in body) is not bool(headers)
    assert_nothing_kept(app, media_root)


@pytest.mark.parametrize("name", ["../../../../etc/cron.d/evil", "..\\..\\windows\\evil.png", "/etc/passwd"])
def test_path_names_are_only_labels(app, auth_client, goal, media_root, tmp_path, name):
    response = send(auth_client, goal, (name, image_bytes()))
    assert response.status_code == 303
    [media] = media_rows(app)
    assert "/" not in media.file_name and "\\" not in media.file_name and ".." not in media.file_name
    for path in stored_files(tmp_path):
        assert path.is_relative_to(media_root)
    assert len(stored_files(media_root)) == 2
    disposition = auth_client.get(f"/media/{media.id}").headers.get("Content-Disposition", "")
    assert ".." not in disposition and "/" not in disposition


def test_too_many_files_at_once_are_refused(app, auth_client, goal, media_root):
    files = [(f"n{i}.txt", b"note\n") for i in range(21)]
    response = send(auth_client, goal, *files, headers=HX)
    assert response.status_code == 422
    assert "at most 20 files" in response.get_data(as_text=True)
    assert_nothing_kept(app, media_root)


def test_a_file_that_fails_to_save_in_the_database_leaves_no_file(app, auth_client, goal, media_root, monkeypatch):
    from manifest.extensions import db

    def broken_commit():
        raise RuntimeError("the database went away mid-insert")

    monkeypatch.setattr(db.session, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        send(auth_client, goal, ("a.png", image_bytes()), ("b.txt", b"hello\n"))
    monkeypatch.undo()
    assert stored_files(media_root) == []
    assert media_rows(app) == []
