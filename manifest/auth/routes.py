from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from manifest import htmx
from manifest.auth import bp, services
from manifest.auth.forms import LoginForm, SignupForm
from manifest.auth.session import safe_next_url
from manifest.forms import FieldError, attach_error
from manifest.notifications import push
from manifest.security import end_all_sessions, sign_out, start_session


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("today.index"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = services.register(**form.command())
        except FieldError as error:
            attach_error(form, error)
        else:
            start_session(user)
            return htmx.go(url_for("today.index"), "Welcome to Let's Manifest!")
    return render_template("auth/signup.html", form=form), htmx.form_status(form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("today.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = services.authenticate(*form.command(), request.remote_addr or "unknown")
        if result.user:
            start_session(result.user)
            return htmx.go(next_url or url_for("today.index"))
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
    return render_template("auth/login.html", form=form, next_url=next_url), htmx.form_status(form)


@bp.post("/logout")
@login_required
def logout():
    push.forget_device(current_user, request.form.get("push_endpoint", ""))
    end_all_sessions(current_user)
    sign_out()
    flash("You have been logged out.", "info")
    return htmx.go(url_for("auth.login"))


@bp.get("/session")
@login_required
def session_status():
    """204 while the session is valid: lets a tab (or a monitor) check it cheaply."""
    return "", 204
