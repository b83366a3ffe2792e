"""Goal pages, the goals regions other pages include, and the actions on goals.

A successful action answers ``goal-progress`` (docs/architecture.md): every goals region on the
page (the overview's list, a goal page's sections, Today's goals, goals fed by another page)
refreshes itself from its own URL, so an action never needs to know which page it came from.
The answer's body holds only the notices a change caused (completed, reopened), out of band.
A refused inline form answers 422 with its own block. Without JavaScript every form posts and
redirects (303) back: to the goal's page, or to the local path an inline form names in ``next``.
"""

from datetime import date
from decimal import Decimal

from flask import abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from manifest import htmx
from manifest.auth.session import safe_next_url
from manifest.forms import FieldError, attach_error, form_errors
from manifest.goals import bp, pages, progress, services
from manifest.goals.forms import (
    GoalForm,
    MilestoneDoneForm,
    MilestoneForm,
    MoveForm,
    ProgressForm,
    QuickProgressForm,
    StatusForm,
)
from manifest.media import services as media
from manifest.models import Goal, GoalMilestone, GoalProgress
from manifest.ownership import loads, owned
from manifest.timeutil import local_today, require_iso_day

INDEX = "goals/index.html"
SHOW = "goals/show.html"
TODAY = "goals/_today.html"
FED = "goals/_fed.html"
FRAGMENTS = "goals/_fragments.html"
CHANGED = "goal-progress"


def _today() -> date:
    return local_today(current_user)


def _page_url(goal: Goal, anchor: str = "goal-summary") -> str:
    return f"{url_for('goals.show', goal_id=goal.id)}#{anchor}"


def _back(form, goal: Goal) -> str:
    """Where an inline form returns without JavaScript: the local path it names, or the goal's page."""
    return safe_next_url(form.next.data) or _page_url(goal)


def _done(change: pages.Change, url: str):
    """A goal changed: its notices (flashed, or out of band for htmx) and ``goal-progress``."""
    if not change.notices:
        return htmx.done(url, events=CHANGED)
    message = " ".join(notice.message for notice in change.notices)
    response = htmx.done(url, FRAGMENTS, "notices", events=CHANGED, message=message,
                         notices=change.notices, next=url)
    # Only the notices change: the form's own target stays as it is (the regions refresh).
    response.headers["HX-Reswap"] = "none"
    return response


# --- the overview --------------------------------------------------------------------------

@bp.get("")
@login_required
def index():
    """The overview; with htmx, its list (filters changed, or a goal did)."""
    filters = pages.Filters.from_args(request.args)
    return htmx.page(
        INDEX, "goal_list", ov=services.overview(current_user, filters, _today()),
        status_filters=pages.STATUS_FILTER_LABELS, type_labels=pages.TYPE_LABELS, groupings=pages.GROUPINGS,
    )


# --- regions of other pages ----------------------------------------------------------------

def _region_day(today: date) -> date:
    return require_iso_day(request.args["day"]) if "day" in request.args else today


@bp.get("/today")
@login_required
def today_region():
    """Today's goals for ``day``: the region Today includes, refreshed after anything they depend on."""
    today = _today()
    day = _region_day(today)
    return htmx.part(url_for("today.index", day=day.isoformat()), TODAY, "today_goals",
                     goals=services.today_goals(current_user, day, today))


@bp.get("/fed-by/<any(food, workouts):area>")
@login_required
def fed_region(area: str):
    """The active goals another area's page feeds (food, workouts), as of ``day``."""
    today = _today()
    day = _region_day(today)
    page_url = url_for("nutrition.day", day=day.isoformat()) if area == "food" else url_for("workouts.index")
    return htmx.part(page_url, FED, "fed_goals", fed=services.fed_goals(current_user, area, day, today))


@bp.app_context_processor
def fed_region_events() -> dict:
    """What an including page's empty "goals fed by" element listens for before it loads."""
    return {"fed_events": pages.FedGoals.listening}


# --- creating, editing, deleting -----------------------------------------------------------

def _plain(value: Decimal | None) -> Decimal | None:
    """12.00 -> 12, so a form shows what was typed rather than the stored scale."""
    if value is None:
        return None
    text = f"{value:f}"
    return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)


def _fill_choices(form: GoalForm, choices: pages.Choices) -> None:
    form.fill_choices(choices)


