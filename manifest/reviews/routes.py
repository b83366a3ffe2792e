from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from manifest import htmx
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


def _page(day: date, form: ReviewForm | None = None) -> dict:
    data = services.day_review(current_user, day, local_today(current_user))
    if form is None:
        form = ReviewForm(formdata=None, obj=data.review)
    return {"d": data, "form": form, "groups": GROUPS, "saved": ()}


@bp.get("/<day>")
@login_required
def show(day: str):
    # As a region (htmx), the tags, attachments and journal draft that need the day's review.
    return htmx.page(SHOW_TEMPLATE, "review_extras", **_page(require_iso_day(day)))


@bp.post("/<day>")
@login_required
def save(day: str):
    """Save the fields the request carries and leave the others alone: autosave posts one field,
    the form without JavaScript posts them all. The answer is the status next to each posted field
    and the filled-fields counter; ``review-changed`` lets what depends on the review follow."""
    day = require_iso_day(day)
    today = local_today(current_user)
    names = [name for name in FIELD_NAMES if name in request.form]
    if not names:
        abort(400, description="Nothing to save: the request named no review field.")
    if day > today:
        abort(400, description="That day has not happened yet; review it when it comes.")
    form = ReviewForm()
    values = form.command(names)
    if values is None:
        return htmx.invalid(SHOW_TEMPLATE, "field_statuses", names=names, specs=SPECS, **_page(day, form))
    review = services.save_fields(current_user, day, today, values)
    return htmx.done(
        url_for("reviews.show", day=day.isoformat()), SHOW_TEMPLATE, "field_statuses", "review_progress",
        events="review-changed", message="Review saved.", names=names, specs=SPECS,
        form=ReviewForm(formdata=None, obj=review), saved=names, d=services.day_of(day, today, review), oob=True,
    )
