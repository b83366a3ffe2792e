"""Background jobs of exports and imports. Each is idempotent: a job row is claimed by one
``UPDATE … WHERE status = …`` before any work, so a retry or a second consumer does nothing."""

from manifest.jobs import crontab, periodic_task, task
from manifest.transfer import exports, imports


@task()
def build_export(export_id):
    exports.run(export_id)


@task()
def preview_import(import_id):
    imports.preview(import_id)


@task()
def run_import(import_id):
    imports.run(import_id)


@periodic_task(crontab(minute="*"))
def tidy_transfers():
    """Take up the jobs a stopped worker left, and remove expired archives and stale uploads."""
    for export_id in exports.stalled():
        build_export(export_id)
    uploads, queued = imports.stalled()
    for import_id in uploads:
        preview_import(import_id)
    for import_id in queued:
        run_import(import_id)
    exports.remove_expired()
    imports.remove_unconfirmed()
