"""The security review's tests: hostile strings through ingest, search and export; the token; CSRF; entities."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from hardening_samples import HOSTILE, documents, read, store_results, write_jsonl

from narratrace.cli import main
from narratrace.model import Document, Published
from narratrace.store.sqlite import SQLiteStore
from narratrace.web.app import create_app
from narratrace.web.cli import served_hosts

TOKEN = "hardening-token-5c1e"
TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"


def _tables(db: Path) -> list[str]:
    with SQLiteStore(db) as store:
        return [row[0] for row in store._db.execute(TABLES)]


@pytest.fixture()
def hostile_store(tmp_path: Path) -> tuple[Path, list[Document]]:
    """Every hostile string in every field a reader fills, the origin included (as a file name)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n, value in enumerate(HOSTILE):
        name = f"{n}-" + value.replace("/", "_")[:60] + ".jsonl"  # a leading dot would hide the file
        write_jsonl(folder / name, [{"text": f"{value} texte {n}", "title": value, "outlet": value,
                                     "url": value, "lang": value, "id": value, "date": value}])
    results = read(folder)
    docs = documents(results)
    assert len(docs) == len(HOSTILE)
    store_results(tmp_path / "hostile.db", results).close()
    return tmp_path / "hostile.db", docs


def test_hostile_fields_are_stored_and_read_back_intact(hostile_store: tuple[Path, list[Document]]) -> None:
    db, docs = hostile_store
    tables = _tables(db)
    with SQLiteStore(db) as store:
        for n, (doc, value) in enumerate(zip(docs, HOSTILE)):
            stored = store.get(doc.origin)
            assert stored is not None and stored.origin.endswith(f"/{n}-" + value.replace("/", "_")[:60] + ".jsonl#1")
            assert (stored.title, stored.outlet, stored.url) == (value, value, value)
            assert stored.text == doc.text and stored.meta["source_id"] == value
            assert store.get(value) is None
        assert list(store.documents(language=HOSTILE[0])) == []
        assert store.count() == len(HOSTILE) and store.integrity() == "ok"
    assert _tables(db) == tables


def test_nul_and_lone_surrogates_round_trip_the_store_or_are_refused_whole(tmp_path: Path) -> None:
    # Readers drop control characters; the store itself must keep what it is given, NUL included.
    value = "a\x00b'; DROP TABLE documents; --\u202e"
    doc = Document(origin=value, text=value, title=value, outlet=value, url=value,
                   published=Published("2022", "year", value))
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_documents([doc])
        stored = store.get(value)
        assert stored is not None
        assert (stored.origin, stored.text, stored.title, stored.outlet, stored.url) == (value,) * 5
        assert stored.published is not None and stored.published.evidence == value
        with pytest.raises(UnicodeEncodeError):
            store.add_documents([Document(origin="x", text="\ud800")])
        assert store.count() == 1 and store.integrity() == "ok"


@pytest.mark.parametrize("query", HOSTILE + ['"', "*", "AND", "NEAR(", "\x00", "a" * 100_000])
def test_hostile_keyword_queries_are_words_not_syntax(hostile_store: tuple[Path, list[Document]], query: str) -> None:
    db, _ = hostile_store
    with SQLiteStore(db) as store:
        hits = store.keyword_search(query, 10)
        assert all(isinstance(hit.id, str) for hit in hits)
        assert store.integrity() == "ok"


def test_drop_table_query_finds_the_document_that_says_it(hostile_store: tuple[Path, list[Document]]) -> None:
    db, docs = hostile_store
    with SQLiteStore(db) as store:
        assert docs[0].id in [hit.id for hit in store.keyword_search(HOSTILE[0], 10)]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "gexf", "graphml"])
