"""Accounts: sign-up and sign-in rules. Routes stay thin and call these."""

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from manifest.auth import throttle
from manifest.extensions import db
from manifest.forms import FieldError
from manifest.models import User
from manifest.security import hash_password, needs_rehash, verify_password
from manifest.timeutil import is_valid_timezone


class AccountExists(FieldError):
    """An email or username another account has; ``field`` names which."""

    def __init__(self, field: str):
        super().__init__(f"An account with this {field} already exists.", field)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_username(username: str) -> str:
    return username.strip().lower()


def taken_field(email: str, username: str, exclude: User | None = None) -> str | None:
    """Which of email/username is already used by another account, if any."""
    query = sa.select(User.email, User.username).where(sa.or_(User.email == email, User.username == username))
    if exclude is not None:
        query = query.where(User.id != exclude.id)
    for row in db.session.execute(query):
        return "email" if row.email == email else "username"
    return None


def register(email: str, username: str, password: str, tz: str | None) -> User:
    email, username = normalise_email(email), normalise_username(username)
    field = taken_field(email, username)
    if field:
        raise AccountExists(field)
    user = User(
        email=email,
        username=username,
        password_hash=hash_password(password),
        timezone=tz if is_valid_timezone(tz) else "UTC",
        last_login_at=datetime.now(UTC),
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        # Another sign-up took the name between our check and the insert.
        db.session.rollback()
        raise AccountExists(taken_field(email, username) or "email") from None
    return user


@dataclass
class LoginResult:
    user: User | None = None
    retry_after: int = 0  # seconds; set when the attempt was refused by throttling


def authenticate(identifier: str, password: str, address: str) -> LoginResult:
    identifier = identifier.strip().lower()
    column = User.email if "@" in identifier else User.username
    user = db.session.scalars(sa.select(User).where(column == identifier)).first()
    keys = [("account", str(user.id) if user else identifier), ("address", address)]

    wait = throttle.seconds_locked(keys)
    if wait:
        return LoginResult(retry_after=wait)
    # verify_password also runs for unknown users so timing does not reveal which accounts exist.
    if not verify_password(user.password_hash if user else None, password) or user is None or not user.is_active:
        throttle.record_failure(keys)
        return LoginResult()

    throttle.clear(keys[:1])
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = datetime.now(UTC)
    db.session.commit()
    return LoginResult(user=user)
