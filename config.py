"""Configuration classes. Every setting a deployment may change is read from the environment."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SQLITE_URL = f"sqlite:///{BASE_DIR / 'instance' / 'manifest.db'}"
INSECURE_DEV_KEY = "dev-only-insecure-key-change-me"


def normalise_database_url(url: str | None) -> str | None:
    """Pin PostgreSQL URLs to psycopg2.

    PaaS providers hand out ``postgres://`` (which SQLAlchemy rejects) and
    SQLAlchemy 2.1 maps a bare ``postgresql://`` to psycopg 3, which we do not ship.
    """
    if not url:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _list_env(name: str) -> list[str]:
    return [item.strip().lower() for item in os.environ.get(name, "").split(",") if item.strip()]


def _optional_int_env(name: str) -> int | None:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else None


# An environment variable that only a platform's router-fronted processes have, and the platform.
PLATFORM_ROUTERS = {"DYNO": "Heroku"}


def platform_router() -> str | None:
    """The platform whose router is known to sit in front of this process, if any."""
    return next((name for variable, name in PLATFORM_ROUTERS.items() if os.environ.get(variable)), None)


def is_memory_sqlite(url: str) -> bool:
    """sqlite://, sqlite:/// and sqlite:///:memory: are databases that live and die with one connection."""
    return url.startswith("sqlite:") and url.split("?")[0] in ("sqlite://", "sqlite:///", "sqlite:///:memory:")


