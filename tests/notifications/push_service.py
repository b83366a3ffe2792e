"""A push service on localhost for the tests: it receives Web Push requests as FCM or Mozilla
would, checks the VAPID signature (RFC 8292) and decrypts the payload (RFC 8291) with the private
key of the browser the subscription belongs to, so a test sees exactly what the device would."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """A browser's push keys: what it hands the app (p256dh, auth) and keeps (the private key)."""

    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64(self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))

    @property
    def auth(self) -> str:
        return b64(self.auth_secret)


@dataclass
class Received:
    path: str
    headers: dict  # names in lower case
    body: bytes
    claims: dict | None = None  # the VAPID JWT's claims when its signature held
    vapid_key: str | None = None
    error: str | None = None  # why the request would be refused by a real push service


def verify_vapid(authorization: str) -> tuple[dict, str]:
    """The claims of an RFC 8292 ``vapid t=<jwt>, k=<key>`` header, after checking the ES256
    signature with the key it names; ValueError when anything is off."""
    scheme, _, params = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise ValueError(f"not a vapid authorization: {scheme}")
    values = dict(part.strip().split("=", 1) for part in params.split(","))
    token, key = values["t"], values["k"]
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(unb64(header_b64))
    if header.get("alg") != "ES256":
        raise ValueError(f"unexpected alg {header.get('alg')}")
    signature = unb64(signature_b64)
    if len(signature) != 64:
        raise ValueError("an ES256 signature is 64 bytes")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(key))
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise ValueError("bad VAPID signature") from error
    return json.loads(unb64(claims_b64)), key


class PushService:
    """Answers ``status`` (by path, else ``default_status``) and keeps every request."""

    def __init__(self):
        self.received: list[Received] = []
        self.browsers: dict[str, Browser] = {}  # path -> the browser subscribed there
        self.status: dict[str, int] = {}
        self.default_status = 201
        self._lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                service._record(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                self.send_response(service.status.get(self.path, service.default_status))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def subscribe(self, name: str) -> tuple[str, Browser]:
        """A new endpoint on this service and the browser behind it."""
        path = f"/push/{name}"
        self.browsers[path] = Browser()
        return self.origin + path, self.browsers[path]

    def _record(self, path: str, headers: dict, body: bytes) -> None:
        item = Received(path, headers, body)
        try:
            item.claims, item.vapid_key = verify_vapid(headers.get("authorization", ""))
        except (ValueError, KeyError) as error:
            item.error = str(error)
        with self._lock:
            self.received.append(item)

    def decrypt(self, item: Received) -> dict:
        """The payload as the browser reads it (RFC 8291, aes128gcm)."""
        browser = self.browsers[item.path]
        assert item.headers.get("content-encoding") == "aes128gcm"
        plain = http_ece.decrypt(item.body, private_key=browser.private_key, auth_secret=browser.auth_secret,
                                 version="aes128gcm")
        return json.loads(plain)

    def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.received) < count:
            time.sleep(0.05)
        return list(self.received)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
