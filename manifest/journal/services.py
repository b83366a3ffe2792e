"""Journal queries and rules. The first argument is the user whose entries are read or changed;
public lookups take the author's username and only ever find published, public entries."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from werkzeug.exceptions import NotFound

from manifest import queries
from manifest.extensions import db
from manifest.forms import FieldError
from manifest.journal import logic
from manifest.journal.logic import EntryChange
from manifest.journal.pages import EntryList, Filters, Memory, PublicPage
from manifest.models import BlogEntry, BlogEntryView, DailyReview, User
from manifest.timeutil import local_date, zone

PER_PAGE = 20
# The moment an entry belongs to: when it was published, or written if never published.
ENTRY_MOMENT = sa.func.coalesce(BlogEntry.published_at, BlogEntry.created_at)
SLUG_ATTEMPTS = 5


def utc_now() -> datetime:
    return datetime.now(UTC)


def local_day(user: User, moment: datetime | None) -> date | None:
    return None if moment is None else local_date(user, moment)


def entry_day(user: User, entry: BlogEntry) -> date:
    return local_day(user, entry.published_at or entry.created_at)


def _utc_midnight(user: User, day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone(user.timezone)).astimezone(UTC)


# --- reading -------------------------------------------------------------------------------------

def _filtered(user: User, filters: Filters):
    conditions = [BlogEntry.user_id == user.id]
    if filters.status:
        conditions.append(BlogEntry.status == filters.status)
    if filters.featured:
        conditions.append(BlogEntry.is_featured.is_(True))
    if filters.year:
        if filters.month:
            first = date(filters.year, filters.month, 1)
            after = date(filters.year + filters.month // 12, filters.month % 12 + 1, 1)
        else:
            first, after = date(filters.year, 1, 1), date(filters.year + 1, 1, 1)
        conditions += [ENTRY_MOMENT >= _utc_midnight(user, first), ENTRY_MOMENT < _utc_midnight(user, after)]
    return conditions


def list_entries(user: User, filters: Filters) -> EntryList:
    """One page of the user's entries, newest first, in three queries whatever the history."""
    by_year = db.session.execute(
        sa.select(sa.func.extract("year", ENTRY_MOMENT).label("year"), sa.func.count())
        .where(BlogEntry.user_id == user.id).group_by("year")
    ).all()
    years = sorted({int(row[0]) for row in by_year if row[0] is not None}, reverse=True)
    total = sum(row[1] for row in by_year)
    conditions = _filtered(user, filters)
    matching = db.session.scalar(sa.select(sa.func.count()).select_from(BlogEntry).where(*conditions)) or 0
    pages = max(1, math.ceil(matching / PER_PAGE))
    page = min(filters.page, pages)
    entries = list(db.session.scalars(
        sa.select(BlogEntry).options(defer(BlogEntry.content)).where(*conditions)
        .order_by(ENTRY_MOMENT.desc(), BlogEntry.id).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ))
    return EntryList(filters, entries, matching, total, years, page, pages)


# --- writing -------------------------------------------------------------------------------------

def _taken_slugs(user: User, base: str, exclude: uuid.UUID | None = None) -> set[str]:
    query = sa.select(BlogEntry.slug).where(
        BlogEntry.user_id == user.id, sa.or_(BlogEntry.slug == base, BlogEntry.slug.like(f"{base}-%"))
    )
    if exclude is not None:
        query = query.where(BlogEntry.id != exclude)
    return set(db.session.scalars(query))


def slug_taken(user: User, slug: str, exclude: uuid.UUID | None = None) -> bool:
    query = sa.select(BlogEntry.id).where(BlogEntry.user_id == user.id, BlogEntry.slug == slug)
    if exclude is not None:
        query = query.where(BlogEntry.id != exclude)
    return db.session.scalar(query.limit(1)) is not None


def _apply(entry: BlogEntry, change: EntryChange) -> None:
    entry.title = change.title.strip()
    entry.content = change.content or ""
    entry.excerpt = (change.excerpt or "").strip() or logic.make_excerpt(entry.content) or None
    status = change.status or "draft"
    if status == "published" and entry.published_at is None:
        entry.published_at = utc_now()
    entry.status = status
    entry.is_public = bool(change.is_public)
    entry.is_featured = bool(change.is_featured)


