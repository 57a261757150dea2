"""The small rules the web layer rests on: safe upload names, partial dates, ETag matching, link URLs."""

from __future__ import annotations

import pytest

from narratrace.web.api.documents import date_span
from narratrace.web.cursors import decode_cursor, encode_cursor
from narratrace.web.api.ingest import safe_name
from narratrace.web.middleware import matches
from narratrace.web.templates import web_url


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "0003-passwd"),
    ("..\\..\\windows\\evil.txt", "0003-evil.txt"),
    ("/abs/path/report 2024 (final).html", "0003-report_2024_final_.html"),
    ("..", "0003-upload"),
    (".hidden", "0003-hidden"),
    ("", "0003-upload"),
    (None, "0003-upload"),
    ("nul\x00byte.txt", "0003-nul_byte.txt"),
    ("Статья №1.txt", "0003-Статья_No1.txt"),
])
def test_safe_name_never_leaves_the_folder(name: str | None, expected: str) -> None:
    assert safe_name(name, 3) == expected


def test_partial_dates_span_their_whole_period() -> None:
    assert date_span("2021") == ("2021-01-01", "2021-12-31")
    assert date_span("2021-03") == ("2021-03-01", "2021-03-31")
    assert date_span("2021-03-14") == ("2021-03-14", "2021-03-14")


def test_cursor_round_trips() -> None:
    assert decode_cursor(encode_cursor("42d713a08731c180")) == "42d713a08731c180"


def test_etag_matching_follows_weak_comparison() -> None:
    assert matches('"abc"', '"abc"') and matches('W/"abc"', '"abc"') and matches('"x", "abc"', '"abc"')
    assert matches("*", '"abc"') and not matches('"abd"', '"abc"')


@pytest.mark.parametrize("url, allowed", [
    ("https://valdoriatoday.vl/news", True), ("http://a.example/x", True),
    ("javascript:alert(1)", False), (" JavaScript:alert(1)", False), ("data:text/html,<b>", False),
    ("//evil.example/x", False), ("http://[::1", False), (None, False), ("", False),
])
def test_only_web_urls_become_links(url: str | None, allowed: bool) -> None:
    assert (web_url(url) is not None) is allowed
