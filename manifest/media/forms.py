"""One form per attachment action; ``command()`` returns what the service needs."""

from wtforms import HiddenField, MultipleFileField, StringField

from manifest.forms import Form
from manifest.media.services import Upload


class UploadForm(Form):
    files = MultipleFileField("Add images or files")
    alt_text = StringField("Description of the images (optional)")

    def command(self, limit: int) -> tuple[list[Upload], str]:
        """The chosen files and the description. One byte past ``limit`` is read, enough to know a
        file is too large without holding all of it."""
        files = [f for f in (self.files.data or []) if hasattr(f, "stream")]
        return [Upload(f.filename, f.stream.read(limit + 1)) for f in files], self.alt_text.data or ""


class AltForm(Form):
    alt_text = StringField("Describe the image for people who cannot see it")

    def command(self) -> str:
        return self.alt_text.data or ""


class GalleryPlace(Form):
    """Where a delete from the gallery was sent from, to answer with the same view."""

    view = HiddenField()
    area = HiddenField()
    page = HiddenField()

    @property
    def from_gallery(self) -> bool:
        return self.view.data == "gallery"

    def page_number(self) -> int | None:
        return int(self.page.data) if (self.page.data or "").isdigit() else None
