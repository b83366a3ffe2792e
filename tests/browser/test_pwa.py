"""The installable app in Chromium: the manifest and service worker pass Chromium's installability
check and control the page, the offline page shows when the server is down, a push notification's
Done button (handled by the service worker) ticks the habit and Today shows it at once, and the
devices list in the settings."""

import json
import re
import threading
import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from manifest.extensions import db
from manifest.models import Habit, HabitEntry, Notification, PushSubscription
from manifest.notifications import push
from manifest.timeutil import local_today

from .conftest import DESKTOP, PHONE

MARKER = 42


def wait_for_control(page) -> None:
    """Wait until the service worker is active, then reload so it controls the page."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_the_app_is_installable_and_its_service_worker_controls_the_page(open_page, user, log_in):
    page = open_page(PHONE)
    log_in(page, user["username"])
    wait_for_control(page)
    assert page.evaluate("() => navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")
    assert page.evaluate("() => navigator.serviceWorker.ready.then(r => r.scope)").endswith("/")
    manifest = page.evaluate("""async () => {
        const link = document.querySelector('link[rel=manifest]');
        return (await fetch(link.href)).json();
    }""")
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    # Chromium's own verdict on the manifest, icons and worker. Playwright's contexts are incognito
    # windows, where nothing can be installed: that one is the test browser's, not the app's.
    cdp = page.context.new_cdp_session(page)
    errors = [e for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
              if e["errorId"] != "in-incognito"]
    assert errors == [], errors
    manifest_info = cdp.send("Page.getAppManifest")
    assert manifest_info.get("errors", []) == [], manifest_info["errors"]
    # The shell is cached under a versioned name; pages are not cached at all.
    names = page.evaluate("() => caches.keys()")
    assert len(names) == 1 and names[0].startswith("manifest-shell-")
    cached = page.evaluate("async (name) => (await (await caches.open(name)).keys()).map(r => new URL(r.url).pathname)",
                           names[0])
    assert "/static/css/app.css" in cached and "/offline" in cached
    assert "/" not in cached and "/notifications/settings" not in cached


def test_a_new_version_of_the_static_files_replaces_the_old_cache(open_page, monkeypatch):
    from manifest.pwa import assets

    page = open_page(DESKTOP)
    page.goto("/login")
    wait_for_control(page)
    [old] = page.evaluate("() => caches.keys()")
    page.evaluate("() => caches.open('manifest-shell-0000000000000000')")  # one left from long ago
    # A changed static file changes the worker's version: the browser installs the new worker,
    # which takes over and deletes every older cache.
    monkeypatch.setattr(assets, "version", lambda *args: "feedfacecafebeef")
    page.evaluate("() => navigator.serviceWorker.ready.then((r) => r.update())")
    page.wait_for_function("""async () => {
        const names = await caches.keys();
        return names.length === 1 && names[0] === 'manifest-shell-feedfacecafebeef';
    }""")
    assert old != "manifest-shell-feedfacecafebeef"


@pytest.fixture
def own_server(app):
    """The app on a port of its own, which the test can stop: the server going down."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state = {"running": True}

    def stop():
        if state["running"]:
            server.shutdown()
            server.server_close()
            state["running"] = False

    yield f"http://127.0.0.1:{server.server_port}", stop
    stop()


def test_the_offline_page_shows_when_the_server_is_down(browser, own_server, browser_errors):
    base, stop = own_server
    context = browser.new_context(base_url=base, viewport=PHONE)
    try:
        page = context.new_page()
        browser_errors.watch(page)
        page.goto("/login")
        wait_for_control(page)
        stop()
        browser_errors.allow(r"ERR_CONNECTION_REFUSED|Failed to fetch|FetchEvent")
        page.goto("/habits")
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
        expect(page.get_by_role("link", name="Try again")).to_be_visible()
        # Its styles come from the cache too: the accent-coloured button, not a browser default link.
        background = page.get_by_role("link", name="Try again").evaluate("e => getComputedStyle(e).backgroundColor")
        assert background == "rgb(79, 70, 229)"
    finally:
        context.close()


def _habit_with_reminder(app, user_id) -> tuple[uuid.UUID, dict]:
    """Meditate, and the push its reminder sends (as push.payload builds it, tokens and all)."""
    with app.app_context():
        habit = Habit(user_id=user_id, name="Meditate")
        db.session.add(habit)
        db.session.flush()
        from manifest.models import User

        day = local_today(db.session.get(User, user_id))
        notification = Notification(user_id=user_id, kind="habit", dedupe_key=f"habit:{habit.id}:{day}",
                                    title="Meditate", message="Time for Meditate (07:00).",
                                    link=f"/?day={day.isoformat()}#habit-{habit.id}",
                                    scheduled_at=datetime.now(UTC), status="sent")
        db.session.add(notification)
        db.session.commit()
        return habit.id, push.payload(notification)


def _done_entries(app, habit_id) -> int:
    with app.app_context():
        return db.session.query(HabitEntry).filter_by(habit_id=habit_id, completed=True).count()


