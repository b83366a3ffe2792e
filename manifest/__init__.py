"""Let's Manifest: a self-hosted personal growth tracker."""

from pathlib import Path

from flask import Flask, g
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import config_from_env
from manifest.extensions import csrf, db, login_manager, migrate
from manifest.htmx import add_vary_header

ROOT = Path(__file__).resolve().parent.parent


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    # SQLite ignores ON DELETE CASCADE unless asked on every connection.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def create_app(config_class=None) -> Flask:
    config_class = config_class or config_from_env()
    config_class.validate()

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config_class)
    # Fragments are sent on every click: drop the template's indentation from them.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from manifest.security import trust_proxies

    trust_proxies(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(exist_ok=True)

    from manifest import models  # noqa: F401  (register every table)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)

    from manifest.auth.session import init_login

    init_login(app)

    from manifest.security import init_security

    init_security(app)
    app.after_request(add_vary_header)

    from manifest.errors import register_error_handlers

    register_error_handlers(app)

    from manifest.filters import register_filters

    register_filters(app)

    from manifest.cli import register_cli

    register_cli(app)

    from manifest.account import bp as account_bp
    from manifest.auth import bp as auth_bp
    from manifest.goals import bp as goals_bp
    from manifest.habits import bp as habits_bp
    from manifest.journal import bp as journal_bp
    from manifest.journal import public_bp
    from manifest.media import bp as media_bp
    from manifest.notifications import bp as notifications_bp
    from manifest.nutrition import bp as nutrition_bp
    from manifest.progress import bp as progress_bp
    from manifest.progress import public_bp as progress_public_bp
    from manifest.pwa import bp as pwa_bp
    from manifest.reviews import bp as reviews_bp
    from manifest.search import bp as search_bp
    from manifest.tags import bp as tags_bp
    from manifest.today import bp as today_bp
    from manifest.transfer import bp as transfer_bp
    from manifest.workouts import bp as workouts_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(today_bp)
    app.register_blueprint(habits_bp)
    app.register_blueprint(goals_bp)
    app.register_blueprint(nutrition_bp)
    app.register_blueprint(workouts_bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(journal_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(progress_bp)
    app.register_blueprint(progress_public_bp)
    app.register_blueprint(tags_bp)
    app.register_blueprint(media_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(transfer_bp)
    app.register_blueprint(pwa_bp)

    from manifest.api import init_api

    init_api(app)

    from manifest import jobs

    jobs.init_app(app)

    @app.context_processor
    def inject_viewer():
        # Error pages render while the database may be down: never load the user then.
        if g.get("database_unavailable"):
            return {"viewer": None}
        return {"viewer": current_user if current_user.is_authenticated else None}

    return app