def test_export_carries_hostile_strings_intact(hostile_store: tuple[Path, list[Document]], tmp_path: Path,
                                                fmt: str) -> None:
    db, docs = hostile_store
    tables = _tables(db)
    out = tmp_path / "out" / f"export.{fmt}"
    out.parent.mkdir()
    assert main(["export", "--db", str(db), "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        titles = [d["title"] for d in json.loads(text)["documents"]]
    elif fmt == "jsonl":
        titles = [r["title"] for line in text.splitlines() if (r := json.loads(line))["table"] == "documents"]
    elif fmt == "csv":
        import csv
        import io

        titles = [row["title"] for row in csv.DictReader(io.StringIO(text))]
    else:
        root = ElementTree.fromstring(text)
        attribute = "label" if fmt == "gexf" else None
        nodes = [n for n in root.iter() if n.tag.endswith("node")]
        titles = [n.get("label") if attribute else next(d.text or "" for d in n if d.get("key") == "title")
                  for n in nodes]
    assert titles == HOSTILE
    assert sorted(os.listdir(out.parent)) == [out.name], "hostile origins never become paths"
    assert _tables(db) == tables and SQLiteStore(db).integrity() == "ok"


def test_hostile_cli_arguments_are_values_not_sql(hostile_store: tuple[Path, list[Document]],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db, docs = hostile_store
    tables = _tables(db)
    for value in HOSTILE:
        assert main(["links", value, "--db", str(db)]) == 2
        assert main(["search", value, "--db", str(db), "--format", "json"]) == 0
        assert main(["compare", value, docs[0].id, "--db", str(db)]) == 2
    assert main(["links", docs[0].origin, "--db", str(db), "--format", "json"]) == 0
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == len(HOSTILE)
    assert _tables(db) == tables and SQLiteStore(db).integrity() == "ok"


def test_export_writes_exactly_where_it_is_told(hostile_store: tuple[Path, list[Document]], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # -o is the local user's own choice; a relative "../" is resolved from where they run it, like any tool.
    db, _ = hostile_store
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    assert main(["export", "--db", str(db), "-o", "../export.json"]) == 0
    assert (tmp_path / "a" / "export.json").is_file() and os.listdir(work) == []


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    db = tmp_path / "web.db"
    SQLiteStore(db).close()
    return TestClient(create_app(str(db), TOKEN))


@pytest.mark.parametrize("body, content_type", [
    ("files=a.txt&text=hello", "application/x-www-form-urlencoded"),
    (f"token={TOKEN}&x_token={TOKEN}", "application/x-www-form-urlencoded"),
    ("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nhello\r\n--b--\r\n",
     "multipart/form-data; boundary=b"),
    ("hello", "text/plain"),
])
def test_cross_site_form_posts_cannot_write(client: TestClient, body: str, content_type: str) -> None:
    # A page on another site can post these content types without a preflight, but it cannot set a header.
    for url in ("/api/ingest", f"/api/ingest?token={TOKEN}&x-token={TOKEN}"):
        response = client.post(url, content=body.encode(), headers={"content-type": content_type,
                                                                     "cookie": f"token={TOKEN}"})
        assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    assert client.get("/api/documents").json()["documents"] == []


def test_error_bodies_never_echo_the_token(client: TestClient) -> None:
    answers = [
        client.post("/api/ingest", headers={"X-Token": TOKEN + "x"}),
        client.post("/api/ingest", headers={"Authorization": f"Bearer {TOKEN[:-1]}"}),
        client.post("/api/ingest", headers={"X-Token": TOKEN}),
        client.get("/api/documents/nothing", headers={"X-Token": TOKEN}),
        client.get("/documents/nothing", headers={"X-Token": TOKEN}),
        client.get("/api/documents", params={"limit": "x"}, headers={"Authorization": f"Bearer {TOKEN}"}),
    ]
    assert [a.status_code for a in answers] == [401, 401, 422, 404, 404, 422]
    assert all(TOKEN not in a.text and TOKEN[:-1] not in a.text for a in answers)


def test_a_rebound_dns_name_cannot_read_the_served_store(tmp_path: Path) -> None:
    """A hostile page whose name resolves to 127.0.0.1 sends its own name as Host; serve answers only its own names."""
    db = tmp_path / "web.db"
    SQLiteStore(db).close()
    client = TestClient(create_app(str(db), TOKEN, hosts=served_hosts("127.0.0.1", ["news.example"])))
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000", "NEWS.example:443"):
        assert client.get("/api/documents", headers={"host": host}).status_code == 200, host
    for host in ("rebind.attacker.example", "127.0.0.1.attacker.example:8000", "", "[::1"):
        answer = client.get("/api/documents", headers={"host": host})
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "untrusted_host", host
    assert served_hosts("0.0.0.0", []) == ["*"]


def test_served_token_is_printed_once_and_never_logged(tmp_path: Path) -> None:
    """The generated token appears once, on the start line; --debug logs every request and nothing else shows it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "narratrace.cli", "serve", "--db", str(tmp_path / "s.db"),
                             "--port", str(port), "--debug"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, "narratrace serve did not start"
            try:
                httpx.get(f"{url}/api/documents", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert proc.stdout is not None
        token = proc.stdout.readline().split()[-1]
        bodies = [
            httpx.post(f"{url}/api/ingest", headers={"X-Token": token}).text,
            httpx.post(f"{url}/api/ingest", headers={"Authorization": f"Bearer {token}x"}).text,
            httpx.get(f"{url}/api/documents/nothing", headers={"X-Token": token}).text,
            httpx.get(f"{url}/search", params={"q": "x"}, headers={"X-Token": token}).text,
        ]
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert all(token not in body for body in bodies)
    assert "GET /api/documents" in out + err, "--debug logs requests, so the check below means something"
    assert (out + err).count(token) == 0, "the token is printed once, on the line already read"


XXE = '<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY sys SYSTEM "http://169.254.169.254/">]>'
ARTICLE = "La rivière Ostra a changé de couleur mardi, selon les pêcheurs de Soltva. " * 5


@pytest.mark.parametrize("name, content", [
    ("feed.xml", f'<?xml version="1.0"?>{XXE.format(root="rss")}<rss version="2.0"><channel><title>T&xxe;</title>'
                 f"<item><title>Ostra&xxe;</title><link>https://ex.fr/a</link>"
                 f"<description>{ARTICLE}&xxe;&sys;</description></item></channel></rss>"),
    ("page.html", f"{XXE.format(root='html')}<html><head><title>Ostra&xxe;</title></head>"
                  f"<body><article><p>{ARTICLE}&xxe;&sys;</p></article></body></html>"),
])
def test_external_entities_are_never_resolved(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    for result in read(path):
        assert "root:" not in str(result), "a hostile file read /etc/passwd into the store"


def test_the_fuzz_benchmark_runs_every_target(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(root / "benchmarks" / "fuzz.py"), "--count", "3",
                           "--crashes", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "inputs over 15 targets; 0 failing" in done.stdout
