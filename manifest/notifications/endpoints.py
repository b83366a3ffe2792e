"""Which push endpoints the server may contact, and an HTTP session that enforces it.

A subscription's endpoint is a URL the browser hands us: unchecked, the server would post to any
machine it can reach (server-side request forgery). So:

- the known push services' hosts, over https on the standard port, and only when every address the
  name resolves to is a public one;
- hosts named in PUSH_ALLOWED_HOSTS (a private push service, the test one), over http or https,
  at any address: the operator vouched for them.

The check runs when a device subscribes (to refuse it with a message) and again on every
connection, after DNS resolution and on the very address connected to, so a name that later
resolves elsewhere (DNS rebinding), or a redirect, cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

KNOWN_HOSTS = frozenset({"fcm.googleapis.com", "updates.push.services.mozilla.com"})
KNOWN_SUFFIXES = (".push.apple.com", ".notify.windows.com")


class EndpointRefused(Exception):
    """Not an endpoint this server will contact; the message says why, for the user."""


class Unresolved(EndpointRefused):
    """The name did not resolve (now): refused when subscribing, tried again when sending."""


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (tests replace this to play DNS)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unresolved(f"The push service's address ({host}) could not be found.") from error
    return list(dict.fromkeys(info[4][0] for info in infos))


def is_known_service(host: str) -> bool:
    return host in KNOWN_HOSTS or host.endswith(KNOWN_SUFFIXES)


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _normal_host(host: str | None) -> str:
    return (host or "").rstrip(".").lower()


def check_target(scheme: str, host: str, port: int | None, allowed_hosts: Iterable[str],
                 lookup: Callable[[str, int], list[str]] | None = None) -> list[str]:
    """The addresses of ``host`` this server may connect to, or EndpointRefused."""
    host, allowed = _normal_host(host), {_normal_host(h) for h in allowed_hosts}
    lookup = lookup or resolve
    if host in allowed:
        if scheme not in ("http", "https"):
            raise EndpointRefused("A push endpoint must be an http or https address.")
        return lookup(host, port or (443 if scheme == "https" else 80))
    if not is_known_service(host):
        raise EndpointRefused(
            f"{host or 'That address'} is not a push service this server sends to. "
            "Notifications work in browsers that use Google's, Mozilla's, Apple's or Microsoft's push service."
        )
    if scheme != "https" or port not in (None, 443):
        raise EndpointRefused("A push service must be reached over https.")
    addresses = lookup(host, 443)
    if not addresses or not all(is_public(a) for a in addresses):
        raise EndpointRefused(f"The push service's address ({host}) is not a public one.")
    return addresses


def check_endpoint(url: str, allowed_hosts: Iterable[str],
                   lookup: Callable[[str, int], list[str]] | None = None) -> str:
    """A subscription's endpoint as it will be stored, or EndpointRefused with the reason."""
    url = (url or "").strip()
    if not url or len(url) > 1000:
        raise EndpointRefused("The browser gave no usable push address.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise EndpointRefused("The browser gave no usable push address.") from error
    if parts.username is not None or parts.password is not None or not parts.hostname:
        raise EndpointRefused("The browser gave no usable push address.")
    check_target(parts.scheme.lower(), parts.hostname, port, allowed_hosts, lookup)
    return url


# --- the session that enforces it on every connection ---------------------------------------------

def _guarded(connection_class, scheme: str, allowed_hosts: frozenset[str]):
    class Guarded(connection_class):
        def _new_conn(self):
            # Connect to an address that passed the check, never to whatever the name resolves to
            # by the time the socket opens; TLS still verifies the certificate against the name.
            addresses = check_target(scheme, self.host, self.port if self.port != self.default_port else None,
                                     allowed_hosts, lookup=_lookup_for_connection)
            name = self._dns_host
            self._dns_host = addresses[0]
            try:
                return super()._new_conn()
            finally:
                self._dns_host = name

    return Guarded


def _lookup_for_connection(host: str, port: int) -> list[str]:
    return resolve(host, port)  # looked up at call time, so a test's stand-in applies


class GuardedAdapter(HTTPAdapter):
    def __init__(self, allowed_hosts: Iterable[str], **kwargs):
        self.allowed_hosts = frozenset(_normal_host(h) for h in allowed_hosts)
        super().__init__(max_retries=0, **kwargs)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        plain = type("GuardedPool", (HTTPConnectionPool,),
                     {"ConnectionCls": _guarded(HTTPConnection, "http", self.allowed_hosts)})
        secure = type("GuardedSecurePool", (HTTPSConnectionPool,),
                      {"ConnectionCls": _guarded(HTTPSConnection, "https", self.allowed_hosts)})
        self.poolmanager.pool_classes_by_scheme = {"http": plain, "https": secure}


def guarded_session(allowed_hosts: Iterable[str]) -> requests.Session:
    """A requests session that connects only where ``check_target`` allows: no proxy from the
    environment (it would connect in our place), no redirects."""
    session = requests.Session()
    session.trust_env = False
    session.max_redirects = 0
    adapter = GuardedAdapter(allowed_hosts)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
