"""Password hashing, session rotation and response headers."""

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, abort, current_app, request, session
from flask_login import login_user, logout_user
from werkzeug.exceptions import SecurityError

from manifest.extensions import db
from manifest.models.user import new_session_token

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' https:"
)
# Hash of a random password, verified against when the account does not exist so that
# unknown users take as long to refuse as wrong passwords.
_DUMMY_HASH_KEY = "argon2_dummy_hash"


def init_security(app: Flask) -> None:
    app.extensions["argon2"] = PasswordHasher(
        time_cost=app.config["ARGON2_TIME_COST"],
        memory_cost=app.config["ARGON2_MEMORY_COST_KIB"],
        parallelism=app.config["ARGON2_PARALLELISM"],
        type=Type.ID,
    )
    app.before_request(refuse_nul_in_address)
    app.after_request(set_security_headers)
    app.register_error_handler(SecurityError, untrusted_host)


NUL_MESSAGE = "That address contains a character that is not allowed."


def refuse_nul_in_address() -> None:
    """PostgreSQL cannot hold a NUL character, and no page needs one in its address: refuse it here
    once, rather than let a lookup by slug, name or search text fail with a server error. (Form
    fields get a message next to the field from the form base.)"""
    if "\x00" in request.path or any("\x00" in k + v for k, v in request.args.items(multi=True)):
        abort(400, description=NUL_MESSAGE)


def untrusted_host(error: SecurityError):
    # A Host outside TRUSTED_HOSTS is refused before any URL can be built, so the error page
    # template (which builds URLs) would fail and turn the 400 into a 500: answer in plain text.
    return "Bad request: this host name is not served here.", 400, {"Content-Type": "text/plain; charset=utf-8"}


def _hasher() -> PasswordHasher:
    return current_app.extensions["argon2"]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if password_hash is None:
        if _DUMMY_HASH_KEY not in current_app.extensions:
            current_app.extensions[_DUMMY_HASH_KEY] = hash_password(new_session_token())
        password_hash = current_app.extensions[_DUMMY_HASH_KEY]
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def start_session(user) -> None:
    """Log ``user`` in on a brand-new session so no pre-login state (or fixation) survives."""
    session.clear()
    session.permanent = True
    login_user(user)


def end_all_sessions(user) -> None:
    """Invalidate every session of ``user`` on the server by replacing its session token."""
    user.session_token = new_session_token()
    db.session.commit()


def sign_out() -> None:
    logout_user()
    session.clear()


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    if request.endpoint != "static":
        # Every page is private or carries a CSRF token: never kept by a browser or shared cache.
        headers["Cache-Control"] = "no-store"
    return response
