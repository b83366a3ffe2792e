"""/api/v1: a JSON API over the same forms and services as the pages, for personal access tokens.

``init_api(app)`` registers every area's blueprint with flask-smorest, which writes the OpenAPI
3.1 document from the schemas that validate the requests (served at /api/v1/openapi.json).
"""

from flask import Flask


def init_api(app: Flask) -> None:
    from manifest.api.openapi import ManifestApi
    from manifest.api.areas import BLUEPRINTS

    api = ManifestApi(app, spec_kwargs={
        "info": {"description": "Personal access tokens are made in Settings → Access tokens. Send one as "
                                "`Authorization: Bearer lm_…`. Dates are ISO `YYYY-MM-DD`."},
    })
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.extensions["manifest-api"] = api
