"""One form per tag action; ``command()`` returns what the service needs or raises FieldError."""

import uuid

from wtforms import HiddenField, StringField

from manifest.forms import FieldError, Form


class AddTagForm(Form):
    name = StringField("Add a tag")
    # A picked suggestion is a button of its own, so a half-typed name does not override it.
    pick = StringField()

    def command(self) -> str:
        return self.pick.data or self.name.data or ""

    def typed(self) -> str:
        return (self.command() or "")[:100]


class RenameForm(Form):
    name = StringField("Name")

    def command(self) -> str:
        return self.name.data or ""


class ColorForm(Form):
    color = StringField("Colour")

    def command(self) -> str | None:
        return self.color.data


class MergeForm(Form):
    into = HiddenField("Merge into")

    def command(self) -> uuid.UUID:
        try:
            return uuid.UUID(self.into.data or "")
        except ValueError:
            raise FieldError("Pick a tag to merge into.", "into") from None
