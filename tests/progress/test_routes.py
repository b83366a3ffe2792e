"""Every progress route as a client sees it: pages, the measurement forms (with and without htmx),
other users' rows out of reach, the public year in review, and constant query counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Goal, Measurement, YearReview
from manifest.progress import goal_sources
from manifest.timeutil import local_today
from tests.conftest import HX, counted_statements
from tests.progress.conftest import (
    add_habit,
    add_review,
    add_weight,
    add_workout,
    load_user,
    snapshots,
)


def _today(app, user_id) -> date:
    with app.app_context():
        return local_today(load_user(user_id))


def _measurements(app, user_id) -> list[Measurement]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Measurement).where(Measurement.user_id == user_id)))


# --- the progress page ------------------------------------------------------------------------------

@pytest.mark.parametrize("period", ["weekly", "monthly", "yearly"])
def test_the_progress_page_shows_each_period_with_its_comparisons_and_charts(app, auth_client, user, period):
    today = _today(app, user["id"])
    for back in (3, 10, 40, 380):
        add_workout(app, user["id"], today - timedelta(days=back), minutes=30)
        add_review(app, user["id"], today - timedelta(days=back), mood=7)
    page = auth_client.get(f"/progress/?period={period}").get_data(as_text=True)
    assert {"weekly": "This week", "monthly": "This month", "yearly": "This year"}[period] in page
    assert "In progress · day" in page
    assert "Against the previous" in page and "Against a year earlier" in page
    assert 'role="img"' in page and "as a table</summary>" in page
    assert 'aria-current="page">' + {"weekly": "Weeks", "monthly": "Months", "yearly": "Years"}[period] in page
    assert "period still in progress" in page  # sums are not compared while the period runs


def test_the_period_switcher_answers_only_its_region_for_htmx(auth_client):
    response = auth_client.get("/progress/?period=monthly", headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="progress-main">') and "<html" not in body
    assert "This month" in body


def test_an_unknown_period_is_a_clear_400(auth_client):
    response = auth_client.get("/progress/?period=daily")
    assert response.status_code == 400
    assert "Choose weekly, monthly or yearly." in response.get_data(as_text=True)


def test_a_first_visit_shows_the_history_and_has_the_worker_store_it(app, auth_client, user, immediate_jobs):
    today = _today(app, user["id"])
    add_workout(app, user["id"], today - timedelta(days=20), minutes=33)
    assert not snapshots(app, user["id"])
    page = auth_client.get("/progress/?period=weekly").get_data(as_text=True)
    assert "<td>33</td>" in page  # the week's minutes, computed from the rows before any snapshot
    stored = snapshots(app, user["id"], "weekly")
    assert len(stored) >= 25  # the charted weeks and the same week a year ago
    assert all(s.snapshot_date < today - timedelta(days=today.weekday()) for s in stored.values())


def test_without_a_worker_a_visit_writes_nothing(app, auth_client, user):
    add_workout(app, user["id"], _today(app, user["id"]) - timedelta(days=20))
    assert auth_client.get("/progress/?period=monthly").status_code == 200
    assert auth_client.get(f"/progress/year/{_today(app, user['id']).year}").status_code == 200
    assert not snapshots(app, user["id"])


def _page_statements(app, client, url) -> int:
    client.get(url)  # snapshots stored by the first visit
    with counted_statements(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_progress_and_insights_pages_cost_the_same_queries_whatever_the_history(app, auth_client, user):
    today = _today(app, user["id"])
    urls = ["/progress/?period=weekly", "/progress/?period=monthly", "/progress/?period=yearly", "/progress/insights",
            "/progress/measurements", f"/progress/year/{today.year}"]
    small = {url: _page_statements(app, auth_client, url) for url in urls}
    for back in range(1, 400):
        day = today - timedelta(days=back)
        if back % 2:
            add_workout(app, user["id"], day)
        add_review(app, user["id"], day, mood=1 + back % 10, sleep_hours=Decimal(7), productivity_rating=5)
        if back % 3 == 0:
            add_weight(app, user["id"], day, "80")
    add_habit(app, user["id"], today - timedelta(days=400), [today - timedelta(days=b) for b in range(1, 400, 2)])
    big = {url: _page_statements(app, auth_client, url) for url in urls}
    assert big == small
    # The login check, the snapshots and the live period's rows (8 statements, one per area); the year
    # in review adds its own grouped reads.
    assert max(v for url, v in big.items() if "/year/" not in url) <= 12, big
    assert big[f"/progress/year/{today.year}"] <= 22, big


def test_the_periods_start_at_the_users_first_day_not_a_fixed_count_back(app, auth_client, user):
    """An account whose history begins a little over a year ago is not charted behind eight
    empty years, nor behind empty weeks and months before its first day."""
    from datetime import UTC, datetime

    from manifest.models import User

    today = _today(app, user["id"])
    first = today - timedelta(days=400)
    with app.app_context():
        db.session.get(User, user["id"]).created_at = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
        db.session.commit()
    add_weight(app, user["id"], first, "82")
    add_weight(app, user["id"], today, "80")

    assert auth_client.get("/progress/?period=yearly").status_code == 200
    with app.app_context():
        from manifest.progress import services

        owner = db.session.get(User, user["id"])
        years = services.series(owner, "yearly", today)
        assert [p.start.year for p in years.periods] == list(range(first.year, today.year + 1))
        months = services.series(owner, "monthly", today)
        assert first in months.periods[0] and len(months.periods) <= 24
        weeks = services.series(owner, "weekly", today)
        assert len(weeks.periods) == 26  # the history is longer than the window

    # Data older than the account (an import) moves the start back.
    add_weight(app, user["id"], date(first.year - 3, 6, 1), "90")
    with app.app_context():
        years = services.series(db.session.get(User, user["id"]), "yearly", today)
        assert years.periods[0].start.year == first.year - 3


def test_a_new_accounts_progress_is_its_current_period_alone(app, auth_client, user):
    with app.app_context():
        from manifest.models import User
        from manifest.progress import services

        owner = db.session.get(User, user["id"])
        for kind in ("weekly", "monthly", "yearly"):
            assert len(services.series(owner, kind, _today(app, user["id"])).periods) == 1


# --- measurements ------------------------------------------------------------------------------------

def test_a_measurement_added_without_javascript_redirects_to_its_page(app, auth_client, user):
    today = _today(app, user["id"])
    response = auth_client.post("/progress/measurements", data={
        "measured_on": today.isoformat(), "weight": "81,4", "body_fat": "22.5", "waist": "90", "note": " after run ",
        "origin": "page"})
    assert response.status_code == 303 and response.headers["Location"] == "/progress/measurements"
    [row] = _measurements(app, user["id"])
    assert (row.weight, row.weight_unit, row.body_fat_percentage, row.waist, row.waist_unit, row.note) == (
        Decimal("81.40"), "kg", Decimal("22.5"), Decimal("90.00"), "cm", "after run")
    page = auth_client.get("/progress/measurements").get_data(as_text=True)
    assert "81.4 kg" in page and "22.5 %" in page and "90 cm" in page and "after run" in page


def test_a_quick_weight_from_today_answers_the_body_region_and_names_the_change(app, auth_client, user):
    today = _today(app, user["id"])
    add_weight(app, user["id"], today - timedelta(days=7), "82")
    response = auth_client.post("/progress/measurements", headers=HX, data={
        "measured_on": today.isoformat(), "weight": "81", "origin": "today"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "measurement-changed"
    assert body.lstrip().startswith('<section id="today-body"') and "<html" not in body
    assert "<strong>81.0 kg</strong>" in body and "Trend" in body
    assert len(_measurements(app, user["id"])) == 2


def test_a_day_with_several_weigh_ins_says_its_headline_is_their_average(app, auth_client, user):
    today = _today(app, user["id"])
    add_weight(app, user["id"], today, "80.5")
    add_weight(app, user["id"], today, "81.4")
    response = auth_client.post("/progress/measurements", headers=HX, data={
        "measured_on": today.isoformat(), "weight": "79.2", "origin": "today"})
    body = " ".join(response.get_data(as_text=True).split())
    assert "Saved 79.2 kg" in body
    assert "<strong>80.4 kg</strong> on" in body and "the average of its 3 weigh-ins" in body
    single = " ".join(auth_client.get("/progress/measurements").get_data(as_text=True).split())
    assert "the average of its 3 weigh-ins" in single


def test_the_weight_is_kept_in_the_users_unit(app, auth_client, user):
    with app.app_context():
        load_user(user["id"]).weight_unit = "lbs"
        db.session.commit()
    auth_client.post("/progress/measurements", data={"measured_on": _today(app, user["id"]).isoformat(),
                                                      "weight": "180", "origin": "page"})
    [row] = _measurements(app, user["id"])
    assert (row.weight, row.weight_unit) == (Decimal("180.00"), "lbs")
    assert "Weight (lbs)" in auth_client.get("/progress/measurements").get_data(as_text=True)


@pytest.mark.parametrize(("data", "message"), [
    ({"weight": "", "body_fat": "", "waist": ""}, "Enter a weight, a body fat percentage or a waist measurement."),
    ({"weight": "abc"}, "Enter a number"),
    ({"weight": "-3"}, "Enter a weight between 0.1 and 1500."),
    ({"weight": "80", "body_fat": "120"}, "Enter a percentage between 1 and 75."),
    ({"weight": "80", "measured_on": "2999-01-01"}, "That day has not happened yet."),
    ({"weight": "80", "measured_on": "not a day"}, "Enter a real date"),
])
@pytest.mark.parametrize("origin", ["today", "page"])
def test_a_refused_measurement_shows_why_on_its_form_and_saves_nothing(app, auth_client, user, data, message, origin):
    form = {"measured_on": _today(app, user["id"]).isoformat(), "origin": origin, **data}
    response = auth_client.post("/progress/measurements", data=form, headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body
    assert ('id="today-body"' if origin == "today" else 'id="measurements-main"') in body
    assert not _measurements(app, user["id"])
    plain = auth_client.post("/progress/measurements", data=form)
    assert plain.status_code == 422 and message in plain.get_data(as_text=True)


def test_todays_body_region_refreshes_from_its_own_url(app, auth_client, user):
    today = _today(app, user["id"])
    add_weight(app, user["id"], today, "77.7")
    part = auth_client.get(f"/progress/today-body?day={today.isoformat()}", headers=HX).get_data(as_text=True)
    assert part.lstrip().startswith('<section id="today-body"') and "77.7 kg" in part
    assert auth_client.get("/progress/today-body").status_code == 303  # a plain visit goes to Today


def test_today_shows_the_body_region_listening_for_measurements(app, auth_client, user):
    page = auth_client.get("/").get_data(as_text=True)
    assert 'id="today-body"' in page and 'hx-trigger="measurement-changed from:body"' in page
    assert '<label for="today-body-weight">Weight (kg)</label>' in page


def test_another_users_measurement_cannot_be_deleted(app, auth_client, other_client, user, other_user):
    add_weight(app, other_user["id"], _today(app, other_user["id"]), "70")
    [row] = _measurements(app, other_user["id"])
    assert auth_client.post(f"/progress/measurements/{row.id}/delete").status_code == 404
    assert auth_client.post(f"/progress/measurements/{row.id}/delete", headers=HX).status_code == 404
    assert len(_measurements(app, other_user["id"])) == 1
    assert "70 kg" not in auth_client.get("/progress/measurements").get_data(as_text=True)
    assert other_client.post(f"/progress/measurements/{row.id}/delete", headers=HX).status_code == 200
    assert not _measurements(app, other_user["id"])


# --- the weight goal source --------------------------------------------------------------------------

def test_a_weight_loss_goal_fills_itself_from_weigh_ins(app, auth_client, user):
    today = _today(app, user["id"])
    add_weight(app, user["id"], today - timedelta(days=40), "90")
    add_weight(app, user["id"], today - timedelta(days=2), "86.5")
    with app.app_context():
        owner = load_user(user["id"])
        for key, title in ((goal_sources.LOST, "Lose 5 kg"), (goal_sources.GAINED, "Gain 2 kg")):
            db.session.add(Goal(user_id=user["id"], title=title, goal_type="life", measure="source", source_key=key,
                                source_id=goal_sources.source_id(owner.id, key), target_value=Decimal(5 if "Lose" in title else 2),
                                target_unit="kg", start_date=today - timedelta(days=40)))
        db.session.commit()
    page = auth_client.get("/goals").get_data(as_text=True)
    assert "Lose 5 kg" in page and "70%" in page.replace(" %", "%")
    # Another user's id for the same source reads nothing.
    with app.app_context():
        from manifest.goals.sources import SourceRequest

        answers = goal_sources.compute(load_user(user["id"]), [
            SourceRequest(goal_sources.LOST, goal_sources.source_id(user["id"], goal_sources.LOST), today - timedelta(days=40), today),
            SourceRequest(goal_sources.GAINED, goal_sources.source_id(user["id"], goal_sources.GAINED), today - timedelta(days=40), today),
            SourceRequest(goal_sources.LOST, goal_sources.source_id(user["id"], "x"), today - timedelta(days=40), today),
        ])
    assert sorted(answers.values()) == [Decimal("0.00"), Decimal("3.50")]


def test_the_goal_form_offers_the_weight_sources(auth_client):
    page = auth_client.get("/goals/new").get_data(as_text=True)
    assert "Weight lost (weigh-ins)" in page and "Weight gained (weigh-ins)" in page


# --- the year in review ------------------------------------------------------------------------------

def test_the_year_in_review_gathers_the_year(app, auth_client, user):
    today = _today(app, user["id"])
    year = today.year
    day = min(today, date(year, 1, 1))
    add_review(app, user["id"], day, mood=9)
    add_workout(app, user["id"], day, minutes=42)
    add_habit(app, user["id"], day - timedelta(days=3), [day - timedelta(days=b) for b in range(3)])
    page = auth_client.get(f"/progress/year/{year}").get_data(as_text=True)
    assert f"{year} in review" in page
    assert "1 workouts, 42 minutes" in page and "1 days reviewed" in page
    assert "Mood calendar" in page and 'class="mood-cell mood-9"' in page
    assert "Longest streaks" in page and "Read:" in page
    assert "Share this year's review as a public page" in page and "Private: only you can see it." in page
    assert auth_client.get(f"/progress/year/{year + 1}").status_code == 404


def test_a_year_in_review_is_public_only_once_published(app, auth_client, client, user):
    year = _today(app, user["id"]).year
    add_review(app, user["id"], _today(app, user["id"]), mood=8)
    url = f"/u/ana/year/{year}"
    assert client.get(url).status_code == 404
    assert client.get(f"/u/nobody/year/{year}").status_code == 404

    response = auth_client.post(f"/progress/year/{year}/publish", data={"public": "y"})
    assert response.status_code == 303
    public = client.get(url)
    assert public.status_code == 200
    body = public.get_data(as_text=True)
    assert f"{year} in review" in body and "Most used tags" not in body and "Sharing" not in body
    assert f"http://localhost{url}" in auth_client.get(f"/progress/year/{year}").get_data(as_text=True)

    auth_client.post(f"/progress/year/{year}/publish", data={})
    assert client.get(url).status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(YearReview)) == 1


def test_the_public_year_counts_only_public_published_entries(app, auth_client, client, user):
    import re
    from datetime import UTC, datetime

    from manifest.models import BlogEntry

    today = _today(app, user["id"])
    year = today.year
    auth_client.post(f"/progress/year/{year}/publish", data={"public": "y"})

    def add_entry(slug: str, **values):
        with app.app_context():
            db.session.add(BlogEntry(user_id=user["id"], title=slug.capitalize(), slug=slug, **values))
            db.session.commit()

    def entries_column(body: str) -> list[str]:
        table = body.split('id="months-title"')[1].split("</table>")[0]
        return [cells[-1] for cells in (re.findall(r"<td>(.*?)</td>", row) for row in table.split("<tr>")[2:])]

    def main(body: str) -> str:
        return body.split("<main")[1].split("</main>")[0]

    now = datetime.now(UTC)
    add_entry("shared", status="published", is_public=True, published_at=now)
    before = client.get(f"/u/ana/year/{year}").get_data(as_text=True)
    assert "Public entries" in before and entries_column(before)[-1] == "1"

    add_entry("draft", status="draft")
    add_entry("private", status="published", is_public=False, published_at=now)
    after = client.get(f"/u/ana/year/{year}").get_data(as_text=True)
    assert main(after) == main(before), "a draft or a private entry changed the public page"
    assert "Private" not in main(after) and "Draft" not in main(after)

    # The owner's own page counts every entry written, and says so.
    own = auth_client.get(f"/progress/year/{year}").get_data(as_text=True)
    assert "Entries written" in own and entries_column(own)[-1] == "3"


def test_publishing_needs_the_csrf_token(app, auth_client, user):
    year = _today(app, user["id"]).year
    response = auth_client.post(f"/progress/year/{year}/publish", data={"public": "y"}, csrf=False)
    assert response.status_code == 400
    with app.app_context():
        assert not db.session.scalar(sa.select(sa.func.count()).select_from(YearReview))


# --- insights ----------------------------------------------------------------------------------------

def test_insights_say_what_is_needed_before_they_appear(auth_client):
    page = auth_client.get("/progress/insights").get_data(as_text=True)
    assert "What is needed first" in page and "No finding yet." in page
    assert "14 reviewed days with a workout and 14 without" in page


def test_an_insight_with_its_numbers_and_the_days_behind_it(app, auth_client, user):
    today = _today(app, user["id"])
    for back in range(1, 61):
        day = today - timedelta(days=back)
        worked = back % 2 == 0
        if worked:
            add_workout(app, user["id"], day)
        add_review(app, user["id"], day, mood=(8 if worked else 5) + back % 3 // 2, energy=6)
    page = auth_client.get("/progress/insights").get_data(as_text=True)
    assert "Workout days are associated with mood" in page and "higher than rest days" in page
    assert "(n = 30)" in page and "95 % interval" in page and "effect size d =" in page
    days = auth_client.get("/progress/insights/workout-mood")
    assert days.status_code == 200
    body = days.get_data(as_text=True)
    assert "Workout days (30)" in body and f'/reviews/{(today - timedelta(days=2)).isoformat()}' in body
    assert auth_client.get("/progress/insights/no-such-thing").status_code == 404


def test_another_users_days_never_reach_my_insights(app, auth_client, other_user):
    today = _today(app, other_user["id"])
    for back in range(1, 61):
        add_workout(app, other_user["id"], today - timedelta(days=back))
        add_review(app, other_user["id"], today - timedelta(days=back), mood=9)
    page = auth_client.get("/progress/insights").get_data(as_text=True)
    assert "So far 0 workout days and 0 rest days." in page and "associated with" not in page
