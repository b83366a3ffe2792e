from flask import Blueprint, current_app

bp = Blueprint("media", __name__, url_prefix="/media")


@bp.app_template_global()
def media_limits() -> dict:
    from manifest.media.logic import human_size

    return {"max_bytes": current_app.config["MEDIA_MAX_BYTES"],
            "max_size": human_size(current_app.config["MEDIA_MAX_BYTES"])}


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    from manifest.media.logic import human_size

    return human_size(size or 0)


from manifest.media import cleanup, routes  # noqa: F401
