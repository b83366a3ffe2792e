"""The push endpoint guard: the server contacts push services only, checked after DNS resolution and
again on the address it connects to."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from manifest.notifications import endpoints
from manifest.notifications.endpoints import EndpointRefused, check_endpoint

PUBLIC = {"fcm.googleapis.com": ["142.250.74.106"], "updates.push.services.mozilla.com": ["34.107.221.82"],
          "web.push.apple.com": ["17.188.182.42", "2620:149:a44::1"], "wns2-by3p.notify.windows.com": ["20.42.0.1"]}


def fake_dns(table):
    def lookup(host, port):
        if host not in table:
            raise EndpointRefused(f"The push service's address ({host}) could not be found.")
        return table[host]

    return lookup


@pytest.mark.parametrize("url", [
    "https://fcm.googleapis.com/fcm/send/abc:def",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
    "https://web.push.apple.com/QGuQyavXutnMH",
    "https://wns2-by3p.notify.windows.com/w/?token=BQYAAA",
    "https://FCM.googleapis.com./fcm/send/x",
    "https://fcm.googleapis.com:443/fcm/send/x",
])
def test_the_known_push_services_are_accepted(url):
    assert check_endpoint(url, [], fake_dns(PUBLIC)) == url


@pytest.mark.parametrize(("url", "reason"), [
    ("http://fcm.googleapis.com/fcm/send/x", "https"),
    ("https://fcm.googleapis.com:8443/fcm/send/x", "https"),
    ("https://evil.example.com/push", "not a push service"),
    ("https://fcm.googleapis.com.evil.example.com/x", "not a push service"),
    ("https://push.apple.com.evil.example/x", "not a push service"),
    ("https://127.0.0.1/push", "not a push service"),
    ("https://[::1]/push", "not a push service"),
    ("https://169.254.169.254/latest/meta-data", "not a push service"),
    ("https://fcm.googleapis.com@evil.example.com/x", "no usable"),
    ("https://user:pw@fcm.googleapis.com/x", "no usable"),
    ("file:///etc/passwd", "no usable"),
    ("javascript:alert(1)", "no usable"),
    ("", "no usable"),
    ("https://fcm.googleapis.com/" + "x" * 1000, "no usable"),
    ("https://fcm.googleapis.com:99999/x", "no usable"),
])
def test_anything_else_is_refused_with_a_reason(url, reason):
    with pytest.raises(EndpointRefused, match=reason):
        check_endpoint(url, [], fake_dns(PUBLIC))


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.5", "192.168.1.20", "172.16.0.1", "169.254.169.254",
                                     "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "0.0.0.0", "100.64.0.1"])
def test_a_known_host_resolving_to_a_private_address_is_refused(address):
    dns = fake_dns({"fcm.googleapis.com": ["142.250.74.106", address]})
    with pytest.raises(EndpointRefused, match="not a public one"):
        check_endpoint("https://fcm.googleapis.com/fcm/send/x", [], dns)


def test_an_unknown_name_is_refused():
    with pytest.raises(EndpointRefused, match="could not be found"):
        check_endpoint("https://web.push.apple.com/x", [], fake_dns({}))


def test_allowed_hosts_may_use_http_and_private_addresses():
    dns = fake_dns({"push.internal": ["10.1.2.3"], "127.0.0.1": ["127.0.0.1"]})
    assert check_endpoint("http://push.internal:8080/p/1", ["push.internal"], dns)
    assert check_endpoint("http://127.0.0.1:9000/p/1", ["127.0.0.1"], dns)
    with pytest.raises(EndpointRefused):
        check_endpoint("ftp://push.internal/p/1", ["push.internal"], dns)
    with pytest.raises(EndpointRefused, match="not a push service"):
        check_endpoint("http://other.internal/p/1", ["push.internal"], dns)


# --- the session enforces it on the connection itself -------------------------------------------

def test_a_push_service_name_that_now_resolves_to_this_machine_is_not_contacted(push_service, monkeypatch):
    """DNS rebinding: the name passed when subscribing, and points at localhost by the time of sending."""
    monkeypatch.setattr(endpoints, "resolve", fake_dns({"fcm.googleapis.com": ["127.0.0.1"]}))
    session = endpoints.guarded_session([])
    with pytest.raises(EndpointRefused, match="not a public one"):
        session.post("https://fcm.googleapis.com/fcm/send/x", data=b"x", timeout=2)
    with pytest.raises(EndpointRefused, match="https"):
        session.post(f"https://fcm.googleapis.com:{push_service.port}/x", data=b"x", timeout=2)
    assert push_service.received == []


def test_the_session_connects_only_to_allowed_hosts_and_follows_no_redirect(push_service):
    session = endpoints.guarded_session([])
    with pytest.raises(EndpointRefused):
        session.post(push_service.origin + "/x", data=b"x", timeout=2)
    assert push_service.received == []

    allowed = endpoints.guarded_session(["127.0.0.1"])
    assert allowed.post(push_service.origin + "/x", data=b"x", timeout=2).status_code == 201
    assert len(push_service.received) == 1


def test_a_redirect_is_not_followed():
    hits = []

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.send_response(307)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        session = endpoints.guarded_session(["127.0.0.1"])
        with pytest.raises(requests.TooManyRedirects):
            session.post(f"http://127.0.0.1:{server.server_address[1]}/push", data=b"x", timeout=2)
        assert hits == ["/push"]
    finally:
        server.shutdown()
        server.server_close()
