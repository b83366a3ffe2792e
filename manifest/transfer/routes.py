from datetime import UTC, datetime

from flask import Response, abort, current_app, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from manifest import htmx
from manifest.forms import FieldError, attach_error
from manifest.media.logic import human_size
from manifest.models import DataExport, DataImport
from manifest.ownership import loads
from manifest.transfer import bp, exports, imports, pages, sheets, tasks
from manifest.transfer.forms import ActionForm, ImportForm

DATA = "transfer/data.html"
IMPORT = "transfer/import.html"
EXPIRED = "transfer/expired.html"


def _data(**context) -> dict:
    return {
        "export_job": exports.latest(current_user), "import_form": ImportForm(formdata=None),
        "recent_imports": imports.latest(current_user), "action": ActionForm(formdata=None),
        "now": datetime.now(UTC), "max_import": imports.max_bytes(), "pages": pages, "human_size": human_size,
        **context,
    }


@bp.get("")
@login_required
def index():
    return htmx.page(DATA, **_data())


# --- the whole account -------------------------------------------------------------------------

@bp.post("/export")
@login_required
def start_export():
    if not ActionForm().validate_on_submit():
        return htmx.invalid(DATA, "export_status", **_data())
    job, new = exports.start(current_user)
    if new:
        tasks.build_export(job.id)
    return htmx.done(url_for("transfer.index"), DATA, "export_status",
                     message="Your export is being built." if new else "Your export is already being built.",
                     **_data(export_job=job))


@bp.get("/exports/<uuid:export_id>")
@login_required
@loads(export=DataExport)
def export_status(export):
    return htmx.part(url_for("transfer.index"), DATA, "export_status", **_data(export_job=export))


@bp.get("/exports/<uuid:export_id>/download")
@login_required
@loads(export=DataExport)
def download_export(export):
    if not exports.downloadable(export):
        if export.status == "done":
            return htmx.page(EXPIRED, status=410)
        abort(404)
    response = Response(exports.archive_chunks(export), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{exports.download_name(export)}"'
    response.headers["Content-Length"] = str(export.file_size)
    response.headers["Cache-Control"] = "no-store"
    return response


# --- spreadsheets ------------------------------------------------------------------------------

def _csv(make_lines, name: str) -> Response:
    """Stream a spreadsheet. It is read while it is sent, after the view has returned: each piece is
    made inside an app context (and database session) of its own, never held open across a yield,
    so a download abandoned halfway leaves nothing behind."""
    app = current_app._get_current_object()
    lines = make_lines(current_user.id)

    def body():
        while True:
            with app.app_context():
                piece = next(lines, None)
            if piece is None:
                return
            yield piece

    response = Response(body(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/food.csv")
@login_required
def food_csv():
    return _csv(sheets.food_log, "food-log.csv")


@bp.get("/workouts.csv")
@login_required
def workouts_csv():
    return _csv(sheets.workouts, "workouts-with-sets.csv")


@bp.get("/habits.csv")
@login_required
def habits_csv():
    return _csv(sheets.habit_grid, "habit-check-ins.csv")


@bp.get("/measurements.csv")
@login_required
def measurements_csv():
    return _csv(sheets.measurements, "body-measurements.csv")


# --- imports -----------------------------------------------------------------------------------

def _import_page(job: DataImport, **context) -> dict:
    return {"job": job, "action": ActionForm(formdata=None), "pages": pages,
            "cancel_while_running": imports.cancellable_while_running(), **context}


@bp.post("/import")
@login_required
def upload():
    # An import may be larger than an attachment; anything larger still is refused unread.
    request.max_content_length = imports.max_bytes() + 256 * 1024
    try:
        form = ImportForm()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        form = ImportForm(formdata=None)
        form.files.errors = [imports.too_large_message()]
        return _refused(form, 413)
    if not valid:
        return htmx.invalid(DATA, "import_form", **_data(import_form=form))
    try:
        job = imports.receive(current_user, form.command())
    except FieldError as error:
        attach_error(form, error)
        return _refused(form, 413 if isinstance(error, imports.TooLarge) else 422)
    tasks.preview_import(job.id)
    return htmx.go(url_for("transfer.show_import", data_import_id=job.id))


def _refused(form: ImportForm, status: int) -> Response:
    """The import form with its error; nothing was kept."""
    response = htmx.invalid(DATA, "import_form", **_data(import_form=form))
    response.status_code = status
    return response


@bp.get("/imports/<uuid:data_import_id>")
@login_required
@loads(data_import=DataImport)
def show_import(data_import):
    job = data_import
    return htmx.page(IMPORT, "import_status", **_import_page(job))


@bp.post("/imports/<uuid:data_import_id>/confirm")
@login_required
@loads(data_import=DataImport)
def confirm_import(data_import):
    job = data_import
    url = url_for("transfer.show_import", data_import_id=job.id)
    if not ActionForm().validate_on_submit():
        return htmx.invalid(IMPORT, "import_status", **_import_page(job))
    if imports.confirm(job):
        tasks.run_import(job.id)
    job = imports.reload(job)
    return htmx.done(url, IMPORT, "import_status", **_import_page(job))


@bp.post("/imports/<uuid:data_import_id>/cancel")
@login_required
@loads(data_import=DataImport)
def cancel_import(data_import):
    job = data_import
    url = url_for("transfer.show_import", data_import_id=job.id)
    if not ActionForm().validate_on_submit():
        return htmx.invalid(IMPORT, "import_status", **_import_page(job))
    cancelled = imports.cancel(job)
    job = imports.reload(job)
    return htmx.done(url, IMPORT, "import_status", message="Import cancelled; nothing was imported."
                     if cancelled else None, **_import_page(job))
