"""/api/v1: a JSON API over the same forms and services as the pages, for personal access tokens.

``init_api(app)`` registers every area's blueprint with flask-smorest, which writes the OpenAPI
3.1 document from the schemas that validate the requests (served at /api/v1/openapi.json).
"""

from flask import Flask

# Answers any operation can give besides its own, described once for the whole document.
COMMON_RESPONSES = {
    "400": "The address is malformed (e.g. a day that is not YYYY-MM-DD).",
    "401": "No token, or an unknown, revoked, expired or malformed one.",
    "403": "The token lacks the scope (read or write, of this area).",
    "404": "No such row among yours.",
    "409": "An Idempotency-Key request with this key is still being processed.",
    "422": "Fields that need attention, with the same messages as the page's form.",
    "429": "Too many requests with this token this minute; see Retry-After.",
}


def init_api(app: Flask) -> None:
    from manifest.api.areas import BLUEPRINTS
    from manifest.api.openapi import ManifestApi

    api = ManifestApi(app, spec_kwargs={
        "info": {"description": "Personal access tokens are made in Settings → Access tokens. Send one as "
                                "`Authorization: Bearer lm_…`. Dates are ISO `YYYY-MM-DD`."},
    })
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    _document_common_answers(api.spec)
    app.extensions["manifest-api"] = api

    from manifest.api.docs import bp as docs_bp

    app.register_blueprint(docs_bp)


def _document_common_answers(spec) -> None:
    for code, description in COMMON_RESPONSES.items():
        spec.components.response(f"Error{code}", {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        })
    for path in spec._paths.values():
        for method, operation in path.items():
            if method not in ("get", "put", "post", "patch", "delete"):
                continue
            operation.setdefault("security", [{"bearerAuth": []}])
            responses = operation.setdefault("responses", {})
            for code in COMMON_RESPONSES:
                if code == "409" and method != "post":
                    continue
                responses.setdefault(code, {"$ref": f"#/components/responses/Error{code}"})
