"""Habits through the browser's eyes: managing habits, Today's check-ins, the habit page.

Each test asserts what the user sees and the rows left in the database.
"""

import re
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.habits import logic, services
from manifest.models import Habit, HabitEntry, HabitPause, User
from tests.conftest import HX

EAST, WEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"  # UTC+14 and UTC-11
MAX_FRAGMENT = 3 * 1024
BAD_DAY = "That is not a valid date; use YYYY-MM-DD."


# --- a small DOM, enough to find elements and their accessible names ------------------------

class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list["Node"]:
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [
            n for n in self.iter()
            if (tag is None or n.tag == tag) and all(
                (n.attrs.get(k) is not None) if v is True else n.attrs.get(k) == v for k, v in wanted.items()
            )
        ]

    def find(self, tag: str | None = None, **attrs) -> "Node | None":
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, element_id: str) -> "Node | None":
        return self.find(id=element_id)

    def raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw_text() for c in self.children)

    def text(self) -> str:
        """The text as a browser lays it out: whitespace collapsed across element boundaries."""
        return " ".join(self.raw_text().split())

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class _Builder(HTMLParser):
    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                      "wbr", "circle", "path", "line", "polyline"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: ("" if v is None else v) for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in self.VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: ("" if v is None else v) for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(body: str | bytes) -> Node:
    builder = _Builder()
    builder.feed(body.decode() if isinstance(body, bytes) else body)
    return builder.root


def accessible_name(doc: Node, element: Node) -> str:
    if element.attrs.get("aria-label"):
        return element.attrs["aria-label"]
    label = doc.find("label", for_=element.attrs.get("id"))
    return label.text() if label is not None else ""


def control_named(doc: Node, name: str) -> Node:
    """The one input or button whose accessible name is ``name``."""
    found = [n for n in doc.iter() if n.tag in ("input", "button") and accessible_name(doc, n) == name]
    assert len(found) == 1, (name, [accessible_name(doc, n) for n in doc.iter() if n.tag in ("input", "button")])
    return found[0]


def counter(doc: Node) -> str:
    element = doc.by_id("day-counter")
    assert element is not None
    span = element.find("span")
    return span.text() if span is not None else ""


def flashes(doc: Node) -> list[str]:
    return [p.text() for p in doc.find_all("p") if "flash" in p.classes()]


def row_of(doc: Node, habit_id) -> Node:
    row = doc.by_id(f"habit-{habit_id}")
    assert row is not None, f"no row for {habit_id}"
    return row


def row_ids(doc: Node) -> list[str]:
    return [n.attrs["id"].removeprefix("habit-") for n in doc.find_all("li") if n.attrs.get("id", "").startswith("habit-")]


def groups(doc: Node) -> list[tuple[str, list[str]]]:
    """Today's category groups in page order, each with its habit names in order."""
    result = []
    for section in doc.find_all("section"):
        if "habit-group" in section.classes():
            rows = [n for n in section.find_all("li") if n.attrs.get("id", "").startswith("habit-")]
            names = [next(n for n in row.iter() if "habit-name" in n.classes()).text().split(" — ")[0] for row in rows]
            result.append((section.attrs["aria-label"], names))
    return result


def streak_shown(row: Node) -> str:
    """The streak as the row shows it ("3-day streak"), without the week's progress."""
    element = row.find("span", class_="streak")
    progress = element.find("span", class_="week-progress")
    text = element.text()
    return text.removeprefix(progress.text()).strip() if progress is not None else text


def long_date(day: date) -> str:
    return f"{day:%A}, {day.day} {day:%B %Y}"


# --- the user, their clock and the rows -----------------------------------------------------

def local_date(zone: str) -> date:
    return datetime.now(ZoneInfo(zone)).date()


@pytest.fixture
def user(calm_user):
    return calm_user


@pytest.fixture
def today(user) -> date:
    return local_date(user["zone"])


BASE = {"name": "Meditate", "frequency": "daily", "habit_type": "yes_no"}


def make_habit(app, user_id, **data) -> uuid.UUID:
    """A habit created through the service, as the form would."""
    with app.app_context():
        return services.create_habit(db.session.get(User, user_id), {**BASE, **data}).id


def numeric(name="Water", target="8", direction="at_least", unit="glasses", **data) -> dict:
    return {"name": name, "habit_type": "numeric", "target_value": Decimal(target), "target_direction": direction,
            "unit": unit, **data}


def check(app, user_id, habit_id, day: date, today: date, **fields) -> None:
    with app.app_context():
        services.check_in(db.session.get(User, user_id), habit_id, day, today, **fields)


def insert_entries(app, habit_id, days, **values) -> None:
    """History written straight into the table (the cached streaks are then recomputed by the caller)."""
    with app.app_context():
        db.session.execute(sa.insert(HabitEntry), [
            {"id": uuid.uuid4(), "habit_id": habit_id, "entry_date": d, "completed": True, **values} for d in days
        ])
        db.session.commit()


def recompute(app, habit_id, today: date) -> None:
    with app.app_context():
        habit = db.session.get(Habit, habit_id)
        services.recompute(habit, today)
        db.session.commit()


def habit_columns(app, habit_id) -> dict | None:
    with app.app_context():
        row = db.session.execute(sa.select(Habit.__table__).where(Habit.id == habit_id)).mappings().first()
        return dict(row) if row else None


