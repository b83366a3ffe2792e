"""The Today page: greeting, the user's local date, and who may see it."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from manifest.extensions import db
from manifest.models import User
from tests.conftest import HX

# UTC+14 and UTC-11: 25 hours apart, so their dates always differ, and each differs from UTC's
# date for most of the day. A page that used the server's or UTC's date cannot pass for both.
EAST, WEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"


def long_date(day: date) -> str:
    return f"{day:%A}, {day.day} {day:%B %Y}"


def greeting_for(hour: int) -> str:
    return "Good morning" if 5 <= hour < 12 else "Good afternoon" if 12 <= hour < 18 else "Good evening"


def set_columns(app, user_id, **values) -> None:
    with app.app_context():
        found = db.session.get(User, user_id)
        for name, value in values.items():
            setattr(found, name, value)
        db.session.commit()


def get_today(client, zone: str, path: str = "/", **kwargs):
    """The page, with what the clock in ``zone`` read just before and just after it was made."""
    before = datetime.now(ZoneInfo(zone))
    response = client.get(path, **kwargs)
    after = datetime.now(ZoneInfo(zone))
    return response, {before, after}


def shown_day(body: str) -> tuple[str, str]:
    """The ISO date and the words of the day the page is about."""
    match = re.search(r'<p class="today-date">.*?<time datetime="([^"]+)">([^<]+)</time>', body, re.DOTALL)
    assert match, body
    return match.group(1), match.group(2)


@pytest.mark.parametrize("zone", [EAST, WEST])
def test_today_shows_the_users_local_date_and_greeting(app, make_user, zone):
    make_user("kim", timezone=zone)
    client = app.test_client()
    client.login("kim")

    response, moments = get_today(client, zone)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    # Either side of a turn of the hour or day is right; nothing is frozen.
    assert shown_day(body) in {(m.date().isoformat(), long_date(m.date())) for m in moments}
    greetings = {f"{greeting_for(m.hour)}, kim" for m in moments}
    heading = re.search(r"<h1>(.*?)</h1>", body).group(1)
    assert heading in greetings


def test_two_users_far_apart_see_their_own_dates(app, make_user):
    make_user("east", timezone=EAST)
    make_user("west", timezone=WEST)
    east, west = app.test_client(), app.test_client()
    east.login("east")
    west.login("west")

    east_response, east_moments = get_today(east, EAST)
    west_response, west_moments = get_today(west, WEST)
    east_day = shown_day(east_response.get_data(as_text=True))[0]
    west_day = shown_day(west_response.get_data(as_text=True))[0]
    assert east_day in {m.date().isoformat() for m in east_moments}
    assert west_day in {m.date().isoformat() for m in west_moments}
    assert date.fromisoformat(east_day) - date.fromisoformat(west_day) in (timedelta(days=1), timedelta(days=2))


def test_a_changed_timezone_moves_the_date(app, auth_client, user):
    auth_client.post("/settings/profile", data={"timezone": EAST})
    east_day = shown_day(auth_client.get("/").get_data(as_text=True))[0]
    auth_client.post("/settings/profile", data={"timezone": WEST})
    response, moments = get_today(auth_client, WEST)
    west_day = shown_day(response.get_data(as_text=True))[0]
    assert west_day in {m.date().isoformat() for m in moments}
    assert west_day != east_day


def test_an_unknown_stored_timezone_falls_back_to_utc(app, auth_client, user):
    set_columns(app, user["id"], timezone="Mars/Olympus_Mons")
    response, moments = get_today(auth_client, "UTC")
    assert response.status_code == 200
    assert shown_day(response.get_data(as_text=True))[0] in {m.date().isoformat() for m in moments}


def test_greeting_uses_the_first_name_when_there_is_one(app, auth_client, user):
    assert re.search(r"<h1>Good \w+, ana</h1>", auth_client.get("/").get_data(as_text=True))
    set_columns(app, user["id"], first_name="Ana")
    assert re.search(r"<h1>Good \w+, Ana</h1>", auth_client.get("/").get_data(as_text=True))


def test_user_text_is_escaped(app, auth_client, user):
    set_columns(app, user["id"], first_name="<script>alert(1)</script>")
    body = auth_client.get("/").get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert re.search(r"<h1>Good \w+, &lt;script&gt;alert\(1\)&lt;/script&gt;</h1>", body)


def test_today_is_private_and_never_cached(auth_client):
    response = auth_client.get("/")
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_today_needs_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/"
    response = client.get("/", headers={**HX, "HX-Current-URL": "http://localhost/"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=/"


def test_a_boosted_navigation_gets_the_whole_page(auth_client):
    response = auth_client.get("/", headers={**HX, "HX-Boosted": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in body and "<h1>Good " in body


def test_a_history_restore_gets_the_whole_page(auth_client):
    response = auth_client.get("/", headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in response.get_data(as_text=True)


def test_an_htmx_request_gets_the_day_alone(auth_client):
    response = auth_client.get("/", headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body
    assert "<html" not in body
    assert 'id="today-main"' in body
    assert "<h1>Good " in body


def test_another_day_is_shown_with_a_way_back_to_today(app, make_user):
    make_user("kim", timezone=EAST)
    client = app.test_client()
    client.login("kim")
    yesterday = datetime.now(ZoneInfo(EAST)).date() - timedelta(days=1)

    response = client.get(f"/?day={yesterday.isoformat()}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert shown_day(body) == (yesterday.isoformat(), long_date(yesterday))
    assert re.search(r'<a href="/">Today</a>', body)


@pytest.mark.parametrize(("day", "message"), [
    *((day, "That is not a valid date; use YYYY-MM-DD.") for day in ("2026-02-30", "yesterday", "2026-1-5", "20260105")),
    ("2026-01-05\x00", "That address contains a character that is not allowed."),
])
def test_a_malformed_day_is_a_clear_400(auth_client, day, message):
    response = auth_client.get("/", query_string={"day": day})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    response = auth_client.get("/", query_string={"day": day}, headers=HX)
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#flashes"
