"""The pure rules: file kinds from bytes, safe labels, sizes in words."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from manifest.media import logic
from tests.media.conftest import image_bytes


@pytest.mark.parametrize(("data", "kind"), [
    (image_bytes("JPEG"), "image/jpeg"),
    (image_bytes("PNG"), "image/png"),
    (image_bytes("GIF"), "image/gif"),
    (image_bytes("WEBP"), "image/webp"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf"),
    (b"Shopping list\n- eggs\n- milk\n", "text/plain"),
    ("Grüße aus Köln\n".encode(), "text/plain"),
])
def test_accepted_kinds_are_told_by_their_bytes(data, kind):
    assert logic.sniff(data) == kind


@pytest.mark.parametrize("data", [
    b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    b"  <html><body>hi</body></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b'<?xml version="1.0"?><svg/>',
    b"notes\n<script>alert(1)</script>",
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",  # a Windows executable
    b"\x7fELF\x02\x01\x01\x00",  # a Linux executable
    b"PK\x03\x04\x14\x00",  # a zip
    b"",
    b"\xff\xfe\x00\x00 not utf-8 \xc3\x28",
])
def test_everything_else_is_refused(data):
    with pytest.raises(logic.Refused):
        logic.sniff(data)


@pytest.mark.parametrize(("name", "shown"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\boot.ini", "boot.ini"),
    ("holiday photo.jpg", "holiday photo.jpg"),
    ("evil\r\nContent-Type: image.jpg", "evil Content-Type: image.jpg"),
    ("   ", "attachment"),
    ("..", "attachment"),
    (None, "attachment"),
    ("a\u202egpj.exe", "a gpj.exe"),
])
def test_labels_keep_only_a_safe_last_part(name, shown):
    assert logic.label(name) == shown


@given(st.text(max_size=600))
def test_a_label_is_never_a_path_or_control_text_and_always_fits(name):
    shown = logic.label(name)
    assert 0 < len(shown) <= logic.MAX_LABEL
    assert "/" not in shown and "\\" not in shown
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in shown)
    assert shown == shown.strip()


def test_long_labels_keep_their_extension():
    shown = logic.label("x" * 400 + ".pdf")
    assert len(shown) == logic.MAX_LABEL and shown.endswith(".pdf")


@pytest.mark.parametrize(("name", "kind", "offered"), [
    ("scan.pdf", "application/pdf", "scan.pdf"),
    ("scan", "application/pdf", "scan.pdf"),
    ("notes.html", "text/plain", "notes.txt"),
    ("photo.JPEG", "image/jpeg", "photo.JPEG"),
    ("anim.gif", "image/png", "anim.png"),
])
def test_download_names_carry_the_real_extension(name, kind, offered):
    assert logic.download_name(name, kind) == offered


@pytest.mark.parametrize(("size", "words"), [
    (0, "0 bytes"), (1, "1 byte"), (1023, "1023 bytes"), (1536, "1.5 KB"),
    (10 * 1024 * 1024, "10 MB"), (500 * 1024 * 1024, "500 MB"), (3 * 1024**3, "3.0 GB"),
])
def test_sizes_in_words(size, words):
    assert logic.human_size(size) == words


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=100),
       st.one_of(st.none(), st.integers(min_value=-5, max_value=10**5)))
def test_a_clamped_page_always_exists(total, per_page, page):
    chosen = logic.clamp_page(page, total, per_page)
    assert 1 <= chosen <= logic.page_count(total, per_page)
    assert (chosen - 1) * per_page <= max(total - 1, 0)
