from flask import Blueprint

bp = Blueprint("goals", __name__, url_prefix="/goals")

from manifest.goals import routes  # noqa: F401
