"""Goal pages and the actions on them.

Inline forms (on the overview, on Today and on a goal's page) say where they are with a hidden
``view`` field (list, today or page), so an htmx answer can carry exactly the regions of that
page that changed. Without JavaScript every form posts and redirects back (303).
"""

import uuid
from datetime import date
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block, render_blocks
from wtforms.fields.choices import SelectChoice

from manifest.goals import bp, services
from manifest.goals.forms import GoalForm, MilestoneForm, ProgressForm
from manifest.htmx import hx_redirect, is_htmx, wants_fragment
from manifest.media import services as media
from manifest.timeutil import local_today, parse_iso_day

INDEX = "goals/index.html"
SHOW = "goals/show.html"
TODAY = "goals/_today.html"
FRAGMENTS = "goals/_fragments.html"
VIEWS = ("list", "today", "page")


def _where() -> str:
    where = request.form.get("view", "page")
    return where if where in VIEWS else "page"


def _form_day(today: date) -> date:
    """The day a Today form is about (never after today)."""
    day = parse_iso_day(request.form.get("day")) or today
    return min(day, today)


def _errors(form) -> str:
    return " ".join([*(e for f in form for e in f.errors), *form.form_errors])


def _attach(form, error: services.GoalError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _back_url(where: str, goal_id: uuid.UUID, anchor: str) -> str:
    if where == "list":
        return f"{url_for('goals.index')}#goal-{goal_id}"
    if where == "today":
        today = local_today(current_user)
        day = _form_day(today)
        return f"{url_for('today.index', day=None if day == today else day.isoformat())}#today-goals"
    return f"{url_for('goals.show', goal_id=goal_id)}#{anchor}"


def _fragment(where: str, goal_id: uuid.UUID, notices, *, main: str, status: int = 200, **context):
    """The regions of the page the request came from that changed, and any notices out of band."""
    today = local_today(current_user)
    if where == "list":
        filters = services.Filters.from_args(request.form)
        ov = services.overview(current_user, filters, today)
        card = ov.tree.get(goal_id)
        shown = ov.shown_ids | {goal_id}
        changed = [a for a in ov.tree.ancestors(card) if a.id in shown]
        body = render_block(FRAGMENTS, "card_update", card=card, changed=changed, **context)
        inline = shown
        extra = {}
    elif where == "today":
        day = _form_day(today)
        goals = services.today_goals(current_user, day, today)
        body = render_block(TODAY, "today_goals", goals=goals, error_goal=goal_id, **context)
        inline = {row.id for row in goals.rows}
        extra = {"day": day}
    else:
        page = services.goal_page(current_user, goal_id, today)
        blocks = [main] if main == "goal_summary" else [main, "goal_summary"]
        body = render_blocks(SHOW, blocks, page=page, oob=main != "goal_summary", **_page_forms(today, context))
        inline = {goal_id}
        extra = {}
    if notices:
        body += render_block(FRAGMENTS, "notices", notices=notices, where=where, inline=inline, oob=True, **extra)
    return body, status


def _after(change: services.Change, *, main: str):
    where = _where()
    if not is_htmx():
        for notice in change.notices:
            flash(notice.message, "success")
        return redirect(_back_url(where, change.goal_id, main.replace("_", "-")), 303)
    return _fragment(where, change.goal_id, change.notices, main=main)


def _invalid(goal_id: uuid.UUID, form, *, main: str, **context):
    """A refused inline form: its region again with the errors (422), or the page without JavaScript."""
    where = _where()
    if not is_htmx():
        if where == "page":
            return _show(goal_id, status=422, error=_errors(form), typed=request.form, **context)
        flash(_errors(form), "error")
        return redirect(_back_url(where, goal_id, main.replace("_", "-")), 303)
    return _fragment(where, goal_id, [], main=main, status=422, error=_errors(form), typed=request.form, **context)


# --- the overview --------------------------------------------------------------------------

@bp.get("")
@login_required
def index():
    filters = services.Filters.from_args(request.args)
    ov = services.overview(current_user, filters, local_today(current_user))
    if wants_fragment():
        return render_blocks(INDEX, ["goal_list"], ov=ov)
    return render_template(
        INDEX, ov=ov, status_filters=services.STATUS_FILTER_LABELS, type_labels=services.TYPE_LABELS,
        groupings=services.GROUPINGS,
    )


# --- creating, editing, deleting -----------------------------------------------------------

def _plain(value: Decimal | None) -> Decimal | None:
    """12.00 -> 12, so a form shows what was typed rather than the stored scale."""
    if value is None:
        return None
    text = f"{value:f}"
    return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)


