from flask import Blueprint

bp = Blueprint("tags", __name__, url_prefix="/tags")

from manifest.tags import routes  # noqa: F401
