"""Progress pages: the period switcher, measurements, the year in review, insights.

The measurement form sits on Today (its own region, #today-body) and on the measurements page;
each answers its own region and names the change (measurement-changed), so goals filled from
weigh-ins follow on Today.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required

from manifest import htmx, security
from manifest.forms import FieldError, attach_error
from manifest.models import Measurement
from manifest.ownership import loads
from manifest.progress import bp, pages, public_bp, services, tasks
from manifest.progress import year as years
from manifest.progress.forms import DeleteForm, MeasurementForm, PublishForm
from manifest.progress.insights import MIN_PER_SIDE
from manifest.progress.insights import insights as find_insights
from manifest.timeutil import local_today, parse_iso_day

CHANGED = "measurement-changed"
MEASUREMENTS = "progress/measurements.html"
TODAY_REGION = "progress/_today.html"
TODAY_DAYS = 60  # the weigh-ins Today's small chart shows
CHART_DAYS = 365  # the body page's chart
LOG_ROWS = 60  # the body page's list, newest first


# --- the progress page ---------------------------------------------------------------------------

@bp.get("/")
@login_required
def index():
    kind = request.args.get("period", "weekly")
    if kind not in pages.PERIOD_LABELS:
        abort(400, description="Choose weekly, monthly or yearly.")
    today = local_today(current_user)
    found = services.series(current_user, kind, today)
    if not found.complete:
        tasks.backfill_user(current_user.id)
    page = pages.progress_page(kind, found.periods, found.values, found.previous_year, today, current_user.weight_unit)
    return htmx.page("progress/index.html", "progress_main", p=page, today=today, kinds=pages.PERIOD_LABELS)


# --- measurements ----------------------------------------------------------------------------------

def today_body(day: date) -> dict:
    """What Today's body region shows: the weigh-ins of the last weeks (one query)."""
    rows = services.measurements(current_user, day - timedelta(days=TODAY_DAYS), until=day)
    return {
        "body": pages.weight_summary(services.weights(current_user, rows), current_user.weight_unit),
        "latest": rows[-1] if rows else None, "body_day": day,
    }


def _today_form(day: date, form: MeasurementForm | None = None) -> MeasurementForm:
    return form or MeasurementForm(formdata=None, measured_on=day, origin="today")


def today_context(day: date) -> dict:
    """Today's body region, for the Today page that includes it."""
    return {"measurement_form": _today_form(day), "waist_unit": services.waist_unit(current_user), **today_body(day)}


def _measurements_page(form: MeasurementForm | None = None) -> dict:
    today = local_today(current_user)
    rows = services.measurements(current_user, today - timedelta(days=CHART_DAYS))
    return {
        "rows": list(reversed(rows))[:LOG_ROWS], "today": today, "chart_days": CHART_DAYS,
        "body": pages.weight_summary(services.weights(current_user, rows), current_user.weight_unit),
        "form": form or MeasurementForm(formdata=None, measured_on=today, origin="page"),
        "delete_form": DeleteForm(formdata=None), "waist_unit": services.waist_unit(current_user),
    }


@bp.get("/measurements")
@login_required
def measurements():
    return htmx.page(MEASUREMENTS, "measurements_main", **_measurements_page())


@bp.get("/today-body")
@login_required
def today_region():
    """Today's body region from its own URL (it refreshes itself on measurement-changed)."""
    today = local_today(current_user)
    day = parse_iso_day(request.args.get("day")) or today
    day = min(day, today)
    return htmx.part(url_for("today.index", day=day.isoformat()), TODAY_REGION, "today_body",
                     measurement_form=_today_form(day), waist_unit=services.waist_unit(current_user), **today_body(day))


@bp.post("/measurements")
@login_required
def add_measurement():
    form = MeasurementForm()
    from_today = form.origin.data == "today"
    today = local_today(current_user)
    if form.validate():
        try:
            row = services.add_measurement(current_user, form.command(), today)
        except FieldError as error:
            attach_error(form, error)
        else:
            if from_today:
                day = row.measured_on
                return htmx.done(
                    url_for("today.index", day=None if day == today else day.isoformat()), TODAY_REGION, "today_body",
                    events=CHANGED, message="Measurement saved.", measurement_form=_today_form(day),
                    waist_unit=services.waist_unit(current_user), saved=row, **today_body(day))
            return htmx.done(url_for("progress.measurements"), MEASUREMENTS, "measurements_main", events=CHANGED,
                             message="Measurement saved.", saved=row, **_measurements_page())
    if from_today:
        day = form.measured_on.data if form.measured_on.data and form.measured_on.data <= today else today
        return htmx.invalid(TODAY_REGION, "today_body", measurement_form=form,
                            waist_unit=services.waist_unit(current_user), **today_body(day))
    return htmx.invalid(MEASUREMENTS, "measurements_main", **_measurements_page(form))


@bp.post("/measurements/<uuid:measurement_id>/delete")
@login_required
@loads(measurement=Measurement)
def delete_measurement(measurement: Measurement):
    if not DeleteForm().validate():
        abort(400)
    services.delete_measurement(current_user, measurement)
    return htmx.done(url_for("progress.measurements"), MEASUREMENTS, "measurements_main", events=CHANGED,
                     message="Measurement deleted.", **_measurements_page())


# --- the year in review ----------------------------------------------------------------------------

@bp.get("/year/<int:year_number>")
@login_required
def year_review(year_number: int):
    if not 1900 <= year_number <= local_today(current_user).year:
        abort(404)
    data = years.review(current_user, year_number)
    if not data.complete:
        tasks.backfill_user(current_user.id)
    return render_template("progress/year.html", y=data, public_view=False,
                           publish_form=PublishForm(formdata=None, public=data.public),
                           public_url=url_for("public_progress.year", username=current_user.username,
                                              year_number=year_number, _external=True) if data.public else None)


@bp.post("/year/<int:year_number>/publish")
@login_required
def publish_year(year_number: int):
    if not 1900 <= year_number <= local_today(current_user).year:
        abort(404)
    form = PublishForm()
    if not form.validate():
        abort(400)
    years.set_public(current_user, year_number, bool(form.public.data))
    message = "Your year in review is public." if form.public.data else "Your year in review is private."
    return htmx.go(url_for("progress.year_review", year_number=year_number), message=message)


@public_bp.get("/<username>/year/<int:year_number>")
def year(username: str, year_number: int):
    author = years.public_author(username, year_number)
    data = years.review(author, year_number, public_view=True)
    return render_template("progress/year.html", y=data, public_view=True, publish_form=None, public_url=None)


public_bp.after_request(security.only_own_images)


# --- insights ----------------------------------------------------------------------------------------

@bp.get("/insights")
@login_required
def insights():
    found = find_insights(services.insight_days(current_user))
    return render_template("progress/insights.html", i=found, min_per_side=MIN_PER_SIDE,
                           days=services.INSIGHT_DAYS, today=local_today(current_user))


@bp.get("/insights/<key>")
@login_required
def insight_days(key: str):
    found = find_insights(services.insight_days(current_user))
    question = found.find(key)
    if question is None:
        abort(404)
    finding = next((f for f in found.findings if f.question.key == key), None)
    return render_template("progress/insight_days.html", q=question, finding=finding, today=local_today(current_user))
