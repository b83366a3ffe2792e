"""Errors under /api/ answer in JSON, in one shape: ``{"message": ..., "errors": {field: [...]}}``.

The app's error handlers call ``api_error`` for API paths, so every refusal (404 for another
user's id, 405, a lost database, a 500) keeps the shape the OpenAPI document promises.
"""

from flask import current_app, jsonify, request
from werkzeug.exceptions import HTTPException

API_MESSAGES = {
    401: "Send a valid access token: Authorization: Bearer lm_…",
    404: "Not found.",
    405: "That method is not available here.",
    409: "That change conflicts with data that already exists.",
    422: "Some fields need attention.",
    429: "Too many requests with this token; wait and try again.",
}


def is_api_request() -> bool:
    prefix = current_app.config.get("OPENAPI_URL_PREFIX") or "/api/v1"
    return request.path == prefix or request.path.startswith(prefix + "/")


def _flat(messages) -> dict[str, list[str]]:
    """webargs nests errors by location ({"json": {"name": [...]}}); the API names fields alone."""
    flat: dict[str, list[str]] = {}
    for location, problems in messages.items():
        if isinstance(problems, dict):
            for field, found in problems.items():
                flat[str(field)] = [str(p) for p in _leaves(found)]
        else:  # the location as a whole, e.g. a body that is not JSON
            flat["_form" if location == "json" else str(location)] = [str(p) for p in _leaves(problems)]
    return flat


def _leaves(problems):
    if isinstance(problems, dict):
        for value in problems.values():
            yield from _leaves(value)
    elif isinstance(problems, list | tuple):
        for value in problems:
            yield from _leaves(value)
    else:
        yield problems


def api_error(code: int, message: str, error: HTTPException | None = None):
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or (_flat(data["messages"]) if "messages" in data else {})
    response = jsonify({"message": data.get("message") or message, "errors": errors})
    response.status_code = code
    if error is not None:
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        for name, value in (data.get("headers") or {}).items():
            response.headers[name] = value
    if code == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    return response
