"""Each area through the API: the pages' own rules and messages, cursor pages, ETags."""

import base64
import json
from datetime import date, timedelta

import pytest


def _errors(response) -> dict:
    assert response.status_code == 422, response.get_data(as_text=True)
    return response.get_json()["errors"]


@pytest.mark.parametrize(("url", "body", "field", "message"), [
    ("/api/v1/habits", {"name": "W", "habit_type": "numeric"}, "target_value", "A number habit needs a target, e.g. 8."),
    ("/api/v1/habits", {"name": "W", "frequency": "custom"}, "weekdays", "Pick at least one weekday."),
    ("/api/v1/habits", {"name": "W", "color": "red"}, "color", "Pick a color like #4f46e5."),
    ("/api/v1/goals", {"title": "G"}, "target_value", "Set a target to measure progress against, e.g. 12."),
    ("/api/v1/goals", {"title": "G", "goal_type": "life", "is_recurring": True, "target_value": 1},
     "is_recurring", "A life goal has no period, so it cannot repeat."),
    ("/api/v1/foods", {"food_name": "Oat", "meal_type": "lunch", "calories": 100000}, "calories",
     "Enter 0 to 99999 kcal."),
    ("/api/v1/foods", {"food_name": "Oat", "meal_type": "brunch"}, "meal_type", "Not a valid choice."),
    ("/api/v1/workouts", {"workout_type": "strength", "mood_before": 11}, "mood_before", "Rate from 1 to 10."),
    ("/api/v1/journal", {"title": "T", "slug": "Bad Slug!"}, "slug",
     "Use lowercase letters, digits and single hyphens, e.g. my-first-entry."),
    ("/api/v1/journal", {"content": "x"}, "title", "Give the entry a title."),
    ("/api/v1/habits", {"name": "W", "times_per_week": "three"}, "times_per_week", "Enter a whole number, e.g. 5."),
    ("/api/v1/habits", {"name": "W", "surprise": 1}, "surprise", "Unknown field."),
])
def test_creating_refuses_with_the_pages_messages(api, url, body, field, message):
    assert _errors(api.post(url, json=body))[field] == [message]


def test_a_habit_day_is_ticked_counted_skipped_and_noted(api):
    habit = api.post("/api/v1/habits", json={"name": "Water", "habit_type": "numeric", "target_value": 8,
                                             "unit": "glasses"}).get_json()
    day = date.today().isoformat()
    url = f"/api/v1/habits/{habit['id']}/days/{day}"
    assert api.put(url, json={"value": 8}).get_json()["completed"] is True
    assert api.put(url, json={"value": 3, "note": "thirsty"}).get_json() | {"current_streak": 0} == {
        "habit_id": habit["id"], "day": day, "completed": False, "skipped": False, "value": 3.0,
        "notes": "thirsty", "current_streak": 0}
    assert api.put(url, json={"skip": True}).get_json()["skipped"] is True
    assert _errors(api.put(url, json={"value": "lots"}))["value"] == ["Enter a number."]
    future = (date.today() + timedelta(days=2)).isoformat()
    assert _errors(api.put(f"/api/v1/habits/{habit['id']}/days/{future}", json={"value": 1}))["_form"] == [
        "Future days cannot be checked in yet."]
    assert api.put(f"/api/v1/habits/{habit['id']}/days/2026-13-01", json={"value": 1}).status_code == 400


def test_habits_are_updated_and_archived(api):
    habit = api.post("/api/v1/habits", json={"name": "Run"}).get_json()
    updated = api.put(f"/api/v1/habits/{habit['id']}", json={"name": "Run far", "frequency": "weekly",
                                                             "times_per_week": 3}).get_json()
    assert (updated["name"], updated["target_days"]) == ("Run far", 3)
    assert api.post(f"/api/v1/habits/{habit['id']}/archive", json={}).get_json()["is_active"] is False
    assert api.get("/api/v1/habits").get_json()["items"] == []
    assert [h["id"] for h in api.get("/api/v1/habits?archived=true").get_json()["items"]] == [habit["id"]]


