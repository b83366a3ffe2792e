"""What every API area shares: its blueprint (bearer authentication, scope, rate limit), the bridge
from JSON to the pages' own forms, cursor pages, ETags and Idempotency-Key.

One set of rules: a request body is checked for its JSON types by a schema generated from the
page's form (manifest/api/schemas.py), then handed to that same form and its ``command()``, and the
same service the page calls does the work. A refusal is the form's own message, per field, in 422.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import json
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import wraps

import sqlalchemy as sa
from flask import current_app, g, make_response, request, url_for
from flask_smorest import Blueprint
from flask_smorest import abort as smorest_abort
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import TooManyRequests

from manifest.api import tokens
from manifest.extensions import csrf, db
from manifest.forms import FieldError
from manifest.models import ApiIdempotencyKey, User
from manifest.timeutil import local_today

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
QUERY_TOKEN_NAMES = ("access_token", "token", "api_key", "apikey", "bearer")


def api_blueprint(area: str, description: str) -> Blueprint:
    """A blueprint under /api/v1/<area>: only a bearer token gets in, never a session cookie;
    GET needs the area's read scope, anything else its write scope."""
    blp = Blueprint(f"api_{area}", __name__, url_prefix=f"/api/v1/{area}", description=description)
    csrf.exempt(blp)  # a cookie never authenticates here, so a forged cross-site request has nothing to ride on

    @blp.before_request
    def _authenticate():
        authenticate_request(area)

    @blp.after_request
    def _conditional(response):
        return conditional(response)

    return blp


def authenticate_request(area: str) -> None:
    if any(name in request.args for name in QUERY_TOKEN_NAMES):
        refuse(401, "Send the token in the Authorization header, never in the address: addresses end up in logs.")
    try:
        token = tokens.authenticate(request.headers.get("Authorization"))
    except tokens.Refused as error:
        refuse(error.status, error.message)
    level = "read" if request.method in READ_METHODS else "write"
    if not tokens.allows(token, area, level):
        refuse(403, f"This token may not {level} {area}.")
    wait = tokens.count_request(token, request.remote_addr, current_app.config["API_RATE_LIMIT_PER_MINUTE"])
    if wait is not None:
        raise TooManyRequests(retry_after=wait)
    g.api_token = token
    g.api_user = db.session.get(User, token.user_id)


def user():
    """The token's owner: the only user an API view acts for."""
    return g.api_user


def today():
    return local_today(g.api_user)


def refuse(status: int, message: str, errors: dict | None = None, headers: dict | None = None):
    smorest_abort(status, message=message, errors=errors or {}, headers=headers or {})


# --- JSON into the pages' forms ----------------------------------------------------------

def _form_value(value) -> list[str]:
    if value is None or value is False:
        return []
    if value is True:
        return ["y"]
    if isinstance(value, list | tuple):
        return [v for item in value for v in _form_value(item)]
    if isinstance(value, Decimal):
        # As written, not spelled out: "1e999999999" spelled out is a gigabyte of digits.
        return [str(value)]
    if isinstance(value, time):
        return [value.strftime("%H:%M")]
    if isinstance(value, date | datetime):
        return [value.isoformat()]
    return [str(value)]


def formdata(data: dict) -> MultiDict:
    """A JSON body as the form post the page would have sent."""
    items = MultiDict()
    for name, value in data.items():
        for item in _form_value(value):
            items.add(name, item)
    return items


def bind(form_class, data: dict, **kwargs):
    """The page's form over a JSON body (no CSRF: the token is the credential)."""
    return form_class(formdata=formdata(data), meta={"csrf": False}, **kwargs)


def form_errors(form) -> dict[str, list[str]]:
    errors = {name: list(problems) for name, problems in form.errors.items() if name and problems}
    if getattr(form, "form_errors", None):
        errors["_form"] = list(form.form_errors)
    return errors


def invalid(errors: dict[str, list[str]]):
    refuse(422, "Some fields need attention.", errors)


def validated(form):
    """The form, once valid; 422 with its messages per field otherwise."""
    if not form.validate():
        invalid(form_errors(form))
    return form


def field_refused(error: FieldError, rename: dict | None = None):
    name = (rename or {}).get(error.field, error.field) or "_form"
    invalid({name: [str(error)]})


def run(work, rename: dict | None = None):
    """Run a service call; a rule it refuses (FieldError) becomes 422 on its field."""
    try:
        return work()
    except FieldError as error:
        db.session.rollback()
        field_refused(error, rename)


# --- cursor pages -------------------------------------------------------------------------

def _encode_cursor(values) -> str:
    text = json.dumps([v.isoformat() if isinstance(v, date) else str(v) for v in values])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, columns) -> list:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(columns):
            raise ValueError
        values = []
        for text, column in zip(raw, columns, strict=True):
            if not isinstance(text, str):
                raise TypeError
            python_type = column.type.python_type
            if python_type is uuid.UUID:
                values.append(uuid.UUID(text))
            elif python_type is datetime:
                values.append(datetime.fromisoformat(text))
            elif python_type is date:
                values.append(date.fromisoformat(text))
            elif python_type is int:
                values.append(int(text))
            else:
                values.append(str(text))
        return values
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, json.JSONDecodeError):
        invalid({"cursor": ["That cursor is not one this API gave out; start from the first page."]})


