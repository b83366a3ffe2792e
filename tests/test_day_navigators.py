"""One rule for every area that steps through days, weeks or months: back as far as wanted,
forward up to today (this week, this month), and the page says where it stops."""

import re
from datetime import timedelta

import pytest


@pytest.fixture
def ana(app, calm_user):
    client = app.test_client()
    client.login(calm_user["email"])
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def next_links(html: str) -> list[str]:
    return re.findall(r'<a [^>]*rel="next"[^>]*>|<a [^>]*aria-label="Next month"[^>]*>', html)


def month_of(day) -> str:
    return day.strftime("%Y-%m")


def previous_month(day):
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


# (the page at today's day/week/month, the same page one step back, what it says where it stops)
AREAS = {
    "today": (lambda t: "/", lambda t: f"/?day={(t - timedelta(days=1)).isoformat()}", "Today is the latest day"),
    "food day": (lambda t: "/food/", lambda t: f"/food/?day={(t - timedelta(days=1)).isoformat()}",
                 "Today is the latest day"),
    "food week": (lambda t: "/food/week", lambda t: f"/food/week?day={(t - timedelta(days=7)).isoformat()}",
                  "This is the latest week"),
    "review": (lambda t: f"/reviews/{t.isoformat()}", lambda t: f"/reviews/{(t - timedelta(days=1)).isoformat()}",
               "Today is the latest day"),
    "review calendar": (lambda t: "/reviews/", lambda t: f"/reviews/?month={month_of(previous_month(t))}",
                        "This is the latest month"),
    "workout calendar": (lambda t: "/workouts/progress",
                         lambda t: f"/workouts/progress?month={month_of(previous_month(t))}",
                         "This is the latest month"),
}


@pytest.mark.parametrize("area", AREAS)
def test_no_navigator_steps_past_today_and_each_says_so(ana, calm_today, area):
    at_today, one_back, stop = AREAS[area]
    html = page(ana, at_today(calm_today))
    assert next_links(html) == [], "a link steps past today"
    assert f'<span class="nav-end">{stop}</span>' in html
    earlier = page(ana, one_back(calm_today))
    assert len(next_links(earlier)) == 1 and stop not in earlier


@pytest.mark.parametrize("url", ["/", "/food/"])
def test_day_pickers_stop_at_today(ana, calm_today, url):
    assert re.search(rf'<input type="date"[^>]*name="day"[^>]*max="{calm_today.isoformat()}"', page(ana, url))
