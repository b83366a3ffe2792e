from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from manifest.htmx import is_htmx
from manifest.media import services as media
from manifest.reviews import bp, logic, services
from manifest.reviews.forms import FIELD_NAMES, GROUPS, SPECS, ReviewForm
from manifest.timeutil import local_today, parse_month, require_iso_day

SHOW_TEMPLATE = "reviews/show.html"


@bp.get("/")
@login_required
def index():
    today = local_today(current_user)
    raw_month = request.args.get("month")
    month = parse_month(raw_month) if raw_month else logic.month_start(today)
    if month is None:
        abort(400, description="That is not a valid month; use YYYY-MM.")
    return render_template("reviews/index.html", o=services.overview(current_user, month, today))


@bp.get("/today")
@login_required
def today():
    return redirect(url_for("reviews.show", day=local_today(current_user).isoformat()))


def _page(day: date, form: ReviewForm | None = None, status: int = 200):
    data = services.day_review(current_user, day, local_today(current_user))
    if form is None:
        form = ReviewForm(formdata=None, obj=data.review)
    attachments = media.attachments_of(current_user, "daily_review", data.review.id) if data.review else []
    return render_template(SHOW_TEMPLATE, d=data, form=form, groups=GROUPS, saved=(), attachments=attachments), status


@bp.get("/<day>")
@login_required
def show(day: str):
    return _page(require_iso_day(day))


def _statuses(form: ReviewForm, names, day: date, *, saved: bool, progress=None) -> str:
    """The status next to each posted field (the first is the swap target, the rest out of band),
    and the filled-fields counter when something was saved."""
    parts = [
        render_block(SHOW_TEMPLATE, "field_status", spec=SPECS[name], form=form, saved=names if saved else (),
                     status_oob=i > 0)
        for i, name in enumerate(names)
    ]
    if progress is not None:
        parts.append(render_block(SHOW_TEMPLATE, "review_progress", d=progress, oob=True))
    return "".join(parts)


@bp.post("/<day>")
@login_required
def save(day: str):
    """Save the fields the request carries and leave the others alone: autosave posts one field,
    the form without JavaScript posts them all."""
    day = require_iso_day(day)
    today = local_today(current_user)
    names = [name for name in FIELD_NAMES if name in request.form]
    if not names:
        abort(400, description="Nothing to save: the request named no review field.")
    if day > today:
        abort(400, description="That day has not happened yet; review it when it comes.")
    form = ReviewForm()
    values = form.clean(names)
    if values is None:
        if is_htmx():
            return _statuses(form, names, day, saved=False), 422
        return _page(day, form, 422)
    review = services.save_fields(current_user, day, today, values)
    if not is_htmx():
        flash("Review saved.", "success")
        return redirect(url_for("reviews.show", day=day.isoformat()), 303)
    progress = services.Day(day, today, review, None)
    answer = _statuses(ReviewForm(formdata=None, obj=review), names, day, saved=True, progress=progress)
    if review.created_at == review.updated_at:  # this answer created the review
        answer += render_block(SHOW_TEMPLATE, "review_extras", d=progress, attachments=[], oob=True)
    return answer
