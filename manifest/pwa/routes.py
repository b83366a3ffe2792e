from flask import Response, current_app, render_template, url_for

from manifest.pwa import assets, bp

THEME_COLOR = "#4f46e5"  # --accent
BACKGROUND_COLOR = "#f6f7fb"  # --bg


def web_app_manifest() -> dict:
    icons = url_for("static", filename="img/icons/icon-192.png")
    return {
        "id": "/",
        "name": "Let's Manifest",
        "short_name": "Manifest",
        "description": "Habits, goals, food, workouts, reviews and a journal in one place.",
        "start_url": url_for("today.index"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": icons, "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": url_for("static", filename="img/icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any"},
            {"src": url_for("static", filename="img/icons/maskable-512.png"), "sizes": "512x512",
             "type": "image/png", "purpose": "maskable"},
        ],
        "shortcuts": [
            {"name": "Today", "url": url_for("today.index"), "icons": [{"src": icons, "sizes": "192x192"}]},
            {"name": "Food", "short_name": "Food", "url": url_for("nutrition.day"),
             "icons": [{"src": icons, "sizes": "192x192"}]},
            {"name": "Today's review", "short_name": "Review", "url": url_for("reviews.today"),
             "icons": [{"src": icons, "sizes": "192x192"}]},
        ],
    }


@bp.get("/manifest.webmanifest")
def manifest():
    response = current_app.json.response(web_app_manifest())
    response.mimetype = "application/manifest+json"
    return response


def _offline_page() -> str:
    return render_template("pwa/offline.html")


@bp.get("/offline")
def offline():
    """What the service worker shows for a page it cannot fetch: nothing private, no form."""
    return _offline_page()


@bp.get("/sw.js")
def service_worker():
    static = current_app.static_folder
    files = assets.shell_files(static)
    body = render_template(
        "pwa/sw.js",
        version=assets.version(static, files, _offline_page().encode()),
        shell=[url_for("static", filename=name) for name in files],
        offline=url_for("pwa.offline"),
        act=url_for("notifications.push_act"),
    )
    response = Response(body, mimetype="text/javascript")
    # Browsers check for a new worker on every visit; the file itself is never kept (no-store is
    # set for every non-static answer), so a new version is seen at once.
    response.headers["Service-Worker-Allowed"] = "/"
    return response
