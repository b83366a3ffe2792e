"""Daily reviews: one per day, saved field by field like the page's autosave."""

import sqlalchemy as sa
from marshmallow import fields

from manifest.api import core
from manifest.api.schemas import PageArgs, form_schema, model_schema, page_schema
from manifest.extensions import db
from manifest.models import DailyReview
from manifest.reviews import services
from manifest.reviews.forms import FIELD_NAMES, RATING_NAMES, TEXT_NAMES, ReviewForm
from manifest.timeutil import require_iso_day

blp = core.api_blueprint("reviews", "Daily reviews: ratings, body numbers and reflections, one per day.")


def _number(name: str) -> fields.Field:
    if name == "sleep_hours":
        return fields.Decimal(allow_none=True, allow_nan=False, metadata={"description": "Hours, e.g. 7.5."})
    if name in TEXT_NAMES:
        return fields.String(allow_none=True, metadata={"maxLength": 10_000})
    extra = {"minimum": 1, "maximum": 10} if name in RATING_NAMES else {}
    return fields.Integer(allow_none=True, strict=True, metadata=extra)


ReviewIn = form_schema(ReviewForm, "ReviewIn", optional=True, overrides={name: _number(name) for name in FIELD_NAMES})
ReviewOut = model_schema(DailyReview, "DailyReview")
ReviewPage = page_schema(ReviewOut, "DailyReviewPage")


@blp.get("")
@blp.arguments(PageArgs, location="query")
@blp.response(200, ReviewPage)
def list_reviews(args):
    """Newest day first."""
    statement = sa.select(DailyReview).where(DailyReview.user_id == core.user().id)
    return core.page(statement, [DailyReview.review_date, DailyReview.id], args, "api_reviews.list_reviews")


@blp.get("/<day>")
@blp.response(200, ReviewOut)
def get_review(day):
    review = db.session.scalar(sa.select(DailyReview).where(
        DailyReview.user_id == core.user().id, DailyReview.review_date == require_iso_day(day)))
    if review is None:
        core.refuse(404, "No review for that day yet.")
    return review


@blp.patch("/<day>")
@blp.arguments(ReviewIn)
@blp.response(200, ReviewOut)
def save_review(data, day):
    """Save the fields sent and leave the others alone (null clears one). The day's review is made
    on its first save, so PATCH is also how a review is created."""
    day, today = require_iso_day(day), core.today()
    names = [name for name in FIELD_NAMES if name in data]
    if not names:
        core.invalid({"_form": ["Send at least one review field."]})
    form = core.bind(ReviewForm, data)
    values = form.command(names)
    if values is None:
        core.invalid(core.form_errors(form))
    return core.run(lambda: services.save_fields(core.user(), day, today, values))
