"""Tokens made straight through the service, and a client that sends one."""

import pytest

from manifest.api import tokens
from manifest.extensions import db
from manifest.models import User


@pytest.fixture
def make_token(app):
    """A token for a user (by the fixture's dict); returns the secret."""

    def make(user: dict, access=("read", "write"), areas=(), days: int | None = 30, name: str = "script") -> str:
        with app.app_context():
            owner = db.session.get(User, user["id"])
            return tokens.create_token(owner, name, list(access), list(areas), days).secret

    return make


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def token(make_token, user) -> str:
    return make_token(user)


@pytest.fixture
def api(client, token):
    """A client with no session that sends ana's read-and-write token."""

    class Api:
        headers = bearer(token)

        def __getattr__(self, method):
            def call(url, **kwargs):
                kwargs["headers"] = {**self.headers, **kwargs.get("headers", {})}
                return getattr(client, method)(url, **kwargs)
            return call

    return Api()
