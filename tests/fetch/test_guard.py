"""SSRF: private, loopback, link-local and odd spellings of them are refused, directly and after redirects."""

from __future__ import annotations

import ipaddress

import pytest
from website import Page, Site

from narratrace.fetch.client import FetchConfig, Fetcher, FetchError, Refused
from narratrace.fetch.guard import AddressPolicy

REFUSED = [
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://172.16.0.1/", "172.16.0.1 is a private address"),
    ("http://192.168.1.1/", "192.168.1.1 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://[::1]/", "::1 is a loopback address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is a loopback address"),
    ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://100.64.0.1/", "100.64.0.1 is not a public address"),
    ("http://localhost/", "localhost resolves to 127.0.0.1, a loopback address"),
    ("http://2130706433/", "2130706433 resolves to 127.0.0.1, a loopback address"),
    ("http://0x7f000001/", "0x7f000001 resolves to 127.0.0.1, a loopback address"),
    ("http://127.1/", "127.1 resolves to 127.0.0.1, a loopback address"),
]


def _fetcher(policy: AddressPolicy) -> Fetcher:
    return Fetcher(FetchConfig(delay=0, retries=0, policy=policy))


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_private_addresses_are_refused_before_any_connection(url: str, reason: str) -> None:
    with _fetcher(AddressPolicy()) as fetcher, pytest.raises(Refused) as refused:
        fetcher.fetch(url)
    assert refused.value.reason == f"refused: {reason}"


def test_octal_spelling_is_no_url_at_all() -> None:
    with _fetcher(AddressPolicy(allow_private=True)) as fetcher, pytest.raises(FetchError) as refused:
        fetcher.fetch("http://0177.0.0.1/")
    assert refused.value.reason == "invalid URL: Invalid IPv4 address: '0177.0.0.1'"
    assert refused.value.permanent


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://10.1.2.3/admin", "10.1.2.3 is a private address"),
        ("http://172.16.5.4/", "172.16.5.4 is a private address"),
        ("http://192.168.0.1/", "192.168.0.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[::1]:{port}/", "::1 is a loopback address"),
        ("http://127.0.0.2:{port}/", "127.0.0.2 is a loopback address"),
        ("http://2130706434:{port}/", "2130706434 resolves to 127.0.0.2, a loopback address"),
    ],
)
def test_redirects_to_private_addresses_are_refused(site: Site, target: str, reason: str) -> None:
    """Only the test server's own address is opened; every hop is checked again."""
    site.routes["/go"] = Page(b"", 302, headers={"Location": target.format(port=site.port)})
    policy = AddressPolicy(allowed=(ipaddress.ip_network("127.0.0.1/32"),))
    with _fetcher(policy) as fetcher, pytest.raises(Refused) as refused:
        fetcher.fetch(site.url("/go"))
    assert refused.value.reason == f"refused: {reason}"
    assert [hit.path for hit in site.hits] == ["/robots.txt", "/go"]


def test_the_allow_flag_lets_the_local_server_through_and_keeps_the_host_name(site: Site) -> None:
    """The connection goes to the checked address, but the server still sees the name it was asked by."""
    site.routes["/page"] = Page(b"<html><body>hello</body></html>")
    with _fetcher(AddressPolicy(allow_private=True)) as fetcher:
        fetched = fetcher.fetch(site.url("/page", host="localhost"))
    assert fetched.status == 200 and fetched.body.startswith(b"<html>")
    assert site.requested("/page")[0].headers["Host"] == f"localhost:{site.port}"


def test_non_http_schemes_are_refused() -> None:
    with _fetcher(AddressPolicy(allow_private=True)) as fetcher, pytest.raises(Refused):
        fetcher.fetch("file:///etc/passwd")
