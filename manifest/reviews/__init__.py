from flask import Blueprint, url_for

from manifest.areas import Area, register_area
from manifest.filters import long_date
from manifest.models import DailyReview

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

register_area(Area(
    key="daily_review", label="Daily reviews", model=DailyReview,
    title=lambda review: f"Review of {long_date(review.review_date)}",
    url=lambda review: url_for("reviews.show", day=review.review_date.isoformat()),
    sort_column=DailyReview.review_date,
    # In the order of the search index (migration 0007), so PostgreSQL can use it.
    search_columns=(
        DailyReview.accomplishments, DailyReview.challenges, DailyReview.lessons_learned,
        DailyReview.gratitude, DailyReview.tomorrow_intentions, DailyReview.highlights,
    ),
    attachments=True,
    summary=lambda review: review.highlights or review.accomplishments or "",
))

from manifest.reviews import goal_sources, routes  # noqa: F401