def engine_options(url: str) -> dict:
    """Pool and timeout settings for the engine, each overridable from the environment."""
    connect_timeout = _int_env("DB_CONNECT_TIMEOUT", 5)
    if is_memory_sqlite(url):
        return {}  # no pool to size: refused by Config.validate with a reason
    options = {
        "pool_size": _int_env("DB_POOL_SIZE", 5),
        "max_overflow": _int_env("DB_MAX_OVERFLOW", 10),
        "pool_pre_ping": True,
        "pool_recycle": _int_env("DB_POOL_RECYCLE", 1800),
        "pool_timeout": _int_env("DB_POOL_TIMEOUT", 10),
    }
    if url.startswith("postgresql"):
        statement_timeout_ms = _int_env("DB_STATEMENT_TIMEOUT_MS", 5000)
        options["connect_args"] = {
            "connect_timeout": connect_timeout,
            "options": f"-c statement_timeout={statement_timeout_ms}",
            "application_name": "manifest",
        }
    elif url.startswith("sqlite"):
        # Seconds to wait for a writer's lock before failing; several threads share the file.
        options["connect_args"] = {"timeout": connect_timeout}
    return options


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or INSECURE_DEV_KEY
    SQLALCHEMY_DATABASE_URI = normalise_database_url(os.environ.get("DATABASE_URL")) or DEFAULT_SQLITE_URL
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    # Boosted pages keep the first token they were given, so tokens must not expire.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 30
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # Attachments: the largest file, each user's total, and the largest image in pixels (decompression bombs).
    MEDIA_MAX_BYTES = _int_env("MEDIA_MAX_BYTES", 10 * 1024 * 1024)
    MEDIA_QUOTA_BYTES = _int_env("MEDIA_QUOTA_BYTES", 500 * 1024 * 1024)
    MEDIA_MAX_PIXELS = _int_env("MEDIA_MAX_PIXELS", 40_000_000)
    # Where attachments are kept: "local" (a folder outside static/) or "s3" (any S3-compatible store;
    # credentials come from the usual AWS_* environment variables).
    MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local")
    MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or str(BASE_DIR / "instance" / "media")
    MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
    MEDIA_S3_ENDPOINT_URL = os.environ.get("MEDIA_S3_ENDPOINT_URL") or None
    MEDIA_S3_REGION = os.environ.get("MEDIA_S3_REGION") or None
    # The whole request: one largest file plus room for the form around it.
    MAX_CONTENT_LENGTH = _int_env("MAX_CONTENT_LENGTH", MEDIA_MAX_BYTES + 256 * 1024)

    # Login throttling: this many failures within the window lock an account or address.
    LOGIN_MAX_FAILURES = _int_env("LOGIN_MAX_FAILURES", 10)
    LOGIN_FAILURE_WINDOW_SECONDS = _int_env("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)

    # argon2id parameters; the defaults are argon2-cffi's (RFC 9106 low-memory profile).
    ARGON2_TIME_COST = _int_env("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST_KIB = _int_env("ARGON2_MEMORY_COST_KIB", 65536)
    ARGON2_PARALLELISM = _int_env("ARGON2_PARALLELISM", 4)

    # JSON API: requests one access token may make per minute, counted in the database so every
    # web worker shares the count.
    API_RATE_LIMIT_PER_MINUTE = _int_env("API_RATE_LIMIT_PER_MINUTE", 120)
    # flask-smorest builds the OpenAPI document; it is served at /api/v1/openapi.json.
    API_TITLE = "Let's Manifest API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    # Background jobs: Redis when REDIS_URL is set (several consumers), else SQLite in instance/.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    HUEY_SQLITE_PATH = os.environ.get("HUEY_SQLITE_PATH") or str(BASE_DIR / "instance" / "huey.db")
    # Reminders found up to this late (the worker was down) are still sent; older ones are skipped.
    REMINDER_GRACE_MINUTES = _int_env("REMINDER_GRACE_MINUTES", 120)
    # How often the header's bell asks for the unread count.
    NOTIFICATION_POLL_SECONDS = _int_env("NOTIFICATION_POLL_SECONDS", 60)
    # Exports and imports of a whole account. Archives wait in EXPORT_ROOT (the web and worker
    # processes must share it) for EXPORT_TTL_HOURS; uploads to import wait in IMPORT_ROOT. An upload
    # larger than IMPORT_MAX_BYTES is refused, and so is an archive unpacking to more than
    # IMPORT_MAX_UNPACKED_BYTES or holding more than IMPORT_MAX_FILES files.
    EXPORT_ROOT = os.environ.get("EXPORT_ROOT") or str(BASE_DIR / "instance" / "exports")
    EXPORT_TTL_HOURS = _int_env("EXPORT_TTL_HOURS", 24)
    IMPORT_ROOT = os.environ.get("IMPORT_ROOT") or str(BASE_DIR / "instance" / "imports")
    IMPORT_MAX_BYTES = _int_env("IMPORT_MAX_BYTES", 100 * 1024 * 1024)
    IMPORT_MAX_UNPACKED_BYTES = _int_env("IMPORT_MAX_UNPACKED_BYTES", 1024 * 1024 * 1024)
    IMPORT_MAX_FILES = _int_env("IMPORT_MAX_FILES", 20_000)

    # Outgoing email; without MAIL_SERVER notifications stay in the app only.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _int_env("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in ("1", "true", "yes", "on")
    MAIL_FROM = os.environ.get("MAIL_FROM") or "Let's Manifest <manifest@localhost>"
    MAIL_TIMEOUT_SECONDS = _int_env("MAIL_TIMEOUT_SECONDS", 10)
    # The address the app is reached at, for links in emails (sent by the worker, outside any request).
    APP_BASE_URL = (os.environ.get("APP_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")

    # Web Push: a VAPID key pair (`flask vapid-keys` prints one); without it the push option is hidden.
    VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY") or None
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY") or None
    # Who push services may contact about this server's pushes: a mailto: or https: address.
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT") or None
    # Push endpoints beyond the known push services' hosts (a private push service, a test one):
    # plain http and private addresses are allowed for these hosts only.
    PUSH_ALLOWED_HOSTS = _list_env("PUSH_ALLOWED_HOSTS")
    PUSH_TIMEOUT_SECONDS = _int_env("PUSH_TIMEOUT_SECONDS", 10)
    # How long a notification's Done / Skip / +1 button keeps working.
    PUSH_ACTION_MAX_AGE_MINUTES = _int_env("PUSH_ACTION_MAX_AGE_MINUTES", 12 * 60)

    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None
    # Number of proxies in front of the app whose X-Forwarded-* headers are trusted. Unset, none
    # are, unless PLATFORM_ROUTER names the router in front (manifest/security.py:trust_proxies):
    # a client talking to the app directly must not choose its own address or host name.
    PROXY_COUNT = _optional_int_env("PROXY_COUNT")
    PLATFORM_ROUTER = platform_router()

    @classmethod
    def validate(cls) -> None:
        """Raise when the configuration is unsafe, or cannot work, to run with."""
        if is_memory_sqlite(cls.SQLALCHEMY_DATABASE_URI):
            raise RuntimeError(
                f"DATABASE_URL={cls.SQLALCHEMY_DATABASE_URI} keeps the database in memory, where "
                "`flask db upgrade`, the worker and every web process would each see an empty database "
                "of their own. Use a file (sqlite:///instance/manifest.db, or leave DATABASE_URL unset) "
                "or PostgreSQL."
            )


class DevelopmentConfig(Config):
    DEBUG = False


class ProductionConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SESSION_COOKIE_SECURE = True
    # The __Host- prefix makes browsers refuse the cookie unless Secure, host-only and Path=/.
    SESSION_COOKIE_NAME = "__Host-session"
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    DEBUG = False

    @classmethod
    def validate(cls) -> None:
        super().validate()
        if cls.MAIL_SERVER and urlsplit(cls.APP_BASE_URL).hostname in (None, "localhost", "127.0.0.1", "::1"):
            raise RuntimeError(
                "APP_BASE_URL must be the address users reach the app at (e.g. https://manifest.example.com) "
                "when MAIL_SERVER is set: every link in an email, the unsubscribe link too, starts with it."
            )
        if bool(cls.VAPID_PUBLIC_KEY) != bool(cls.VAPID_PRIVATE_KEY):
            raise RuntimeError(
                "Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY for push notifications, or neither "
                "(`flask vapid-keys` prints a new pair)."
            )
        if len(cls.SECRET_KEY or "") < 32 or cls.SECRET_KEY == INSECURE_DEV_KEY:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-that-is-long-enough-for-tests"
    SQLALCHEMY_DATABASE_URI = normalise_database_url(os.environ.get("TEST_DATABASE_URL")) or "sqlite:///"
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    # Tests hash many passwords; production strength is asserted on Config itself.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST_KIB = 8192
    ARGON2_PARALLELISM = 1
    # Each test run keeps attachments in a folder of its own, never in instance/.
    MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or str(
        Path(tempfile.gettempdir()) / f"manifest-test-media-{os.getpid()}"
    )
    MEDIA_STORAGE = "local"
    EXPORT_ROOT = str(Path(tempfile.gettempdir()) / f"manifest-test-exports-{os.getpid()}")
    IMPORT_ROOT = str(Path(tempfile.gettempdir()) / f"manifest-test-imports-{os.getpid()}")
    # Whatever runs the tests (a CI dyno included), no proxy stands in front of the test client.
    PROXY_COUNT = None
    PLATFORM_ROUTER = None
    # Jobs queued by a test stay in memory unless the test runs a consumer or immediate mode.
    REDIS_URL = None
    HUEY_SQLITE_PATH = None
    MAIL_SERVER = None
    VAPID_PUBLIC_KEY = None
    VAPID_PRIVATE_KEY = None
    VAPID_SUBJECT = None
    PUSH_ALLOWED_HOSTS = ()


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig}


def config_from_env():
    """APP_ENV picks the configuration; production is the default so a forgotten setting fails safe."""
    name = os.environ.get("APP_ENV", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
