from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required, login_user

from manifest import htmx
from manifest.account import bp, services
from manifest.account.forms import (
    DeleteAccountForm,
    PasswordForm,
    ProfileForm,
    TargetsForm,
    UnitsForm,
)
from manifest.htmx import hx_redirect, is_htmx
from manifest.security import sign_out

TEMPLATE = "account/settings.html"


def _forms(**overrides):
    forms = {
        "profile_form": ProfileForm(obj=current_user, formdata=None),
        "password_form": PasswordForm(formdata=None),
        "targets_form": TargetsForm(obj=current_user, formdata=None),
        "units_form": UnitsForm(obj=current_user, formdata=None),
        "delete_form": DeleteAccountForm(formdata=None),
    }
    forms.update(overrides)
    return forms


def _answer(block: str, saved: str | None = None, status: int = 200, **forms):
    """The changed form alone for htmx; otherwise the page (on error) or a redirect (on success)."""
    if saved and not is_htmx():
        flash(saved, "success")
        return redirect(url_for("account.settings"), 303)
    return htmx.page(TEMPLATE, block, status=status, saved=saved, **_forms(**forms))


@bp.get("")
@login_required
def settings():
    return render_template(TEMPLATE, **_forms())


@bp.post("/profile")
@login_required
def update_profile():
    form = ProfileForm()
    if not form.validate_on_submit():
        return _answer("profile_form", status=422, profile_form=form)
    services.update_profile(current_user, form.data)
    return _answer("profile_form", saved="Profile saved.", profile_form=ProfileForm(obj=current_user, formdata=None))


@bp.post("/targets")
@login_required
def update_targets():
    form = TargetsForm()
    if not form.validate_on_submit():
        return _answer("targets_form", status=422, targets_form=form)
    services.update_targets(current_user, form.data)
    return _answer("targets_form", saved="Daily targets saved.", targets_form=TargetsForm(obj=current_user, formdata=None))


@bp.post("/units")
@login_required
def update_units():
    form = UnitsForm()
    if not form.validate_on_submit():
        return _answer("units_form", status=422, units_form=form)
    services.update_units(current_user, form.weight_unit.data, form.distance_unit.data)
    return _answer("units_form", saved="Units saved.", units_form=UnitsForm(obj=current_user, formdata=None))


@bp.post("/password")
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        # The real user object: Flask-Login keeps what login_user() receives, and the current_user
        # proxy would then resolve to itself.
        user = current_user._get_current_object()
        if services.change_password(user, form.current_password.data, form.new_password.data):
            # The old token is gone everywhere; this browser carries on with the new one. Its session is
            # kept (not cleared) so the CSRF token held by every form on the open page stays valid.
            login_user(user)
            return _answer("password_form", saved="Password changed. Other devices have been signed out.")
        form.current_password.errors = ["That is not your current password."]
    return _answer("password_form", status=422, password_form=form)


@bp.post("/delete")
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if services.delete_account(current_user, form.password.data):
            sign_out()
            flash("Your account and all of its data have been deleted.", "info")
            url = url_for("auth.signup")
            return hx_redirect(url) if is_htmx() else redirect(url, 303)
        form.password.errors = ["That is not your password."]
    return _answer("delete_form", status=422, delete_form=form)