def test_done_in_a_push_notification_ticks_the_habit_and_today_shows_it(open_page, app, user, log_in):
    habit_id, payload = _habit_with_reminder(app, user["id"])
    page = open_page(PHONE)
    page.context.grant_permissions(["notifications"])
    log_in(page, user["username"])
    wait_for_control(page)
    checkbox = page.get_by_label("Meditate — done today")
    expect(checkbox).not_to_be_checked()
    page.evaluate(f"window.__marker = {MARKER}")

    [worker] = page.context.service_workers
    # The worker shows the push as it arrived, then its Done button is pressed: the worker's own
    # handler calls the action endpoint with the notification's token (no cookie sent).
    worker.evaluate("""async (payload) => {
        await show(payload);
        const [notification] = await self.registration.getNotifications({ tag: payload.tag });
        const data = notification ? notification.data : { url: payload.url, tokens: Object.fromEntries(
            payload.actions.map((a) => [a.action, a.token])) };
        if (notification) notification.close();
        await handleClick("done", data);
    }""", payload)

    expect(checkbox).to_be_checked()
    expect(page.locator("#flashes")).to_contain_text("Meditate: done")
    assert page.evaluate("window.__marker") == MARKER, "Today reloaded instead of updating in place"
    assert _done_entries(app, habit_id) == 1

    # The same button again: refused by the server, the worker says so, nothing changes.
    worker.evaluate("""async (payload) => {
        await handleClick("done", { url: payload.url, tokens: { done: payload.actions[0].token } });
    }""", payload)
    assert _done_entries(app, habit_id) == 1


def test_a_click_on_the_notification_body_opens_the_app_at_its_place(open_page, app, user, log_in, live_server):
    habit_id, payload = _habit_with_reminder(app, user["id"])
    page = open_page(DESKTOP)
    log_in(page, user["username"])
    page.goto("/habits")
    wait_for_control(page)
    [worker] = page.context.service_workers
    worker.evaluate("(payload) => handleClick('', { url: payload.url, tokens: {} })", payload)
    expect(page).to_have_url(live_server + payload["url"])
    expect(page.locator(f"#habit-{habit_id}")).to_be_visible()


@pytest.fixture
def push_keys(app, monkeypatch):
    with app.app_context():
        public, private = push.new_key_pair()
    monkeypatch.setitem(app.config, "VAPID_PUBLIC_KEY", public)
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", private)
    return public


def test_the_devices_list_removes_a_device_in_place(open_page, app, user, log_in, push_keys):
    with app.app_context():
        for name in ("Old phone", "Laptop"):
            db.session.add(PushSubscription(user_id=user["id"], endpoint=f"https://fcm.googleapis.com/fcm/send/{name}",
                                            p256dh="k", auth="a", name=name))
        db.session.commit()
    page = open_page(PHONE)
    log_in(page, user["username"])
    page.goto("/notifications/settings")
    page.evaluate(f"window.__marker = {MARKER}")
    devices = page.locator("#push-devices")
    expect(devices).to_contain_text("Old phone")
    expect(page.get_by_role("button", name="Notify this device")).to_be_visible()
    expect(page.get_by_label("Name of this device")).not_to_have_value("")
    page.get_by_role("button", name="Remove Old phone").click()
    expect(devices).not_to_contain_text("Old phone")
    expect(devices).to_contain_text("Laptop")
    assert page.evaluate("window.__marker") == MARKER
    with app.app_context():
        assert [d.name for d in db.session.query(PushSubscription)] == ["Laptop"]


def test_notify_this_device_says_why_when_the_browser_cannot_subscribe(open_page, app, user, log_in, push_keys,
                                                                       browser_errors):
    """Chromium refuses push in its incognito windows (Playwright's contexts are such), so subscribing
    fails: the page says so and adds nothing (the client tests post a real browser's subscription)."""
    browser_errors.allow(r"does not support the Push API in incognito mode")
    page = open_page(PHONE)
    page.context.grant_permissions(["notifications"])
    log_in(page, user["username"])
    page.goto("/notifications/settings")
    page.get_by_role("button", name="Notify this device").click()
    expect(page.locator("[data-push-status]")).to_have_text(
        "This browser refused: notifications are blocked for this site, or this is a private window.")
    expect(page.get_by_role("button", name="Notify this device")).to_be_enabled()
    expect(page.locator("#push-devices")).to_contain_text("No device gets push notifications yet.")
    with app.app_context():
        assert db.session.query(PushSubscription).count() == 0


def test_logging_out_unsubscribes_this_device_and_forgets_it(open_page, app, user, log_in):
    """Chromium's test windows cannot hold a real push subscription, so the browser's push manager is
    replaced by one that hands out a known subscription and records that it was dropped."""
    endpoint = "https://fcm.googleapis.com/fcm/send/this-phone"
    with app.app_context():
        for name, url in (("This phone", endpoint), ("Laptop", "https://fcm.googleapis.com/fcm/send/laptop")):
            db.session.add(PushSubscription(user_id=user["id"], endpoint=url, p256dh="k", auth="a", name=name))
        db.session.commit()
    page = open_page(DESKTOP)
    page.add_init_script("""
        PushManager.prototype.getSubscription = function () {
            return Promise.resolve({
                endpoint: ENDPOINT,
                unsubscribe: () => { localStorage.setItem("unsubscribed", "yes"); return Promise.resolve(true); },
            });
        };
    """.replace("ENDPOINT", json.dumps(endpoint)))
    log_in(page, user["username"])
    wait_for_control(page)
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_text("You have been logged out.")).to_be_visible()
    assert page.evaluate("localStorage.getItem('unsubscribed')") == "yes"
    with app.app_context():
        assert [d.name for d in db.session.query(PushSubscription)] == ["Laptop"]
