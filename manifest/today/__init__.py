from flask import Blueprint

bp = Blueprint("today", __name__)

from manifest.today import routes  # noqa: F401
