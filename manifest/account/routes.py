from flask import flash, render_template, url_for
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
from manifest.forms import FieldError, attach_error
from manifest.journal import services as journal
from manifest.security import sign_out

TEMPLATE = "account/settings.html"


def _forms(**overrides) -> dict:
    """Every form of the settings page, fresh, except the ones given."""
    forms = {
        "profile_form": ProfileForm(obj=current_user, formdata=None),
        "password_form": PasswordForm(formdata=None),
        "targets_form": TargetsForm(obj=current_user, formdata=None),
        "units_form": UnitsForm(obj=current_user, formdata=None),
        "delete_form": DeleteAccountForm(formdata=None),
    }
    forms.update(overrides)
    # Called only where the whole page is rendered, not for a form's htmx answer.
    forms["has_public_page"] = lambda: journal.shares_anything(current_user)
    return forms


def _saved(block: str, message: str):
    """The changed form alone, fresh and saying so, for htmx; the page again otherwise."""
    return htmx.done(url_for("account.settings"), TEMPLATE, block, message=message, saved=message, **_forms())


def _refused(block: str, **form):
    return htmx.invalid(TEMPLATE, block, **_forms(**form))


@bp.get("")
@login_required
def settings():
    return render_template(TEMPLATE, **_forms())


@bp.post("/profile")
@login_required
def update_profile():
    form = ProfileForm()
    if not form.validate_on_submit():
        return _refused("profile_form", profile_form=form)
    services.update_profile(current_user, form.command())
    return _saved("profile_form", "Profile saved.")


@bp.post("/targets")
@login_required
def update_targets():
    form = TargetsForm()
    if not form.validate_on_submit():
        return _refused("targets_form", targets_form=form)
    services.update_targets(current_user, form.command())
    return _saved("targets_form", "Daily targets saved.")


@bp.post("/units")
@login_required
def update_units():
    form = UnitsForm()
    if not form.validate_on_submit():
        return _refused("units_form", units_form=form)
    services.update_units(current_user, *form.command())
    return _saved("units_form", "Units saved.")


@bp.post("/password")
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        # The real user object: Flask-Login keeps what login_user() receives, and the current_user
        # proxy would then resolve to itself.
        user = current_user._get_current_object()
        try:
            services.change_password(user, *form.command())
        except FieldError as error:
            attach_error(form, error)
        else:
            # The old token is gone everywhere; this browser carries on with the new one. Its session is
            # kept (not cleared) so the CSRF token held by every form on the open page stays valid.
            login_user(user)
            return _saved("password_form", "Password changed. Other devices have been signed out.")
    return _refused("password_form", password_form=form)


@bp.post("/delete")
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user, form.command())
        except FieldError as error:
            attach_error(form, error)
        else:
            sign_out()
            flash("Your account and all of its data have been deleted.", "info")
            return htmx.go(url_for("auth.signup"))
    return _refused("delete_form", delete_form=form)
