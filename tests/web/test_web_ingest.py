"""`POST /api/ingest`: the token, hostile file names, and the pipeline behind it, on a fresh store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from web_samples import Live, serve

ARTICLE = (
    b"Fishermen in Soltva reported on Tuesday that the river Ostra had turned a murky green colour.\n\n"
    b"The regional water authority said it had taken samples at four points along the river. "
    b"Results are expected within two weeks, according to a spokesperson for the authority.\n\n"
    b"Residents were advised not to swim or fish in the river until the results are published."
)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Live, Path]]:
    folder = tmp_path_factory.mktemp("ingest")
    for live in serve(folder / "fresh.db"):
        yield live, folder


def _count(client: httpx.Client) -> int:
    return len(client.get("/api/documents").json()["documents"])


def test_ingest_refuses_without_the_right_token(fresh: tuple[Live, Path]) -> None:
    live, _ = fresh
    with httpx.Client(base_url=live.url) as client:
        for headers in ({}, {"X-Token": "wrong"}, {"Authorization": "Bearer wrong"},
                        {"Authorization": f"Basic {live.token}"}):
            r = client.post("/api/ingest", files={"files": ("a.txt", ARTICLE)}, headers=headers)
            assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
            assert r.headers["www-authenticate"] == "Bearer"
        assert _count(client) == 0


def test_ingest_stores_uploads_under_safe_names(fresh: tuple[Live, Path]) -> None:
    live, folder = fresh
    hostile_name = "../../" + "escaped.txt"
    files = [("files", (hostile_name, ARTICLE)), ("files", ("empty.txt", b""))]
    with httpx.Client(base_url=live.url, timeout=300) as client:
        r = client.post("/api/ingest", files=files, headers={"X-Token": live.token})
        assert r.status_code == 200, r.text
        report = r.json()
        assert (report["read"], report["new"], report["duplicates"]) == (1, 1, 0)
        assert [d["file"] for d in report["documents"]] == [hostile_name]
        assert [x["file"] for x in report["rejected"]] == ["empty.txt"] and report["rejected"][0]["reason"]
        doc = client.get(f"/api/documents/{report['documents'][0]['id']}").json()
        assert doc["language"] == "en" and doc["title"].startswith("Fishermen in Soltva")
        origin = Path(doc["origin"])
        assert origin.name == "0000-escaped.txt" and origin.parent.name.startswith("narratrace-upload-")
        assert not origin.exists(), "the upload folder is removed after the ingest"
        assert not (folder.parent / "escaped.txt").exists() and not Path("/tmp/escaped.txt").exists()

        again = client.post("/api/ingest", files={"files": ("copy.txt", ARTICLE)},
                            headers={"Authorization": f"Bearer {live.token}"}).json()
        assert (again["new"], again["duplicates"]) == (0, 1)
        assert _count(client) == 1


def test_ingest_without_files_is_a_json_422(fresh: tuple[Live, Path]) -> None:
    live, _ = fresh
    r = httpx.post(f"{live.url}/api/ingest", headers={"X-Token": live.token})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
