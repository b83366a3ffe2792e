from flask import Blueprint

bp = Blueprint("journal", __name__, url_prefix="/journal")
# Published public entries, readable without signing in at /u/<username>/...
public_bp = Blueprint("public", __name__, url_prefix="/u")

from manifest.journal import routes  # noqa: F401
