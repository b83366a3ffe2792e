from flask import Blueprint

bp = Blueprint("habits", __name__, url_prefix="/habits")

from manifest.habits import routes  # noqa: F401
