from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")

# The full-text indexes of migration 0007 exist on PostgreSQL only, so the models do not declare
# them (SQLite would then lack them). Autogenerate must not report them as indexes to remove.
SEARCH_INDEX_SUFFIX = "_search"


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "index" and reflected and compare_to is None and (name or "").endswith(SEARCH_INDEX_SUFFIX))


def _ignore_search_indexes(state) -> None:
    migrate = state.app.extensions.get("migrate")
    if migrate is None:
        return
    previous = migrate.configure_args.get("include_object")
    if previous is None:
        migrate.configure_args["include_object"] = include_object
    else:
        migrate.configure_args["include_object"] = lambda *args: previous(*args) and include_object(*args)


bp.record_once(_ignore_search_indexes)

from manifest.search import routes  # noqa: F401
