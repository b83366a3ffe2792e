"""Goals on Today: the active goals of the current periods, with one-click progress that updates in place."""

import re
from datetime import timedelta

from tests.conftest import HX


def today_titles(html: str) -> list[str]:
    return re.findall(r'<a class="today-goal-title" href="/goals/[^"]+">([^<]+)</a>', html)


def test_today_without_goals_shows_no_goal_section(auth_client):
    html = auth_client.get("/").get_data(as_text=True)
    assert "<h1>Good" in html
    # Only the empty region, ready to refresh itself: no heading, no list.
    region = html[html.index('<section id="today-goals"'):].split("</section>", 1)[0]
    assert 'class="today-goals is-empty"' in region and "<h2" not in region and "<li" not in region


def test_today_lists_the_goals_whose_period_contains_the_day(auth_client, user, kit):
    today = kit.today(user["id"])
    kit.goal(user["id"], title="Water", goal_type="daily", is_recurring=True, target_value=8)
    kit.goal(user["id"], title="This month", goal_type="monthly")
    kit.goal(user["id"], title="Ends today", goal_type="weekly", start_date=today - timedelta(days=3), end_date=today)
    kit.goal(user["id"], title="Novel", goal_type="life", measure="milestones", target_value=None)
    kit.goal(user["id"], title="Next month", start_date=today + timedelta(days=40))
    kit.goal(user["id"], title="Was last month", start_date=today - timedelta(days=60), end_date=today - timedelta(days=30))
    paused = kit.goal(user["id"], title="Paused", goal_type="monthly")
    auth_client.post(f"/goals/{paused}/status/paused")

    html = auth_client.get("/").get_data(as_text=True)
    assert today_titles(html) == ["Water", "Ends today", "This month"]
    # Between the greeting and the day navigation, inside the region day navigation swaps.
    assert html.index('id="today-main"') < html.index('id="today-goals"') < html.index('class="day-nav"')
    assert "hx-swap-oob" not in html

    yesterday = auth_client.get(f"/?day={(today - timedelta(days=1)).isoformat()}").get_data(as_text=True)
    assert "Ends today" in today_titles(yesterday)
    assert f'name="progress_date" value="{(today - timedelta(days=1)).isoformat()}"' in yesterday


def test_one_click_adds_one_unit_and_updates_the_row_in_place(auth_client, user, kit):
    today = kit.today(user["id"])
    books = kit.goal(user["id"], title="Read 2 books", target_value=2, target_unit="books")
    html = auth_client.get("/").get_data(as_text=True)
    form = re.search(rf'<form method="post" action="/goals/{books}/progress/quick" hx-post="/goals/{books}/progress/quick" '
                     rf'hx-target="#goal-quick-{books}" hx-swap="outerHTML">(.*?)</form>', html, re.DOTALL)
    assert form and 'name="value" value="1"' in form.group(1)
    assert f'name="progress_date" value="{today.isoformat()}"' in form.group(1)
    assert 'name="next" value="/#today-goals"' in form.group(1)
    region = f'hx-get="/goals/today?day={today.isoformat()}" hx-trigger="goal-progress from:body"'
    assert region in html

    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', form.group(1)))
    response = auth_client.post(f"/goals/{books}/progress/quick", headers=HX, data=fields)
    assert response.status_code == 204 and response.headers["HX-Trigger"] == "goal-progress"
    refreshed = auth_client.get(f"/goals/today?day={today.isoformat()}", headers=HX).get_data(as_text=True)
    assert re.search(rf'id="today-goal-{books}".*?value="50"', refreshed, re.DOTALL)

    response = auth_client.post(f"/goals/{books}/progress/quick", headers=HX, data=fields)
    assert "“Read 2 books” reached its target and is marked completed." in response.get_data(as_text=True)
    html = auth_client.get(f"/goals/today?day={today.isoformat()}", headers=HX).get_data(as_text=True)
    # Reached today: it stays on Today, marked completed, with an Undo.
    assert "Completed" in html and f'action="/goals/{books}/status/active"' in html
    assert kit.get(books).status == "completed" and kit.get(books).current_value == 2

    undo = auth_client.post(f"/goals/{books}/status/active", headers=HX, data={"next": "/#today-goals"})
    assert undo.status_code == 200 and undo.headers["HX-Trigger"] == "goal-progress"
    assert kit.get(books).status == "active"
    html = auth_client.get(f"/goals/today?day={today.isoformat()}", headers=HX).get_data(as_text=True)
    assert f'action="/goals/{books}/status/active"' not in html and "Add 1 books" in html


def test_goals_that_fill_themselves_have_no_progress_buttons_on_today(auth_client, user, kit):
    habit = kit.habit(user["id"], "Meditate")
    linked = kit.goal(user["id"], title="Meditate 5 times", goal_type="weekly", is_recurring=True, measure="source",
                      source=f"habit.completions:{habit}", target_value=5)
    html = auth_client.get("/").get_data(as_text=True)
    row = html[html.index(f'id="today-goal-{linked}"'):].split("</li>", 1)[0]
    assert "Fills itself from a habit" in row and f"/goals/{linked}/progress" not in row
    assert "0 of 5 times" in row


def test_checking_in_a_habit_moves_a_linked_goal(auth_client, user, kit):
    today = kit.today(user["id"])
    habit = kit.habit(user["id"], "Meditate")
    linked = kit.goal(user["id"], title="Meditate daily", goal_type="daily", is_recurring=True, measure="source",
                      source=f"habit.completions:{habit}", target_value=1)
    auth_client.post(f"/habits/{habit}/days/{today.isoformat()}", data={"state": ["not_done", "done"]})
    html = auth_client.get("/").get_data(as_text=True)
    assert re.search(rf'id="today-goal-{linked}".*?value="100"', html, re.DOTALL)
