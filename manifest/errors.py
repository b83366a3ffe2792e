"""Error pages: full pages for navigation, a message in the flash area for htmx requests."""

import logging

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from manifest.api.errors import API_MESSAGES, api_error, is_api_request
from manifest.extensions import db, login_manager
from manifest.htmx import is_htmx

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    401: ("Please log in", "You need to log in to see this page."),
    403: ("Forbidden", "You are not allowed to do that."),
    404: ("Not found", "There is nothing here. It may have been deleted, or the link is wrong."),
    405: ("Not allowed", "That action is not available here."),
    409: ("Conflict", "That change conflicts with data that already exists. Reload the page and try again."),
    413: ("Too large", "That upload is larger than allowed."),
    429: ("Too many requests", "Too many attempts. Wait a few minutes and try again."),
    500: ("Something went wrong", "An unexpected error happened. It has been logged; please try again."),
    503: ("Temporarily unavailable", "The database cannot be reached right now. Try again in a moment."),
}


def render_error(code: int, message: str | None = None, error: HTTPException | None = None):
    title, default_message = MESSAGES.get(code, MESSAGES[500])
    if is_api_request():
        return api_error(code, message or API_MESSAGES.get(code, default_message), error)
    context = {"code": code, "title": title, "message": message or default_message}
    if is_htmx():
        body = render_block("errors/error.html", "error_message", **context)
        return body, code, {"HX-Retarget": "#flashes", "HX-Reswap": "innerHTML"}
    return render_template("errors/error.html", **context), code


QUERY_CANCELED = "57014"  # PostgreSQL's code for a statement stopped by statement_timeout
SLOW_MESSAGE = "That took too long to answer, so it was stopped. Nothing was changed; try again in a moment."


def _database_unavailable(error):
    # A statement timeout is not an outage: say what happened instead of "cannot be reached".
    timed_out = getattr(getattr(error, "orig", None), "pgcode", None) == QUERY_CANCELED
    g.database_unavailable = True
    # Flask-Login's template context loads the user again when the first load failed;
    # settle on anonymous so the error page itself does not touch the database.
    g._login_user = login_manager.anonymous_user()
    discard_session(rollback=True)
    return render_error(503, SLOW_MESSAGE if timed_out else None)


def _database_error(error: sa_exc.DBAPIError):
    # Any driver error that SQLAlchemy recognised as a lost connection (psycopg2 reports some of
    # those as DatabaseError, not OperationalError) is an outage; anything else is a real bug.
    if error.connection_invalidated:
        return _database_unavailable(error)
    raise error


def discard_session(*, rollback: bool = False) -> None:
    """End the request's session without ever raising: on a connection that died mid-request the
    rollback (or the rollback inside close) fails, and an error here, after the answer was chosen,
    would replace it with a bare 500. A connection that cannot be rolled back is invalidated, so
    the pool never hands it out again."""
    try:
        if rollback:
            db.session.rollback()
        else:
            db.session.remove()
        return
    except Exception:  # whatever the driver raised, the connection is unusable
        log.warning("The database connection failed while ending a request; discarding it.", exc_info=True)
    try:
        db.session.invalidate()
    except Exception:
        log.warning("Discarding a broken database connection failed.", exc_info=True)
    if not rollback:
        db.session.registry.clear()


def _end_request_session(exception=None) -> None:
    discard_session()


def _integrity_error(error):
    discard_session(rollback=True)
    return render_error(409)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        message = None
        if isinstance(error, CSRFError):
            message = "This form has expired or did not come from this site. Reload the page and try again."
        elif error.description != type(error).description:
            message = error.description  # a specific message given with abort()
        return render_error(error.code, message, error)

    @app.errorhandler(500)
    def server_error(error):
        return render_error(500)

    app.register_error_handler(sa_exc.OperationalError, _database_unavailable)
    app.register_error_handler(sa_exc.InterfaceError, _database_unavailable)
    app.register_error_handler(sa_exc.DisconnectionError, _database_unavailable)
    app.register_error_handler(sa_exc.TimeoutError, _database_unavailable)
    app.register_error_handler(sa_exc.DBAPIError, _database_error)
    app.register_error_handler(sa_exc.IntegrityError, _integrity_error)
    # Teardown functions run in reverse order: this one ends the session before Flask-SQLAlchemy's
    # own (which would raise on a dead connection) and leaves it nothing to do.
    app.teardown_appcontext(_end_request_session)
