"""Putting a Bundle into an account: in one transaction, with new ids, skipping what is already there.

The same code makes the dry run (everything, then a rollback) and the import itself, so the preview
says exactly what the import will do. A row is already present when

- an earlier import made it from the same row of a file (imported_rows), or
- it is the account's own row (its export brought back into it), or
- its natural key is taken: the same day of the same habit, the same review day, the same tag slug.

A row the database refuses (a mood of 11, say) is left out and listed with its file and line; rows
that belong to it are left out with it. Everything else goes in, or nothing does.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import DataError, IntegrityError

from manifest.extensions import db
from manifest.media import logic as media_logic
from manifest.media.services import quota_bytes, storage_used
from manifest.media.storage import delete_quietly, get_storage, new_key
from manifest.models import Habit, ImportedRow, Tag, User
from manifest.progress import freshness
from manifest.tags.services import recount_statement
from manifest.timeutil import local_today
from manifest.transfer import queries
from manifest.transfer.bundle import Bundle, Record
from manifest.transfer.format import AREAS, AREAS_BY_NAME, SINGLETONS, TYPE_AREAS, Area

CHUNK = 500
# What the database answers for a row it will not take.
REFUSED = (IntegrityError, DataError)
MAX_LISTED_PROBLEMS = 200
# Areas computed from the others: an archive's copy is informative and is not imported. Its
# snapshots were summed from the file's rows alone; the account's periods are summed again from
# all of its rows (the periods the import touches are removed, and the next visit of a progress
# page, or `flask snapshots backfill`, computes every missing one).
DERIVED = frozenset({"progress_snapshots"})
# Notifications whose delivery is over; an imported one still waiting (pending, sending) is not sent
# again from this account: it comes in as skipped ("not sent").
HANDLED_NOTIFICATIONS = ("sent", "failed", "skipped")


class Cancelled(Exception):
    pass


@dataclass
class Outcome:
    added: Counter = field(default_factory=Counter)
    present: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "added": {a.name: self.added[a.name] for a in AREAS if self.added[a.name]},
            "present": {a.name: self.present[a.name] for a in AREAS if self.present[a.name]},
            "problems": self.problems[:MAX_LISTED_PROBLEMS],
            "problem_count": len(self.problems),
        }


def _constraint_message(error: Exception, table: str) -> str:
    text = str(error.orig)
    for word in text.replace('"', " ").replace(":", " ").split():
        if word.startswith(f"ck_{table}_"):
            rule = word.removeprefix(f"ck_{table}_").replace("_", " ")
            return f"a value is out of range ({rule})"
    if "unique" in text.lower() or "duplicate" in text.lower():
        return "it clashes with a row already there"
    return "the database refused it"


class Restorer:
    def __init__(self, user: User, bundle: Bundle, *, dry_run: bool,
                 progress: Callable[[int], None] = lambda done: None,
                 cancelled: Callable[[], bool] = lambda: False,
                 before_commit: Callable[[Outcome], bool] = lambda outcome: True):
        self.user, self.bundle, self.dry_run = user, bundle, dry_run
        self.progress, self.cancelled, self.before_commit = progress, cancelled, before_commit
        self.ids: dict[uuid.UUID, uuid.UUID] = {}  # id in the file -> id in the account
        self.outcome = Outcome(problems=list(bundle.problems))
        self.done = 0
        self.written_files: list[str] = []
        self.touched_tags: set[uuid.UUID] = set()
        self.new_habits: list[uuid.UUID] = []
        self._slugs: set[str] | None = None

    # --- the steps -----------------------------------------------------------------------

    def run(self) -> Outcome:
        try:
            self._begin()
            self._check_quota()
            # The snapshots the file's rows outdate go in one statement.
            with freshness.deferred(db.session):
                for area in AREAS:
                    if area.name not in DERIVED:
                        self._area_of(area)
            self._finish()
            if self.dry_run:
                db.session.rollback()
            elif self.before_commit(self.outcome):
                db.session.commit()
            else:
                raise Cancelled
        except BaseException:
            db.session.rollback()
            delete_quietly(get_storage(), self.written_files)
            raise
        return self.outcome

    def _begin(self) -> None:
        """Open the transaction with a write: PostgreSQL then holds the user's row, so two imports
        of one user run one after the other, and SQLite's driver opens a real transaction (savepoints
        opened before one would each commit on their own).

        The dry run takes no such lock on PostgreSQL: it writes nothing that stays, and holding the
        user's row for all of it would stop the user signing in (last_login_at) and saving settings
        until it ends. SQLite takes one writer at a time anyway."""
        if self.dry_run and db.session.get_bind().dialect.name != "sqlite":
            return
        users = User.__table__
        db.session.execute(sa.update(users).where(users.c.id == self.user.id).values(updated_at=users.c.updated_at))

    def _check_quota(self) -> None:
        """Attachments that would take the account over its storage are left out, all of them,
        before any is stored. Their size is what the archive's files unpack to, never the
        file_size the rows declare (a row can say 0 of a file of any size)."""
        sizes = self.bundle.file_sizes
        incoming = sum(sizes.get(r.values.get(column) or "", 0)
                       for r in self.bundle.rows.get("media", []) for column in ("file", "thumbnail"))
        if incoming and storage_used(self.user) + incoming > quota_bytes():
            left = max(quota_bytes() - storage_used(self.user), 0)
            self.outcome.problems.insert(0, (
                f"attachments: they need {media_logic.human_size(incoming)} and only "
                f"{media_logic.human_size(left)} of your storage is left; they are left out"))
            self.bundle.rows.pop("media", None)

    def _area_of(self, area: Area) -> None:
        records = self.bundle.rows.get(area.name)
        if records:
            self._area(area, records)

    def _area(self, area: Area, records: list[Record]) -> None:
        present = self._present(area, records)
        taken = self._natural_keys(area)
        fresh: list[tuple[Record, dict]] = []
        for record in records:
            self._step()
            source_id = record.id
            if source_id in self.ids:  # the same row twice in one file
                self.outcome.present[area.name] += 1
                continue
            if source_id in present:
                self.ids[source_id] = present[source_id]
                self.outcome.present[area.name] += 1
                continue
            values = self._values(area, record)
            if values is None:
                continue
            key = self._natural_key(area, values)
            if key is not None and key in taken:
                self.ids[source_id] = taken[key]
                self.outcome.present[area.name] += 1
                continue
            values["id"] = uuid.uuid4()
            if key is not None and not area.keep_repeats:
                taken[key] = values["id"]
            self.ids[source_id] = values["id"]
            fresh.append((record, values))
        for start in range(0, len(fresh), CHUNK):
            self._insert(area, fresh[start:start + CHUNK])

    def _step(self) -> None:
        self.done += 1
        if self.done % CHUNK == 0:
            if self.cancelled():
                raise Cancelled
            self.progress(self.done)

    # --- already present ---------------------------------------------------------------------

    def _present(self, area: Area, records: list[Record]) -> dict[uuid.UUID, uuid.UUID]:
        """Rows of the file that are in the account already: source id -> the account's row id."""
        ids = [r.id for r in records]
        found: dict[uuid.UUID, uuid.UUID] = {}
        table = ImportedRow.__table__.c
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            found.update(db.session.execute(
                sa.select(table.source_id, table.row_id).where(
                    table.user_id == self.user.id, table.area == area.name, table.source_id.in_(chunk))
            ).all())
        alive = queries.owned_ids(area, self.user.id, set(found.values()))
        found = {source: row for source, row in found.items() if row in alive}
        for own in queries.owned_ids(area, self.user.id, [i for i in ids if i not in found]):
            found[own] = own
        return found

    def _natural_keys(self, area: Area) -> dict[tuple, uuid.UUID]:
        if area.name in SINGLETONS:
            existing = db.session.scalar(sa.select(area.table.c.id).where(area.table.c.user_id == self.user.id))
            return {(): existing} if existing else {}
        if not area.natural_key:
            return {}
        owner = area.parent[0] if area.parent else None
        columns = [area.table.c[owner]] if owner else []
        columns += [area.table.c[c] for c in area.natural_key]
        rows = db.session.execute(queries._owned(area, self.user.id, area.table.c.id, *columns)).all()
        return {tuple(row[1:]): row[0] for row in rows}

    def _natural_key(self, area: Area, values: dict) -> tuple | None:
        if area.name in SINGLETONS:
            return ()
        if not area.natural_key:
            return None
        owner = [values[area.parent[0]]] if area.parent else []
        return tuple(owner + [values.get(c) for c in area.natural_key])

    # --- values with the account's ids -------------------------------------------------------

    def _values(self, area: Area, record: Record) -> dict | None:
        """The row's columns with every id translated; None (and a problem) when it cannot be."""
        names = {c.name for c in area.columns}
        values = {k: v for k, v in record.values.items() if k in names}
        if area.parent is not None:
            column, parent = area.parent
            target = self.ids.get(values.get(column))
            if target is None:
                self.outcome.problems.append(f"{record.where}: it belongs to a {parent} row that is not imported")
                return None
            values[column] = target
        else:
            values["user_id"] = self.user.id
        for column, linked in area.links.items():
            # A link within the area (a goal's parent) is resolved once every row has its id.
            if values.get(column) is not None and linked != area.name:
                values[column] = self.ids.get(values[column])  # a link to a row not imported is dropped
        if area.polymorphic is not None:
            kind_column, id_column = area.polymorphic
            kind, target = values.get(kind_column), values.get(id_column)
            mapped = self.ids.get(target) if kind in TYPE_AREAS and target is not None else None
            if mapped is None and area.name == "taggables":
                self.outcome.problems.append(f"{record.where}: the tagged row is not imported")
                return None
            values[id_column] = mapped
            if mapped is None:
                values[kind_column] = None
        if area.name == "goals":
            values["source_id"] = self._goal_source(values.get("source_key"), values.get("source_id"))
            if values.get("measure") == "source" and values["source_id"] is None:
                values["measure"], values["source_key"] = "entries", None
        if area.name == "media" and not self._store_attachment(record, values):
            return None
        if area.name == "journal":
            values["slug"] = self._free_slug(values.get("slug") or "entry")
        if area.name == "notifications" and values.get("status") not in HANDLED_NOTIFICATIONS:
            # Its delivery belonged to the account it was exported from: here it is history only.
            # Left pending, the finder of stalled deliveries would email (and push) it again.
            values["status"] = "skipped"
        for column in ("usage_count",) if area.name == "tags" else ():
            values[column] = 0
        return values

    def _free_slug(self, slug: str) -> str:
        """The entry's slug, or the first of slug-2, slug-3… the account does not use yet."""
        if self._slugs is None:
            table = AREAS_BY_NAME["journal"].table
            self._slugs = set(db.session.scalars(sa.select(table.c.slug).where(table.c.user_id == self.user.id)))
        candidate, n = slug, 1
        while candidate in self._slugs:
            n += 1
            candidate = f"{slug[:250]}-{n}"
        self._slugs.add(candidate)
        return candidate

    def _goal_source(self, key: str | None, source_id) -> uuid.UUID | None:
        """A goal's tracked source in this account: a habit's new id, or the account's own sources."""
        if not key or source_id is None:
            return None
        if source_id in self.ids:
            return self.ids[source_id]
        old = self.bundle.account_id
        if old is not None and source_id == old:
            return self.user.id
        from manifest.progress import goal_sources as weight_sources
        from manifest.workouts.goal_sources import ANY, type_source_id
        from manifest.workouts.logic import WORKOUT_TYPES

        if old is None:
            return None
        for kind in (ANY, *WORKOUT_TYPES):
            if source_id == type_source_id(old, kind):
                return type_source_id(self.user.id, kind)
        for weight_key in (weight_sources.LOST, weight_sources.GAINED):
            if source_id == weight_sources.source_id(old, weight_key):
                return weight_sources.source_id(self.user.id, weight_key)
        return None

    def _store_attachment(self, record: Record, values: dict) -> bool:
        """Store the row's file (and thumbnail) under new keys. Its type is read from its bytes, as
        for an upload, never taken from the file's word: it decides how the file is served."""
        files = []
        for column in ("file", "thumbnail"):
            opener = self.bundle.files.get(record.values.get(column) or "")
            if opener is None:
                if column == "file":
                    self.outcome.problems.append(f"{record.where}: its file is missing from the archive")
                    return False
                continue
            with opener() as source:
                data = source.read()
            try:
                content_type = media_logic.sniff(data)
            except media_logic.Refused as error:
                self.outcome.problems.append(f"{record.where}: its {column} {error}")
                return False
            files.append((column, data, content_type))
        _, data, content_type = files[0]
        values["file_type"], values["file_size"] = content_type, len(data)
        values["file_path"] = new_key(self.user.id, media_logic.extension(content_type))
        values["thumbnail_path"] = None
        for column, thumb_data, thumb_type in files[1:]:
            values["thumbnail_path"] = new_key(self.user.id, media_logic.extension(thumb_type),
                                               thumb_of=values["file_path"])
        if self.dry_run:
            return True
        storage = get_storage()
        for (_, payload, kind), key in zip(files, (values["file_path"], values["thumbnail_path"]), strict=False):
            storage.save(key, payload, kind)
            self.written_files.append(key)
        return True

    # --- writing -------------------------------------------------------------------------------

    def _insert(self, area: Area, batch: list[tuple[Record, dict]]) -> None:
        table = area.table
        later_links = [c for c, target in area.links.items() if target == area.name]
        rows = self._insertable(area, [values for _, values in batch], later_links)
        try:
            with db.session.begin_nested():
                db.session.execute(table.insert(), rows)
            accepted = batch
        except REFUSED:
            accepted = []
            for (record, values), row in zip(batch, rows, strict=True):
                try:
                    with db.session.begin_nested():
                        db.session.execute(table.insert(), [row])
                    accepted.append((record, values))
                except REFUSED as error:
                    self.outcome.problems.append(f"{record.where}: {_constraint_message(error, table.name)}")
                    self.ids.pop(record.id, None)
        for column in later_links:
            # Links between rows of the same area (a goal's parent) once all of them are in.
            for _, values in accepted:
                target = self.ids.get(values.get(column))
                if target is not None:
                    # updated_at as it was: the link is part of the row as the file has it.
                    db.session.execute(sa.update(table).where(table.c.id == values["id"])
                                       .values({column: target, "updated_at": table.c.updated_at}))
        if accepted:
            db.session.execute(ImportedRow.__table__.insert(), [
                {"id": uuid.uuid4(), "user_id": self.user.id, "area": area.name,
                 "source_id": record.id, "row_id": values["id"]} for record, values in accepted])
        self.outcome.added[area.name] += len(accepted)
        if area.name == "taggables":
            self.touched_tags.update(values["tag_id"] for _, values in accepted)
        if area.name == "habits":
            self.new_habits.extend(values["id"] for _, values in accepted)

    @staticmethod
    def _insertable(area: Area, batch: list[dict], later_links: list[str]) -> list[dict]:
        """Rows with the same columns each (one statement inserts them all): what a row lacks takes
        the column's default. Timestamps come from the file when it has them, so a restored account
        reads as it did."""
        table = area.table
        names = [c.name for c in table.columns if any(c.name in values for values in batch)]
        names += [n for n in ("created_at", "updated_at") if n not in names]
        now = datetime.now(UTC)
        rows = []
        for values in batch:
            row = {}
            for name in names:
                column = table.c[name]
                if name in later_links:
                    row[name] = None
                elif values.get(name) is not None:
                    row[name] = values[name]
                elif name in ("created_at", "updated_at"):
                    row[name] = values.get("created_at") or now
                elif column.default is not None and column.default.is_scalar and not column.nullable:
                    row[name] = column.default.arg
                else:
                    row[name] = None
            rows.append(row)
        return rows

    def _finish(self) -> None:
        if self.touched_tags:
            # A count kept by us, not an edit of the tag: its updated_at stays the file's.
            tags = Tag.__table__
            db.session.execute(recount_statement(self.touched_tags).values(updated_at=tags.c.updated_at))
        if self.bundle.recompute_habits and self.new_habits and not self.dry_run:
            from manifest.habits.services import recompute

            today = local_today(self.user)
            for habit in db.session.scalars(sa.select(Habit).where(Habit.id.in_(self.new_habits))):
                recompute(habit, today)
            db.session.flush()


def restore(user: User, bundle: Bundle, *, dry_run: bool, **hooks) -> Outcome:
    return Restorer(user, bundle, dry_run=dry_run, **hooks).run()


def summary_line(outcome: dict) -> str:
    """"will add 12 habits, 3,400 check-ins; 14 rows already present will be skipped"."""
    added = [f"{count:,} {AREAS_BY_NAME[name].label}" for name, count in outcome.get("added", {}).items()]
    present = sum(outcome.get("present", {}).values())
    text = ", ".join(added) if added else "nothing new"
    if present:
        text += f"; {present:,} row{'s' if present != 1 else ''} already present"
    return text

