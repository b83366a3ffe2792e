"""Journal entries (Markdown), drafts and published."""

import sqlalchemy as sa

from manifest.api import core
from manifest.api.schemas import PageArgs, form_schema, model_schema, page_schema
from manifest.journal import services
from manifest.journal.forms import EntryForm
from manifest.models import BlogEntry
from manifest.ownership import owned

blp = core.api_blueprint("journal", "Journal entries in Markdown: drafts, published and archived.")

EntryIn = form_schema(EntryForm, "JournalEntryIn")
EntryOut = model_schema(BlogEntry, "JournalEntry")
EntryPage = page_schema(EntryOut, "JournalEntryPage")


def _entry(entry_id):
    return owned(core.user(), BlogEntry, entry_id)


@blp.get("")
@blp.arguments(PageArgs, location="query")
@blp.response(200, EntryPage)
def list_entries(args):
    statement = sa.select(BlogEntry).where(BlogEntry.user_id == core.user().id)
    return core.page(statement, [BlogEntry.id], args, "api_journal.list_entries")


@blp.post("")
@core.idempotent
@blp.arguments(EntryIn)
@blp.response(201, EntryOut)
def create_entry(data):
    form = core.validated(core.bind(EntryForm, data))
    entry = core.run(lambda: services.create_entry(core.user(), form.command()))
    return entry, {"Location": core.url("api_journal.get_entry", entry_id=entry.id)}


@blp.get("/<uuid:entry_id>")
@blp.response(200, EntryOut)
def get_entry(entry_id):
    return _entry(entry_id)


@blp.put("/<uuid:entry_id>")
@blp.arguments(EntryIn)
@blp.response(200, EntryOut)
def update_entry(data, entry_id):
    entry = _entry(entry_id)
    form = core.validated(core.bind(EntryForm, data))
    return core.run(lambda: services.update_entry(core.user(), entry, form.command()))


@blp.delete("/<uuid:entry_id>")
@blp.response(204)
def delete_entry(entry_id):
    services.delete_entry(core.user(), _entry(entry_id))
