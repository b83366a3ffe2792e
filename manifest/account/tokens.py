"""Settings → Access tokens: make one (shown once), see when and from where each was last used,
revoke one."""

import uuid

from flask import url_for
from flask_login import current_user, login_required

from manifest import htmx
from manifest.account import bp
from manifest.account.token_forms import AREA_LABELS, TokenForm
from manifest.api import tokens
from manifest.forms import FieldError, attach_error
from manifest.models import ApiToken
from manifest.ownership import owned

TEMPLATE = "account/tokens.html"


def _context(form=None, new_token=None) -> dict:
    return {"form": form or TokenForm(formdata=None), "tokens": tokens.list_tokens(current_user),
            "new_token": new_token, "area_labels": AREA_LABELS, "now": tokens.utc_now()}


@bp.get("/tokens")
@login_required
def access_tokens():
    return htmx.page(TEMPLATE, "token_section", **_context())


@bp.post("/tokens")
@login_required
def create_token():
    """The new token is in this answer only (never stored, never redirected to), so the page is
    answered here rather than after a redirect."""
    form = TokenForm()
    if form.validate_on_submit():
        try:
            made = tokens.create_token(current_user, **form.command())
        except FieldError as error:
            attach_error(form, error)
        else:
            return htmx.page(TEMPLATE, "token_section", **_context(new_token=made))
    return htmx.invalid(TEMPLATE, "token_section", **_context(form))


@bp.post("/tokens/<uuid:token_id>/revoke")
@login_required
def revoke_token(token_id: uuid.UUID):
    token = owned(current_user, ApiToken, token_id)
    tokens.revoke(token)
    return htmx.done(url_for("account.access_tokens"), TEMPLATE, "token_section",
                     message=f"“{token.name}” revoked.", **_context())
