"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import gc

from manifest import create_app

app = create_app()

# Everything built at start-up (the app, its templates, SQLAlchemy's mappers) lives as long as
# the process: moved out of the collector's reach, full collections stop walking it on every
# pass, and gunicorn's preloaded workers keep sharing those pages with the master.
gc.collect()
gc.freeze()