def test_goal_progress_and_milestones(api):
    goal = api.post("/api/v1/goals", json={"title": "Read", "target_value": 12, "goal_type": "yearly"}).get_json()
    after = api.post(f"/api/v1/goals/{goal['id']}/progress",
                     json={"value": 2, "progress_date": date.today().isoformat()}).get_json()
    assert after["current_value"] == 2
    assert len(api.get(f"/api/v1/goals/{goal['id']}/progress").get_json()["items"]) == 1
    assert _errors(api.post(f"/api/v1/goals/{goal['id']}/progress", json={"value": 0,
                   "progress_date": date.today().isoformat()}))["value"] == [
        "Enter an amount above 0 and below a million."]
    milestone = api.post(f"/api/v1/goals/{goal['id']}/milestones", json={"title": "First book"}).get_json()
    done = api.patch(f"/api/v1/goals/{goal['id']}/milestones/{milestone['id']}", json={"done": True}).get_json()
    assert done["done_at"] is not None and done["title"] == "First book"


def test_a_workout_with_exercises_and_sets(api):
    workout = api.post("/api/v1/workouts", json={"workout_type": "strength", "workout_name": "Legs"}).get_json()
    assert workout["workout_date"] == date.today().isoformat()
    base = f"/api/v1/workouts/{workout['id']}/exercises"
    assert _errors(api.post(base, json={"exercise_name": "Squat", "reps": 5}))["sets"] == [
        "Enter how many sets these reps were done for."]
    exercise = api.post(base, json={"exercise_name": "Squat", "sets": 3, "reps": 5, "weight": 100}).get_json()
    assert exercise["weight_unit"] == "kg"
    assert api.post(f"{base}/{exercise['id']}/sets", json={"reps": 5, "weight": 100}).status_code == 201
    assert _errors(api.post(f"{base}/{exercise['id']}/sets", json={}))["reps"] == ["Enter the reps, the weight or both."]
    assert len(api.get(f"{base}/{exercise['id']}/sets").get_json()["items"]) == 1


def test_a_review_is_saved_field_by_field(api):
    day = date.today().isoformat()
    assert api.patch(f"/api/v1/reviews/{day}", json={"water_intake_ml": 2000}).get_json()["water_intake_ml"] == 2000
    review = api.patch(f"/api/v1/reviews/{day}", json={"mood_rating": 7}).get_json()
    assert (review["water_intake_ml"], review["mood_rating"]) == (2000, 7)
    assert _errors(api.patch(f"/api/v1/reviews/{day}", json={"mood_rating": 11})) == {
        "mood_rating": ["Choose mood from 1 to 10."]}
    assert api.get(f"/api/v1/reviews/{day}").get_json()["mood_rating"] == 7
    assert api.patch(f"/api/v1/reviews/{day}", json={"mood_rating": None}).get_json()["mood_rating"] is None


def test_tagging_a_row_and_searching(api):
    entry = api.post("/api/v1/journal", json={"title": "Morning pages", "content": "Calm"}).get_json()
    tags = api.post(f"/api/v1/tags/rows/blog_entry/{entry['id']}", json={"name": "writing"}).get_json()["tags"]
    assert [t["name"] for t in tags] == ["writing"]
    assert [t["name"] for t in api.get("/api/v1/tags").get_json()["items"]] == ["writing"]
    hits = api.get("/api/v1/search?q=morning").get_json()["items"]
    assert [(h["area"], h["title"]) for h in hits] == [("blog_entry", "Morning pages")]
    assert api.delete(f"/api/v1/tags/rows/blog_entry/{entry['id']}/{tags[0]['id']}").get_json()["tags"] == []


def test_lists_come_in_cursor_pages_with_a_next_link(api):
    for n in range(5):
        api.post("/api/v1/foods", json={"food_name": f"Food {n}", "meal_type": "snack",
                                        "meal_date": (date.today() - timedelta(days=n)).isoformat()})
    seen, url = [], "/api/v1/foods?limit=2"
    while url:
        response = api.get(url)
        page = response.get_json()
        seen += [f["food_name"] for f in page["items"]]
        url = page["next"]
        if url:
            assert response.headers["Link"] == f'<{url}>; rel="next"'
    assert seen == [f"Food {n}" for n in range(5)]  # newest day first, each once
    assert _errors(api.get("/api/v1/foods?cursor=garbage"))["cursor"]
    assert api.get("/api/v1/foods?limit=0").status_code == 422


