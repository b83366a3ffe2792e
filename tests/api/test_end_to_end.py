"""As a user would: make a token on the settings page, tick a habit or add a weight with it, and see it
on Today and the progress pages."""

import re

from tests.conftest import HX


def _token_from(html: str) -> str:
    match = re.search(r'id="new-token-value"[^>]*value="(lm_[A-Za-z0-9_-]{43})"', html)
    assert match, "the new token is not on the page"
    return match.group(1)


def test_a_token_made_in_settings_ticks_a_habit_that_today_then_shows(app, client, calm_user):
    auth_client = app.test_client()
    auth_client.login(calm_user["email"])
    assert auth_client.post("/habits/new", data={"name": "Meditate", "frequency": "daily",
                                                 "habit_type": "yes_no"}).status_code == 303
    page = auth_client.get("/settings/tokens").get_data(as_text=True)
    assert "New token" in page and "No tokens yet." in page

    answer = auth_client.post("/settings/tokens", data={"name": "Phone shortcut", "access": ["read", "write"],
                                                       "areas": ["habits"], "expires": "30"}, headers=HX)
    assert answer.status_code == 200
    secret = _token_from(answer.get_data(as_text=True))
    # Shown once: the page never shows it again.
    assert secret not in auth_client.get("/settings/tokens").get_data(as_text=True)

    headers = {"Authorization": f"Bearer {secret}"}
    habits = client.get("/api/v1/habits", headers=headers).get_json()["items"]
    assert [h["name"] for h in habits] == ["Meditate"]
    day = client.put(f"/api/v1/habits/{habits[0]['id']}/days/{_today(app, calm_user)}", json={"state": "done"},
                     headers=headers)
    assert day.status_code == 200 and day.get_json()["completed"] is True

    today = auth_client.get("/").get_data(as_text=True)
    checkbox = re.search(rf'<input type="checkbox" id="check-{habits[0]["id"]}"[^>]*>', today).group(0)
    assert "checked" in checkbox
    # And the settings page says it was used, and from where.
    listing = auth_client.get("/settings/tokens").get_data(as_text=True)
    assert "Phone shortcut" in listing and "from 127.0.0.1" in listing


def test_a_token_made_in_settings_adds_a_weight_that_the_body_pages_then_show(app, client, calm_user):
    auth_client = app.test_client()
    auth_client.login(calm_user["email"])
    answer = auth_client.post("/settings/tokens", data={"name": "Scale", "access": ["read", "write"],
                                                       "areas": ["measurements"], "expires": "30"}, headers=HX)
    headers = {"Authorization": f"Bearer {_token_from(answer.get_data(as_text=True))}"}
    today = _today(app, calm_user)
    assert "No weight recorded yet." in auth_client.get("/").get_data(as_text=True)

    added = client.post("/api/v1/measurements", json={"weight": 81.4}, headers=headers)
    assert added.status_code == 201 and added.get_json()["measured_on"] == today
    # Only the areas chosen on the settings page: this token reads no habits.
    assert client.get("/api/v1/habits", headers=headers).status_code == 403

    body = re.search(r'<section id="today-body".*?</section>', auth_client.get("/").get_data(as_text=True), re.DOTALL).group(0)
    assert "No weight recorded yet." not in body and "<strong>81.4 kg</strong>" in body
    region = auth_client.get(f"/progress/today-body?day={today}", headers=HX).get_data(as_text=True)
    assert "<strong>81.4 kg</strong>" in region
    log = auth_client.get("/progress/measurements").get_data(as_text=True)
    assert "<td>81.4 kg</td>" in log


def _today(app, calm_user) -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(calm_user["zone"])).date().isoformat()
