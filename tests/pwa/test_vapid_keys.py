"""`flask vapid-keys` prints a usable VAPID key pair."""

import base64

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_vapid_keys_prints_a_matching_pair(app):
    result = app.test_cli_runner().invoke(args=["vapid-keys"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split("=", 1) for line in result.output.strip().splitlines())
    assert set(lines) == {"VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"}
    public = _unb64(lines["VAPID_PUBLIC_KEY"])
    assert len(public) == 65 and public[0] == 4  # what a browser takes as applicationServerKey
    vapid = Vapid.from_string(lines["VAPID_PRIVATE_KEY"])
    derived = vapid.public_key.public_bytes(serialization.Encoding.X962,
                                            serialization.PublicFormat.UncompressedPoint)
    assert derived == public
    again = app.test_cli_runner().invoke(args=["vapid-keys"]).output
    assert again != result.output  # a new pair every time
