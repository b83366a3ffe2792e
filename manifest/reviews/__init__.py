from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

from manifest.reviews import routes  # noqa: F401
