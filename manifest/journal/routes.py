"""Journal pages (signed in, /journal) and the public pages of shared entries (/u)."""

import uuid
from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from manifest import htmx
from manifest.htmx import hx_redirect, is_htmx, wants_fragment
from manifest.journal import bp, logic, public_bp, services
from manifest.journal.forms import EntryForm
from manifest.media import services as media
from manifest.timeutil import local_today, require_iso_day

INDEX = "journal/index.html"
FORM = "journal/form.html"
SHOW = "journal/show.html"


def _go(url: str):
    return hx_redirect(url) if is_htmx() else redirect(url, 303)


# --- the list --------------------------------------------------------------------------------------

@bp.get("/")
@login_required
def index():
    filters = services.Filters.from_args(request.args)
    listing = services.list_entries(current_user, filters)
    today = local_today(current_user)
    whole_page = not wants_fragment()
    return htmx.page(
        INDEX, "entry_list", listing=listing, f=filters, status_labels=services.STATUS_LABELS,
        memories=services.on_this_day(current_user, today) if whole_page else [],
        reviewed_today=whole_page and services.has_review(current_user, today),
        today=today, entry_day=lambda entry: services.entry_day(current_user, entry),
    )


# --- writing ---------------------------------------------------------------------------------------

def _form_page(form: EntryForm, entry=None, status: int = 200):
    preview = logic.render_markdown(form.content.data)
    return render_template(FORM, form=form, entry=entry, preview=preview), status


def _attach(form: EntryForm, error: services.EntryError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = EntryForm()
    if form.validate_on_submit():
        try:
            entry = services.create_entry(current_user, form.data)
        except services.EntryError as error:
            _attach(form, error)
        else:
            flash(f"“{entry.title}” saved.", "success")
            return _go(url_for("journal.show", blog_entry_id=entry.id))
    return _form_page(form, status=422 if form.is_submitted() else 200)


@bp.route("/<uuid:blog_entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit(blog_entry_id: uuid.UUID):
    entry = services.get_entry(current_user, blog_entry_id)
    if request.method == "GET":
        form = EntryForm(obj=entry, formdata=None)
        form.excerpt.data = services.form_excerpt(entry)
    else:
        form = EntryForm()
    if form.validate_on_submit():
        try:
            entry = services.update_entry(current_user, blog_entry_id, form.data)
        except services.EntryError as error:
            _attach(form, error)
            entry = services.get_entry(current_user, blog_entry_id)
        else:
            flash(f"“{entry.title}” saved.", "success")
            return _go(url_for("journal.show", blog_entry_id=entry.id))
    return _form_page(form, entry, status=422 if form.is_submitted() else 200)


@bp.post("/preview")
@login_required
def preview():
    """The text as it will read, for the live preview beside the editor."""
    text = request.form.get("content", "")[: 2 * 100_000]
    return render_block(FORM, "entry_preview", preview=logic.render_markdown(text))


@bp.post("/from-review/<day>")
@login_required
def from_review(day: str):
    entry = services.entry_from_review(current_user, require_iso_day(day))
    flash("A draft was made from your review. Add what the numbers do not say.", "success")
    return _go(url_for("journal.edit", blog_entry_id=entry.id))


# --- one entry -------------------------------------------------------------------------------------

@bp.get("/<uuid:blog_entry_id>")
@login_required
def show(blog_entry_id: uuid.UUID):
    entry = services.get_entry(current_user, blog_entry_id)
    public_url = None
    if entry.status == "published" and entry.is_public:
        public_url = url_for("public.entry", username=current_user.username, slug=entry.slug, _external=True)
    return render_template(
        SHOW, entry=entry, body=logic.render_markdown(entry.content), minutes=logic.reading_minutes(entry.content),
        day=services.entry_day(current_user, entry), public_url=public_url, status_labels=services.STATUS_LABELS,
        attachments=media.attachments_of(current_user, "blog_entry", entry.id),
    )


@bp.route("/<uuid:blog_entry_id>/delete", methods=["GET", "POST"])
@login_required
def delete(blog_entry_id: uuid.UUID):
    entry = services.get_entry(current_user, blog_entry_id)
    if request.method == "GET":
        return render_template("journal/delete.html", entry=entry)
    title = entry.title
    services.delete_entry(current_user, blog_entry_id)
    flash(f"“{title}” was deleted.", "success")
    return _go(url_for("journal.index"))


# --- public pages ----------------------------------------------------------------------------------

# Crawlers and link previews are not readers.
BOT_MARKERS = ("bot", "crawl", "spider", "slurp", "preview", "fetch", "curl", "wget", "python-requests")


def _visitor_identity() -> str | None:
    """Who is reading, for counting views; None for robots. Anonymous readers count by address
    alone: a header the sender chooses (the user agent) would let one person count many times."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    agent = request.user_agent.string.lower()
    if not agent or any(marker in agent for marker in BOT_MARKERS):
        return None
    return f"anon:{request.remote_addr or ''}"


@public_bp.get("/<username>")
def profile(username: str):
    page = services.int_arg(request.args.get("page"), 1, 100_000) or 1
    data = services.public_page(username, page)
    return render_template(
        "journal/public_profile.html", p=data, day_of=lambda e: services.local_day(data.author, e.published_at),
    )


@public_bp.get("/<username>/<slug>")
def entry(username: str, slug: str):
    author, found = services.public_entry(username, slug)
    page = render_template(
        "journal/public_entry.html", author=author, entry=found, body=logic.render_markdown(found.content),
        minutes=logic.reading_minutes(found.content), day=services.local_day(author, found.published_at),
        attachments=media.attachments_of(author, "blog_entry", found.id),
    )
    # Counted after rendering: the commit would otherwise expire what the page reads.
    visitor = _visitor_identity()
    if visitor and not (current_user.is_authenticated and current_user.id == author.id):
        services.record_view(found, logic.visitor_key(current_app.secret_key, visitor), datetime.now(UTC).date())
    return page
