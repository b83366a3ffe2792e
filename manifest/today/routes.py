from datetime import date, timedelta

from flask import request, url_for
from flask_login import current_user, login_required

from manifest import htmx
from manifest.goals import services as goals
from manifest.habits import services as habits
from manifest.journal import services as journal
from manifest.nutrition import services as nutrition
from manifest.progress.routes import today_context as body_today
from manifest.reviews import services as reviews
from manifest.timeutil import local_now, local_today, require_iso_day
from manifest.today import bp
from manifest.workouts import services as workouts


def greeting(hour: int) -> str:
    if 5 <= hour < 12:
        return "Good morning"
    if 12 <= hour < 18:
        return "Good afternoon"
    return "Good evening"


def _chosen_day(today: date) -> date:
    return require_iso_day(request.args["day"]) if "day" in request.args else today


def _your_day(day: date) -> dict:
    """The "Your day" card: the review, the meals and the workouts of ``day``."""
    return {
        "review": reviews.review_status(current_user, day),
        "food": nutrition.day_summary(current_user, day),
        "workouts_today": workouts.today_summary(current_user, day),
    }


@bp.get("/")
@login_required
def index():
    now = local_now(current_user)
    today = now.date()
    day = _chosen_day(today)
    return htmx.page(
        "today/index.html", "today_main",
        greeting=greeting(now.hour), today=today, day=day,
        board=habits.day_board(current_user, day, today),
        goals=goals.today_goals(current_user, day, today),
        memories=journal.on_this_day(current_user, day),
        **body_today(day),
        previous_day=day - timedelta(days=1), next_day=day + timedelta(days=1) if day < today else None,
        **_your_day(day),
    )


@bp.get("/your-day")
@login_required
def your_day():
    today = local_today(current_user)
    day = _chosen_day(today)
    return htmx.part(url_for("today.index", day=day.isoformat()), "today/_your_day.html", "your_day",
                     day=day, today=today, **_your_day(day))