def _fill_choices(form: GoalForm, choices: services.Choices) -> None:
    form.parent_goal_id.choices = [SelectChoice("", "None: a goal of its own")] + [
        SelectChoice(str(view.id), "— " * view.depth + view.goal.title) for view in choices.parents
    ]
    form.source.choices = [SelectChoice("", "Choose…")] + [
        SelectChoice(f"{source.key}:{option.id}", option.name, optgroup=source.label)
        for source, options in choices.sources for option in options
    ]


def _form_page(form: GoalForm, choices: services.Choices, goal=None, status: int = 200):
    return render_template("goals/form.html", form=form, goal=goal, choices=choices), status


def _announce(change: services.Change, message: str) -> None:
    flash(message, "success")
    for notice in change.notices:
        flash(notice.message, "success")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    today = local_today(current_user)
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
    elif form.validate_on_submit():
        try:
            change = services.create_goal(current_user, form.cleaned, today)
        except services.GoalError as error:
            _attach(form, error)
        else:
            _announce(change, f"“{form.title.data.strip()}” added.")
            return redirect(url_for("goals.show", goal_id=change.goal_id), 303)
    return _form_page(form, choices, status=422 if form.is_submitted() else 200)


@bp.route("/<uuid:goal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(goal_id: uuid.UUID):
    goal = services.get_goal(current_user, goal_id)
    today = local_today(current_user)
    choices = services.form_choices(current_user, today, goal_id)
    if request.method == "GET":
        form = GoalForm(obj=goal, formdata=None)
        form.priority.data = str(goal.priority or 0)
        form.target_value.data = _plain(goal.target_value)
        form.source.data = f"{goal.source_key}:{goal.source_id}" if goal.source_key else ""
    else:
        form = GoalForm()
    _fill_choices(form, choices)
    if request.method == "POST" and form.validate_on_submit():
        try:
            change = services.update_goal(current_user, goal_id, form.cleaned, today)
        except services.GoalError as error:
            _attach(form, error)
        else:
            _announce(change, "Goal saved.")
            return redirect(url_for("goals.show", goal_id=goal_id), 303)
    return _form_page(form, choices, goal, status=422 if form.is_submitted() else 200)


@bp.route("/<uuid:goal_id>/delete", methods=["GET", "POST"])
@login_required
def delete(goal_id: uuid.UUID):
    if request.method == "GET":
        return render_template("goals/delete.html", **services.deletion_summary(current_user, goal_id))
    title = services.delete_goal(current_user, goal_id, local_today(current_user))
    flash(f"“{title}” and its progress were deleted.", "success")
    url = url_for("goals.index")
    return hx_redirect(url) if is_htmx() else redirect(url, 303)


# --- one goal ------------------------------------------------------------------------------

def _page_forms(today: date, context: dict) -> dict:
    """The goal page's forms: the ones given (with errors), fresh ones otherwise."""
    forms = {
        "progress_form": ProgressForm(formdata=None, progress_date=today),
        "milestone_form": MilestoneForm(formdata=None),
        "edit_form": None, "edit_id": None, "typed": None, "error": None,
    }
    forms.update(context)
    return forms


def _show(goal_id: uuid.UUID, status: int = 200, **context):
    today = local_today(current_user)
    page = services.goal_page(current_user, goal_id, today)
    attachments = media.attachments_of(current_user, "goal", goal_id)
    return render_template(SHOW, page=page, oob=False, attachments=attachments, **_page_forms(today, context)), status


@bp.get("/<uuid:goal_id>")
@login_required
def show(goal_id: uuid.UUID):
    return _show(goal_id)


@bp.post("/<uuid:goal_id>/status/<any(active, paused, completed, cancelled):status>")
@login_required
def set_status(goal_id: uuid.UUID, status: str):
    change = services.set_status(current_user, goal_id, status, local_today(current_user))
    return _after(change, main="goal_summary")


def _submit(goal_id: uuid.UUID, form, main: str, save, **context):
    """Validate ``form`` and run ``save(today)``; answer the change, or the form with its errors
    (a service's GoalError lands on the field it names)."""
    if form.validate_on_submit():
        try:
            change = save(local_today(current_user))
        except services.GoalError as error:
            _attach(form, error)
        else:
            return _after(change, main=main)
    return _invalid(goal_id, form, main=main, **context)


# --- progress entries ----------------------------------------------------------------------

@bp.post("/<uuid:goal_id>/progress")
@login_required
def add_progress(goal_id: uuid.UUID):
    # Ownership first: another user's goal answers 404 whatever the form holds.
    services.get_goal(current_user, goal_id)
    form = ProgressForm()
    return _submit(goal_id, form, "goal_progress", lambda today: services.add_entry(
        current_user, goal_id, form.value.data, form.progress_date.data, form.note.data, today,
    ), progress_form=form)


@bp.post("/<uuid:goal_id>/progress/<uuid:progress_id>")
@login_required
def edit_progress(goal_id: uuid.UUID, progress_id: uuid.UUID):
    services.get_entry(current_user, goal_id, progress_id)
    form = ProgressForm()
    return _submit(goal_id, form, "goal_progress", lambda today: services.update_entry(
        current_user, goal_id, progress_id, form.value.data, form.progress_date.data, form.note.data, today,
    ), edit_form=form, edit_id=progress_id)


@bp.post("/<uuid:goal_id>/progress/<uuid:progress_id>/delete")
@login_required
def delete_progress(goal_id: uuid.UUID, progress_id: uuid.UUID):
    change = services.delete_entry(current_user, goal_id, progress_id, local_today(current_user))
    return _after(change, main="goal_progress")


# --- milestones ----------------------------------------------------------------------------

@bp.post("/<uuid:goal_id>/milestones")
@login_required
def add_milestone(goal_id: uuid.UUID):
    services.get_goal(current_user, goal_id)
    form = MilestoneForm()
    return _submit(goal_id, form, "goal_milestones", lambda today: services.add_milestone(
        current_user, goal_id, form.title.data, form.target_date.data, today,
    ), milestone_form=form)


@bp.post("/<uuid:goal_id>/milestones/<uuid:milestone_id>/done")
@login_required
def milestone_done(goal_id: uuid.UUID, milestone_id: uuid.UUID):
    """The wanted state, not a toggle: the last of repeated fields wins (checkbox after hidden)."""
    wanted = (request.form.getlist("done") or [None])[-1]
    if wanted not in ("0", "1"):
        services.get_milestone(current_user, goal_id, milestone_id)
        abort(400, description="Say whether the milestone is done.")
    change = services.set_milestone_done(current_user, goal_id, milestone_id, wanted == "1",
                                         local_today(current_user))
    return _after(change, main="goal_milestones")


@bp.post("/<uuid:goal_id>/milestones/<uuid:milestone_id>")
@login_required
def edit_milestone(goal_id: uuid.UUID, milestone_id: uuid.UUID):
    services.get_milestone(current_user, goal_id, milestone_id)
    form = MilestoneForm()
    return _submit(goal_id, form, "goal_milestones", lambda today: services.edit_milestone(
        current_user, goal_id, milestone_id, form.title.data, form.target_date.data, today,
    ), edit_form=form, edit_id=milestone_id)


@bp.post("/<uuid:goal_id>/milestones/<uuid:milestone_id>/move")
@login_required
def move_milestone(goal_id: uuid.UUID, milestone_id: uuid.UUID):
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        services.get_milestone(current_user, goal_id, milestone_id)
        abort(400, description="Move a milestone up or down.")
    change = services.move_milestone(current_user, goal_id, milestone_id, offset, local_today(current_user))
    return _after(change, main="goal_milestones")


@bp.post("/<uuid:goal_id>/milestones/<uuid:milestone_id>/delete")
@login_required
def delete_milestone(goal_id: uuid.UUID, milestone_id: uuid.UUID):
    change = services.delete_milestone(current_user, goal_id, milestone_id, local_today(current_user))
    return _after(change, main="goal_milestones")
