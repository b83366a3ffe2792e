"""Habits: list, create, update, archive, delete, and a day's check-in (done, value, skip, note)."""

import sqlalchemy as sa
from marshmallow import fields

from manifest.api import core
from manifest.api.schemas import (
    JsonBoolean,
    PageArgs,
    Schema,
    form_schema,
    model_schema,
    page_schema,
)
from manifest.extensions import db
from manifest.habits import services
from manifest.habits.forms import CheckInForm, HabitForm, NoteForm
from manifest.models import Habit, HabitEntry
from manifest.ownership import owned
from manifest.timeutil import require_iso_day

blp = core.api_blueprint("habits", "Habits and their days: tick, count, skip, note.")

HabitIn = form_schema(HabitForm, "HabitIn")
HabitUpdate = form_schema(HabitForm, "HabitUpdate", exclude=("habit_type",))
HabitOut = model_schema(Habit, "Habit")
HabitPage = page_schema(HabitOut, "HabitPage")
DayOut = Schema.from_dict({
    "habit_id": fields.UUID(required=True), "day": fields.Date(required=True),
    "completed": fields.Boolean(required=True), "skipped": fields.Boolean(required=True),
    "value": fields.Float(allow_none=True, required=True), "notes": fields.String(allow_none=True, required=True),
    "current_streak": fields.Integer(required=True),
}, name="HabitDay")


class HabitListArgs(PageArgs):
    archived = fields.Boolean(load_default=False, metadata={"description": "Archived habits instead of active ones."})


class ArchiveIn(Schema):
    archived = JsonBoolean(load_default=True, metadata={"description": "false restores the habit."})


class DayIn(Schema):
    state = fields.String(metadata={"enum": ["done", "not_done"], "description": "For a yes/no habit."})
    # The check-in's own message for a value it cannot read (services.parse_value).
    value = fields.Decimal(allow_nan=False, allow_none=True, error_messages={"invalid": "Enter a number."},
                           metadata={"description": "For a number habit."})
    skip = JsonBoolean(metadata={"description": "true skips the day; false un-skips it."})
    note = fields.String(allow_none=True, metadata={"maxLength": 2000})


def _habit(habit_id):
    return owned(core.user(), Habit, habit_id)


@blp.get("")
@blp.arguments(HabitListArgs, location="query")
@blp.response(200, HabitPage)
def list_habits(args):
    """The habits in their order on Today."""
    statement = sa.select(Habit).where(Habit.user_id == core.user().id, Habit.is_active == (not args["archived"]))
    return core.page(statement, [Habit.position, Habit.id], args, "api_habits.list_habits", descending=False)


@blp.post("")
@core.idempotent
@blp.arguments(HabitIn)
@blp.response(201, HabitOut)
def create_habit(data):
    form = core.validated(core.bind(HabitForm, data))
    habit = services.create_habit(core.user(), form.command())
    return habit, {"Location": core.url("api_habits.get_habit", habit_id=habit.id)}


@blp.get("/<uuid:habit_id>")
@blp.response(200, HabitOut)
def get_habit(habit_id):
    return _habit(habit_id)


@blp.put("/<uuid:habit_id>")
@blp.arguments(HabitUpdate)
@blp.response(200, HabitOut)
def update_habit(data, habit_id):
    """Replace the habit's settings (every field, as the edit form sends them); its kind stays."""
    habit = _habit(habit_id)
    form = core.bind(HabitForm, data)
    form.habit_type.data = habit.habit_type  # fixed after creation
    core.validated(form)
    return services.update_habit(habit, form.command(), core.today())


@blp.post("/<uuid:habit_id>/archive")
@blp.arguments(ArchiveIn)
@blp.response(200, HabitOut)
def archive_habit(data, habit_id):
    """Archive (or with `archived: false`, restore) a habit: it leaves Today, its history stays."""
    return services.set_archived(_habit(habit_id), data["archived"])


@blp.delete("/<uuid:habit_id>")
@blp.response(204)
def delete_habit(habit_id):
    services.delete_habit(_habit(habit_id))


def _day(habit, day):
    entry = db.session.scalar(sa.select(HabitEntry).where(HabitEntry.habit_id == habit.id, HabitEntry.entry_date == day))
    db.session.refresh(habit)
    return {
        "habit_id": habit.id, "day": day, "completed": bool(entry and entry.completed),
        "skipped": bool(entry and entry.skipped), "value": entry.value if entry else None,
        "notes": entry.notes if entry else None, "current_streak": habit.current_streak,
    }


@blp.get("/<uuid:habit_id>/days/<day>")
@blp.response(200, DayOut)
def get_day(habit_id, day):
    return _day(_habit(habit_id), require_iso_day(day))


@blp.put("/<uuid:habit_id>/days/<day>")
@blp.arguments(DayIn)
@blp.response(200, DayOut)
def check_in(data, habit_id, day):
    """Set a day: `{"state": "done"}` ticks a yes/no habit, `{"value": 2}` counts a number habit,
    `{"skip": true}` skips the day, `{"note": "…"}` keeps a note. The request states the result,
    never a toggle, so sending it twice changes nothing more."""
    day, today, user = require_iso_day(day), core.today(), core.user()
    habit = _habit(habit_id)
    note = data.pop("note", None)
    if not data and note is None:
        core.invalid({"_form": ["Send state, value, skip or note."]})
    if "skip" in data:
        data["skip"] = "1" if data["skip"] else "0"  # the page's form sends 1 or 0
    text = None if note is None else core.bind(NoteForm, {"note": note}).command()
    if text is not None:
        # A note that will be refused must refuse the whole request, before the day changes.
        core.run(lambda: services.check_note(text), rename={None: "note"})
    if data:
        form = core.bind(CheckInForm, data)
        command = form.command()
        core.run(lambda: services.check_in(user, habit.id, day, today, **command))
    if text is not None:
        core.run(lambda: services.save_note(user, habit.id, day, today, text), rename={None: "note"})
    return _day(habit, day)
