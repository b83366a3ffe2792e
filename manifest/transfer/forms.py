"""One form per data action; ``command()`` returns what the service needs."""

from wtforms import MultipleFileField

from manifest.forms import Form
from manifest.transfer.imports import Upload


class ImportForm(Form):
    files = MultipleFileField("File to import")

    def command(self) -> list[Upload]:
        return [Upload(f.filename, f.stream) for f in (self.files.data or []) if hasattr(f, "stream")]


class ActionForm(Form):
    """A button: start an export, confirm or cancel an import (the CSRF token is all it carries)."""
