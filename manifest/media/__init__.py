from flask import Blueprint

bp = Blueprint("media", __name__, url_prefix="/media")

from manifest.media import routes  # noqa: F401
