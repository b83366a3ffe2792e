"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from manifest import create_app

app = create_app()
