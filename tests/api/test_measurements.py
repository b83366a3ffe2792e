"""Body measurements and the progress figures through the API: the pages' form, rules and messages."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Measurement, User
from tests.api.conftest import bearer


def _today():
    return datetime.now(UTC).date()  # the token's owner lives in UTC


def _errors(response) -> dict:
    assert response.status_code == 422, response.get_data(as_text=True)
    return response.get_json()["errors"]


def _rows(app) -> list[tuple]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(sa.select(
            Measurement.measured_on, Measurement.weight, Measurement.weight_unit, Measurement.body_fat_percentage,
            Measurement.waist, Measurement.note).order_by(Measurement.measured_on))]


def test_a_weight_is_added_for_today_in_the_users_unit(app, api, user):
    with app.app_context():
        db.session.get(User, user["id"]).weight_unit = "lbs"
        db.session.commit()
    answer = api.post("/api/v1/measurements", json={"weight": 172.44, "note": " after run "})
    assert answer.status_code == 201
    body = answer.get_json()
    assert (body["measured_on"], body["weight"], body["weight_unit"], body["waist"]) == (
        _today().isoformat(), 172.44, "lbs", None)
    assert answer.headers["Location"].endswith(f"/api/v1/measurements/{body['id']}")
    assert api.get(answer.headers["Location"]).get_json() == body
    assert _rows(app) == [(_today(), Decimal("172.44"), "lbs", None, None, "after run")]


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"note": "nothing measured"}, "weight", "Enter a weight, a body fat percentage or a waist measurement."),
    ({"weight": 0}, "weight", "Enter a weight between 0.1 and 1500."),
    ({"weight": 1501}, "weight", "Enter a weight between 0.1 and 1500."),
    ({"body_fat": 80}, "body_fat", "Enter a percentage between 1 and 75."),
    ({"waist": 501}, "waist", "Enter a waist between 1 and 500."),
    ({"weight": 80, "note": "x" * 501}, "note", "Field cannot be longer than 500 characters."),
    ({"weight": "heavy"}, "weight", "Enter a number, e.g. 2.5."),
    ({"weight": 80, "measured_on": "2026-02-30"}, "measured_on", "Enter a real date, e.g. 2025-03-31."),
    ({"weight": 80, "origin": "today"}, "origin", "Unknown field."),
])
def test_refused_measurements_get_the_forms_messages_and_save_nothing(app, api, body, field, message):
    assert _errors(api.post("/api/v1/measurements", json=body))[field] == [message]
    assert _rows(app) == []


def test_a_day_not_yet_come_is_refused_on_its_field(app, api):
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    assert _errors(api.post("/api/v1/measurements", json={"weight": 80, "measured_on": tomorrow}))["measured_on"] == [
        "That day has not happened yet."]
    assert _rows(app) == []


def test_a_measurement_is_replaced_and_deleted(app, api):
    day = (_today() - timedelta(days=3)).isoformat()
    made = api.post("/api/v1/measurements", json={"weight": 80, "waist": 90, "measured_on": day}).get_json()
    url = f"/api/v1/measurements/{made['id']}"
    changed = api.put(url, json={"body_fat": 21.54, "measured_on": day})
    assert changed.status_code == 200
    body = changed.get_json()
    # Replaced: what was left out is cleared, as the form's empty fields would.
    assert (body["weight"], body["weight_unit"], body["body_fat_percentage"], body["waist"], body["waist_unit"]) == (
        None, None, 21.5, None, None)
    assert _errors(api.put(url, json={"note": "only a note", "measured_on": day}))["weight"] == [
        "Enter a weight, a body fat percentage or a waist measurement."]
    future = (_today() + timedelta(days=1)).isoformat()
    assert _errors(api.put(url, json={"weight": 70, "measured_on": future}))["measured_on"] == [
        "That day has not happened yet."]
    assert _rows(app) == [(_today() - timedelta(days=3), None, None, Decimal("21.5"), None, None)]
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    assert _rows(app) == []


def test_the_list_pages_newest_day_first_between_two_days(api):
    days = [(_today() - timedelta(days=n)).isoformat() for n in range(5)]
    for n, day in enumerate(days):
        api.post("/api/v1/measurements", json={"weight": 80 + n, "measured_on": day})
    seen, url = [], "/api/v1/measurements?limit=2"
    while url:
        page = api.get(url)
        seen += [m["measured_on"] for m in page.get_json()["items"]]
        url = page.get_json()["next"]
        assert (page.headers.get("Link") is not None) == (url is not None)
    assert seen == days
    between = api.get(f"/api/v1/measurements?from={days[3]}&to={days[1]}").get_json()["items"]
    assert [m["measured_on"] for m in between] == days[1:4]
    assert api.get("/api/v1/measurements?from=yesterday").status_code == 422


def test_a_retried_weigh_in_with_its_key_is_saved_once(app, api):
    headers = {"Idempotency-Key": "scale-2026-12-05"}
    first = api.post("/api/v1/measurements", json={"weight": 80}, headers=headers)
    again = api.post("/api/v1/measurements", json={"weight": 80}, headers=headers)
    assert first.status_code == again.status_code == 201 and again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(_rows(app)) == 1


def test_another_users_measurement_answers_404_and_stays(app, api, make_token, other_user):
    theirs = make_token(other_user)
    made = api.post("/api/v1/measurements", json={"weight": 80}).get_json()
    url = f"/api/v1/measurements/{made['id']}"
    client = app.test_client()
    assert client.get(url, headers=bearer(theirs)).status_code == 404
    assert client.put(url, json={"weight": 1}, headers=bearer(theirs)).status_code == 404
    assert client.delete(url, headers=bearer(theirs)).status_code == 404
    assert client.get("/api/v1/measurements", headers=bearer(theirs)).get_json()["items"] == []
    assert _rows(app)[0][1] == 80


def test_a_token_for_other_areas_may_not_touch_measurements(app, make_token, user):
    secret = make_token(user, areas=("habits",))
    client = app.test_client()
    assert client.get("/api/v1/measurements", headers=bearer(secret)).status_code == 403
    read_only = make_token(user, access=("read",), areas=("measurements",))
    assert client.get("/api/v1/measurements", headers=bearer(read_only)).status_code == 200
    assert client.post("/api/v1/measurements", json={"weight": 80}, headers=bearer(read_only)).status_code == 403


# --- the progress figures --------------------------------------------------------------------------

def test_the_progress_figures_are_the_pages_with_the_current_period_in_progress(app, api, auth_client):
    api.post("/api/v1/measurements", json={"weight": 81.5})
    api.post("/api/v1/workouts", json={"workout_type": "strength", "duration_minutes": 40})
    answer = api.get("/api/v1/progress/weeks")
    assert answer.status_code == 200
    body = answer.get_json()
    assert (body["kind"], body["current"], body["weight_unit"]) == ("weeks", "This week", "kg")
    assert 1 <= body["days_in"] <= body["days_total"] == 7
    periods = body["periods"]
    # A new account: its history starts this week, so no empty weeks come before it.
    assert len(periods) == 1 and periods[0]["in_progress"] is True
    now = periods[-1]
    assert now["start"] <= _today().isoformat() <= now["end"]
    assert (now["weight"], now["total_workouts"], now["total_workout_minutes"]) == (81.5, 1, 40)
    figures = {f["name"]: f for f in body["figures"]}
    assert figures["weight"]["now"] == 81.5 and figures["weight"]["unit"] == "kg"
    # A new account has no week before this one to compare with, as on the page.
    assert figures["total_workouts"]["previous"] == {"then": None, "change": None, "direction": "none",
                                                     "reason": "no data"}
    page = auth_client.get("/progress/?period=weekly").get_data(as_text=True)
    assert "This week" in page and "81.5" in page
    years = api.get("/api/v1/progress/years").get_json()
    assert years["current"] == "This year" and years["periods"][-1]["in_progress"] is True
    assert len(years["periods"]) == 1


def test_the_progress_years_start_at_the_first_recorded_day(app, api, user):
    first = _today().replace(month=1, day=1) - timedelta(days=30)  # December of last year
    with app.app_context():
        db.session.get(User, user["id"]).created_at = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
        db.session.commit()
    api.post("/api/v1/measurements", json={"weight": 81.5, "measured_on": first.isoformat()})
    years = api.get("/api/v1/progress/years").get_json()["periods"]
    assert [p["start"][:4] for p in years] == [str(first.year), str(first.year + 1)]
    months = api.get("/api/v1/progress/months").get_json()["periods"]
    assert months[0]["start"] == first.replace(day=1).isoformat()
    assert api.get("/api/v1/progress/days").status_code == 404


def test_body_fat_goes_in_under_the_name_it_comes_back_with(app, api):
    made = api.post("/api/v1/measurements", json={"body_fat_percentage": 18.5})
    assert made.status_code == 201, made.get_data(as_text=True)
    assert made.get_json()["body_fat_percentage"] == 18.5
    url = made.headers["Location"]
    changed = api.put(url, json={"body_fat_percentage": 19})
    assert changed.get_json()["body_fat_percentage"] == 19
    assert _errors(api.post("/api/v1/measurements", json={"body_fat_percentage": 80})) == {
        "body_fat_percentage": ["Enter a percentage between 1 and 75."]}
    assert _errors(api.post("/api/v1/measurements", json={"body_fat_percentage": "lean"})) == {
        "body_fat_percentage": ["Enter a number, e.g. 2.5."]}
    # The old name still works, and its refusals keep its name.
    assert api.post("/api/v1/measurements", json={"body_fat": 20}).get_json()["body_fat_percentage"] == 20
    assert _errors(api.post("/api/v1/measurements", json={"body_fat": 80})) == {
        "body_fat": ["Enter a percentage between 1 and 75."]}
    assert "body_fat" in _errors(api.post("/api/v1/measurements", json={"body_fat": 20, "body_fat_percentage": 20}))
    assert sorted(row[3] for row in _rows(app)) == [Decimal(19), Decimal(20)]


def test_the_document_names_body_fat_as_the_answer_does(client):
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert "body_fat_percentage" in spec["MeasurementIn"]["properties"]
    assert spec["MeasurementIn"]["properties"]["body_fat"].get("deprecated") is True
    assert "body_fat_percentage" in spec["Measurement"]["properties"]
