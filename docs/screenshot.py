"""Take the README's screenshot again: the demo account's Today page at 1280 px, in Chromium.

    .venv/bin/python docs/screenshot.py            # writes docs/screenshot.png
    .venv/bin/python docs/screenshot.py --out /tmp/today.png --days 120

Seeds the demo account into a temporary SQLite database, serves the app on a loopback port from
this process, signs in through the login form and saves the whole page. Nothing outside the
temporary folder (and the output file) is touched.

The habits' icons are emoji: without a colour emoji font every one of them is an empty box.
On Debian or Ubuntu: apt-get install -y fonts-noto-color-emoji (.ci/run installs it too). The
script refuses to run without one rather than take a broken picture.
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
DEMO_EMAIL, DEMO_PASSWORD = "demo@example.com", "demo-password-123"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png", help="where to save the PNG")
    parser.add_argument("--width", type=int, default=1280, help="window width in px (default 1280)")
    parser.add_argument("--days", type=int, default=365, help="days of demo history (default 365)")
    parser.add_argument("--chromium", default=CHROMIUM, help=f"the browser to drive (default {CHROMIUM})")
    return parser.parse_args(argv)


def has_emoji_font() -> bool:
    try:
        found = subprocess.run(["fc-list", ":charset=1f9d8", "family"], capture_output=True, text=True, check=False)
    except FileNotFoundError:  # no fontconfig tools: let the browser try
        return True
    return bool(found.stdout.strip())


def seed(env: dict, days: int) -> None:
    for args in (["db", "upgrade"], ["seed-demo", "--days", str(days)]):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def serve(env: dict):
    """The app in a thread of this process on a free loopback port; returns (server, base URL)."""
    os.environ.update(env)  # config.py reads the environment when it is imported
    sys.path.insert(0, str(ROOT))
    from werkzeug.serving import WSGIRequestHandler, make_server

    from manifest import create_app

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):  # one line per stylesheet says nothing here
            pass

    server = make_server("127.0.0.1", 0, create_app(), threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, name="screenshot-server", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def shoot(base_url: str, out: Path, width: int, chromium: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(base_url=base_url, viewport={"width": width, "height": 900},
                                    locale="en-GB", color_scheme="light")
            page.goto("/login")
            page.get_by_label("Email or username").fill(DEMO_EMAIL)
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{base_url}/")
            page.wait_for_load_state("networkidle")  # the regions that load themselves, the bell
            page.evaluate("document.fonts.ready")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=True)
        finally:
            browser.close()


def main(argv=None) -> int:
    args = parse_args(argv)
    if not has_emoji_font():
        print("No colour emoji font: the habits' icons would be empty boxes. "
              "Install one first: apt-get install -y fonts-noto-color-emoji", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="manifest-screenshot-") as tmp:
        env = {
            **os.environ, "APP_ENV": "development", "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'demo.db'}", "MEDIA_ROOT": str(Path(tmp) / "media"),
            "HUEY_SQLITE_PATH": str(Path(tmp) / "huey.db"),
        }
        for name in ("REDIS_URL", "TRUSTED_HOSTS"):  # no queue server, and this host is 127.0.0.1
            env.pop(name, None)
            os.environ.pop(name, None)
        seed(env, args.days)
        server, base_url = serve(env)
        try:
            shoot(base_url, args.out.resolve(), args.width, args.chromium)
        finally:
            server.shutdown()
    print(f"Saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
