from flask import abort, request, url_for
from flask_login import current_user, login_required

from manifest import htmx
from manifest.extensions import csrf
from manifest.models import Notification
from manifest.notifications import bp, pages, services, tasks
from manifest.notifications.forms import SettingsForm
from manifest.notifications.reminders import mail_configured
from manifest.ownership import loads
from manifest.timeutil import zone

INDEX = "notifications/index.html"
SETTINGS = "notifications/settings.html"
CHANGED = "notifications-changed"


def _list_context(**extra) -> dict:
    return {"rows": pages.rows(services.latest(current_user), zone(current_user.timezone)),
            "unread": services.unread_count(current_user), **extra}


@bp.get("")
@login_required
def index():
    return htmx.page(INDEX, "notification_list", **_list_context())


@bp.get("/bell")
def bell():
    """The header's bell with the unread count; it asks for itself again (see _bell.html).

    Public, because it polls in the background: once the session has expired, its request must
    not drag the page (and the form being typed in) to the login page, as any other htmx request
    would. It answers 204 then, and the next click the user makes leads to the login page.
    """
    if not current_user.is_authenticated:
        return htmx.done(url_for("auth.login", next=url_for("notifications.index")))
    if not htmx.wants_fragment():
        return htmx.go(url_for("notifications.index"))
    return htmx.blocks("notifications/_bell.html", "bell", unread=services.unread_count(current_user))


@bp.post("/<uuid:notification_id>/read")
@login_required
@loads(notification=Notification)
def read(notification):
    services.mark_read(current_user, notification)
    row = pages.rows([notification], zone(current_user.timezone))[0]
    return htmx.done(url_for("notifications.index"), INDEX, "notification_row", events=CHANGED, row=row)


@bp.post("/<uuid:notification_id>/open")
@login_required
@loads(notification=Notification)
def open_(notification):
    """Mark it read and go where the user acts on it (a whole page: the place may be anywhere)."""
    services.mark_read(current_user, notification)
    return htmx.go(services.destination(notification) or url_for("notifications.index"), events=CHANGED)


@bp.post("/read-all")
@login_required
def read_all():
    services.mark_all_read(current_user)
    return htmx.done(url_for("notifications.index"), INDEX, "notification_list", events=CHANGED,
                     message="All notifications marked read.", **_list_context())


def _settings_page(form: SettingsForm, status: int = 200, **extra):
    return htmx.page(SETTINGS, "settings_form", status=status, form=form, mail=mail_configured(), **extra)


@bp.get("/settings")
@login_required
def settings():
    return _settings_page(SettingsForm(obj=services.current_settings(current_user), formdata=None))


@bp.post("/settings")
@login_required
def save_settings():
    form = SettingsForm()
    if not form.validate_on_submit():
        return htmx.invalid(SETTINGS, "settings_form", form=form, mail=mail_configured())
    services.save_settings(current_user, form.command())
    return htmx.done(url_for("notifications.settings"), SETTINGS, "settings_form", message="Notification settings saved.",
                     form=SettingsForm(obj=services.current_settings(current_user), formdata=None),
                     mail=mail_configured(), saved="Saved.")


@bp.post("/test")
@login_required
def send_test():
    email_id = services.send_test(current_user)
    if email_id is not None:
        tasks.deliver_email(email_id)
    sent = "Test notification sent" + (": check the bell and your inbox." if email_id else ": check the bell.")
    return htmx.done(url_for("notifications.settings"), SETTINGS, "test_form", events=CHANGED, message=sent,
                     test_sent=sent)


@bp.route("/unsubscribe/<token>", methods=("GET", "POST"))
@csrf.exempt
def unsubscribe(token: str):
    """The link in every email: works logged out, authorised by its signed token alone.

    GET shows a button (a GET never changes anything: mail scanners follow links). POST from that
    button carries a CSRF token like every form; the one-click POST mail clients send (RFC 8058,
    body ``List-Unsubscribe=One-Click``) cannot, and needs none: it changes only the token's owner.
    """
    user = services.user_for_token(token)
    if user is None:
        abort(404)
    if request.method == "POST":
        if request.form.get("List-Unsubscribe") != "One-Click":
            csrf.protect()
        services.unsubscribe(user)
        return htmx.done(url_for("notifications.unsubscribe", token=token))
    row = services.settings_row(user)
    return htmx.page("notifications/unsubscribe.html", token=token,
                     subscribed=row is None or row.email_enabled)
