"""Password storage and rules, and what bad input to the account forms does (a message, no row)."""

import argon2
import pytest
import sqlalchemy as sa

from config import Config, DevelopmentConfig, ProductionConfig
from manifest.extensions import db
from manifest.models import LoginFailure, User
from tests.conftest import PASSWORD
from tests.security.support import sibling_app

LENGTH_MESSAGE = "Use 8 to 128 characters."
COMMON_MESSAGE = "one of the most common ones"
NUL_MESSAGE = "Contains a character that is not allowed."
DEFAULTS = argon2.PasswordHasher()  # argon2-cffi's defaults (RFC 9106 low-memory profile)
PRODUCTION_HASHING = {
    "ARGON2_TIME_COST": Config.ARGON2_TIME_COST,
    "ARGON2_MEMORY_COST_KIB": Config.ARGON2_MEMORY_COST_KIB,
    "ARGON2_PARALLELISM": Config.ARGON2_PARALLELISM,
}


def signup(client, password=PASSWORD, **fields):
    data = {"email": "new@example.com", "username": "newbie", "password": password, "timezone": "UTC", **fields}
    return client.post("/signup", data=data)


def users(app) -> list[User]:
    with app.app_context():
        return list(db.session.scalars(sa.select(User)))


def stored_hash(app, username: str) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(User.password_hash).where(User.username == username))


def can_log_in(app, identifier: str, password: str) -> bool:
    return app.test_client().post("/login", data={"identifier": identifier, "password": password}).status_code == 303


def assert_at_least_default_strength(password_hash: str) -> None:
    assert password_hash.startswith("$argon2id$v=19$")
    params = argon2.extract_parameters(password_hash)
    assert params.type is argon2.Type.ID
    assert params.time_cost >= DEFAULTS.time_cost
    assert params.memory_cost >= DEFAULTS.memory_cost
    assert params.parallelism >= 1
    assert params.salt_len >= DEFAULTS.salt_len
    assert params.hash_len >= DEFAULTS.hash_len


# --------------------------------------------------------------------------- hashing


@pytest.mark.parametrize("config", [Config, DevelopmentConfig, ProductionConfig])
def test_configured_argon2_cost_is_argon2_cffi_defaults_or_stronger(config):
    assert config.ARGON2_TIME_COST >= DEFAULTS.time_cost
    assert config.ARGON2_MEMORY_COST_KIB >= DEFAULTS.memory_cost
    assert config.ARGON2_PARALLELISM >= 1


def test_passwords_are_stored_as_argon2id_at_the_configured_strength(app):
    with sibling_app(app, **PRODUCTION_HASHING) as strong:
        assert signup(strong.test_client()).status_code == 303
        assert_at_least_default_strength(stored_hash(app, "newbie"))


def test_a_weaker_stored_hash_is_upgraded_at_the_next_login(app, user):
    assert argon2.extract_parameters(stored_hash(app, "ana")).memory_cost < DEFAULTS.memory_cost  # made by TestConfig
    with sibling_app(app, **PRODUCTION_HASHING) as strong:
        assert can_log_in(strong, "ana", PASSWORD)
    assert_at_least_default_strength(stored_hash(app, "ana"))
    assert can_log_in(app, "ana", PASSWORD)


# --------------------------------------------------------------------------- length and content rules


@pytest.mark.parametrize("password", ["a" * 7, "seven!!", "ü" * 7, "x" * 129])
def test_signup_refuses_passwords_outside_8_to_128_characters(app, client, password):
    response = signup(client, password)
    assert response.status_code == 422
    assert LENGTH_MESSAGE in response.get_data(as_text=True)
    assert users(app) == []


@pytest.mark.parametrize("length", [8, 64, 128])
def test_signup_accepts_long_passwords_and_uses_every_character(app, client, length):
    password = ("long passphrase " * 10)[: length - 1] + "Z"
    assert len(password) == length
    assert signup(client, password).status_code == 303
    assert can_log_in(app, "newbie", password)
    # Nothing is truncated: the same password with another last character is wrong.
    assert not can_log_in(app, "newbie", password[:-1] + "Y")