def _save_goal(form: GoalForm, choices: pages.Choices, goal: Goal | None, save, message: str):
    """Validate and ``save()``; the goal's page after it, or the form again with its errors."""
    if form.validate_on_submit():
        try:
            change = save()
        except FieldError as error:
            attach_error(form, error)
        else:
            flash(message, "success")
            for notice in change.notices:
                flash(notice.message, "success")
            return htmx.go(url_for("goals.show", goal_id=change.goal_id))
    return render_template("goals/form.html", form=form, goal=goal, choices=choices), htmx.form_status(form)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    today = _today()
    choices = services.form_choices(current_user, today)
    form = GoalForm()
    _fill_choices(form, choices)
    if request.method == "GET":
        parent = next((v for v in choices.parents if str(v.id) == request.args.get("parent")), None)
        if parent is not None:
            # A sub-goal usually shares its parent's area and runs on a shorter period.
            form.parent_goal_id.data = parent.id
            form.category.data = parent.goal.category
            shorter = {"yearly": "monthly", "monthly": "weekly", "weekly": "daily"}
            form.goal_type.data = shorter.get(parent.goal.goal_type, "monthly")
    return _save_goal(form, choices, None, lambda: services.create_goal(current_user, form.command(), today),
                      f"“{(form.title.data or '').strip()}” added.")


@bp.route("/<uuid:goal_id>/edit", methods=["GET", "POST"])
@login_required
@loads(goal=Goal)
def edit(goal: Goal):
    today = _today()
    choices = services.form_choices(current_user, today, goal)
    if request.method == "GET":
        form = GoalForm(obj=goal, formdata=None)
        form.priority.data = str(goal.priority or 0)
        form.target_value.data = _plain(goal.target_value)
        form.source.data = f"{goal.source_key}:{goal.source_id}" if goal.source_key else ""
    else:
        form = GoalForm()
    _fill_choices(form, choices)
    return _save_goal(form, choices, goal, lambda: services.update_goal(current_user, goal, form.command(), today),
                      "Goal saved.")


@bp.route("/<uuid:goal_id>/delete", methods=["GET", "POST"])
@login_required
@loads(goal=Goal)
def delete(goal: Goal):
    if request.method == "GET":
        return render_template("goals/delete.html", **services.deletion_summary(current_user, goal))
    title = services.delete_goal(current_user, goal, _today())
    return htmx.go(url_for("goals.index"), f"“{title}” and its progress were deleted.")


# --- one goal ------------------------------------------------------------------------------

def _show_context(goal: Goal, **forms) -> dict:
    """What the goal page needs: the page, its attachments, and its forms (given ones keep their errors)."""
    today = _today()
    context = {
        "page": progress.goal_page(current_user, goal, today),
        "attachments": media.attachments_of(current_user, "goal", goal.id),
        "progress_form": ProgressForm(formdata=None, progress_date=today),
        "milestone_form": MilestoneForm(formdata=None),
        "edit_form": None, "edit_id": None, "typed": None, "error": None,
    }
    context.update(forms)
    return context


@bp.get("/<uuid:goal_id>")
@login_required
@loads(goal=Goal)
def show(goal: Goal):
    return render_template(SHOW, **_show_context(goal))


# Each section of a goal's page refreshes itself from its own URL (the whole page without htmx).
SECTIONS = {"summary": "goal_summary", "progress": "goal_progress", "milestones": "goal_milestones"}


@bp.get("/<uuid:goal_id>/<any(summary, progress, milestones):section>")
@login_required
@loads(goal=Goal)
def section(goal: Goal, section: str):
    return htmx.page(SHOW, SECTIONS[section], **_show_context(goal))


@bp.post("/<uuid:goal_id>/status/<any(active, paused, completed, cancelled):status>")
@login_required
@loads(goal=Goal)
def set_status(goal: Goal, status: str):
    form = StatusForm()
    change = services.set_status(current_user, goal, status, _today())
    return _done(change, _back(form, goal))


def _refused_on_page(goal: Goal, form, block: str, **forms):
    """A form of the goal's page with errors: its section again (422), or the whole page."""
    return htmx.invalid(SHOW, block, **_show_context(goal, error=form_errors(form), typed=request.form, **forms))


def _submit(goal: Goal, form, block: str, save, **forms):
    """Validate ``form`` and run ``save(today)``; a FieldError lands on the field it names."""
    if form.validate_on_submit():
        try:
            change = save(_today())
        except FieldError as error:
            attach_error(form, error)
        else:
            return _done(change, _page_url(goal, block.replace("_", "-")))
    return _refused_on_page(goal, form, block, **forms)


