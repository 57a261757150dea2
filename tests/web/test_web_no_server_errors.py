"""Whatever a client sends to the read endpoints, the answer is a result or a JSON error, never a 500."""

from __future__ import annotations

from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
maybe = st.one_of(st.none(), text)
numbers = st.one_of(st.none(), st.integers(-5, 500).map(str), text)
CHECKS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _answers_properly(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    body = response.json()
    if response.status_code >= 400:
        assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]


def _params(**values: str | None) -> dict[str, str]:
    return {k: v for k, v in values.items() if v is not None}


@CHECKS
@given(lang=maybe, outlet=maybe, since=maybe, until=maybe, limit=numbers, cursor=maybe)
def test_document_listing(client: httpx.Client, lang: str | None, outlet: str | None, since: str | None,
                          until: str | None, limit: str | None, cursor: str | None) -> None:
    params = _params(lang=lang, outlet=outlet, since=since, until=until, limit=limit, cursor=cursor)
    _answers_properly(client.get("/api/documents", params=params))


@CHECKS
@given(key=text, document=maybe, kind=maybe, a=text, b=text)
def test_document_links_and_compare(client: httpx.Client, key: str, document: str | None, kind: str | None,
                                    a: str, b: str) -> None:
    _answers_properly(client.get(f"/api/documents/{quote(key, safe='')}", follow_redirects=True))
    _answers_properly(client.get("/api/links", params=_params(document=document, kind=kind)))
    _answers_properly(client.get("/api/compare", params={"a": a, "b": b}))
