"""The served OpenAPI document is the contract: schemathesis generates requests for every
operation from it and checks each answer against it, with a valid token.

Bounded for CI: a fixed number of examples per operation, derandomized (seeded from each test's
name), no shrinking, no deadline flakiness.
"""

import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi import checks as openapi_checks

from manifest import create_app
from manifest.extensions import db
from manifest.models import Habit, User
from tests.api.conftest import bearer
from tests.conftest import make_config

EXAMPLES_PER_OPERATION = 12


def _served_document() -> dict:
    """The document as the app serves it (building it touches no database)."""
    with tempfile.TemporaryDirectory() as folder:
        served = create_app(make_config(f"sqlite:///{folder}/spec.db"))
        return served.test_client().get("/api/v1/openapi.json").get_json()


schema = schemathesis.openapi.from_dict(_served_document())


@pytest.fixture
def contract_token(app, token, user, monkeypatch):
    # Generated requests come fast: let them all through the rate limit.
    monkeypatch.setitem(app.config, "API_RATE_LIMIT_PER_MINUTE", 1_000_000)
    with app.app_context():
        # A row for the read operations to find, besides the random ids that answer 404.
        db.session.add(Habit(user_id=db.session.get(User, user["id"]).id, name="Meditate"))
        db.session.commit()
    return token


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_the_contract(case, app, contract_token):
    case.call_and_validate(
        app=app, headers=bearer(contract_token),
        checks=[
            schemathesis.checks.not_a_server_error,
            openapi_checks.status_code_conformance,
            openapi_checks.content_type_conformance,
            openapi_checks.response_schema_conformance,
            openapi_checks.response_headers_conformance,
        ],
    )


def test_the_document_is_openapi_3_1_and_names_every_area(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    prefixes = {path.split("/")[3] for path in spec["paths"]}
    assert prefixes == {"habits", "goals", "foods", "workouts", "measurements", "progress", "reviews", "journal", "tags",
                        "search", "notifications"}
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    # The body schemas come from the pages' forms: their required fields and lengths are there.
    habit_in = spec["components"]["schemas"]["HabitIn"]
    assert habit_in["required"] == ["name"] and habit_in["properties"]["name"]["maxLength"] == 100