def entries(app, habit_id) -> dict[date, tuple]:
    """(completed, skipped, value, notes) per day."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(HabitEntry.entry_date, HabitEntry.completed, HabitEntry.skipped, HabitEntry.value, HabitEntry.notes)
            .where(HabitEntry.habit_id == habit_id)
        ).all()
        return {r.entry_date: (r.completed, r.skipped, r.value, r.notes) for r in rows}


def entry_count(app, habit_id, day: date) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(HabitEntry).where(
            HabitEntry.habit_id == habit_id, HabitEntry.entry_date == day))


def expected_streaks(app, habit_id, today: date) -> logic.Streaks:
    """What the entries in the database imply, computed by the pure logic."""
    with app.app_context():
        habit = db.session.get(Habit, habit_id)
        marks = {day: services.mark_of(c, s) for day, (c, s, _, _) in entries(app, habit_id).items()}
        return logic.compute_streaks(services.schedule_of(habit), marks, today, services.pauses_of(habit))


def cached(app, habit_id) -> logic.Streaks:
    row = habit_columns(app, habit_id)
    return logic.Streaks(row["current_streak"], row["longest_streak"], row["total_completions"])


def snapshot(app) -> dict[str, list]:
    with app.app_context():
        return {
            model.__tablename__: sorted(tuple(map(str, r)) for r in db.session.execute(sa.select(model.__table__)))
            for model in (Habit, HabitEntry, HabitPause)
        }


def checkin_url(habit_id, day: date) -> str:
    return f"/habits/{habit_id}/days/{day.isoformat()}"


DONE = {"state": ["not_done", "done"]}  # the hidden field, then the ticked checkbox
NOT_DONE = {"state": "not_done"}


def habit_form(**fields) -> dict:
    form = {"name": "Meditate", "frequency": "daily", "habit_type": "yes_no", "times_per_week": "3",
            "target_direction": "at_least", "color": "#4f46e5"}
    form.update(fields)
    return {k: v for k, v in form.items() if v is not None}


def only_habit(app, user_id) -> Habit:
    with app.app_context():
        habits = db.session.scalars(sa.select(Habit).where(Habit.user_id == user_id)).all()
        assert len(habits) == 1, habits
        db.session.expunge_all()
        return habits[0]


# --- creating habits ------------------------------------------------------------------------

def test_create_a_yes_no_habit_with_every_field(app, auth_client, user, today):
    response = auth_client.post("/habits/new", data=habit_form(
        name="  Meditate ", description="Ten quiet minutes", category="Mind", color="#AABBCC", icon="🧘",
        reminder_time="07:30",
    ))
    assert response.status_code == 303
    assert response.headers["Location"] == "/"

    habit = only_habit(app, user["id"])
    assert (habit.name, habit.description, habit.category, habit.color, habit.icon, habit.reminder_time) == (
        "Meditate", "Ten quiet minutes", "Mind", "#aabbcc", "🧘", time(7, 30))
    assert (habit.frequency, habit.target_days, habit.weekday_mask, habit.habit_type) == ("daily", None, None, "yes_no")
    assert habit.is_active and habit.position == 0

    doc = parse(auth_client.get("/").data)
    assert "“Meditate” added." in flashes(doc)
    assert groups(doc) == [("Mind", ["🧘 Meditate"])]
    checkbox = control_named(doc, "🧘 Meditate — done today")
    assert checkbox.attrs["type"] == "checkbox" and "checked" not in checkbox.attrs
    assert counter(doc) == "0 of 1 done"

    page = parse(auth_client.get(f"/habits/{habit.id}").data)
    lede = page.find("p", class_="lede").text()
    assert lede == "Every day · Mind · reminder 07:30"
    assert "Ten quiet minutes" in page.text()


def test_create_a_habit_due_some_times_a_week(app, auth_client, user):
    assert auth_client.post("/habits/new", data=habit_form(name="Run", frequency="weekly", times_per_week="3")
                            ).status_code == 303
    habit = only_habit(app, user["id"])
    assert (habit.frequency, habit.target_days, habit.weekday_mask) == ("weekly", 3, None)
    row = row_of(parse(auth_client.get("/").data), habit.id)
    assert row.find("span", class_="week-progress").text() == "0/3 this week"
    assert parse(auth_client.get(f"/habits/{habit.id}").data).find("p", class_="lede").text() == "3 times a week"


def test_a_habit_with_loops_rhythm_is_described_by_it_everywhere(app, auth_client, user):
    """A Loop habit done 2 times in 3 days is stored as its nearest weekly count (5) with the rhythm
    beside it. Pages say the rhythm, and say that its streak counts weeks of 5, as it does."""
    habit_id = make_habit(app, user["id"], name="Wake up early", frequency="weekly", times_per_week=5)
    with app.app_context():
        db.session.get(Habit, habit_id).rhythm_times, db.session.get(Habit, habit_id).rhythm_days = 2, 3
        db.session.commit()

    lede = parse(auth_client.get(f"/habits/{habit_id}").data).find("p", class_="lede").text()
    assert lede == "2 times in 3 days (its streak counts weeks done 5 times or more)"
    assert "times a week" not in lede

    row = row_of(parse(auth_client.get("/").data), habit_id)
    assert row.find("span", class_="habit-rhythm").text() == "2 times in 3 days"
    assert row.find("span", class_="week-progress").text() == "0/5 this week"

    card = parse(auth_client.get("/habits").data).by_id(f"habit-card-{habit_id}")
    assert card.find("span", class_="habit-rhythm").text() == "2 times in 3 days"

    note = parse(auth_client.get(f"/habits/{habit_id}/edit").data).by_id("rhythm-note").text()
    assert "2 times in 3 days" in note and "weeks done 5 times or more" in note

    # A plain weekly habit says nothing of a rhythm.
    plain = make_habit(app, user["id"], name="Run", frequency="weekly", times_per_week=5)
    assert parse(auth_client.get(f"/habits/{plain}").data).find("p", class_="lede").text() == "5 times a week"
    assert row_of(parse(auth_client.get("/").data), plain).find("span", class_="habit-rhythm") is None
    assert parse(auth_client.get(f"/habits/{plain}/edit").data).by_id("rhythm-note") is None


def test_create_a_habit_on_specific_weekdays(app, auth_client, user, today):
    response = auth_client.post("/habits/new", data=habit_form(name="Gym", frequency="custom", weekdays=["0", "2", "4"]))
    assert response.status_code == 303
    habit = only_habit(app, user["id"])
    assert (habit.frequency, habit.weekday_mask, habit.target_days) == ("custom", 0b10101, None)
    assert parse(auth_client.get(f"/habits/{habit.id}").data).find("p", class_="lede").text() == "Every Mon, Wed, Fri"

    for back in range(1, 8):
        day = today - timedelta(days=back)
        doc = parse(auth_client.get(f"/?day={day.isoformat()}").data)
        if day.weekday() in (0, 2, 4):
            assert row_ids(doc) == [str(habit.id)], day
            control_named(doc, f"Gym — done on {long_date(day)}")
        else:
            assert row_ids(doc) == [], day
            assert "No habits due on this day." in doc.text()


def test_create_a_numeric_habit(app, auth_client, user):
    response = auth_client.post("/habits/new", data=habit_form(
        name="Water", habit_type="numeric", target_value="8", unit="glasses", target_direction="at_least"))
    assert response.status_code == 303
    habit = only_habit(app, user["id"])
    assert (habit.habit_type, habit.target_value, habit.unit, habit.target_direction) == (
        "numeric", Decimal("8.00"), "glasses", "at_least")

    doc = parse(auth_client.get("/").data)
    value = control_named(doc, "Water — glasses today")
    assert (value.tag, value.attrs["inputmode"], value.attrs["value"]) == ("input", "decimal", "")
    assert control_named(doc, "Water: one more").attrs["value"] == "1"
    assert control_named(doc, "Water: one less").attrs["value"] == "0"
    assert row_of(doc, habit.id).find("span", class_="target").text() == "≥ 8 glasses"


def test_create_an_at_most_habit(app, auth_client, user):
    auth_client.post("/habits/new", data=habit_form(
        name="Coffee", habit_type="numeric", target_value="2.5", unit="cups", target_direction="at_most"))
    habit = only_habit(app, user["id"])
    assert (habit.target_value, habit.target_direction) == (Decimal("2.50"), "at_most")
    assert row_of(parse(auth_client.get("/").data), habit.id).find("span", class_="target").text() == "≤ 2.5 cups"


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"name": ""}, "name", "Give the habit a name."),
    ({"name": "   "}, "name", "Give the habit a name."),
    ({"name": "Med\x00itate"}, "name", "Contains a character that is not allowed."),
    ({"name": "x" * 101}, "name", "Field cannot be longer than 100 characters."),
    ({"frequency": "custom"}, "weekdays", "Pick at least one weekday."),
    ({"frequency": "custom", "weekdays": ["9"]}, "weekdays", "'9' is not a valid choice for this field."),
    ({"frequency": "weekly", "times_per_week": "9"}, "times_per_week", "Choose 1 to 7 times a week."),
    ({"frequency": "weekly", "times_per_week": ""}, "times_per_week", "Choose 1 to 7 times a week."),
    ({"frequency": "hourly"}, "frequency", "Not a valid choice."),
    ({"color": "red"}, "color", "Pick a color like #4f46e5."),
    ({"reminder_time": "25:00"}, "reminder_time", "Not a valid time value."),
    ({"habit_type": "numeric"}, "target_value", "A number habit needs a target, e.g. 8."),
    ({"habit_type": "numeric", "target_value": "0"}, "target_value", "Enter a target above 0 and below a million."),
    ({"habit_type": "numeric", "target_value": "-3"}, "target_value", "Enter a target above 0 and below a million."),
    ({"habit_type": "numeric", "target_value": "1e9"}, "target_value", "Enter a target above 0 and below a million."),
    ({"habit_type": "numeric", "target_value": "NaN"}, "target_value", "Enter a target above 0 and below a million."),
    ({"habit_type": "numeric", "target_value": "sNaN"}, "target_value", "Enter a target above 0 and below a million."),
    ({"habit_type": "numeric", "target_value": "Infinity"}, "target_value",
     "Enter a target above 0 and below a million."),
    ({"habit_type": "numeric", "target_value": "lots"}, "target_value", "Enter a number, e.g. 12.5."),
    ({"habit_type": "numeric", "target_value": "8", "target_direction": "exactly"}, "target_direction",
     "Not a valid choice."),
])
def test_an_invalid_habit_is_refused_with_a_message_and_no_row(app, auth_client, user, fields, field, message):
    response = auth_client.post("/habits/new", data=habit_form(**fields))
    assert response.status_code == 422
    doc = parse(response.data)
    error = doc.by_id(f"{field}-error")
    assert error is not None, response.get_data(as_text=True)
    assert message in error.text()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Habit)) == 0


# --- editing --------------------------------------------------------------------------------

def test_edit_shows_the_habit_and_saves_changes(app, auth_client, user):
    habit_id = make_habit(app, user["id"], name="Gym", category="Body", frequency="custom", weekdays=[0, 2, 4],
                          icon="🏋", reminder_time=time(6, 0))
    doc = parse(auth_client.get(f"/habits/{habit_id}/edit").data)
    assert doc.find("input", name="name").attrs["value"] == "Gym"
    assert doc.find("input", name="category").attrs["value"] == "Body"
    ticked = {n.attrs["value"] for n in doc.find_all("input", name="weekdays") if "checked" in n.attrs}
    assert ticked == {"0", "2", "4"}
    assert doc.find("input", name="frequency", value="custom").attrs.get("checked") is not None

    response = auth_client.post(f"/habits/{habit_id}/edit", data=habit_form(
        name="Lift", category="Strength", frequency="weekly", times_per_week="2", habit_type="numeric",
        target_value="5", icon="", reminder_time="", description="Heavy days"))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/habits/{habit_id}"
    row = habit_columns(app, habit_id)
    assert (row["name"], row["category"], row["frequency"], row["target_days"], row["weekday_mask"]) == (
        "Lift", "Strength", "weekly", 2, None)
    assert (row["icon"], row["reminder_time"], row["description"]) == (None, None, "Heavy days")
    assert (row["habit_type"], row["target_value"]) == ("yes_no", None), "the kind is fixed once created"

    page = parse(auth_client.get(f"/habits/{habit_id}").data)
    assert "Habit saved." in flashes(page)
    assert page.find("p", class_="lede").text() == "2 times a week · Strength"


def test_an_invalid_edit_changes_nothing(app, auth_client, user):
    habit_id = make_habit(app, user["id"], name="Gym")
    before = snapshot(app)
    response = auth_client.post(f"/habits/{habit_id}/edit", data=habit_form(name="", frequency="custom"))
    assert response.status_code == 422
    doc = parse(response.data)
    assert "Give the habit a name." in doc.by_id("name-error").text()
    assert "Pick at least one weekday." in doc.text()
    assert snapshot(app) == before


def test_changing_the_schedule_recomputes_the_streak(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"], name="Gym")
    days = [today - timedelta(days=n) for n in range(21) if (today - timedelta(days=n)).weekday() in (0, 2, 4)]
    insert_entries(app, habit_id, days)
    recompute(app, habit_id, today)
    assert habit_columns(app, habit_id)["current_streak"] <= 1  # every day: the gaps break it

    auth_client.post(f"/habits/{habit_id}/edit", data=habit_form(name="Gym", frequency="custom", weekdays=["0", "2", "4"]))
    assert cached(app, habit_id) == logic.Streaks(len(days), len(days), len(days))
    assert cached(app, habit_id) == expected_streaks(app, habit_id, today)


# --- archive, delete, order -----------------------------------------------------------------

def test_archive_hides_the_habit_and_restore_brings_it_back(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"], name="Meditate")
    check(app, user["id"], habit_id, today, today, state="done")
    history = entries(app, habit_id)

    response = auth_client.post(f"/habits/{habit_id}/archive", data={"archived": "1"})
    assert (response.status_code, response.headers["Location"]) == (303, "/habits")
    assert habit_columns(app, habit_id)["is_active"] is False
    doc = parse(auth_client.get("/habits").data)
    assert "“Meditate” archived." in flashes(doc)
    assert manage_order(auth_client) == []
    archived = next(s for s in doc.find_all("section") if s.find("h2") and s.find("h2").text() == "Archived")
    assert archived.find("a").text() == "Meditate"
    assert archived.find("button").text() == "Restore"
    assert row_ids(parse(auth_client.get("/").data)) == []
    assert "Archived" in parse(auth_client.get(f"/habits/{habit_id}").data).find("h1").text()

    auth_client.post(f"/habits/{habit_id}/archive", data={"archived": "0"})
    assert habit_columns(app, habit_id)["is_active"] is True
    assert "“Meditate” restored." in flashes(parse(auth_client.get("/habits").data))
    assert row_ids(parse(auth_client.get("/").data)) == [str(habit_id)]
    assert entries(app, habit_id) == history


def test_an_archived_habit_cannot_be_checked_in(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    auth_client.post(f"/habits/{habit_id}/archive", data={"archived": "1"})
    before = snapshot(app)
    assert auth_client.post(checkin_url(habit_id, today), data=DONE).status_code == 404
    assert snapshot(app) == before
    page = parse(auth_client.get(f"/habits/{habit_id}").data)
    cells = [b for b in page.find_all("button") if "cell" in b.classes()]
    assert cells and all("disabled" in b.attrs for b in cells), "the heatmap of an archived habit is read-only"


def test_delete_asks_for_confirmation_then_deletes_the_history(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"], name="Meditate")
    check(app, user["id"], habit_id, today - timedelta(days=1), today, state="done")
    check(app, user["id"], habit_id, today, today, state="done")
    with app.app_context():
        services.add_pause(db.session.get(Habit, habit_id), today + timedelta(days=3),
                           today + timedelta(days=5), today)

    doc = parse(auth_client.get(f"/habits/{habit_id}/delete").data)
    assert doc.find("h1").text() == "Delete “Meditate”?"
    assert "2 check-ins" in doc.text()
    assert doc.find("form", action=f"/habits/{habit_id}/delete", method="post") is not None
    assert habit_columns(app, habit_id) is not None, "the confirmation page deletes nothing"

    response = auth_client.post(f"/habits/{habit_id}/delete")
    assert (response.status_code, response.headers["Location"]) == (303, "/habits")
    assert "“Meditate” and its history were deleted." in flashes(parse(auth_client.get("/habits").data))
    assert snapshot(app) == {"habits": [], "habit_entries": [], "habit_pauses": []}
    assert auth_client.get(f"/habits/{habit_id}").status_code == 404


def test_delete_from_htmx_redirects_the_whole_page(app, auth_client, user):
    habit_id = make_habit(app, user["id"])
    response = auth_client.post(f"/habits/{habit_id}/delete", headers=HX)
    assert (response.status_code, response.headers["HX-Redirect"]) == (200, "/habits")
    assert habit_columns(app, habit_id) is None


def manage_order(client) -> list[str]:
    """The names in the list of active habits on the Habits page, in order."""
    links = parse(client.get("/habits").data).by_id("habit-order").find_all("a")
    return [a.text() for a in links if re.fullmatch(r"/habits/[0-9a-f-]{36}", a.attrs["href"])]


def positions(app, user_id) -> list[tuple[str, int]]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            sa.select(Habit.name, Habit.position).where(Habit.user_id == user_id).order_by(Habit.position))]


def test_moving_habits_persists_and_orders_today_by_category_groups(app, auth_client, user):
    ids = {name: make_habit(app, user["id"], name=name, category=category)
           for name, category in (("Run", "Health"), ("Read", "Mind"), ("Sleep", "Health"))}
    assert groups(parse(auth_client.get("/").data)) == [("Health", ["Run", "Sleep"]), ("Mind", ["Read"])]

    response = auth_client.post(f"/habits/{ids['Read']}/move", data={"direction": "up"})
    assert (response.status_code, response.headers["Location"]) == (303, "/habits")
    assert positions(app, user["id"]) == [("Read", 0), ("Run", 1), ("Sleep", 2)]
    assert manage_order(auth_client) == ["Read", "Run", "Sleep"]
    assert groups(parse(auth_client.get("/").data)) == [("Mind", ["Read"]), ("Health", ["Run", "Sleep"])]

    response = auth_client.post(f"/habits/{ids['Run']}/move", data={"direction": "down"}, headers=HX)
    doc = parse(response.data)
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)
    assert [a.text() for a in doc.by_id("habit-order").find_all("a")] == ["Read", "Sleep", "Run"]
    assert positions(app, user["id"]) == [("Read", 0), ("Sleep", 1), ("Run", 2)]
    assert groups(parse(auth_client.get("/").data)) == [("Mind", ["Read"]), ("Health", ["Sleep", "Run"])]

    # The ends do not wrap around.
    auth_client.post(f"/habits/{ids['Read']}/move", data={"direction": "up"})
    auth_client.post(f"/habits/{ids['Run']}/move", data={"direction": "down"})
    assert positions(app, user["id"]) == [("Read", 0), ("Sleep", 1), ("Run", 2)]


def test_moving_past_an_archived_habit_visibly_moves(app, auth_client, user):
    ids = {name: make_habit(app, user["id"], name=name) for name in ("Run", "Old", "Read")}
    auth_client.post(f"/habits/{ids['Old']}/archive", data={"archived": "1"})
    assert manage_order(auth_client) == ["Run", "Read"]
    auth_client.post(f"/habits/{ids['Read']}/move", data={"direction": "up"})
    assert manage_order(auth_client) == ["Read", "Run"]
    assert row_ids(parse(auth_client.get("/").data)) == [str(ids["Read"]), str(ids["Run"])]


def test_a_move_needs_a_direction(app, auth_client, user):
    habit_id = make_habit(app, user["id"])
    before = snapshot(app)
    response = auth_client.post(f"/habits/{habit_id}/move", data={"direction": "sideways"})
    assert response.status_code == 400
    assert "Move a habit up or down." in response.get_data(as_text=True)
    assert snapshot(app) == before


# --- Today: the list and check-ins ----------------------------------------------------------

def test_today_lists_due_habits_grouped_with_named_controls(app, auth_client, user, today):
    make_habit(app, user["id"], name="Meditate", category="Mind")
    make_habit(app, user["id"], **numeric(category="Health"))
    make_habit(app, user["id"], name="Stretch")
    make_habit(app, user["id"], name="Journal", category="Mind")
    off_day = (today.weekday() + 1) % 7
    make_habit(app, user["id"], name="Not today", frequency="custom", weekdays=[off_day])
    paused = make_habit(app, user["id"], name="On holiday")
    with app.app_context():
        services.add_pause(db.session.get(Habit, paused), today - timedelta(days=1), today, today)

    doc = parse(auth_client.get("/").data)
    assert groups(doc) == [("Mind", ["Meditate", "Journal"]), ("Health", ["Water"]), ("Habits", ["Stretch"])]
    assert counter(doc) == "0 of 4 done"
    for name in ("Meditate", "Journal", "Stretch"):
        assert control_named(doc, f"{name} — done today").attrs["type"] == "checkbox"
        control_named(doc, f"Skip {name} today")
    control_named(doc, "Water — glasses today")
    assert "Not today" not in doc.text() and "On holiday" not in doc.text()


def test_an_htmx_check_in_answers_with_the_row_and_the_counter_only(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"], name="Meditate")
    other_id = make_habit(app, user["id"], name="Read")

    response = auth_client.post(checkin_url(habit_id, today), data=DONE, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(response.data) <= MAX_FRAGMENT, len(response.data)
    doc = parse(body)
    assert row_ids(doc) == [str(habit_id)]
    assert "<html" not in body and "habit-list" not in body
    assert doc.by_id("day-counter").attrs["hx-swap-oob"] == "true"
    assert counter(doc) == "1 of 2 done"
    assert "checked" in control_named(doc, "Meditate — done today").attrs
    assert "is-done" in row_of(doc, habit_id).classes()
    assert streak_shown(row_of(doc, habit_id)) == "1-day streak"

    assert entries(app, habit_id) == {today: (True, False, None, None)}
    assert entries(app, other_id) == {}
    assert cached(app, habit_id) == logic.Streaks(1, 1, 1)

    page = parse(auth_client.get("/").data)
    assert counter(page) == "1 of 2 done"
    assert "checked" in control_named(page, "Meditate — done today").attrs
    assert "checked" not in control_named(page, "Read — done today").attrs


def test_a_check_in_without_htmx_redirects_back_to_the_day(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    response = auth_client.post(checkin_url(habit_id, today), data=DONE)
    assert (response.status_code, response.headers["Location"]) == (303, f"/#habit-{habit_id}")
    assert "checked" in control_named(parse(auth_client.get("/").data), "Meditate — done today").attrs

    past = today - timedelta(days=3)
    response = auth_client.post(checkin_url(habit_id, past), data=DONE)
    assert (response.status_code, response.headers["Location"]) == (303, f"/?day={past.isoformat()}#habit-{habit_id}")
    doc = parse(auth_client.get(f"/?day={past.isoformat()}").data)
    assert "checked" in control_named(doc, f"Meditate — done on {long_date(past)}").attrs
    assert set(entries(app, habit_id)) == {today, past}


def test_states_are_explicit_and_repeats_change_nothing(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    url = checkin_url(habit_id, today)
    auth_client.post(url, data=DONE, headers=HX)
    with app.app_context():
        first_done_at = db.session.scalar(sa.select(HabitEntry.completed_at).where(HabitEntry.habit_id == habit_id))
    assert first_done_at is not None

    response = auth_client.post(url, data=DONE, headers=HX)
    assert "checked" in control_named(parse(response.data), "Meditate — done today").attrs
    assert entry_count(app, habit_id, today) == 1
    assert entries(app, habit_id) == {today: (True, False, None, None)}
    with app.app_context():
        assert db.session.scalar(sa.select(HabitEntry.completed_at).where(HabitEntry.habit_id == habit_id)) == first_done_at
    assert cached(app, habit_id) == logic.Streaks(1, 1, 1)

    for _ in range(2):
        response = auth_client.post(url, data=NOT_DONE, headers=HX)
        doc = parse(response.data)
        assert "checked" not in control_named(doc, "Meditate — done today").attrs
        assert counter(doc) == "0 of 1 done"
    assert entry_count(app, habit_id, today) == 1
    assert entries(app, habit_id) == {today: (False, False, None, None)}
    assert cached(app, habit_id) == logic.Streaks(0, 0, 0)


def test_a_check_in_without_a_state_is_refused(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    response = auth_client.post(checkin_url(habit_id, today), data={"state": "toggle"}, headers=HX)
    assert response.status_code == 422
    assert row_of(parse(response.data), habit_id).find("p", role="alert").text() == "Choose done or not done."
    assert entries(app, habit_id) == {}


def test_skipping_keeps_the_streak_and_leaves_the_counter(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"], name="Run")
    make_habit(app, user["id"], name="Read")
    for back in (3, 1):
        check(app, user["id"], habit_id, today - timedelta(days=back), today, state="done")
    yesterday_but_one = today - timedelta(days=2)
    assert cached(app, habit_id).current == 1

    response = auth_client.post(checkin_url(habit_id, yesterday_but_one), data={"skip": "1"}, headers=HX)
    doc = parse(response.data)
    row = row_of(doc, habit_id)
    assert "is-skipped" in row.classes()
    assert row.find("span", class_="badge").text() == "Skipped"
    when = f"on {long_date(yesterday_but_one)}"
    control_named(doc, f"Unskip Run {when}")
    assert "disabled" in control_named(doc, f"Run — done {when}").attrs
    assert counter(doc) == "0 of 1 done", "a skipped habit is not counted as due"
    assert entries(app, habit_id)[yesterday_but_one] == (False, True, None, None)
    assert cached(app, habit_id) == logic.Streaks(2, 2, 2)

    # Skipping today: out of the counter, the streak still shows.
    auth_client.post(checkin_url(habit_id, today), data={"skip": "1"})
    page = parse(auth_client.get("/").data)
    assert counter(page) == "0 of 1 done"
    assert streak_shown(row_of(page, habit_id)) == "2-day streak"

    response = auth_client.post(checkin_url(habit_id, yesterday_but_one), data={"skip": "0"}, headers=HX)
    doc = parse(response.data)
    control_named(doc, f"Skip Run {when}")
    assert "is-skipped" not in row_of(doc, habit_id).classes()
    assert counter(doc) == "0 of 2 done"
    assert entries(app, habit_id)[yesterday_but_one] == (False, False, None, None)
    assert cached(app, habit_id) == logic.Streaks(1, 1, 2)


def test_a_note_shows_in_the_row_and_on_the_habit_page(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    check(app, user["id"], habit_id, today, today, state="done")
    response = auth_client.post(f"{checkin_url(habit_id, today)}/note", data={"note": "  Felt <calm>  "}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and len(response.data) <= MAX_FRAGMENT
    assert "<calm>" not in body
    row = row_of(parse(body), habit_id)
    assert row.find("summary").text() == "Note: Felt <calm>"
    assert row.find("textarea").text() == "Felt <calm>"
    assert entries(app, habit_id) == {today: (True, False, None, "Felt <calm>")}

    # A later check-in keeps the note; a note without a check-in is allowed.
    auth_client.post(checkin_url(habit_id, today), data=NOT_DONE)
    yesterday = today - timedelta(days=1)
    response = auth_client.post(f"{checkin_url(habit_id, yesterday)}/note", data={"note": "Travel day"})
    assert (response.status_code, response.headers["Location"]) == (303, f"/?day={yesterday}#habit-{habit_id}")
    assert entries(app, habit_id) == {today: (False, False, None, "Felt <calm>"),
                                      yesterday: (False, False, None, "Travel day")}

    notes = [p.text() for p in parse(auth_client.get(f"/habits/{habit_id}").data).find_all("p", class_="note-entry")]
    assert notes == [f"{today:%a} {today.day} {today:%b} {today.year} Felt <calm>",
                     f"{yesterday:%a} {yesterday.day} {yesterday:%b} {yesterday.year} Travel day"]

    # An empty note removes it.
    auth_client.post(f"{checkin_url(habit_id, today)}/note", data={"note": "  "})
    assert entries(app, habit_id)[today][3] is None


@pytest.mark.parametrize(("note", "message"), [
    ("x" * 2001, "Keep the note under 2000 characters."),
    ("bad\x00byte", "The note contains a character that is not allowed."),
])
def test_a_bad_note_is_answered_in_the_row_and_changes_nothing(app, auth_client, user, today, note, message):
    habit_id = make_habit(app, user["id"])
    auth_client.post(f"{checkin_url(habit_id, today)}/note", data={"note": "kept"})
    before = snapshot(app)
    response = auth_client.post(f"{checkin_url(habit_id, today)}/note", data={"note": note}, headers=HX)
    assert response.status_code == 422
    assert row_of(parse(response.data), habit_id).find("p", role="alert").text() == message
    response = auth_client.post(f"{checkin_url(habit_id, today)}/note", data={"note": note})
    assert response.status_code == 303
    assert message in flashes(parse(auth_client.get("/").data))
    assert snapshot(app) == before


# --- days: the past, the future, malformed, the user's own date -----------------------------

def test_a_past_day_can_be_filled_in(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    past = today - timedelta(days=10)
    doc = parse(auth_client.get(f"/?day={past.isoformat()}").data)
    checkbox = control_named(doc, f"Meditate — done on {long_date(past)}")
    assert "disabled" not in checkbox.attrs
    form = row_of(doc, habit_id).find("form", class_="checkin")
    assert form.attrs["action"] == checkin_url(habit_id, past)

    response = auth_client.post(form.attrs["action"], data=DONE, headers=HX)
    assert counter(parse(response.data)) == "1 of 1 done"
    assert entries(app, habit_id) == {past: (True, False, None, None)}
    assert counter(parse(auth_client.get("/").data)) == "0 of 1 done"


def test_a_future_day_cannot_be_checked(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    tomorrow = today + timedelta(days=1)
    doc = parse(auth_client.get(f"/?day={tomorrow.isoformat()}").data)
    assert "disabled" in control_named(doc, f"Meditate — done on {long_date(tomorrow)}").attrs

    response = auth_client.post(checkin_url(habit_id, tomorrow), data=DONE, headers=HX)
    assert response.status_code == 422
    assert row_of(parse(response.data), habit_id).find("p", role="alert").text() == "Future days cannot be checked in yet."

    response = auth_client.post(checkin_url(habit_id, tomorrow), data=DONE)
    assert response.status_code == 303
    assert "Future days cannot be checked in yet." in flashes(parse(auth_client.get(response.headers["Location"]).data))

    response = auth_client.post(f"{checkin_url(habit_id, tomorrow)}/note", data={"note": "plan"})
    assert response.status_code == 303
    assert "Future days cannot be checked in yet." in flashes(parse(auth_client.get(response.headers["Location"]).data))
    response = auth_client.post(f"{checkin_url(habit_id, tomorrow)}/note", data={"note": "plan"}, headers=HX)
    assert response.status_code == 422
    assert row_of(parse(response.data), habit_id).find("p", role="alert").text() == "Future days cannot be checked in yet."
    response = auth_client.post(f"/habits/{habit_id}/heatmap", data={"cell": f"{tomorrow}:done"})
    assert response.status_code == 400
    assert entries(app, habit_id) == {}
    assert cached(app, habit_id) == logic.Streaks(0, 0, 0)


@pytest.mark.parametrize("day", ["2026-02-30", "yesterday", "2026-1-5", "20260105", "0000-01-01", "2026-01-05x"])
def test_a_malformed_day_is_a_400_with_a_message(app, auth_client, user, day):
    habit_id = make_habit(app, user["id"])
    for suffix, data in (("", DONE), ("/note", {"note": "x"})):
        response = auth_client.post(f"/habits/{habit_id}/days/{day}{suffix}", data=data)
        assert response.status_code == 400
        assert BAD_DAY in response.get_data(as_text=True)
        response = auth_client.post(f"/habits/{habit_id}/days/{day}{suffix}", data=data, headers=HX)
        assert (response.status_code, response.headers["HX-Retarget"]) == (400, "#flashes")
        assert BAD_DAY in response.get_data(as_text=True)
    response = auth_client.post(f"/habits/{habit_id}/heatmap", data={"cell": f"{day}:done"})
    assert response.status_code == 400 and BAD_DAY in response.get_data(as_text=True)
    assert entries(app, habit_id) == {}


def test_today_is_the_users_own_date(app, make_user):
    clients, ids, days = {}, {}, {}
    for zone in (EAST, WEST):
        name = zone.split("/")[1].lower()
        account = make_user(name, timezone=zone)
        clients[zone] = app.test_client()
        clients[zone].login(account["email"])
        ids[zone] = make_habit(app, account["id"], name="Meditate")

    for zone in (EAST, WEST):
        before = local_date(zone)
        doc = parse(clients[zone].get("/").data)
        after = local_date(zone)
        action = row_of(doc, ids[zone]).find("form", class_="checkin").attrs["action"]
        days[zone] = date.fromisoformat(action.rsplit("/", 1)[1])
        assert days[zone] in (before, after)

    # Kiritimati's date is always a day or two ahead of Pago Pago's.
    assert days[EAST] - days[WEST] in (timedelta(days=1), timedelta(days=2))
    for zone in (EAST, WEST):
        response = clients[zone].post(checkin_url(ids[zone], days[zone]), data=DONE, headers=HX)
        assert response.status_code == 200, zone
    response = clients[WEST].post(checkin_url(ids[WEST], days[EAST]), data=DONE, headers=HX)
    assert response.status_code == 422
    assert "Future days cannot be checked in yet." in response.get_data(as_text=True)
    assert set(entries(app, ids[WEST])) == {days[WEST]}
    assert set(entries(app, ids[EAST])) == {days[EAST]}


# --- streaks on Today -----------------------------------------------------------------------

def test_editing_a_past_day_recomputes_the_streaks(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    for back in range(4, -1, -1):
        auth_client.post(checkin_url(habit_id, today - timedelta(days=back)), data=DONE)
    assert cached(app, habit_id) == logic.Streaks(5, 5, 5)
    assert streak_shown(row_of(parse(auth_client.get("/").data), habit_id)) == "5-day streak"

    response = auth_client.post(checkin_url(habit_id, today - timedelta(days=2)), data=NOT_DONE, headers=HX)
    assert streak_shown(row_of(parse(response.data), habit_id)) == "2-day streak"
    assert cached(app, habit_id) == logic.Streaks(2, 2, 4)

    auth_client.post(checkin_url(habit_id, today - timedelta(days=2)), data={"skip": "1"})
    assert cached(app, habit_id) == logic.Streaks(4, 4, 4)
    auth_client.post(checkin_url(habit_id, today - timedelta(days=2)), data=DONE)
    assert cached(app, habit_id) == logic.Streaks(5, 5, 5)
    assert cached(app, habit_id) == expected_streaks(app, habit_id, today)


def test_a_weekly_habit_counts_weeks(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"], name="Run", frequency="weekly", times_per_week=2)
    monday = today - timedelta(days=today.weekday())
    for week in (1, 2):
        for day in (0, 3):
            check(app, user["id"], habit_id, monday - timedelta(weeks=week) + timedelta(days=day), today, state="done")
    assert cached(app, habit_id) == logic.Streaks(2, 2, 4)
    row = row_of(parse(auth_client.get("/").data), habit_id)
    assert row.find("span", class_="week-progress").text() == "0/2 this week"
    assert streak_shown(row) == "2-week streak"


def test_a_stale_cached_streak_shows_zero_once_a_day_was_missed(app, auth_client, user, today):
    broken = make_habit(app, user["id"], name="Broken")
    holding = make_habit(app, user["id"], name="Holding")
    # Cached three days ago: yesterday was due and never checked.
    for back in (5, 4, 3):
        check(app, user["id"], broken, today - timedelta(days=back), today - timedelta(days=3), state="done")
    # Cached yesterday: today is still open.
    for back in (3, 2, 1):
        check(app, user["id"], holding, today - timedelta(days=back), today - timedelta(days=1), state="done")
    before = snapshot(app)
    assert habit_columns(app, broken)["current_streak"] == 3

    doc = parse(auth_client.get("/").data)
    assert streak_shown(row_of(doc, broken)) == ""
    assert streak_shown(row_of(doc, holding)) == "3-day streak"
    assert snapshot(app) == before, "showing a page writes nothing"

    # The habit page computes from the entries, so it agrees.
    stats = parse(auth_client.get(f"/habits/{broken}").data).by_id("habit-stats")
    assert stats.find_all("span", class_="stat-value")[0].text() == "0"
    assert stats.find_all("span", class_="stat-value")[1].text() == "3"


# --- the habit page and its heatmap ---------------------------------------------------------

def stat(doc: Node, label_start: str) -> str:
    for element in doc.by_id("habit-stats").find_all("div", class_="stat"):
        if element.find("span", class_="stat-label").text().startswith(label_start):
            return element.find("span", class_="stat-value").text()
    raise AssertionError(label_start)


def test_the_habit_page_shows_streaks_rates_strength_and_heatmap(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    # 100 days ago a first week; the last fortnight: done but for one skipped and two missed days.
    done = [today - timedelta(days=n) for n in [*range(95, 101), *range(15)] if n not in (5, 6, 11)]
    skipped = today - timedelta(days=11)
    insert_entries(app, habit_id, done)
    insert_entries(app, habit_id, [skipped], completed=False, skipped=True)
    recompute(app, habit_id, today)

    doc = parse(auth_client.get(f"/habits/{habit_id}").data)
    assert stat(doc, "current streak") == "5"
    assert stat(doc, "longest streak") == "7"  # the skipped day neither counts nor breaks it
    assert stat(doc, "times done") == "18"
    # Due days: the window minus the skipped day; the first entry bounds the 365-day window.
    assert stat(doc, "last 30 days") == f"{round(12 / 29 * 100)}%"
    assert stat(doc, "last 90 days") == f"{round(12 / 89 * 100)}%"
    assert stat(doc, "last 365 days") == f"{round(18 / 100 * 100)}%"
    marks = {d: logic.Mark.DONE for d in done} | {skipped: logic.Mark.SKIPPED}
    scores = logic.strength_scores(marks, frequency=(1, 1), numeric=False, target=None, direction="at_least",
                                   start=min(marks), end=today)
    assert stat(doc, "strength") == f"{round(scores[-1][1] * 100)}%"
    assert stat(doc, "strength").endswith("%") and stat(doc, "strength") != "0%"
    trend = doc.by_id("habit-stats").find_all("span", class_="stat-label")[2].text()
    assert trend == f"strength · {logic.trend(scores)}" == "strength · improving"
    assert cached(app, habit_id) == logic.Streaks(5, 7, 18)

    cells = {b.attrs["id"]: b for b in doc.find_all("button") if "cell" in b.classes()}
    assert len(cells) == 52 * 7 + today.weekday() + 1  # every day up to today can be clicked
    assert not any("disabled" in b.attrs for b in cells.values())
    assert cells[f"c{today}"].classes() == {"cell", "done"}
    assert cells[f"c{today}"].attrs["value"] == f"{today}:not_done"
    assert cells[f"c{skipped}"].classes() == {"cell", "skipped"}
    assert cells[f"c{today - timedelta(days=5)}"].classes() == {"cell", "none"}
    assert cells[f"c{today - timedelta(days=5)}"].attrs["value"] == f"{today - timedelta(days=5)}:done"


def test_a_heatmap_click_toggles_the_day_and_updates_the_stats(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    day = today - timedelta(days=40)
    response = auth_client.post(f"/habits/{habit_id}/heatmap", data={"cell": f"{day}:done"}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and len(response.data) <= MAX_FRAGMENT
    doc = parse(body)
    cell = doc.by_id(f"c{day}")
    assert cell.classes() == {"cell", "done"} and cell.attrs["hx-swap-oob"] == "true"
    assert cell.attrs["value"] == f"{day}:not_done"
    assert doc.by_id("habit-stats").attrs["hx-swap-oob"] == "true"
    assert stat(doc, "times done") == "1" and stat(doc, "longest streak") == "1"
    assert entries(app, habit_id) == {day: (True, False, None, None)}
    assert cached(app, habit_id) == logic.Streaks(0, 1, 1)

    response = auth_client.post(f"/habits/{habit_id}/heatmap", data={"cell": cell.attrs["value"]}, headers=HX)
    doc = parse(response.data)
    assert doc.by_id(f"c{day}").classes() == {"cell", "none"}
    assert stat(doc, "times done") == "0"
    assert entries(app, habit_id) == {day: (False, False, None, None)}
    assert cached(app, habit_id) == logic.Streaks(0, 0, 0)

    response = auth_client.post(f"/habits/{habit_id}/heatmap", data={"cell": f"{day}:done"})
    assert (response.status_code, response.headers["Location"]) == (303, f"/habits/{habit_id}")
    assert entries(app, habit_id)[day][0] is True


def test_a_heatmap_click_outside_the_year_is_answered(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    day = today - timedelta(days=800)
    response = auth_client.post(f"/habits/{habit_id}/heatmap", data={"cell": f"{day}:done"}, headers=HX)
    assert response.status_code == 200
    assert stat(parse(response.data), "times done") == "1"
    assert entries(app, habit_id) == {day: (True, False, None, None)}


def test_a_bad_heatmap_state_is_refused(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    for cell in (f"{today}:maybe", f"{today}", ""):
        response = auth_client.post(f"/habits/{habit_id}/heatmap", data={"cell": cell})
        assert response.status_code == 400, cell
    assert entries(app, habit_id) == {}


def test_a_numeric_heatmap_cell_sets_the_target_or_clears(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"], **numeric())
    day = today - timedelta(days=2)
    check(app, user["id"], habit_id, day, today, value="3")
    doc = parse(auth_client.get(f"/habits/{habit_id}").data)
    cell = doc.by_id(f"c{day}")
    assert cell.classes() == {"cell", "partial"} and cell.attrs["value"] == f"{day}:8"
    assert cell.attrs["title"].endswith(": partly done (3)")

    doc = parse(auth_client.post(f"/habits/{habit_id}/heatmap", data={"cell": cell.attrs["value"]}, headers=HX).data)
    assert doc.by_id(f"c{day}").classes() == {"cell", "done"}
    assert entries(app, habit_id) == {day: (True, False, Decimal("8.00"), None)}

    doc = parse(auth_client.post(f"/habits/{habit_id}/heatmap", data={"cell": f"{day}:"}, headers=HX).data)
    assert doc.by_id(f"c{day}").classes() == {"cell", "none"}
    assert entries(app, habit_id) == {day: (False, False, None, None)}


# --- numeric habits -------------------------------------------------------------------------

def test_numeric_steps_and_direct_entry(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"], **numeric())
    url = checkin_url(habit_id, today)

    response = auth_client.post(url, data={"value": "", "set_value": "1"}, headers=HX)
    doc = parse(response.data)
    assert response.status_code == 200 and len(response.data) <= MAX_FRAGMENT
    assert control_named(doc, "Water — glasses today").attrs["value"] == "1"
    assert control_named(doc, "Water: one more").attrs["value"] == "2"
    assert control_named(doc, "Water: one less").attrs["value"] == "0"
    assert counter(doc) == "0 of 1 done"
    assert entries(app, habit_id) == {today: (False, False, Decimal("1.00"), None)}

    # The typed value, unless a +/− button was pressed.
    doc = parse(auth_client.post(url, data={"value": "7.5"}, headers=HX).data)
    assert control_named(doc, "Water — glasses today").attrs["value"] == "7.5"
    assert control_named(doc, "Water: one more").attrs["value"] == "8.5"
    doc = parse(auth_client.post(url, data={"value": "7.5", "set_value": "8.5"}, headers=HX).data)
    assert "is-done" in row_of(doc, habit_id).classes()
    assert counter(doc) == "1 of 1 done"
    assert entries(app, habit_id) == {today: (True, False, Decimal("8.50"), None)}
    assert cached(app, habit_id) == logic.Streaks(1, 1, 1)

    doc = parse(auth_client.post(url, data={"value": "8", "set_value": "7.5"}, headers=HX).data)
    assert counter(doc) == "0 of 1 done"
    assert entries(app, habit_id) == {today: (False, False, Decimal("7.50"), None)}
    assert cached(app, habit_id) == logic.Streaks(0, 0, 0)

    response = auth_client.post(url, data={"value": "12,25"})
    assert response.status_code == 303
    assert entries(app, habit_id) == {today: (True, False, Decimal("12.25"), None)}
    auth_client.post(url, data={"value": ""})
    assert entries(app, habit_id) == {today: (False, False, None, None)}


def test_an_at_most_habit_is_met_at_or_below_the_target(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"], **numeric("Coffee", "2", "at_most", "cups"))
    url = checkin_url(habit_id, today)
    for value, met in (("3", False), ("2", True), ("0", True), ("2.01", False)):
        doc = parse(auth_client.post(url, data={"value": value}, headers=HX).data)
        assert counter(doc) == ("1 of 1 done" if met else "0 of 1 done"), value
        assert entries(app, habit_id)[today][0] is met, value


@pytest.mark.parametrize(("raw", "message"), [
    ("-1", "Enter zero or more."),
    ("1000000000", "That number is too large."),
    ("1000000", "That number is too large."),
    ("1e999", "That number is too large."),
    ("lots", "Enter a number."),
    ("NaN", "Enter a number."),
    ("sNaN", "Enter a number."),
    ("Infinity", "Enter a number."),
    ("-Infinity", "Enter a number."),
    ("4\x00", "Enter a number."),
    ("0x10", "Enter a number."),
])
def test_bad_numbers_are_answered_in_the_row_and_change_nothing(app, auth_client, user, today, raw, message):
    habit_id = make_habit(app, user["id"], **numeric())
    check(app, user["id"], habit_id, today, today, value="3")
    before = snapshot(app)

    for field in ("value", "set_value"):
        response = auth_client.post(checkin_url(habit_id, today), data={field: raw}, headers=HX)
        assert response.status_code == 422, field
        doc = parse(response.data)
        assert row_of(doc, habit_id).find("p", role="alert").text() == message
        assert control_named(doc, "Water — glasses today").attrs["value"] == "3"
    response = auth_client.post(checkin_url(habit_id, today), data={"value": raw})
    assert response.status_code == 303
    assert message in flashes(parse(auth_client.get("/").data))
    assert snapshot(app) == before


def test_a_numeric_check_in_needs_a_value(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"], **numeric())
    response = auth_client.post(checkin_url(habit_id, today), data=DONE, headers=HX)
    assert response.status_code == 422
    assert row_of(parse(response.data), habit_id).find("p", role="alert").text() == "Enter a value."
    assert entries(app, habit_id) == {}


def test_a_new_target_recomputes_past_days_and_streaks(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"], **numeric())
    values = {3: "10", 2: "8", 1: "5", 0: "9"}
    for back, value in values.items():
        check(app, user["id"], habit_id, today - timedelta(days=back), today, value=value)
    check(app, user["id"], habit_id, today - timedelta(days=4), today, skip=True)
    assert cached(app, habit_id) == logic.Streaks(1, 2, 3)

    def edit(target, direction):
        response = auth_client.post(f"/habits/{habit_id}/edit", data=habit_form(
            name="Water", habit_type="numeric", target_value=target, target_direction=direction, unit="glasses"))
        assert response.status_code == 303
        return {(today - d).days: e[0] for d, e in entries(app, habit_id).items()}

    assert edit("5", "at_least") == {4: False, 3: True, 2: True, 1: True, 0: True}
    assert cached(app, habit_id) == logic.Streaks(4, 4, 4)
    assert edit("9.5", "at_least") == {4: False, 3: True, 2: False, 1: False, 0: False}
    assert cached(app, habit_id) == logic.Streaks(0, 1, 1)
    assert edit("8", "at_most") == {4: False, 3: False, 2: True, 1: True, 0: False}
    assert cached(app, habit_id) == logic.Streaks(2, 2, 2)
    assert entries(app, habit_id)[today - timedelta(days=4)] == (False, True, None, None)
    assert cached(app, habit_id) == expected_streaks(app, habit_id, today)
    doc = parse(auth_client.get(f"/habits/{habit_id}").data)
    assert doc.find("p", class_="lede").text() == "Every day · at most 8 glasses"
    assert stat(doc, "current streak") == "2"


# --- pauses ---------------------------------------------------------------------------------

def test_a_pause_is_neutral_and_can_be_removed(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    for back in (5, 4, 1, 0):
        check(app, user["id"], habit_id, today - timedelta(days=back), today, state="done")
    assert cached(app, habit_id) == logic.Streaks(2, 2, 4)
    start, end = today - timedelta(days=3), today - timedelta(days=2)

    response = auth_client.post(f"/habits/{habit_id}/pauses", data={"start_date": start, "end_date": end})
    assert (response.status_code, response.headers["Location"]) == (303, f"/habits/{habit_id}")
    with app.app_context():
        pauses = db.session.execute(sa.select(HabitPause.id, HabitPause.start_date, HabitPause.end_date)).all()
    assert [(p.start_date, p.end_date) for p in pauses] == [(start, end)]
    assert cached(app, habit_id) == logic.Streaks(4, 4, 4)

    doc = parse(auth_client.get(f"/habits/{habit_id}").data)
    assert "Pause added: those days neither count nor break the streak." in flashes(doc)
    assert doc.find("ul", class_="pause-list").find("li").text().startswith(
        f"{start:%a} {start.day} {start:%b} {start.year} – {end:%a} {end.day} {end:%b} {end.year}")
    assert doc.by_id(f"c{start}").classes() == {"cell", "paused"}
    assert row_ids(parse(auth_client.get(f"/?day={start}").data)) == []
    assert streak_shown(row_of(parse(auth_client.get("/").data), habit_id)) == "4-day streak"

    response = auth_client.post(f"/habits/{habit_id}/pauses/{pauses[0].id}/delete")
    assert response.status_code == 303
    assert "Pause removed." in flashes(parse(auth_client.get(f"/habits/{habit_id}").data))
    assert snapshot(app)["habit_pauses"] == []
    assert cached(app, habit_id) == logic.Streaks(2, 2, 4)


@pytest.mark.parametrize(("start", "end", "message"), [
    (0, -1, "The pause must end on or after its first day."),
    (0, 400, "A pause can last a year at most; archive the habit instead."),
    (None, 0, "Enter the first paused day."),
    ("soon", 0, "Enter the first paused day."),
    (0, "", "Enter the last paused day."),
])
def test_an_invalid_pause_is_refused(app, auth_client, user, today, start, end, message):
    habit_id = make_habit(app, user["id"])
    before = snapshot(app)
    def field(offset):
        return today + timedelta(days=offset) if isinstance(offset, int) else offset

    data = {"start_date": field(start), "end_date": field(end)}
    response = auth_client.post(f"/habits/{habit_id}/pauses", data={k: v for k, v in data.items() if v is not None})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert snapshot(app) == before


# --- another user's habits ------------------------------------------------------------------

def _isolation_requests(theirs, their_pause, mine, today):
    day = today.isoformat()
    return [
        ("GET", f"/habits/{theirs}", None),
        ("GET", f"/habits/{theirs}/edit", None),
        ("POST", f"/habits/{theirs}/edit", habit_form(name="Mine now")),
        ("POST", f"/habits/{theirs}/edit", habit_form(name="")),
        ("POST", f"/habits/{theirs}/archive", {"archived": "1"}),
        ("GET", f"/habits/{theirs}/delete", None),
        ("POST", f"/habits/{theirs}/delete", {}),
        ("POST", f"/habits/{theirs}/move", {"direction": "up"}),
        ("POST", f"/habits/{theirs}/days/{day}", DONE),
        ("POST", f"/habits/{theirs}/days/{day}", {"skip": "1"}),
        ("POST", f"/habits/{theirs}/days/{day}", {"value": "lots"}),
        ("GET", f"/habits/{theirs}/days/{day}/note", None),
        ("POST", f"/habits/{theirs}/days/{day}/note", {"note": "mine"}),
        ("POST", f"/habits/{theirs}/days/{day}/note", {"note": "bad\x00"}),
        ("POST", f"/habits/{theirs}/days/{day}/note", {"note": "x" * 2001}),
        ("POST", f"/habits/{theirs}/heatmap", {"cell": f"{day}:done"}),
        ("POST", f"/habits/{theirs}/marks/{day}", DONE),
        ("POST", f"/habits/{theirs}/marks/{day}", {"value": "3"}),
        ("POST", f"/habits/{theirs}/pauses", {"start_date": day, "end_date": day}),
        ("POST", f"/habits/{theirs}/pauses", {"start_date": day}),
        ("POST", f"/habits/{theirs}/pauses/{their_pause}/delete", {}),
        ("POST", f"/habits/{mine}/pauses/{their_pause}/delete", {}),
        ("POST", f"/habits/{uuid.uuid4()}/days/{day}", DONE),
    ]


ISOLATION_ENDPOINTS = {
    "habits.show", "habits.edit", "habits.archive", "habits.delete", "habits.move", "habits.check_in",
    "habits.save_note", "habits.note_form", "habits.heatmap_toggle", "habits.add_pause", "habits.delete_pause",
    "habits.mark",
}


def test_the_isolation_walk_covers_every_habit_route(app):
    # The API's habit routes are walked by tests/security/test_api_walk.py.
    with_ids = {r.endpoint for r in app.url_map.iter_rules()
                if "habit_id" in r.arguments and not r.rule.startswith("/api/")}
    assert with_ids == ISOLATION_ENDPOINTS


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_another_users_habit_answers_404_and_nothing_changes(app, auth_client, user, other_user, today, htmx):
    theirs = make_habit(app, other_user["id"], name="Theirs")
    mine = make_habit(app, user["id"], name="Mine")
    their_numeric = make_habit(app, other_user["id"], **numeric())
    yesterday = today - timedelta(days=1)
    check(app, other_user["id"], theirs, yesterday, yesterday, state="done")
    with app.app_context():
        their_pause = services.add_pause(db.session.get(Habit, theirs), today, today, today).pauses[0].id
    before = snapshot(app)

    requests = _isolation_requests(theirs, their_pause, mine, today)
    requests.append(("POST", f"/habits/{their_numeric}/days/{today}", {"value": "-1"}))
    for method, url, data in requests:
        response = auth_client.open(url, method=method, data=data, headers=HX if htmx else None)
        assert response.status_code == 404, (method, url, data, response.status_code)
        assert "Theirs" not in response.get_data(as_text=True)
        assert snapshot(app) == before, (method, url, data)

    assert manage_order(auth_client) == ["Mine"]
    assert row_ids(parse(auth_client.get("/").data)) == [str(mine)]


def test_days_more_than_ten_years_back_are_refused(app, auth_client, user, today):
    habit_id = make_habit(app, user["id"])
    too_old = today - timedelta(days=366 * services.EDITABLE_YEARS + 1)
    response = auth_client.post(checkin_url(habit_id, too_old), data=DONE, headers=HX)
    assert response.status_code == 422
    assert "years back cannot be changed" in response.get_data(as_text=True)
    assert entries(app, habit_id) == {}

    nine_years = today - timedelta(days=365 * 9)
    assert auth_client.post(checkin_url(habit_id, nine_years), data=DONE).status_code == 303
    assert list(entries(app, habit_id)) == [nine_years]


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_today_refuses_days_outside_the_calendar_it_can_show(auth_client, day):
    response = auth_client.get(f"/?day={day}")
    assert response.status_code == 400
    assert BAD_DAY in response.get_data(as_text=True)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_refused_check_in_of_a_habit_not_due_that_day_answers_with_the_message(app, auth_client, user, today, htmx):
    tomorrow = today + timedelta(days=1)
    other_days = [d for d in range(7) if d != tomorrow.weekday()]
    habit_id = make_habit(app, user["id"], frequency="custom", weekdays=other_days)
    response = auth_client.post(checkin_url(habit_id, tomorrow), data=DONE, headers=HX if htmx else None)
    back = f"/?day={tomorrow.isoformat()}#habit-{habit_id}"
    if htmx:
        assert response.status_code == 200 and response.headers["HX-Redirect"] == back
    else:
        assert response.status_code == 303 and response.headers["Location"] == back
    assert "Future days cannot be checked in yet." in auth_client.get(back).get_data(as_text=True)
    assert entries(app, habit_id) == {}
