"""Progress of a long job, written beside the job's own work so the page can poll it.

The job may hold a transaction open for minutes (an import is all or nothing), so progress goes
through a connection of its own that commits at once, at most every half second. SQLite allows one
writer at a time: while an import's transaction holds the lock, its progress is kept for the end, and
a cancel waits for it (PostgreSQL, the production database, has neither limit).
"""

from __future__ import annotations

import time

import sqlalchemy as sa

from manifest.extensions import db

INTERVAL_SECONDS = 0.5


class Reporter:
    def __init__(self, table: sa.Table, job_id, *, inside_transaction: bool = False):
        self.table, self.job_id = table, job_id
        self.enabled = not (inside_transaction and db.engine.dialect.name == "sqlite")
        self._last = 0.0

    def set(self, **values) -> None:
        with db.engine.begin() as connection:
            connection.execute(sa.update(self.table).where(self.table.c.id == self.job_id).values(
                updated_at=sa.func.now(), **values))

    def __call__(self, done: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.enabled and (force or now - self._last >= INTERVAL_SECONDS):
            self._last = now
            self.set(done_units=done)

    def status(self) -> str | None:
        """The job's status as stored now (a user may have cancelled it). On SQLite, inside the
        job's transaction, nobody else can write it until the end: the status is the one it started with."""
        if not self.enabled:
            return "running"
        with db.engine.connect() as connection:
            return connection.scalar(sa.select(self.table.c.status).where(self.table.c.id == self.job_id))