def _save_with_slug(user: User, prepare, wanted: str) -> BlogEntry:
    """Commit the entry ``prepare()`` returns under ``wanted`` (a typed slug) or a free slug made
    from its title.

    Two saves at once can pick the same free slug; the unique constraint refuses the second, which
    then prepares the entry again and takes the next free one.
    """
    for _ in range(SLUG_ATTEMPTS):
        entry = prepare()
        if wanted:
            if slug_taken(user, wanted, exclude=entry.id):
                db.session.rollback()
                raise FieldError("You already have an entry at this address; choose another.", "slug")
            entry.slug = wanted
        else:
            base = logic.slugify(entry.title)
            entry.slug = logic.unique_slug(base, _taken_slugs(user, base, exclude=entry.id))
        db.session.add(entry)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            if wanted:
                raise FieldError("You already have an entry at this address; choose another.", "slug") from None
            continue
        return entry
    raise FieldError("Could not find a free address for this entry; type one in.", "slug")


def create_entry(user: User, change: EntryChange) -> BlogEntry:
    def prepare() -> BlogEntry:
        entry = BlogEntry(id=new_id, user_id=user.id)
        _apply(entry, change)
        return entry

    new_id = uuid.uuid4()
    return _save_with_slug(user, prepare, (change.slug or "").strip())


def update_entry(user: User, entry: BlogEntry, change: EntryChange) -> BlogEntry:
    """Rewrite one of the user's entries (loaded through the owned lookup)."""
    def prepare() -> BlogEntry:
        _apply(entry, change)
        return entry

    return _save_with_slug(user, prepare, (change.slug or "").strip())


def delete_entry(user: User, entry: BlogEntry) -> None:
    db.session.delete(entry)
    db.session.commit()


def form_excerpt(entry: BlogEntry) -> str:
    """The excerpt to show in the edit form: empty when it is the generated one, so it follows the text."""
    if not entry.excerpt or entry.excerpt == logic.make_excerpt(entry.content):
        return ""
    return entry.excerpt


# --- from a daily review -------------------------------------------------------------------------

def has_review(user: User, day: date) -> bool:
    return db.session.scalar(
        sa.select(DailyReview.id).where(DailyReview.user_id == user.id, DailyReview.review_date == day).limit(1)
    ) is not None


def entry_from_review(user: User, day: date) -> BlogEntry:
    """A draft entry telling that day's review; 404 when there is no review that day."""
    review = db.session.scalar(
        sa.select(DailyReview).where(DailyReview.user_id == user.id, DailyReview.review_date == day)
    )
    if review is None:
        raise NotFound(description=f"There is no review for {logic.review_title(day)}.")
    title, content = logic.review_title(day), logic.review_markdown(review)
    # A second click (or a double click) opens the draft already made, while it is untouched.
    untouched = db.session.scalar(
        sa.select(BlogEntry).where(BlogEntry.user_id == user.id, BlogEntry.status == "draft",
                                   BlogEntry.title == title, BlogEntry.content == content).limit(1)
    )
    return untouched or create_entry(user, EntryChange(title=title, content=content))


# --- on this day -----------------------------------------------------------------------------------

