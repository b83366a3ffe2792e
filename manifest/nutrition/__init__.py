from flask import Blueprint

bp = Blueprint("nutrition", __name__, url_prefix="/food")

from manifest.nutrition import routes  # noqa: F401
