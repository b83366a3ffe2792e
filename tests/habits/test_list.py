"""The habits list: each habit's last seven days as marks to tap, its strength and its streak."""

from datetime import date, timedelta

import pytest

from manifest.extensions import db
from manifest.habits import services
from manifest.models import Habit
from tests.conftest import HX, counted_statements
from tests.habits.test_routes import (
    DONE,
    NOT_DONE,
    check,
    entries,
    insert_entries,
    make_habit,
    numeric,
    parse,
    recompute,
    snapshot,
)


@pytest.fixture
def user(calm_user):
    return calm_user


@pytest.fixture
def today(calm_today) -> date:
    return calm_today


def marks_url(habit_id, day: date) -> str:
    return f"/habits/{habit_id}/marks/{day.isoformat()}"


def card(doc, habit_id):
    element = doc.by_id(f"habit-card-{habit_id}")
    assert element is not None, f"no card for {habit_id}"
    return element


def marks(element) -> list[tuple[str, str]]:
    """(accessible name, aria-pressed) of each day's mark, oldest first."""
    return [(button.find("span", class_="visually-hidden").text(), button.attrs.get("aria-pressed"))
            for button in element.find_all("button") if button.attrs.get("id", "").startswith("mark-")]


def short(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def stats(element) -> str:
    return element.find("p", class_="habit-card-stats").text()


def strength_on_the_habit_page(app, habit_id, day: date) -> str:
    from manifest.filters import percent

    with app.app_context():
        return percent(services.overview(db.session.get(Habit, habit_id), day).strength)


def test_each_habit_shows_its_last_seven_days_its_strength_and_streak(app, auth_client, user, today):
    meditate = make_habit(app, user["id"], name="Meditate")
    insert_entries(app, meditate, [today - timedelta(days=n) for n in (1, 2, 3, 20, 40)])
    recompute(app, meditate, today)
    with app.app_context():
        db.session.commit()
    doc = parse(auth_client.get("/habits").data)
    element = card(doc, meditate)
    days = [today - timedelta(days=n) for n in range(6, -1, -1)]
    assert marks(element) == [
        (f"Meditate, {short(day)}", "true" if day in (days[3], days[4], days[5]) else "false") for day in days
    ]
    assert f"{strength_on_the_habit_page(app, meditate, today)} strength" in stats(element)
    assert "3-day streak" in stats(element)
    # Each mark is a real form: the day and the wanted state, so it works without JavaScript.
    form = element.find("form", action=marks_url(meditate, today))
    assert form.find("button", name="state").attrs["value"] == "done"
    assert form.find("input", name="csrf_token") is not None


def test_a_tap_without_javascript_checks_the_day_in_and_comes_back_to_the_list(app, auth_client, user, today):
    meditate = make_habit(app, user["id"], name="Meditate")
    yesterday = today - timedelta(days=1)
    response = auth_client.post(marks_url(meditate, yesterday), data={"state": "done"})
    assert (response.status_code, response.headers["Location"]) == (303, f"/habits#habit-card-{meditate}")
    assert entries(app, meditate) == {yesterday: (True, False, None, None)}
    auth_client.post(marks_url(meditate, yesterday), data={"state": "not_done"})
    assert entries(app, meditate) == {yesterday: (False, False, None, None)}


def test_a_tap_with_htmx_answers_the_card_in_place_and_names_the_change(app, auth_client, user, today):
    meditate = make_habit(app, user["id"], name="Meditate")
    make_habit(app, user["id"], name="Read")
    response = auth_client.post(marks_url(meditate, today), data={"state": "done"}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert response.headers["HX-Trigger"] == "habit-checked"
    doc = parse(body)
    element = doc.by_id(f"habit-days-{meditate}")
    assert element is not None and "Read" not in body
    assert marks(element)[-1] == (f"Meditate, {short(today)}", "true")
    assert "1-day streak" in stats(element)
    assert f"{strength_on_the_habit_page(app, meditate, today)} strength" in stats(element)
    assert entries(app, meditate) == {today: (True, False, None, None)}
    # The same tap again (a double tap sent twice) changes nothing more.
    auth_client.post(marks_url(meditate, today), data={"state": "done"}, headers=HX)
    assert entries(app, meditate) == {today: (True, False, None, None)}


def test_a_number_habit_shows_its_values_and_takes_a_new_one(app, auth_client, user, today):
    water = make_habit(app, user["id"], **numeric())
    check(app, user["id"], water, today - timedelta(days=2), today, value="3")
    element = card(parse(auth_client.get("/habits").data), water)
    summaries = [s.find("span", class_="visually-hidden").text() for s in element.find_all("summary")]
    assert summaries[4] == f"Water, {short(today - timedelta(days=2))}: 3 glasses"
    assert len(summaries) == 7
    label = element.find("label", for_=f"value-{water}-{today.isoformat()}")
    assert label.text() == f"Water on {short(today)} (glasses)"

    response = auth_client.post(marks_url(water, today), data={"value": "8"}, headers=HX)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "habit-checked"
    element = parse(response.data).by_id(f"habit-days-{water}")
    assert [s.find("span", class_="mark-glyph").text() for s in element.find_all("summary")][-1] == "8"
    assert "done" in element.find_all("summary")[-1].classes()
    assert entries(app, water)[today][0] is True


def test_a_refused_tap_says_why_in_the_card_and_changes_nothing(app, auth_client, user, today):
    water = make_habit(app, user["id"], **numeric())
    before = snapshot(app)
    response = auth_client.post(marks_url(water, today), data={"value": "lots"}, headers=HX)
    assert response.status_code == 422
    assert "Enter a number." in parse(response.data).by_id(f"habit-days-{water}").text()
    response = auth_client.post(marks_url(water, today + timedelta(days=1)), data={"value": "1"})
    assert response.status_code == 303
    assert "Future days cannot be checked in yet." in auth_client.get("/habits").get_data(as_text=True)
    assert auth_client.post(f"/habits/{water}/marks/yesterday", data={"value": "1"}).status_code in (400, 404)
    assert snapshot(app) == before


def test_the_first_habit_cannot_move_up_nor_the_last_down(app, auth_client, user):
    ids = [make_habit(app, user["id"], name=name) for name in ("Run", "Read", "Sleep")]
    doc = parse(auth_client.get("/habits").data)

    def disabled(habit_id, label):
        name = {"Run": "Run", "Read": "Read", "Sleep": "Sleep"}[label]
        button = next(b for b in card(doc, habit_id).find_all("button")
                      if b.attrs.get("aria-label", "").endswith(f": {name}") and b.attrs.get("aria-label", "").startswith(direction))
        return "disabled" in button.attrs

    for direction, expected in (("Move up", [True, False, False]), ("Move down", [False, False, True])):
        assert [disabled(i, n) for i, n in zip(ids, ("Run", "Read", "Sleep"), strict=True)] == expected, direction


def test_the_list_costs_the_same_statements_whatever_the_history(app, auth_client, user, today):
    first = make_habit(app, user["id"], name="Habit 0")
    insert_entries(app, first, [today - timedelta(days=1)])

    def count() -> int:
        with counted_statements(app) as statements:
            assert auth_client.get("/habits").status_code == 200
        return len(statements)

    few = count()
    for n in range(1, 8):
        habit_id = make_habit(app, user["id"], name=f"Habit {n}")
        insert_entries(app, habit_id, [today - timedelta(days=d) for d in range(1, 400)])
    assert count() == few
    with counted_statements(app) as statements:
        auth_client.post(marks_url(first, today), data=DONE, headers=HX)
    assert len(statements) <= 12, statements
    auth_client.post(marks_url(first, today), data=NOT_DONE, headers=HX)


def test_the_heatmap_names_each_week_by_the_month_that_starts_in_it(app, auth_client, user, today):
    from manifest.habits import pages

    habit_id = make_habit(app, user["id"], name="Meditate")
    with app.app_context():
        overview = services.overview(db.session.get(Habit, habit_id), today)
    assert len(overview.months) == pages.HEATMAP_WEEKS
    for week, label in zip(overview.weeks, overview.months, strict=True):
        firsts = [c.day for c in week if c.day.day == 1]
        assert label == (f"{firsts[0]:%b}" if firsts else "")
    doc = parse(auth_client.get(f"/habits/{habit_id}").data)
    shown = [s.text() for s in doc.find_all("span", class_="heatmap-month")]
    assert shown == ["", *overview.months]
    assert [s.text() for s in doc.find_all("span", class_="heatmap-day")] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    group = doc.find(role="group")
    assert group.attrs["aria-label"] == "The last year of Meditate" and "data-heatmap" in group.attrs


def test_an_archived_habits_year_can_still_be_scrolled_by_keyboard(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"], name="Meditate")
    scroller = lambda: parse(auth_client.get(f"/habits/{habit_id}").data).find("div", class_="heatmap-scroll")
    assert "tabindex" not in scroller().attrs  # its days take the focus
    auth_client.post(f"/habits/{habit_id}/archive", data={"archived": "1"})
    assert scroller().attrs["tabindex"] == "0" and scroller().attrs["role"] == "region"


def test_the_list_is_valid_html_where_the_checker_looks(app, auth_client, user, today):
    make_habit(app, user["id"], name="Meditate")
    make_habit(app, user["id"], **numeric())
    doc = parse(auth_client.get("/habits").data)
    forms = doc.find_all("form")
    assert forms and not any(f.parent.tag in ("span", "p") for f in forms)  # a form is flow content
    assert not any("pathLength" in c.attrs or "pathlength" in c.attrs for c in doc.find_all("circle"))
