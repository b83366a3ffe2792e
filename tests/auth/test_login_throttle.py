"""Login throttling: per account and per client address, shared by every worker process through the
database, and one answer for unknown accounts and wrong passwords."""

import re
from datetime import UTC, datetime, timedelta

import argon2
import sqlalchemy as sa

from config import Config, TestConfig
from manifest.extensions import db
from manifest.models import LoginFailure
from tests.conftest import PASSWORD
from tests.security.support import sibling_app

NO_MATCH = "Those details do not match an account."
LOCKED = "Too many failed attempts."
WRONG = "not the password"


def attempt(app, identifier, password, address="198.51.100.1", **headers):
    client = app.test_client()
    return client.post(
        "/login",
        data={"identifier": identifier, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def fail(app, identifier, times, address=None):
    """``times`` wrong passwords, each from its own address unless one is given."""
    for i in range(times):
        response = attempt(app, identifier, WRONG, address or f"198.51.100.{100 + i}")
        assert response.status_code == 422, response.status_code


def failure_keys(app) -> list[tuple[str, str]]:
    with app.app_context():
        return sorted(tuple(row) for row in db.session.execute(sa.select(LoginFailure.scope, LoginFailure.key)))


def page_text(response, identifier: str) -> str:
    """The page with the parts that differ by design removed: CSRF tokens and the name typed in."""
    text = re.sub(r"[\w-]{20,}\.[\w-]+\.[\w-]{20,}", "<token>", response.get_data(as_text=True))
    return text.replace(identifier, "<identifier>")


def assert_refused(response) -> None:
    assert response.status_code == 429
    assert LOCKED in response.get_data(as_text=True)
    assert 1 <= int(response.headers["Retry-After"]) <= Config.LOGIN_FAILURE_WINDOW_SECONDS


def test_limits_are_ten_failures_in_fifteen_minutes():
    for config in (Config, TestConfig):
        assert config.LOGIN_MAX_FAILURES == 10
        assert config.LOGIN_FAILURE_WINDOW_SECONDS == 15 * 60


def test_nine_failures_still_let_the_right_password_in(app, user):
    fail(app, "ana", 9)
    assert attempt(app, "ana", PASSWORD).status_code == 303


def test_ten_failures_lock_the_account_even_for_the_right_password(app, user):
    fail(app, "ana", 10)  # from ten addresses: only the account counter reaches ten
    client = app.test_client()
    response = client.post("/login", data={"identifier": "ana", "password": PASSWORD}, environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert_refused(response)
    assert client.get("/").status_code == 302
    # By email too: both name the same account.
    assert_refused(attempt(app, user["email"], PASSWORD, "192.0.2.2"))


def test_failures_by_email_and_by_username_count_together(app, user):
    fail(app, "ana", 5)
    fail(app, user["email"].upper(), 5)
    assert_refused(attempt(app, "ana", PASSWORD, "192.0.2.1"))


def test_failures_on_one_worker_lock_the_account_on_another(app, user):
    with sibling_app(app) as other_worker:
        fail(app, "ana", 10)
        assert_refused(attempt(other_worker, "ana", PASSWORD, "192.0.2.1"))


def test_failures_split_between_workers_add_up(app, user):
    with sibling_app(app) as other_worker:
        fail(app, "ana", 5)
        fail(other_worker, "ana", 5)
        assert_refused(attempt(app, "ana", PASSWORD, "192.0.2.1"))
        assert_refused(attempt(other_worker, "ana", PASSWORD, "192.0.2.1"))


def test_failures_against_many_accounts_lock_the_address(app, user, make_user):
    make_user("cleo")
    for i in range(10):
        assert attempt(app, f"someone{i}", WRONG, "203.0.113.9").status_code == 422
    # Right password, fresh account counter, but the address is locked: for any account.
    assert_refused(attempt(app, "ana", PASSWORD, "203.0.113.9"))
    assert_refused(attempt(app, "cleo", PASSWORD, "203.0.113.9"))
    # The accounts themselves are not locked.
    assert attempt(app, "ana", PASSWORD, "203.0.113.10").status_code == 303


def test_address_lock_holds_across_workers(app, user):
    with sibling_app(app) as other_worker:
        for i in range(10):
            attempt(app if i % 2 else other_worker, f"someone{i}", WRONG, "203.0.113.9")
        assert_refused(attempt(other_worker, "ana", PASSWORD, "203.0.113.9"))


def test_unknown_accounts_and_wrong_passwords_get_the_same_answer(app, user):
    wrong_password = attempt(app, "ana", WRONG)
    unknown_user = attempt(app, "nobody", WRONG)
    unknown_email = attempt(app, "nobody@example.com", WRONG)
    for response in (wrong_password, unknown_user, unknown_email):
        assert response.status_code == 422
        assert NO_MATCH in response.get_data(as_text=True)
    assert page_text(wrong_password, "ana") == page_text(unknown_user, "nobody")


def test_unknown_accounts_lock_like_real_ones(app, user):
    fail(app, "ana", 10)
    fail(app, "nobody", 10)
    real, unknown = attempt(app, "ana", WRONG, "192.0.2.1"), attempt(app, "nobody", WRONG, "192.0.2.1")
    assert_refused(real)
    assert_refused(unknown)
    assert page_text(real, "ana") == page_text(unknown, "nobody")


def test_unknown_accounts_cost_a_password_check_too(app, user, monkeypatch):
    calls = []
    original = argon2.PasswordHasher.verify

    def counting_verify(self, password_hash, password):
        calls.append(password_hash)
        return original(self, password_hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting_verify)
    attempt(app, "ana", WRONG)
    attempt(app, "nobody", WRONG)
    assert len(calls) == 2
    assert all(h.startswith("$argon2id$") for h in calls)


def test_success_clears_the_account_counter(app, user):
    fail(app, "ana", 9, "198.51.100.1")
    assert attempt(app, "ana", PASSWORD, "198.51.100.1").status_code == 303
    # Nine more from another address: locked only if the first nine still counted.
    fail(app, "ana", 9, "198.51.100.2")
    assert attempt(app, "ana", PASSWORD, "198.51.100.2").status_code == 303


def test_success_does_not_clear_the_address_counter(app, user):
    # Logging in to one's own account between guesses at others must not reset the address.
    for i in range(9):
        attempt(app, f"victim{i}", WRONG, "203.0.113.9")
    assert attempt(app, "ana", PASSWORD, "203.0.113.9").status_code == 303
    attempt(app, "victim9", WRONG, "203.0.113.9")
    assert_refused(attempt(app, "ana", PASSWORD, "203.0.113.9"))


def test_the_lock_ends_when_the_failures_are_older_than_the_window(app, user):
    fail(app, "ana", 10)
    assert_refused(attempt(app, "ana", PASSWORD, "192.0.2.1"))
    with app.app_context():
        db.session.execute(sa.update(LoginFailure).values(created_at=datetime.now(UTC) - timedelta(minutes=15, seconds=5)))
        db.session.commit()
    assert attempt(app, "ana", PASSWORD, "192.0.2.1").status_code == 303


def test_behind_one_proxy_the_forwarded_client_address_is_throttled(app, user):
    with sibling_app(app, PROXY_COUNT=1) as behind_proxy:
        for i in range(10):
            # The client forges the first X-Forwarded-For entry; the proxy appends the address it saw.
            response = attempt(
                behind_proxy, f"someone{i}", WRONG, "10.0.0.2", **{"X-Forwarded-For": f"192.0.2.{i}, 203.0.113.7"}
            )
            assert response.status_code == 422
        assert {key for scope, key in failure_keys(app) if scope == "address"} == {"203.0.113.7"}
        assert_refused(attempt(behind_proxy, "ana", PASSWORD, "10.0.0.2", **{"X-Forwarded-For": "203.0.113.7"}))
        # Another client behind the same proxy is not locked out.
        assert attempt(behind_proxy, "ana", PASSWORD, "10.0.0.2", **{"X-Forwarded-For": "203.0.113.8"}).status_code == 303


def test_without_a_proxy_a_forged_forwarded_for_changes_nothing(app, user):
    for i in range(10):
        attempt(app, f"someone{i}", WRONG, "203.0.113.9", **{"X-Forwarded-For": f"192.0.2.{i}"})
    assert {key for scope, key in failure_keys(app) if scope == "address"} == {"203.0.113.9"}
    assert_refused(attempt(app, "ana", PASSWORD, "203.0.113.9", **{"X-Forwarded-For": "192.0.2.200"}))
