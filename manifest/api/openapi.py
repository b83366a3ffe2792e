"""flask-smorest's Api, fitted to an app whose pages are HTML.

flask-smorest answers every HTTPException of the whole app in JSON; here the app's own handlers
stay in charge and answer JSON under /api/ only (manifest/api/errors.py). The document is served
without a token (it says nothing about anyone's data); no Swagger or ReDoc from a CDN is set up:
the readable page is our own (manifest/api/docs.py).
"""

from flask_smorest import Api

from manifest.api.schemas import ErrorSchema


class ManifestApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass
