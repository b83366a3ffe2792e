"""Journal pages (signed in, /journal) and the public pages of shared entries (/u)."""

from datetime import UTC, datetime

from flask import current_app, render_template, request, url_for
from flask_login import current_user, login_required

from manifest import htmx, security
from manifest.args import int_arg
from manifest.forms import FieldError, attach_error
from manifest.journal import bp, logic, public_bp, services
from manifest.journal.forms import EntryForm
from manifest.journal.pages import STATUS_LABELS, Filters
from manifest.media import services as media
from manifest.models import BlogEntry
from manifest.ownership import loads
from manifest.timeutil import local_today, require_iso_day

INDEX = "journal/index.html"
FORM = "journal/form.html"
SHOW = "journal/show.html"
CHANGED = "journal-changed"


# --- the list --------------------------------------------------------------------------------------

@bp.get("/")
@login_required
def index():
    filters = Filters.from_args(request.args)
    listing = services.list_entries(current_user, filters)
    today = local_today(current_user)

    def around_the_list(fragment: bool) -> dict:
        # Filtering swaps the list alone: "on this day" and the review prompt are not reloaded.
        if fragment:
            return {"memories": [], "reviewed_today": False}
        return {"memories": services.on_this_day(current_user, today),
                "reviewed_today": services.has_review(current_user, today)}

    return htmx.page(
        INDEX, "entry_list", listing=listing, f=filters, status_labels=STATUS_LABELS, today=today,
        entry_day=lambda entry: services.entry_day(current_user, entry), context_for=around_the_list,
    )


# --- writing ---------------------------------------------------------------------------------------

def _form(form: EntryForm, entry=None) -> dict:
    return {"form": form, "entry": entry, "preview": logic.render_markdown(form.content.data)}


def _saved(entry):
    return htmx.go(url_for("journal.show", blog_entry_id=entry.id), f"“{entry.title}” saved.", events=CHANGED)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = EntryForm()
    if form.validate_on_submit():
        try:
            return _saved(services.create_entry(current_user, form.command()))
        except FieldError as error:
            attach_error(form, error)
    return render_template(FORM, **_form(form)), htmx.form_status(form)


@bp.route("/<uuid:blog_entry_id>/edit", methods=["GET", "POST"])
@login_required
@loads(blog_entry=BlogEntry)
def edit(blog_entry: BlogEntry):
    if request.method == "GET":
        form = EntryForm(obj=blog_entry, formdata=None)
        form.excerpt.data = services.form_excerpt(blog_entry)
    else:
        form = EntryForm()
    if form.validate_on_submit():
        try:
            return _saved(services.update_entry(current_user, blog_entry, form.command()))
        except FieldError as error:
            attach_error(form, error)
    return render_template(FORM, **_form(form, blog_entry)), htmx.form_status(form)


@bp.post("/preview")
@login_required
def preview():
    """The text as it will read, for the live preview beside the editor."""
    text = request.form.get("content", "")[: 2 * 100_000]
    return htmx.blocks(FORM, "entry_preview", preview=logic.render_markdown(text))


@bp.post("/from-review/<day>")
@login_required
def from_review(day: str):
    entry = services.entry_from_review(current_user, require_iso_day(day))
    return htmx.go(url_for("journal.edit", blog_entry_id=entry.id),
                   "A draft was made from your review. Add what the numbers do not say.", events=CHANGED)


# --- one entry -------------------------------------------------------------------------------------

@bp.get("/<uuid:blog_entry_id>")
@login_required
@loads(blog_entry=BlogEntry)
def show(blog_entry: BlogEntry):
    entry = blog_entry
    public_url = None
    if entry.status == "published" and entry.is_public:
        public_url = url_for("public.entry", username=current_user.username, slug=entry.slug, _external=True)
    return render_template(
        SHOW, entry=entry, body=logic.render_markdown(entry.content), minutes=logic.reading_minutes(entry.content),
        day=services.entry_day(current_user, entry), public_url=public_url, status_labels=STATUS_LABELS,
        attachments=media.attachments_of(current_user, "blog_entry", entry.id),
    )


@bp.route("/<uuid:blog_entry_id>/delete", methods=["GET", "POST"])
@login_required
@loads(blog_entry=BlogEntry)
def delete(blog_entry: BlogEntry):
    if request.method == "GET":
        return render_template("journal/delete.html", entry=blog_entry)
    title = blog_entry.title
    services.delete_entry(current_user, blog_entry)
    return htmx.go(url_for("journal.index"), f"“{title}” was deleted.", events=CHANGED)


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


# Readers' addresses stay here: no image from another site is loaded on a public page.
public_bp.after_request(security.only_own_images)


@public_bp.get("/<username>")
def profile(username: str):
    page = int_arg(request.args.get("page"), 1, 100_000) or 1
    data = services.public_page(username, page)
    return render_template(
        "journal/public_profile.html", p=data, day_of=lambda e: services.local_day(data.author, e.published_at),
    )


@public_bp.get("/<username>/<slug>")
def entry(username: str, slug: str):
    author, found = services.public_entry(username, slug)
    page = render_template(
        "journal/public_entry.html", author=author, entry=found,
        body=logic.render_public_markdown(found.content, own_host=request.host),
        minutes=logic.reading_minutes(found.content), day=services.local_day(author, found.published_at),
        attachments=media.attachments_of(author, "blog_entry", found.id),
    )
    # Counted after rendering: the commit would otherwise expire what the page reads.
    visitor = _visitor_identity()
    if visitor and not (current_user.is_authenticated and current_user.id == author.id):
        services.record_view(found, logic.visitor_key(current_app.secret_key, visitor), datetime.now(UTC).date())
    return page
