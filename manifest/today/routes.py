from flask import render_template
from flask_login import current_user, login_required

from manifest.timeutil import local_now
from manifest.today import bp


def greeting(hour: int) -> str:
    if 5 <= hour < 12:
        return "Good morning"
    if 12 <= hour < 18:
        return "Good afternoon"
    return "Good evening"


@bp.get("/")
@login_required
def index():
    now = local_now(current_user)
    return render_template("today/index.html", greeting=greeting(now.hour), day=now.date())
