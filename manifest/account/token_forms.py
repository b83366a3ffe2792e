"""The form that makes a personal access token."""

from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from manifest.api.tokens import ACCESS, AREAS, EXPIRY_DAYS
from manifest.forms import Form

AREA_LABELS = {"habits": "Habits", "goals": "Goals", "foods": "Food", "workouts": "Workouts",
               "measurements": "Body measurements", "progress": "Progress figures",
               "reviews": "Daily reviews", "journal": "Journal", "tags": "Tags", "search": "Search",
               "notifications": "Notifications"}


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TokenForm(Form):
    name = StringField("Name", validators=[DataRequired(message="Name the token, e.g. Phone shortcut."),
                                           Length(max=100, message="Keep the name under 100 characters.")],
                       render_kw={"placeholder": "e.g. Phone shortcut", "autocomplete": "off"})
    access = Checkboxes("Access", default=["read"], choices=[
        SelectChoice("read", "Read: see your data"), SelectChoice("write", "Write: add and change data")])
    areas = Checkboxes("Areas", choices=[SelectChoice(area, AREA_LABELS[area]) for area in AREAS])
    expires = SelectField("Expires", default="90", choices=[
        *(SelectChoice(str(days), f"In {days} days") for days in EXPIRY_DAYS), SelectChoice("never", "Never")])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.access.errors and not set(self.access.data or []) & set(ACCESS):
            self.access.errors = ["Choose read, write or both."]
            valid = False
        return valid

    def command(self) -> dict:
        """What ``tokens.create_token`` takes: no areas chosen means every area."""
        return {"name": self.name.data, "access": list(self.access.data), "areas": list(self.areas.data or []),
                "days": None if self.expires.data == "never" else int(self.expires.data)}