def test_reads_carry_an_etag_that_answers_304_until_something_changes(api):
    first = api.get("/api/v1/habits")
    etag = first.headers["ETag"]
    assert api.get("/api/v1/habits", headers={"If-None-Match": etag}).status_code == 304
    api.post("/api/v1/habits", json={"name": "New"})
    assert api.get("/api/v1/habits", headers={"If-None-Match": etag}).status_code == 200


def test_the_notifications_list_pages_newest_first(app, api, user):
    from datetime import UTC, datetime

    from manifest.extensions import db
    from manifest.models import Notification

    now = datetime.now(UTC)
    with app.app_context():
        for n in range(5):
            db.session.add(Notification(user_id=user["id"], kind="test", dedupe_key=f"t{n}", title=f"Note {n}",
                                        message="Hi", scheduled_at=now - timedelta(hours=n)))
        db.session.commit()
    seen, url = [], "/api/v1/notifications?limit=2"
    while url:
        page = api.get(url).get_json()
        seen += [n["title"] for n in page["items"]]
        url = page["next"]
    assert seen == [f"Note {n}" for n in range(5)]


def test_notifications_are_marked_read_one_or_all_as_the_bell_does(app, api, auth_client, user, other_user):
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from manifest.extensions import db
    from manifest.models import Notification

    now = datetime.now(UTC)
    with app.app_context():
        for owner, n in ((user, 0), (user, 1), (user, 2), (other_user, 3)):
            db.session.add(Notification(user_id=owner["id"], kind="test", dedupe_key=f"t{n}", title=f"Note {n}",
                                        message="Hi", scheduled_at=now - timedelta(hours=n)))
        db.session.commit()
    items = api.get("/api/v1/notifications").get_json()["items"]
    assert [n["is_read"] for n in items] == [False, False, False]
    one = api.post(f"/api/v1/notifications/{items[1]['id']}/read")
    assert one.status_code == 200 and one.get_json()["is_read"] is True and one.get_json()["title"] == "Note 1"
    assert [n["is_read"] for n in api.get("/api/v1/notifications").get_json()["items"]] == [False, True, False]
    assert 'data-count="2"' in auth_client.get("/notifications/bell", headers={"HX-Request": "true"}).get_data(as_text=True)

    assert api.post("/api/v1/notifications/read-all").get_json() == {"marked": 2, "unread": 0}
    assert [n["is_read"] for n in api.get("/api/v1/notifications").get_json()["items"]] == [True, True, True]
    assert api.post("/api/v1/notifications/read-all").get_json() == {"marked": 0, "unread": 0}
    with app.app_context():  # another user's stay unread
        assert db.session.scalar(sa.select(Notification.is_read).where(Notification.user_id == other_user["id"])) is False


def test_a_refused_note_refuses_the_whole_day_change(api):
    habit = api.post("/api/v1/habits", json={"name": "Read"}).get_json()
    url = f"/api/v1/habits/{habit['id']}/days/{date.today().isoformat()}"
    assert _errors(api.put(url, json={"state": "done", "note": "x" * 2001}))["note"] == [
        "Keep the note under 2000 characters."]
    assert api.get(url).get_json()["completed"] is False


@pytest.mark.parametrize("weight", ["1e999999999", "1e99999999999", "-1e-999999999", "1e21"])
def test_numbers_too_large_to_write_out_are_refused_at_once(api, weight):
    assert _errors(api.post("/api/v1/measurements", json={"weight": weight}))["weight"]


@pytest.mark.parametrize("values", [[0, 5], [None, None], [["a"], {"b": 1}]])
def test_a_cursor_of_the_wrong_shape_is_refused(api, values):
    cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
    assert _errors(api.get(f"/api/v1/habits?cursor={cursor}"))["cursor"]