def _near_pairs(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (month, day) pairs plus their neighbours: the database's date of a moment may be a day
    off the user's own, so candidates are fetched around the day and filtered on the local date."""
    near = set()
    for month, day in pairs:
        middle = date(2000, month, day)  # a leap year, so 29 February exists
        near.update(((middle + timedelta(days=d)).month, (middle + timedelta(days=d)).day) for d in (-1, 0, 1))
    return sorted(near)


def _month_day(column):
    """month * 100 + day of a date or moment, to match (month, day) pairs with one IN."""
    return sa.func.extract("month", column) * 100 + sa.func.extract("day", column)


# Today asks on every request: both statements are built once; the user, the year's start and the
# wanted (month, day) pairs are parameters.
_MEMORY_ENTRIES = (
    sa.select(BlogEntry).options(defer(BlogEntry.content))
    .where(BlogEntry.user_id == sa.bindparam("user_id", type_=sa.Uuid),
           ENTRY_MOMENT < sa.bindparam("before", type_=sa.DateTime(timezone=True)),
           _month_day(ENTRY_MOMENT).in_(sa.bindparam("pairs", expanding=True)))
    .order_by(ENTRY_MOMENT.desc()).limit(sa.bindparam("entries_limit"))
)
_MEMORY_REVIEWS = (
    sa.select(DailyReview.review_date, DailyReview.highlights, DailyReview.accomplishments, DailyReview.gratitude)
    .where(DailyReview.user_id == sa.bindparam("user_id", type_=sa.Uuid),
           DailyReview.review_date < sa.bindparam("year_start", type_=sa.Date),
           _month_day(DailyReview.review_date).in_(sa.bindparam("pairs", expanding=True)))
    .order_by(DailyReview.review_date.desc()).limit(sa.bindparam("reviews_limit"))
)


def on_this_day(user: User, day: date, limit: int = 10) -> list[Memory]:
    """Entries and daily reviews from this month and day in past years, newest first (two queries)."""
    wanted = logic.month_days(day)
    year_start = date(day.year, 1, 1)
    candidates = db.session.scalars(_MEMORY_ENTRIES, {
        "user_id": user.id, "before": _utc_midnight(user, year_start), "entries_limit": limit * 3,
        "pairs": [m * 100 + d for m, d in _near_pairs(wanted)],
    })
    memories = []
    for entry in candidates:
        when = entry_day(user, entry)
        if (when.month, when.day) in wanted and when.year < day.year:
            memories.append(Memory("entry", when, day.year - when.year, entry.title, entry.excerpt or "", entry=entry))
    reviews = db.session.execute(_MEMORY_REVIEWS, {
        "user_id": user.id, "year_start": year_start, "reviews_limit": limit,
        "pairs": [m * 100 + d for m, d in wanted],
    })
    for review in reviews:
        memories.append(Memory("review", review.review_date, day.year - review.review_date.year,
                               f"Daily review, {logic.review_title(review.review_date)}",
                               logic.make_excerpt(review.highlights or review.accomplishments or review.gratitude),
                               review=review))
    memories.sort(key=lambda m: (m.day, m.kind == "entry"), reverse=True)
    return memories[:limit]


# --- public pages ----------------------------------------------------------------------------------

PUBLIC = (BlogEntry.status == "published", BlogEntry.is_public.is_(True))


def shares_anything(user: User) -> bool:
    """Whether the user has a public page: at least one published, public entry."""
    return bool(db.session.scalar(sa.select(sa.exists().where(BlogEntry.user_id == user.id, *PUBLIC))))


def public_page(username: str, page: int = 1) -> PublicPage:
    """An author's shared entries, or 404. An account that shares nothing has no public page and
    answers exactly as an unknown name (one query either way), so the address cannot be used to
    find out which accounts exist; nor does a page past the last."""
    author = db.session.scalar(
        sa.select(User).where(
            User.username == username.strip().lower(), User.is_active.is_(True),
            sa.exists().where(BlogEntry.user_id == User.id, *PUBLIC),
        )
    )
    if author is None:
        raise NotFound()
    rows = list(db.session.scalars(
        sa.select(BlogEntry).options(defer(BlogEntry.content)).where(BlogEntry.user_id == author.id, *PUBLIC)
        .order_by(BlogEntry.published_at.desc(), BlogEntry.id).limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)
    ))
    if not rows:
        raise NotFound()
    return PublicPage(author, rows[:PER_PAGE], page, len(rows) > PER_PAGE)


def public_entry(username: str, slug: str) -> tuple[User, BlogEntry]:
    """A published, public entry of an active user, in one query; anything else is 404."""
    row = db.session.execute(
        sa.select(User, BlogEntry).join(BlogEntry, BlogEntry.user_id == User.id)
        .where(User.username == username.strip().lower(), User.is_active.is_(True), BlogEntry.slug == slug, *PUBLIC)
    ).first()
    if row is None:
        raise NotFound()
    return row[0], row[1]


def record_view(entry: BlogEntry, visitor_key: str, day: date) -> bool:
    """Count a visitor's view once a day: the insert is refused by the unique key when already counted,
    and only an inserted row moves the counter, in one atomic UPDATE."""
    result = db.session.execute(
        queries.insert(BlogEntryView.__table__)
        .values(id=uuid.uuid4(), blog_entry_id=entry.id, visitor_key=visitor_key, viewed_on=day)
        .on_conflict_do_nothing(index_elements=["blog_entry_id", "visitor_key", "viewed_on"])
    )
    counted = result.rowcount == 1
    if counted:
        db.session.execute(
            sa.update(BlogEntry).where(BlogEntry.id == entry.id)
            # A view is not an edit: keep the entry's updated time.
            .values(view_count=BlogEntry.view_count + 1, updated_at=BlogEntry.updated_at)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return counted
