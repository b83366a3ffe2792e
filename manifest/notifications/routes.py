from flask import abort, current_app, jsonify, request, url_for
from flask_login import current_user, login_required

from manifest import htmx
from manifest.extensions import csrf
from manifest.models import Notification, PushSubscription
from manifest.notifications import actions, bp, pages, push, services, tasks
from manifest.notifications.forms import DeviceForm, SettingsForm
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


def _devices_context(device_form: DeviceForm | None = None, **extra) -> dict:
    """The devices section: present only when this server can push."""
    if not push.available():
        return {"push_key": None, **extra}
    return {"push_key": current_app.config["VAPID_PUBLIC_KEY"], "device_form": device_form or DeviceForm(formdata=None),
            "devices": pages.devices(push.devices(current_user), zone(current_user.timezone)), **extra}


def _settings_context(form: SettingsForm | None = None, device_form: DeviceForm | None = None, **extra) -> dict:
    form = form or SettingsForm(obj=services.current_settings(current_user), formdata=None)
    return {"form": form, "mail": mail_configured(), "push_on": push.available(), **_devices_context(device_form),
            **extra}


def _settings_page(form: SettingsForm, status: int = 200, **extra):
    return htmx.page(SETTINGS, "settings_form", status=status, **_settings_context(form, **extra))


@bp.get("/settings")
@login_required
def settings():
    return _settings_page(SettingsForm(obj=services.current_settings(current_user), formdata=None))


@bp.post("/settings")
@login_required
def save_settings():
    form = SettingsForm()
    if not form.validate_on_submit():
        return htmx.invalid(SETTINGS, "settings_form", **_settings_context(form))
    services.save_settings(current_user, form.command(push=push.available()))
    return htmx.done(url_for("notifications.settings"), SETTINGS, "settings_form", message="Notification settings saved.",
                     **_settings_context(SettingsForm(obj=services.current_settings(current_user), formdata=None),
                                         saved="Saved."))


@bp.post("/test")
@login_required
def send_test():
    due = services.send_test(current_user)
    tasks.enqueue_deliveries(due.emails)
    tasks.enqueue_pushes(due.pushes)
    sent = "Test notification sent: check " + pages.places(bool(due.emails), len(due.pushes)) + "."
    return htmx.done(url_for("notifications.settings"), SETTINGS, "test_form", events=CHANGED, message=sent,
                     test_sent=sent)


# --- devices (Web Push) ------------------------------------------------------------------------

@bp.post("/devices")
@login_required
def add_device():
    """Subscribe this browser: the form static/js/pwa.js fills in with its push subscription."""
    if not push.available():
        abort(404)
    form = DeviceForm()
    if form.validate_on_submit():
        try:
            push.subscribe(current_user, **form.command())
        except push.InvalidSubscription as error:
            form.form_errors.append(str(error))
        else:
            added = "This device will get your notifications."
            return htmx.done(url_for("notifications.settings"), SETTINGS, "push_devices", message=added,
                             **_settings_context(device_added=added))
    return htmx.invalid(SETTINGS, "push_devices", **_settings_context(device_form=form))


@bp.post("/devices/<uuid:subscription_id>/delete")
@login_required
@loads(subscription=PushSubscription)
def remove_device(subscription):
    name = subscription.name
    push.remove(current_user, subscription)
    return htmx.done(url_for("notifications.settings"), SETTINGS, "push_devices",
                     message=f"{name} will no longer get notifications.", **_settings_context())


@bp.post("/push/act")
@csrf.exempt
def push_act():
    """A notification's button (Done, Skip, +1), pressed in the service worker.

    Authorised by the signed, single-use token in the request alone: no session is read (the
    worker sends no cookie), so this is not a way around CSRF for anything else; a forged page
    cannot make a token. Answers JSON for the worker.
    """
    body = request.get_json(silent=True) if request.is_json else request.form
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        return jsonify(message="This action is not valid."), 400
    try:
        outcome = actions.perform(token)
    except actions.ActionRefused as refused:
        return jsonify(message=str(refused)), refused.status
    return jsonify(message=outcome.message, event=outcome.event)


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