@pytest.mark.parametrize(
    "password",
    ["all lower case words", "ONLYCAPITALS", "90817263", "ü" * 64, "no digits or capitals here"],
)
def test_no_composition_rules(app, client, password):
    assert signup(client, password).status_code == 303
    assert can_log_in(app, "newbie", password)


@pytest.mark.parametrize("password", ["password", "Password1", "12345678", "qwertyuiop", "ILOVEYOU"])
def test_signup_refuses_common_passwords(app, client, password):
    response = signup(client, password)
    assert response.status_code == 422
    assert COMMON_MESSAGE in response.get_data(as_text=True)
    assert users(app) == []


@pytest.mark.parametrize("length", [64, 128])
def test_password_change_accepts_long_passwords(app, auth_client, length):
    new = ("a new long passphrase " * 10)[:length]
    response = auth_client.post("/settings/password", data={"current_password": PASSWORD, "new_password": new})
    assert response.status_code == 303
    assert can_log_in(app, "ana", new)
    assert not can_log_in(app, "ana", PASSWORD)


@pytest.mark.parametrize(("new", "message"), [("short", LENGTH_MESSAGE), ("password123", COMMON_MESSAGE)])
def test_password_change_applies_the_same_rules(app, auth_client, new, message):
    before = stored_hash(app, "ana")
    response = auth_client.post("/settings/password", data={"current_password": PASSWORD, "new_password": new})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored_hash(app, "ana") == before


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "new\x00@example.com"}, NUL_MESSAGE),
        ({"username": "new\x00bie"}, NUL_MESSAGE),
        ({"password": "a long pass\x00phrase"}, NUL_MESSAGE),
        ({"email": "x" * 250 + "@example.com"}, "Field cannot be longer than 255 characters."),
        ({"username": "u" * 41}, "Use 3 to 40 characters."),
        ({"username": "<script>"}, "Use letters, digits, dots, dashes and underscores only."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"email": "ana@"}, "Enter a valid email address."),
        ({"email": "@example.com"}, "Enter a valid email address."),
        ({"email": ""}, "Enter your email."),
    ],
)
def test_bad_signup_input_gives_a_message_and_creates_nothing(app, client, fields, message):
    response = signup(client, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert users(app) == []


def test_an_unknown_or_overlong_time_zone_falls_back_to_utc(app, client):
    assert signup(client, timezone="Mars/Olympus_Mons" + "x" * 500).status_code == 303
    assert [u.timezone for u in users(app)] == ["UTC"]


@pytest.mark.parametrize(
    "fields",
    [{"identifier": "ana\x00"}, {"password": PASSWORD + "\x00"}, {"identifier": "a" * 256}, {"password": "p" * 129}],
)
def test_bad_login_input_gives_a_message_and_records_nothing(app, client, user, fields):
    response = client.post("/login", data={"identifier": "ana", "password": PASSWORD, **fields})
    assert response.status_code == 422
    assert '<p class="error"' in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)) == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"bio": "hello\x00"}, NUL_MESSAGE),
        ({"first_name": "A\x00"}, NUL_MESSAGE),
        ({"bio": "b" * 2001}, "Field cannot be longer than 2000 characters."),
        ({"first_name": "f" * 101}, "Field cannot be longer than 100 characters."),
        ({"avatar_url": "javascript:alert(1)"}, "Enter a full web address"),
        ({"timezone": "Mars/Olympus_Mons"}, "Not a valid choice."),
    ],
)
def test_bad_profile_input_gives_a_message_and_changes_nothing(app, user, auth_client, fields, message):
    with app.app_context():
        before = db.session.get(User, user["id"]).bio, db.session.get(User, user["id"]).first_name
    response = auth_client.post("/settings/profile", data={"first_name": "Ana", "timezone": "UTC", **fields})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert (db.session.get(User, user["id"]).bio, db.session.get(User, user["id"]).first_name) == before
