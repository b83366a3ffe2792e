from flask import Blueprint

bp = Blueprint("auth", __name__)

from manifest.auth import routes  # noqa: F401
