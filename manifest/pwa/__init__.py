"""The installable app: the web app manifest, the service worker (served from the site root, so its
scope is the whole site) and the page it shows when the network is gone. All public: a browser
fetches them without a session, and none holds anything private."""

from flask import Blueprint

bp = Blueprint("pwa", __name__)

from manifest.pwa import routes  # noqa: F401  (registers the views)
