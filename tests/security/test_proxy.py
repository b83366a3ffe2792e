"""Whose X-Forwarded-* headers are believed: nobody's unless a proxy is configured or a platform's
router is known to sit in front, so a client talking to the app directly cannot choose its address
(escaping the login throttle, inflating view counts) or its host name."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import request, url_for

from tests.conftest import PASSWORD
from tests.security.test_production import production

ROOT = Path(__file__).resolve().parents[2]
FORGED = {
    "X-Forwarded-For": "192.0.2.66, 203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Port": "8443",
}
# What the app sees without believing any header: the socket's address, the Host header, plain http.
DIRECT = {"address": "10.0.0.2", "scheme": "http", "host": "manifest.example", "link": "http://manifest.example/login"}
# Without PROXY_COUNT or a known platform, the environment the app starts in.
UNCONFIGURED = {"PROXY_COUNT": None, "PLATFORM_ROUTER": None}


def seen_by(app, headers=FORGED) -> dict:
    @app.get("/_client")
    def client_view():
        return {"address": request.remote_addr, "scheme": request.scheme, "host": request.host,
                "link": url_for("auth.login", _external=True)}

    response = app.test_client().get(
        "/_client", base_url="http://manifest.example", environ_base={"REMOTE_ADDR": "10.0.0.2"}, headers=headers,
    )
    return response.get_json()


SCRIPT = """
import json, sys
from flask import request, url_for
from manifest import create_app

app = create_app()


@app.get("/_client")
def client_view():
    return {"address": request.remote_addr, "scheme": request.scheme, "host": request.host,
            "link": url_for("auth.login", _external=True)}


response = app.test_client().get(
    "/_client", base_url="http://manifest.example", environ_base={"REMOTE_ADDR": "10.0.0.2"},
    headers=json.loads(sys.argv[1]),
)
print(json.dumps(response.get_json()))
"""


def production_process_sees(tmp_path, environ: dict[str, str]) -> dict:
    """What a production app started in a fresh process with ``environ`` reads from a forged request."""
    env = {k: v for k, v in os.environ.items() if k not in ("PROXY_COUNT", "DYNO", "TRUSTED_HOSTS")} | {
        "APP_ENV": "production", "SECRET_KEY": "k" * 32, "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "HUEY_SQLITE_PATH": str(tmp_path / "huey.db"), "MEDIA_ROOT": str(tmp_path / "media"), **environ,
    }
    out = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(FORGED)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


BEHIND_HEROKU = {"address": "203.0.113.7", "scheme": "https", "host": "manifest.example:8443",
                 "link": "https://manifest.example:8443/login"}
BEHIND_PROXY = {"address": "203.0.113.7", "scheme": "https", "host": "evil.example:8443",
                "link": "https://evil.example:8443/login"}


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, DIRECT),
    ({"DYNO": "web.1"}, BEHIND_HEROKU),
    ({"PROXY_COUNT": "1"}, BEHIND_PROXY),
    ({"PROXY_COUNT": "0", "DYNO": "web.1"}, DIRECT),
], ids=["nothing-configured", "heroku", "proxy-count-1", "proxy-count-0-on-heroku"])
def test_production_believes_forwarded_headers_only_when_configured_or_on_a_known_platform(
    tmp_path, environ, expected
):
    assert production_process_sees(tmp_path, environ) == expected


def test_unconfigured_production_ignores_every_forwarded_header(app):
    with production(app, **UNCONFIGURED) as prod:
        assert seen_by(prod) == DIRECT


def test_unconfigured_production_throttles_the_real_address_whatever_forwarded_for_says(app, user):
    with production(app, **UNCONFIGURED) as prod:
        for i in range(11):
            response = prod.test_client().post(
                "/login",
                data={"identifier": user["email"], "password": PASSWORD if i == 10 else "wrong password"},
                environ_base={"REMOTE_ADDR": "198.51.100.9"},
                headers={"X-Forwarded-For": f"192.0.2.{i}", "Referer": "https://localhost/login"},
            )
        # Ten forged addresses were one real address, locked by its failures.
        assert response.status_code == 429


def test_behind_herokus_router_the_client_address_and_scheme_come_from_it_but_not_the_host(app):
    with production(app, PROXY_COUNT=None, PLATFORM_ROUTER="Heroku") as prod:
        # The router appends the address it saw (the client's own entries before it are ignored) and
        # sets the scheme and port; it does not set X-Forwarded-Host, so the client's value is ignored.
        assert seen_by(prod) == BEHIND_HEROKU


def test_an_explicit_proxy_count_trusts_that_proxy_for_every_forwarded_header(app):
    with production(app, PROXY_COUNT=1, PLATFORM_ROUTER=None) as prod:
        assert seen_by(prod) == BEHIND_PROXY


def test_an_explicit_proxy_count_of_zero_overrides_the_platform(app):
    with production(app, PROXY_COUNT=0, PLATFORM_ROUTER="Heroku") as prod:
        assert seen_by(prod) == DIRECT
