from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from manifest.notifications import routes  # noqa: F401  (registers the views)
