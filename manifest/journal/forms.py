from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from manifest.forms import Form
from manifest.journal import logic

STATUS_CHOICES = [
    SelectChoice("draft", "Draft: only you can see it"),
    SelectChoice("published", "Published"),
    SelectChoice("archived", "Archived"),
]
MAX_CONTENT = 100_000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _lower_strip(value):
    return value.strip().lower() if isinstance(value, str) else value


class EntryForm(Form):
    title = StringField("Title", filters=[_strip], validators=[
        DataRequired(message="Give the entry a title."), Length(max=200, message="Keep the title under 200 characters."),
    ])
    content = TextAreaField("Text (Markdown)", validators=[
        Length(max=MAX_CONTENT, message=f"Keep the text under {MAX_CONTENT:,} characters."),
    ])
    slug = StringField("Address", filters=[_lower_strip], validators=[Optional(), Length(max=logic.SLUG_MAX)])
    excerpt = TextAreaField("Excerpt", filters=[_strip], validators=[
        Optional(), Length(max=500, message="Keep the excerpt under 500 characters."),
    ])
    status = SelectField("Status", choices=STATUS_CHOICES, default="draft")
    is_public = BooleanField("Anyone with the link can read it once published")
    is_featured = BooleanField("Featured")

    def validate_slug(self, field):
        if field.data and not logic.is_valid_slug(field.data):
            raise ValidationError("Use lowercase letters, digits and single hyphens, e.g. my-first-entry.")

    def command(self) -> logic.EntryChange:
        return logic.EntryChange(
            title=self.title.data or "", content=self.content.data or "", excerpt=self.excerpt.data or "",
            slug=self.slug.data or "", status=self.status.data or "draft", is_public=bool(self.is_public.data),
            is_featured=bool(self.is_featured.data),
        )
