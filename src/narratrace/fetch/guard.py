"""Server-side request forgery guard: the fetcher reaches only the public internet.

Feeds and pages name URLs chosen by whoever writes them, so a hostile feed could
point the fetcher at a router's admin page, a cloud metadata service
(169.254.169.254) or a database on localhost. The check is made on the addresses
a name resolves to, not on its spelling (2130706433, 0x7f000001, 127.1 and
"localhost" are all 127.0.0.1), and the connection goes to the very address that
was checked: resolving the name a second time would let a DNS server answer
"public" to the check and "private" to the connect (DNS rebinding). The Host
header and the TLS server name stay the original name, so virtual hosts and
certificate checks work as usual. Every hop of a redirect comes through here.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
SCHEMES = ("http", "https")
KINDS = {
    "unspecified": "an unspecified address", "loopback": "a loopback address", "link_local": "a link-local address",
    "multicast": "a multicast address", "private": "a private address", "reserved": "a reserved address",
}


class RefusedAddress(httpx.TransportError):
    """The URL names, or resolves to, an address the policy forbids; nothing was sent."""


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which resolved addresses may be contacted.

    `allow_private` lets everything through (tests against a local server);
    `allowed` opens chosen networks only, e.g. one intranet host, or in tests the
    local server's own address while every other private address stays refused.
    """

    allow_private: bool = False
    allowed: tuple[IPNetwork, ...] = ()

    def refusal(self, address: IPAddress) -> str | None:
        """Why `address` may not be contacted, or None when it may."""
        if self.allow_private or any(address in network for network in self.allowed):
            return None
        plain = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped else address
        for kind, said in KINDS.items():
            if getattr(plain, f"is_{kind}"):
                return said
        if not plain.is_global:
            return "not a public address"
        return None


def resolve(host: str, port: int, policy: AddressPolicy) -> list[IPAddress]:
    """Every address `host` resolves to, all of them allowed, or RefusedAddress.

    One forbidden address refuses the whole name: a name that answers both public
    and private addresses is either misconfigured or an attack.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpx.ConnectError(f"cannot resolve {host}: {exc}") from None
    addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))
    for address in addresses:
        reason = policy.refusal(address)
        if reason:
            said = f"{host} is" if _literal(host) == address else f"{host} resolves to {address},"
            raise RefusedAddress(f"refused: {said} {reason}")
    if not addresses:
        raise httpx.ConnectError(f"{host} resolves to no address")
    return addresses


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport that resolves, checks, and connects to the checked address.

    One connection pool per host name: two names served from one address must not
    share a TLS connection opened with the other name's SNI.
    """

    def __init__(self, policy: AddressPolicy, verify: bool = True) -> None:
        self.policy = policy
        self._verify = verify
        self._pools: dict[tuple[str, str], httpx.HTTPTransport] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in SCHEMES:
            raise RefusedAddress(f"refused: unsupported URL scheme {url.scheme!r}")
        if not url.host:
            raise RefusedAddress("refused: URL without a host")
        address = resolve(url.host, url.port or (443 if url.scheme == "https" else 80), self.policy)[0]
        request.url = url.copy_with(host=str(address))
        request.extensions = {**request.extensions, "sni_hostname": url.host, "narratrace_ip": str(address)}
        pool = self._pools.get((url.scheme, url.host))
        if pool is None:
            pool = self._pools[(url.scheme, url.host)] = httpx.HTTPTransport(verify=self._verify, retries=0)
        try:
            return pool.handle_request(request)
        finally:
            request.url = url

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()

