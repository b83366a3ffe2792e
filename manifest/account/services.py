"""Profile, password and account deletion for the signed-in user."""

import sqlalchemy as sa

from manifest.api.tokens import revoke_all_statement
from manifest.extensions import db
from manifest.forms import FieldError
from manifest.models import User
from manifest.models.user import (
    DISTANCE_PREFERENCES,
    NUTRITION_TARGETS,
    WEIGHT_PREFERENCES,
    new_session_token,
)
from manifest.security import hash_password, verify_password

PROFILE_FIELDS = ("first_name", "last_name", "bio", "avatar_url", "timezone")


def update_profile(user: User, data: dict) -> None:
    for field in PROFILE_FIELDS:
        value = data.get(field)
        setattr(user, field, value.strip() if isinstance(value, str) and value.strip() else None)
    user.timezone = user.timezone or "UTC"
    db.session.commit()


def update_targets(user: User, data: dict) -> None:
    """Daily nutrition targets; a missing or empty value clears that target."""
    for column in NUTRITION_TARGETS:
        setattr(user, column, data.get(column))
    db.session.commit()


def update_units(user: User, weight_unit: str, distance_unit: str) -> None:
    if weight_unit not in WEIGHT_PREFERENCES or distance_unit not in DISTANCE_PREFERENCES:
        raise ValueError("unknown unit")
    user.weight_unit, user.distance_unit = weight_unit, distance_unit
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password; every other session of the user ends. FieldError if ``current`` is wrong."""
    if not verify_password(user.password_hash, current):
        raise FieldError("That is not your current password.", "current_password")
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()
    # A changed password is often a suspected leak: every API token goes too.
    db.session.execute(revoke_all_statement(user.id))
    db.session.commit()


def delete_account(user: User, password: str) -> None:
    """Delete the user and, through ON DELETE CASCADE, every row they own (API tokens too); FieldError if the
    password is wrong."""
    if not verify_password(user.password_hash, password):
        raise FieldError("That is not your password.", "password")
    db.session.execute(sa.delete(User).where(User.id == user.id))
    db.session.commit()
