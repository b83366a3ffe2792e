from pathlib import Path

from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, Regexp, ValidationError

from manifest.forms import Form

PASSWORD_MIN, PASSWORD_MAX = 8, 128
COMMON_PASSWORDS = frozenset(
    line.strip().lower()
    for line in (Path(__file__).with_name("common_passwords.txt")).read_text().splitlines()
    if line.strip() and not line.startswith("#")
)


def not_common(form, field) -> None:
    if field.data and field.data.lower() in COMMON_PASSWORDS:
        raise ValidationError("This password is one of the most common ones and easy to guess. Choose another.")


def password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(message="Choose a password."),
            Length(PASSWORD_MIN, PASSWORD_MAX, message=f"Use {PASSWORD_MIN} to {PASSWORD_MAX} characters."),
            not_common,
        ],
        render_kw={"autocomplete": "new-password", "minlength": PASSWORD_MIN, "maxlength": PASSWORD_MAX},
    )


class SignupForm(Form):
    email = StringField(
        "Email",
        validators=[DataRequired(message="Enter your email."), Length(max=255), Email(message="Enter a valid email address.")],
        render_kw={"autocomplete": "email", "type": "email"},
    )
    username = StringField(
        "Username",
        validators=[
            DataRequired(message="Choose a username."),
            Length(3, 40, message="Use 3 to 40 characters."),
            Regexp(r"^[A-Za-z0-9_.-]+$", message="Use letters, digits, dots, dashes and underscores only."),
        ],
        render_kw={"autocomplete": "username"},
    )
    password = password_field("Password")
    # Filled from the browser's time zone by static/js/timezone.js; UTC when absent.
    timezone = HiddenField()

    def command(self) -> dict:
        """The arguments of services.register."""
        return {"email": self.email.data, "username": self.username.data, "password": self.password.data,
                "tz": self.timezone.data}


class LoginForm(Form):
    identifier = StringField(
        "Email or username",
        validators=[DataRequired(message="Enter your email or username."), Length(max=255)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(message="Enter your password."), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )

    def command(self) -> tuple[str, str]:
        return self.identifier.data, self.password.data