def page(statement, columns, args: dict, endpoint: str, *, descending: bool = True, **url_values) -> dict:
    """One page of ``statement`` in the order of ``columns`` (newest first unless not
    ``descending``; the row's id last so the order is total) and a ``next`` link carrying where it stopped. Key columns are dates,
    whole numbers, text or ids: values that compare the same in PostgreSQL and SQLite."""
    limit = args.get("limit") or 50
    cursor = args.get("cursor")
    if cursor:
        after = _decode_cursor(cursor, columns)
        before = sa.tuple_(*columns) < sa.tuple_(*after)
        statement = statement.where(before if descending else sa.tuple_(*columns) > sa.tuple_(*after))
    statement = statement.order_by(*(c.desc() if descending else c.asc() for c in columns)).limit(limit + 1)
    rows = list(db.session.scalars(statement).unique())
    next_url = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        key = [getattr(last, c.key) for c in columns]
        query = {k: v for k, v in request.args.items() if k != "cursor"}
        next_url = url_for(endpoint, **url_values, **{**query, "cursor": _encode_cursor(key)}, _external=True)
    g.api_next = next_url
    return {"items": rows, "next": next_url}


# --- ETag on reads ------------------------------------------------------------------------

def conditional(response):
    """Reads carry an ETag of their body; If-None-Match with it answers 304 and no body.
    A `next` page link also goes out as a Link header."""
    next_url = g.pop("api_next", None)
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    if request.method == "GET" and response.status_code == 200 and not response.direct_passthrough:
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest())
        response.make_conditional(request)
    return response


# --- Idempotency-Key on creating POSTs ----------------------------------------------------

MAX_KEY = 255
KEEP_KEYS = timedelta(days=1)


def idempotent(view):
    """Honour ``Idempotency-Key``: the first request with a key does the work and its answer is
    kept; a retry with the same key and body gets that answer again and creates nothing. The key
    is claimed by an INSERT under a unique constraint before the work starts, so of concurrent
    retries exactly one proceeds; the others get 409 while it runs, then the kept answer."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return view(*args, **kwargs)
        if not key.strip() or len(key) > MAX_KEY:
            invalid({"Idempotency-Key": [f"Send a key of 1 to {MAX_KEY} characters, e.g. a UUID."]})
        token = g.api_token
        route = f"{request.method} {request.path}"[:300]
        digest = hashlib.sha256(request.get_data()).hexdigest()
        claim = _claim(token.id, key, route, digest)
        if claim is None:
            return _replay(token.id, key, route, digest)
        try:
            response = make_response(view(*args, **kwargs))
        except Exception:
            db.session.rollback()
            _release(claim)
            raise
        if response.status_code >= 500:
            _release(claim)
            return response
        db.session.execute(sa.update(ApiIdempotencyKey).where(ApiIdempotencyKey.id == claim).values(
            status_code=response.status_code, response_body=response.get_data(as_text=True),
            location=response.headers.get("Location")))
        db.session.commit()
        return response

    # In the document too: flask-smorest reads the view's _apidoc (copied over by functools.wraps).
    wrapper._apidoc = copy.deepcopy(getattr(view, "_apidoc", {}))
    wrapper._apidoc.setdefault("manual_doc", {}).setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
    return wrapper


IDEMPOTENCY_PARAMETER = {
    "in": "header", "name": "Idempotency-Key", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY},
    "description": "Any unique string (a UUID): a retry with the same key and body makes nothing twice "
                   "and gets the first answer again.",
}


def _claim(token_id, key: str, route: str, digest: str):
    table = ApiIdempotencyKey.__table__
    # Keys are kept a day: long enough for any client's retries, and the table stays small.
    db.session.execute(sa.delete(ApiIdempotencyKey).where(
        ApiIdempotencyKey.token_id == token_id, ApiIdempotencyKey.created_at < tokens.utc_now() - KEEP_KEYS))
    claim = uuid.uuid4()
    values = {"id": claim, "token_id": token_id, "key": key, "route": route, "request_hash": digest}
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(**values).on_conflict_do_nothing(
        index_elements=["token_id", "key", "route"]).returning(table.c.id)
    inserted = db.session.execute(statement).scalar()
    db.session.commit()
    return inserted


def _release(claim) -> None:
    """A failed attempt gives its key back, so the client's retry can do the work."""
    db.session.execute(sa.delete(ApiIdempotencyKey).where(ApiIdempotencyKey.id == claim))
    db.session.commit()


def _replay(token_id, key: str, route: str, digest: str):
    row = db.session.scalar(sa.select(ApiIdempotencyKey).where(
        ApiIdempotencyKey.token_id == token_id, ApiIdempotencyKey.key == key, ApiIdempotencyKey.route == route))
    if row is None:  # released between our insert and this read: the client may simply retry
        refuse(409, "A request with this Idempotency-Key failed just now; send it again.", headers={"Retry-After": "1"})
    if row.request_hash != digest:
        invalid({"Idempotency-Key": ["This key was used with a different request body."]})
    if row.status_code is None:
        refuse(409, "A request with this Idempotency-Key is still being processed.", headers={"Retry-After": "1"})
    response = current_app.response_class(row.response_body, status=row.status_code, mimetype="application/json")
    if row.location:
        response.headers["Location"] = row.location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def url(endpoint: str, **values) -> str:
    return url_for(endpoint, **values)
