"""The production configuration: secret key, debug, cookies, trusted hosts and the proxy in front."""

import pytest
from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

from config import INSECURE_DEV_KEY, ProductionConfig, TestConfig
from manifest import create_app
from tests.conftest import PASSWORD
from tests.security.support import assert_security_headers, config_class, sibling_app

STRONG_KEY = "k" * 32
# Hashing at production strength in every test here would only make them slow.
FAST_HASHING = {
    "ARGON2_TIME_COST": TestConfig.ARGON2_TIME_COST,
    "ARGON2_MEMORY_COST_KIB": TestConfig.ARGON2_MEMORY_COST_KIB,
    "ARGON2_PARALLELISM": TestConfig.ARGON2_PARALLELISM,
}


def production(app, **overrides):
    return sibling_app(app, ProductionConfig, **{"SECRET_KEY": STRONG_KEY, **FAST_HASHING, **overrides})


@pytest.mark.parametrize("secret", ["", None, "k" * 31, INSECURE_DEV_KEY])
def test_production_refuses_to_start_without_a_strong_secret_key(app, secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config_class(app, ProductionConfig, SECRET_KEY=secret))


def test_production_starts_with_a_32_character_secret_key(app):
    with production(app) as prod:
        assert prod.secret_key == STRONG_KEY


def test_production_is_the_default_and_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_never_runs_in_debug_mode(app, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")  # what `flask run --debug` or a stray variable would set
    with production(app) as prod:
        assert prod.debug is False
        assert prod.testing is False


def test_production_session_cookie_is_secure_host_only_httponly_and_lax(app, user):
    with production(app) as prod:
        client = prod.test_client()
        # Test requests use PREFERRED_URL_SCHEME (https), where Flask-WTF also wants a same-site Referer.
        response = client.post(
            "/login",
            data={"identifier": user["email"], "password": PASSWORD},
            headers={"Referer": "https://localhost/login"},
        )
        assert response.status_code == 303
        assert client.get_cookie("session") is None
        cookie = client.get_cookie("__Host-session")
        assert cookie is not None
        assert cookie.secure and cookie.http_only
        assert cookie.same_site == "Lax"
        assert cookie.path == "/"
        assert "domain=" not in response.headers["Set-Cookie"].lower()  # __Host- cookies must be host-only
        page = client.get("/")
        assert page.status_code == 200
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")


def test_trusted_hosts_refuse_other_host_names(app):
    with production(app, TRUSTED_HOSTS=["manifest.example"], PROXY_COUNT=1) as prod:
        client = prod.test_client()
        assert client.get("/login", base_url="http://manifest.example").status_code == 200
        refused = [
            client.get("/login", base_url="http://evil.example"),
            client.get("/login", headers={"Host": "evil.example"}),
            # Behind the proxy the forwarded host is the one the browser asked for.
            client.get("/login", base_url="http://manifest.example", headers={"X-Forwarded-Host": "evil.example"}),
        ]
        for response in refused:
            assert response.status_code == 400
            assert_security_headers(response, private=False)


def test_production_reads_the_client_address_and_scheme_from_one_proxy(app):
    # PROXY_COUNT=1 set in the environment (tests/security/test_proxy.py has the other cases).
    with production(app, PROXY_COUNT=1) as prod:
        assert isinstance(prod.wsgi_app, ProxyFix)

        @prod.get("/_client")
        def client_address():
            return f"{request.remote_addr} {request.scheme}"

        client = prod.test_client()
        response = client.get(
            "/_client",
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
            # The client forged the first entry; the proxy appended the address it really saw.
            headers={"X-Forwarded-For": "192.0.2.66, 203.0.113.7", "X-Forwarded-Proto": "https"},
        )
        assert response.get_data(as_text=True) == "203.0.113.7 https"


@pytest.mark.parametrize("base", ["http://127.0.0.1:5000", "http://localhost:8000", "not a url"])
def test_production_with_email_refuses_to_start_without_its_public_address(app, base):
    with pytest.raises(RuntimeError, match="APP_BASE_URL"):
        create_app(config_class(app, ProductionConfig, SECRET_KEY=STRONG_KEY, MAIL_SERVER="smtp.example.com",
                                APP_BASE_URL=base))


def test_production_with_email_starts_with_its_public_address(app):
    with production(app, MAIL_SERVER="smtp.example.com", APP_BASE_URL="https://manifest.example.com") as prod:
        assert prod.config["APP_BASE_URL"] == "https://manifest.example.com"


@pytest.mark.parametrize("keys", [{"VAPID_PUBLIC_KEY": "public"}, {"VAPID_PRIVATE_KEY": "private"}])
def test_production_refuses_half_a_vapid_key_pair(app, keys):
    with pytest.raises(RuntimeError, match="VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY"):
        create_app(config_class(app, ProductionConfig, SECRET_KEY=STRONG_KEY, **keys))
