"""The installable app: the web app manifest, the service worker and the offline page, all public
and free of private data; the worker's cache version follows the static files' contents."""

import io
import json
import re
from pathlib import Path

from PIL import Image

from manifest.pwa import assets

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data())
    assert manifest["name"] == "Let's Manifest" and manifest["short_name"] == "Manifest"
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"]) and re.fullmatch(r"#[0-9a-f]{6}",
                                                                                manifest["background_color"])
    icons = {(icon["sizes"], icon["purpose"]): icon["src"] for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for (sizes, _), src in icons.items():
        image = client.get(src)
        assert image.status_code == 200 and image.mimetype == "image/png"
        width, height = Image.open(io.BytesIO(image.get_data())).size
        assert f"{width}x{height}" == sizes
    shortcuts = {s["name"]: s["url"] for s in manifest["shortcuts"]}
    assert shortcuts == {"Today": "/", "Food": "/food/", "Today's review": "/reviews/today"}
    for url in shortcuts.values():
        assert client.get(url).status_code == 302  # real pages, behind the login


def test_every_page_links_the_manifest_and_the_worker_script(auth_client, client):
    for page in (auth_client.get("/").get_data(as_text=True), client.get("/login").get_data(as_text=True)):
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page
        assert 'src="/static/js/pwa.js" data-service-worker="/sw.js"' in page
        assert '<meta name="theme-color" content="#4f46e5">' in page


def test_the_service_worker_is_served_from_the_root_with_the_shell_to_cache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', body).group(1)
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", body).group(1))
    assert {"/static/css/app.css", "/static/js/app.js", "/static/vendor/htmx-2.0.11.min.js",
            "/static/img/icons/icon-192.png"} <= set(shell)
    for url in shell:
        assert client.get(url).status_code == 200, url
    assert '"/offline"' in body and '"/notifications/push/act"' in body
    assert client.get("/sw.js").get_data(as_text=True) == body  # stable while nothing changes
    assert version


def test_the_cache_version_changes_with_any_static_file(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "js").mkdir()
    (tmp_path / "css" / "app.css").write_text("body { color: red }")
    (tmp_path / "js" / "app.js").write_text("1")
    (tmp_path / "js" / "notes.txt").write_text("not part of the shell")
    files = assets.shell_files(str(tmp_path))
    assert files == ["css/app.css", "js/app.js"]
    first = assets.version(str(tmp_path), files, b"offline page")
    assert assets.version(str(tmp_path), files, b"offline page") == first
    (tmp_path / "css" / "app.css").write_text("body { color: blue }")
    assert assets.version(str(tmp_path), files, b"offline page") != first
    assert assets.version(str(tmp_path), files, b"another offline page") != assets.version(
        str(tmp_path), files, b"offline page")


def test_the_worker_never_caches_pages_or_answers_from_the_server():
    source = (ROOT / "templates" / "pwa" / "sw.js").read_text()
    # Exactly one place writes to the cache: the shell, at install.
    assert source.count("cache.addAll(") == 1
    assert ".put(" not in source


def test_the_offline_page_is_public_and_holds_nothing_private(client, auth_client):
    response = client.get("/offline")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "You are offline" in page and 'src="/static/js/offline.js"' in page
    assert "csrf" not in page.lower() and "<form" not in page
    assert "Set-Cookie" not in response.headers
    assert auth_client.get("/offline").get_data(as_text=True) == page  # the same for everyone


def test_the_app_pages_declare_no_inline_script(auth_client):
    page = auth_client.get("/notifications/settings").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_the_workers_version_follows_the_files_without_rereading_them(tmp_path, monkeypatch):
    from pathlib import Path

    from manifest.pwa import assets

    (tmp_path / "css").mkdir()
    sheet = tmp_path / "css" / "app.css"
    sheet.write_text("body { color: black }")
    files = assets.shell_files(str(tmp_path))
    first = assets.version(str(tmp_path), files)
    reads = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real_read(self))
    assert assets.version(str(tmp_path), files) == first and reads == []  # asked again: nothing read
    sheet.write_text("body { color: navy; }")  # another size, so seen as changed
    assert assets.version(str(tmp_path), files) != first and reads == [sheet]