# --- progress entries ----------------------------------------------------------------------

@bp.post("/<uuid:goal_id>/progress")
@login_required
@loads(goal=Goal)
def add_progress(goal: Goal):
    form = ProgressForm()
    return _submit(goal, form, "goal_progress", lambda today: progress.add_entry(
        current_user, goal, today=today, **form.command()), progress_form=form)


@bp.post("/<uuid:goal_id>/progress/quick")
@login_required
@loads(goal=Goal)
def quick_progress(goal: Goal):
    """Progress from a goal's card (overview) or row (Today). Refused: the small form again with
    its error (422), or, without JavaScript, the message on the page it came from."""
    form = QuickProgressForm()
    today = _today()
    back = _back(form, goal)
    if form.validate_on_submit():
        try:
            change = progress.add_entry(current_user, goal, today=today, **form.command())
        except FieldError as error:
            attach_error(form, error)
        else:
            return _done(change, back)
    day = form.progress_date.data if isinstance(form.progress_date.data, date) else today
    return htmx.refused(back, form_errors(form), FRAGMENTS, "quick_add",
                        view=services.goal_view(current_user, goal, today), day=min(day, today),
                        error=form_errors(form), typed=request.form, back=back)


def _entry(goal: Goal, progress_id) -> GoalProgress:
    return owned(current_user, GoalProgress, progress_id, parent=goal)


@bp.post("/<uuid:goal_id>/progress/<uuid:progress_id>")
@login_required
@loads(goal=Goal)
def edit_progress(goal: Goal, progress_id):
    entry = _entry(goal, progress_id)
    form = ProgressForm()
    return _submit(goal, form, "goal_progress", lambda today: progress.update_entry(
        current_user, entry, today=today, **form.command()), edit_form=form, edit_id=entry.id)


@bp.post("/<uuid:goal_id>/progress/<uuid:progress_id>/delete")
@login_required
@loads(goal=Goal)
def delete_progress(goal: Goal, progress_id):
    change = progress.delete_entry(current_user, _entry(goal, progress_id), _today())
    return _done(change, _page_url(goal, "goal-progress"))


# --- milestones ----------------------------------------------------------------------------

def _milestone(goal: Goal, milestone_id) -> GoalMilestone:
    return owned(current_user, GoalMilestone, milestone_id, parent=goal)


@bp.post("/<uuid:goal_id>/milestones")
@login_required
@loads(goal=Goal)
def add_milestone(goal: Goal):
    form = MilestoneForm()
    return _submit(goal, form, "goal_milestones", lambda today: progress.add_milestone(
        current_user, goal, today=today, **form.command()), milestone_form=form)


@bp.post("/<uuid:goal_id>/milestones/<uuid:milestone_id>/done")
@login_required
@loads(goal=Goal)
def milestone_done(goal: Goal, milestone_id):
    milestone = _milestone(goal, milestone_id)
    form = MilestoneDoneForm()
    if not form.validate_on_submit():
        abort(400, description=form_errors(form))
    change = progress.set_milestone_done(current_user, milestone, today=_today(), **form.command())
    return _done(change, _page_url(goal, "goal-milestones"))


@bp.post("/<uuid:goal_id>/milestones/<uuid:milestone_id>")
@login_required
@loads(goal=Goal)
def edit_milestone(goal: Goal, milestone_id):
    milestone = _milestone(goal, milestone_id)
    form = MilestoneForm()
    return _submit(goal, form, "goal_milestones", lambda today: progress.edit_milestone(
        current_user, milestone, today=today, **form.command()), edit_form=form, edit_id=milestone.id)


@bp.post("/<uuid:goal_id>/milestones/<uuid:milestone_id>/move")
@login_required
@loads(goal=Goal)
def move_milestone(goal: Goal, milestone_id):
    milestone = _milestone(goal, milestone_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400, description=form_errors(form))
    change = progress.move_milestone(current_user, milestone, today=_today(), **form.command())
    return _done(change, _page_url(goal, "goal-milestones"))


@bp.post("/<uuid:goal_id>/milestones/<uuid:milestone_id>/delete")
@login_required
@loads(goal=Goal)
def delete_milestone(goal: Goal, milestone_id):
    change = progress.delete_milestone(current_user, _milestone(goal, milestone_id), _today())
    return _done(change, _page_url(goal, "goal-milestones"))
