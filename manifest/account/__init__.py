from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/settings")

from manifest.account import routes, tokens  # noqa: F401
