"""Password hashing, session rotation and response headers."""

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, abort, current_app, request, session
from flask_login import login_user, logout_user
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from manifest.extensions import db
from manifest.models.user import new_session_token

_BASE_POLICY = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
# Signed-in pages may show images the user linked to (https: only).
CONTENT_SECURITY_POLICY = f"{_BASE_POLICY}; img-src 'self' https:"
# Pages anyone can read: an image from another site would give it every reader's address.
PUBLIC_CONTENT_SECURITY_POLICY = f"{_BASE_POLICY}; img-src 'self'"
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


def trust_proxies(app: Flask) -> None:
    """Read the client's address, scheme and host from X-Forwarded-* only when something in front
    of the app sets them; otherwise a client could pick its own address (and escape the login
    throttle) or host name just by sending the headers.

    PROXY_COUNT set: that many proxies are trusted for X-Forwarded-For/-Proto/-Host/-Port.
    Unset, behind a known platform router (Heroku): one, for -For/-Proto/-Port only; the router
    does not set X-Forwarded-Host, so the value a client sent would reach the app untouched.
    Unset otherwise: none, and the headers change nothing.
    """
    n = app.config.get("PROXY_COUNT")
    if n is None and app.config.get("PLATFORM_ROUTER"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=0, x_port=1)
    elif n:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)


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


def only_own_images(response: Response) -> Response:
    """After-request hook of the public pages: their CSP allows images from this site only (set
    before ``set_security_headers``, which keeps a policy already there)."""
    response.headers["Content-Security-Policy"] = PUBLIC_CONTENT_SECURITY_POLICY
    return response


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
