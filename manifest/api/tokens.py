"""Personal access tokens: made, listed, revoked, and checked on every API request.

A token is ``lm_`` and 43 URL-safe characters (256 random bits). Only its SHA-256 is stored: a
leaked database reveals no token, and a lookup by hash gives away nothing about a token's
characters the way comparing them one by one could.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from manifest.extensions import db
from manifest.forms import FieldError
from manifest.models import ApiToken, User

PREFIX = "lm_"
TOKEN_LENGTH = len(PREFIX) + 43
# Longer than any token: refused before hashing, so a megabyte header costs nothing.
MAX_HEADER_TOKEN = 200
ACCESS = ("read", "write")
# The areas a token can be limited to, as they appear in the API's paths.
AREAS = ("habits", "goals", "foods", "workouts", "measurements", "progress", "reviews", "journal", "tags", "search",
         "notifications")
EXPIRY_DAYS = (7, 30, 90, 365)
MAX_TOKENS = 50


def utc_now() -> datetime:
    return datetime.now(UTC)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    row: ApiToken
    secret: str  # shown once, never stored


def scopes_text(access: list[str], areas: list[str]) -> str:
    """"read write" for every area, or "habits:read habits:write ..." for the areas chosen."""
    if not areas:
        return " ".join(access)
    return " ".join(f"{area}:{level}" for area in areas for level in access)


def create_token(user: User, name: str, access: list[str], areas: list[str], days: int | None) -> NewToken:
    name = " ".join((name or "").split())
    if not name:
        raise FieldError("Name the token, e.g. Phone shortcut.", "name")
    if not access or not set(access) <= set(ACCESS):
        raise FieldError("Choose read, write or both.", "access")
    if not set(areas) <= set(AREAS):
        raise FieldError("Choose areas from the list.", "areas")
    count = db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    if count >= MAX_TOKENS:
        raise FieldError(f"You have {MAX_TOKENS} tokens already; revoke one first.", "name")
    secret = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id, name=name[:100], token_hash=hash_token(secret), prefix=secret[:10],
        scopes=scopes_text(access, areas),
        expires_at=utc_now() + timedelta(days=days) if days else None,
    )
    db.session.add(row)
    db.session.commit()
    return NewToken(row, secret)


def list_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id)))


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utc_now()
        db.session.commit()


def revoke_all_statement(user_id) -> sa.Update:
    """Every live token of a user revoked: run with a password change (the account's deletion
    removes them by cascade)."""
    return (sa.update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=sa.func.now()))


class Refused(Exception):
    """A request the token does not let through; ``status`` 401 (who are you) or 403 (not this)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def authenticate(header: str | None) -> ApiToken:
    """The live token named by an ``Authorization: Bearer`` header, or Refused(401)."""
    if not header:
        raise Refused(401, "Send an access token: Authorization: Bearer lm_…")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Refused(401, "Send the token as Authorization: Bearer lm_…")
    if len(token) > MAX_HEADER_TOKEN or len(token) != TOKEN_LENGTH or not token.startswith(PREFIX):
        raise Refused(401, "That is not an access token.")
    digest = hash_token(token)
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest))
    # The row was found by its hash; comparing in constant time too costs nothing.
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        raise Refused(401, "That token is unknown or was revoked.")
    state = row.state(utc_now())
    if state == "revoked":
        raise Refused(401, "That token is unknown or was revoked.")
    if state == "expired":
        raise Refused(401, "That token has expired.")
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise Refused(401, "That token is unknown or was revoked.")
    return row


def allows(token: ApiToken, area: str, level: str) -> bool:
    scopes = token.scope_set()
    return level in scopes or f"{area}:{level}" in scopes


def count_request(token: ApiToken, address: str | None, limit: int) -> int | None:
    """Count this request in the token's minute and record its use, in one atomic UPDATE shared by
    every worker; the seconds to wait when the minute's allowance is spent, else None."""
    now = utc_now()
    window = now.replace(second=0, microsecond=0)
    statement = (
        sa.update(ApiToken).where(ApiToken.id == token.id)
        .values(
            window_count=sa.case((ApiToken.window_start == window, ApiToken.window_count + 1), else_=1),
            window_start=window, last_used_at=now, last_used_ip=(address or "")[:45] or None,
        )
        .returning(ApiToken.window_count)
        .execution_options(synchronize_session=False)
    )
    count = db.session.execute(statement).scalar_one()
    db.session.commit()
    if count > limit:
        return max(1, 60 - now.second)
    return None
