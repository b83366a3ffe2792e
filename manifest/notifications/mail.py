"""Email: a notification as a plain-text and HTML message with a one-click unsubscribe, sent over
SMTP with the MAIL_* settings."""

import smtplib
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template, url_for

from manifest.notifications import pages

# Headers stay on one line (SMTP allows 998 characters): a folded List-Unsubscribe would be sent as
# an RFC 2047 encoded word, which mail clients do not read as a link.
POLICY = policy.SMTP.clone(max_line_length=998)


class MailError(Exception):
    """The message could not be handed to the SMTP server."""


def _absolute(path: str | None) -> str:
    base = current_app.config["APP_BASE_URL"]
    return base + (path or "/")


def build(notification, user, token: str) -> EmailMessage:
    """The email for one notification. Links are absolute (APP_BASE_URL): the worker sends it
    outside any request."""
    with current_app.test_request_context("/", base_url=current_app.config["APP_BASE_URL"]):
        unsubscribe = url_for("notifications.unsubscribe", token=token, _external=True)
        context = {"n": notification, "user": user, "link": _absolute(notification.link),
                   "links": [(label, _absolute(path)) for label, path in pages.extra_links(notification.kind)],
                   "unsubscribe": unsubscribe, "settings": url_for("notifications.settings", _external=True)}
        text = render_template("notifications/email.txt", **context)
        html = render_template("notifications/email.html", **context)
    message = EmailMessage(policy=POLICY)
    message["Subject"] = " ".join(notification.title.split())  # a header is one line, whatever the name holds
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = user.email
    message["Message-ID"] = make_msgid(domain="manifest.local")
    # RFC 8058: mail clients show an unsubscribe button that POSTs here, without a login.
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send(message: EmailMessage) -> None:
    config = current_app.config
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(f"{type(error).__name__}: {error}") from error
