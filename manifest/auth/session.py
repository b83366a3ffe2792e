"""Flask-Login wiring: loading users by id *and* session token, and answering the anonymous."""

import hmac
import uuid
from urllib.parse import urlsplit

from flask import Flask, redirect, request, url_for

from manifest.extensions import db, login_manager
from manifest.htmx import hx_redirect, is_htmx
from manifest.models import User


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, token = session_id.partition(":")
    try:
        user = db.session.get(User, uuid.UUID(user_id))
    except ValueError:
        return None
    if user is None or not user.is_active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def safe_next_url(target: str | None) -> str | None:
    """Only same-site paths, so a crafted ?next= cannot send a user elsewhere.

    Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so
    "/<tab>/evil.example" or "/\\evil.example" would leave the site; control characters are refused outright.
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(ord(char) < 0x20 or ord(char) == 0x7F for char in target)
    ):
        return target
    return None


@login_manager.unauthorized_handler
def unauthorized():
    if is_htmx():
        # A login form swapped into a fragment would be useless: send the whole tab there.
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        path = current.path + (f"?{current.query}" if current.query else "")
        return hx_redirect(url_for("auth.login", next=safe_next_url(path)), status=401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
