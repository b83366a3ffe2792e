"""The job queue: one Huey instance for the whole app, and the decorators tasks are made with.

Storage follows the configuration: Redis when ``REDIS_URL`` is set (what ``RedisHuey`` uses; several
consumers may share it), else SQLite in ``instance/`` (what ``SqliteHuey`` uses; nothing to install),
and memory for tests. The instance exists at import time, because tasks are registered on it when
their modules are imported; ``init_app`` points it at the configured storage and remembers the app
whose context every task runs in.

Run the consumer with ``huey_consumer manifest.worker.huey`` (see the Procfile).
"""

from functools import wraps
from pathlib import Path

from flask import Flask, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

__all__ = ["crontab", "huey", "init_app", "periodic_task", "task"]

huey = Huey("manifest", results=False, utc=True, storage_class=MemoryStorage)
_app: Flask | None = None


def use_storage(redis_url: str | None, sqlite_path: str | None) -> None:
    """Point the queue at Redis, at a SQLite file, or (neither) at memory."""
    if redis_url:
        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": redis_url}
    elif sqlite_path:
        Path(sqlite_path).parent.mkdir(parents=True, exist_ok=True)  # instance/ may not exist on PostgreSQL
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": sqlite_path}
    else:
        huey.storage_class, huey.storage_kwargs = MemoryStorage, {}
    huey.storage = huey.create_storage()


def init_app(app: Flask) -> None:
    global _app
    _app = app
    use_storage(app.config.get("REDIS_URL"), app.config.get("HUEY_SQLITE_PATH"))
    # Register every task on the instance (the consumer imports this module through create_app).
    from manifest.notifications import tasks  # noqa: F401
    from manifest.progress import tasks as progress_tasks  # noqa: F401
    from manifest.transfer import tasks as transfer_tasks  # noqa: F401


def _in_app_context(fn):
    # A task runs in the app's context; inline (immediate mode, or called from a view) it reuses
    # the caller's.
    @wraps(fn)
    def run(*args, **kwargs):
        if has_app_context() or _app is None:
            return fn(*args, **kwargs)
        with _app.app_context():
            return fn(*args, **kwargs)

    return run


def task(**options):
    """``@huey.task`` whose body runs inside the app context."""
    return lambda fn: huey.task(**options)(_in_app_context(fn))


def periodic_task(schedule, **options):
    """``@huey.periodic_task`` whose body runs inside the app context."""
    return lambda fn: huey.periodic_task(schedule, **options)(_in_app_context(fn))
