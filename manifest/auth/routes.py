from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from manifest.auth import bp, services
from manifest.auth.forms import LoginForm, SignupForm
from manifest.auth.session import safe_next_url
from manifest.security import end_all_sessions, sign_out, start_session


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("today.index"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = services.register(form.email.data, form.username.data, form.password.data, form.timezone.data)
        except services.AccountExists as exists:
            field = getattr(form, exists.field)
            field.errors = [f"An account with this {exists.field} already exists."]
        else:
            start_session(user)
            flash("Welcome to Let's Manifest!", "success")
            return redirect(url_for("today.index"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("auth/signup.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("today.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(form.identifier.data, form.password.data, request.remote_addr or "unknown")
        if result.user:
            start_session(result.user)
            return redirect(next_url or url_for("today.index"), 303)
        if result.retry_after:
            minutes = max(1, round(result.retry_after / 60))
            form.form_errors.append(
                f"Too many failed attempts. Try again in about {minutes} minute{'s' if minutes != 1 else ''}."
            )
            return (
                render_template("auth/login.html", form=form, next_url=next_url),
                429,
                {"Retry-After": str(result.retry_after)},
            )
        # One message for unknown accounts and wrong passwords: no hint which accounts exist.
        form.form_errors.append("Those details do not match an account.")
    if form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form, next_url=next_url), status


@bp.post("/logout")
@login_required
def logout():
    end_all_sessions(current_user)
    sign_out()
    flash("You have been logged out.", "info")
    return redirect(url_for("auth.login"), 303)


@bp.get("/session")
@login_required
def session_status():
    """204 while the session is valid: lets a tab (or a monitor) check it cheaply."""
    return "", 204
