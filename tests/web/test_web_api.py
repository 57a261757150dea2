"""The REST API over a real store and a real server: shapes, filters, paging, errors, ETags."""

from __future__ import annotations

import httpx
import pytest
from web_samples import DENIAL_MARK, Demo, Live


def _error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]


def test_documents_page_through_every_document_once(client: httpx.Client, demo: Demo) -> None:
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        body = client.get("/api/documents", params={"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        assert len(body["documents"]) <= 3
        seen += [d["id"] for d in body["documents"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == len(set(seen)) == 8
    assert set(seen) == set(demo.ids.values())
    first = client.get("/api/documents").json()["documents"]
    assert [d["id"] for d in first] == seen
    assert set(first[0]) == {"id", "origin", "url", "outlet", "title", "published",
                             "published_precision", "language", "n_sentences"}


def test_documents_filter_by_language_outlet_and_dates(client: httpx.Client, demo: Demo) -> None:
    def ids(**params: str) -> set[str]:
        return {d["id"] for d in client.get("/api/documents", params=params).json()["documents"]}

    ids_of = demo.ids
    assert ids(lang="fr") == {ids_of["A09"], ids_of["A02"], ids_of["A30"]}
    assert ids(outlet="The Tarvola Ledger") == {ids_of["A06"]}
    assert ids(since="2021-01", until="2021-12-31") == {ids_of["A06"], ids_of["A09"], ids_of["A12"]}
    assert ids(since="2021-03-14", until="2021-03-14") == {ids_of["A09"]}
    assert ids(since="2024") == {ids_of["hostile"]}
    assert ids(until="2019") == {ids_of["A01"], ids_of["A02"]}  # the undated A30 matches no date range
    assert ids(lang="fr", until="2020") == {ids_of["A02"]}


def test_bad_paging_and_parameters_answer_json_errors(client: httpx.Client) -> None:
    _error(client.get("/api/documents", params={"cursor": "%%%"}), 400, "invalid_cursor")
    _error(client.get("/api/documents", params={"cursor": "bm9zdWNoZG9j"}), 400, "invalid_cursor")
    _error(client.get("/api/documents", params={"limit": 0}), 422, "invalid_request")
    _error(client.get("/api/documents", params={"since": "last week"}), 422, "invalid_request")
    _error(client.get("/api/documents/0000000000000000"), 404, "not_found")
    _error(client.get("/api/search"), 422, "invalid_request")
    _error(client.get("/api/compare", params={"a": "nope", "b": "nope"}), 404, "not_found")
    _error(client.get("/api/no-such-thing"), 404, "not_found")
    _error(client.delete("/api/documents"), 405, "method_not_allowed")


def test_stages_not_built_yet_have_no_routes(client: httpx.Client) -> None:
    _error(client.get("/api/citations"), 404, "not_found")


def test_claims_and_suggested_fact_checks_with_a_review_that_needs_the_token(
        client: httpx.Client, live: Live, demo: Demo) -> None:
    claims = client.get("/api/claims", params={"document": demo.ids["A06"]}).json()["claims"]
    assert claims and all(c["document"] == demo.ids["A06"] and c["evidence"] for c in claims)
    suggested = client.get("/api/factcheck-matches", params={"state": "suggested"}).json()["matches"]
    assert suggested and {m["document"] for m in suggested} <= set(demo.ids.values())
    first = suggested[0]
    assert first["evidence"]["factcheck_claim"] and first["evidence"]["rating"] == "False"
    decision = {"claim": first["claim"], "factcheck": first["factcheck"], "state": "rejected"}
    _error(client.post("/api/factcheck-matches/review", json=decision), 401, "unauthorized")
    headers = {"Authorization": f"Bearer {live.token}"}
    done = client.post("/api/factcheck-matches/review", json=decision, headers=headers)
    assert done.status_code == 200 and done.json()["state"] == "rejected"
    rejected = client.get("/api/factcheck-matches", params={"state": "rejected"}).json()["matches"]
    assert [(m["claim"], m["factcheck"]) for m in rejected] == [(first["claim"], first["factcheck"])]
    _error(client.post("/api/factcheck-matches/review", json={**decision, "claim": "nope"}, headers=headers),
           404, "not_found")
    client.post("/api/factcheck-matches/review", json={**decision, "state": "suggested"}, headers=headers)


def test_narratives_and_stories_list_their_members_with_why_each_joined(client: httpx.Client, demo: Demo) -> None:
    for level, plural in (("narrative", "narratives"), ("story", "stories")):
        listed = client.get(f"/api/{plural}").json()["clusters"]
        assert listed and [c["size"] for c in listed] == sorted((c["size"] for c in listed), reverse=True)
        members = set()
        for summary in listed:
            detail = client.get(f"/api/{plural}/{summary['id']}").json()
            assert detail["level"] == level and detail["size"] == summary["size"] == len(detail["members"])
            assert {m["document"]["language"] for m in detail["members"]} == set(detail["languages"])
            ids = {m["document"]["id"] for m in detail["members"]}
            assert all(link["a"] in ids and link["b"] in ids for link in detail["links"])
            assert not ids & members, "a document is in one cluster per level"
            members |= ids
        assert members == set(demo.ids.values()), f"every document is placed at the {level} level"
    (nightwater,) = [c for c in client.get("/api/narratives").json()["clusters"]
                     if demo.ids["A06"] in {m["document"]["id"] for m in
                                            client.get(f"/api/narratives/{c['id']}").json()["members"]}]
    detail = client.get(f"/api/narratives/{nightwater['id']}").json()
    assert {"A06", "A09"} <= {k for k, v in demo.ids.items() if v in {m["document"]["id"] for m in detail["members"]}}
    assert detail["details"]["timeline"] and detail["details"]["events"]
    assert any(link["kind"] == "translation" for link in detail["links"])
    _error(client.get("/api/narratives/n-nothing"), 404, "not_found")


def test_cluster_members_come_in_pages_that_join_up_to_the_whole(client: httpx.Client) -> None:
    largest = client.get("/api/narratives").json()["clusters"][0]
    assert largest["size"] >= 3
    whole = client.get(f"/api/narratives/{largest['id']}", params={"limit": 500}).json()
    assert whole["next"] is None and len(whole["members"]) == largest["size"]
    paged, cursor = [], None
    while True:
        page = client.get(f"/api/narratives/{largest['id']}",
                          params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        assert len(page["members"]) <= 2
        ids = {m["document"]["id"] for m in page["members"]}
        assert all(link["a"] in ids and link["b"] in ids for link in page["links"])
        paged += page["members"]
        cursor = page["next"]
        if cursor is None:
            break
    assert [m["document"]["id"] for m in paged] == [m["document"]["id"] for m in whole["members"]]
    _error(client.get(f"/api/narratives/{largest['id']}", params={"cursor": "bm90LWEtbWVtYmVy"}), 400, "invalid_cursor")
    html = client.get(f"/narratives/{largest['id']}").text
    assert 'rel="next"' not in html


def test_document_has_its_sentences_and_links(client: httpx.Client, demo: Demo) -> None:
    doc = client.get(f"/api/documents/{demo.ids['A06']}").json()
    assert doc["language"] == "en" and doc["published"] == "2021-03-13" and doc["published_precision"] == "day"
    assert doc["published_evidence"]
    assert len(doc["sentences"]) == doc["n_sentences"] > 10
    assert all(doc["text"][s["start"]:s["end"]] == s["text"] for s in doc["sentences"])
    partners = {(x["b"] if x["a"] == doc["id"] else x["a"]): x for x in doc["links"]}
    assert demo.ids["A09"] in partners and partners[demo.ids["A09"]]["kind"] == "translation"
    assert partners[demo.ids["A09"]]["evidence"]["pairs"]


def test_a_document_can_be_named_by_its_origin_in_links(client: httpx.Client, demo: Demo) -> None:
    origin = client.get(f"/api/documents/{demo.ids['A01']}").json()["origin"]
    links = client.get("/api/links", params={"document": origin}).json()["links"]
    assert [(x["a"], x["b"], x["kind"]) for x in links] == [(demo.ids["A01"], demo.ids["A02"], "translation")]
    every = client.get("/api/links").json()["links"]
    assert len(every) >= 3 and {x["kind"] for x in every} == {"translation"}
    assert client.get("/api/links", params={"kind": "duplicate"}).json() == {"links": []}


def test_english_search_finds_the_french_and_indonesian_copies(client: httpx.Client, demo: Demo) -> None:
    body = client.get("/api/search", params={"q": "Project Nightwater leaked documents"})
    results = body.json()["results"]
    assert {"id", "title", "language", "score"} <= set(results[0])
    assert results[0]["id"] == demo.ids["A06"]
    assert {r["id"] for r in results[:3]} == {demo.ids["A06"], demo.ids["A12"], demo.ids["A09"]}
    only_fr = client.get("/api/search", params={"q": "leaked files about a lab", "lang": "fr"}).json()["results"]
    assert only_fr and {r["language"] for r in only_fr} == {"fr"}


def test_compare_marks_what_the_translation_dropped(client: httpx.Client, demo: Demo) -> None:
    body = client.get("/api/compare", params={"a": demo.ids["A06"], "b": demo.ids["A09"]}).json()
    assert body["a"]["id"] == demo.ids["A06"] and body["b"]["language"] == "fr"
    dropped = [r["a"] for r in body["rows"] if r["mark"] == "-"]
    assert any(DENIAL_MARK in text for text in dropped)
    aligned = [r for r in body["rows"] if r["mark"] == "="]
    assert len(aligned) > 10 and all(r["a"] and r["b"] and r["similarity"] > 0 for r in aligned)
    assert 0.7 < body["coverage_a"] < 0.95 and body["coverage_b"] > 0.9


@pytest.mark.parametrize("path", ["/api/documents", "/api/links", "/", "/search?q=Kastrel"])
def test_gets_carry_etags_and_revalidate(client: httpx.Client, path: str) -> None:
    first = client.get(path)
    etag = first.headers["etag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(path, headers={"If-None-Match": f'W/{etag}, "other"'}).status_code == 304
    changed = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200 and changed.content == first.content


def test_etag_differs_per_document(client: httpx.Client, demo: Demo) -> None:
    tags = {client.get(f"/api/documents/{i}").headers["etag"] for i in demo.ids.values()}
    assert len(tags) == len(demo.ids)


def test_openapi_describes_the_contract_routes(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {"/api/documents", "/api/documents/{doc_id}", "/api/search", "/api/links", "/api/compare",
            "/api/ingest", "/api/narratives", "/api/narratives/{cluster_id}", "/api/stories"} <= set(paths)
    assert "post" in paths["/api/ingest"] and "401" in paths["/api/ingest"]["post"]["responses"]
    assert {"HTTPBearer", "APIKeyHeader"} <= set(schema["components"]["securitySchemes"])
    assert not any(p == "/" or p.startswith(("/documents", "/search", "/narratives", "/stories")) for p in paths)


def test_docs_are_served_without_a_network(client: httpx.Client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "http://" not in page.text and "https://" not in page.text
    for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/static/swagger-init.js"):
        assert client.get(asset).status_code == 200, asset


def test_pages_forbid_inline_script_and_framing(client: httpx.Client) -> None:
    csp = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert client.get("/api/documents").headers["x-content-type-options"] == "nosniff"
