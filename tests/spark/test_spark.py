"""The Spark job against the embedded pipeline: same inputs, same answers, in both stores.

Spark runs in local mode on two cores (a real JVM, real Python workers). The input
is the demo corpus (every format: text, HTML, a WARC, a feed, JSON Lines), a copy
of one of its articles under another name and a file of binary junk, so reading
order, duplicates and rejections all have to come out as `narratrace ingest` has them.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from narratrace.cli import main

DEMO = Path(__file__).resolve().parents[2] / "demo" / "corpus"
COMPARED = ("documents", "links", "stories", "narratives", "citations", "entities", "claims")

if importlib.util.find_spec("pyspark") is None or shutil.which("java") is None:
    pytest.skip("pyspark (pip install -e '.[test]') and Java 17+ are needed to run Spark", allow_module_level=True)


def _export(db: str, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(["export", "--db", db, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    extra = tmp_path_factory.mktemp("extra")
    shutil.copy(DEMO / "text" / "alufuq-merensk-2019.txt", extra / "copy-of-alufuq.txt")
    (extra / "junk.txt").write_bytes(bytes(range(256)) * 64)
    return [str(DEMO), str(extra)]


@pytest.fixture(scope="module")
def job(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("spark") / "out"
    assert main(["spark", "ingest", *inputs, "--out", str(out)]) == 1  # the junk is rejected
    return out


def test_spark_then_load_gives_what_ingest_gives(inputs: list[str], job: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    embedded, loaded = str(tmp_path / "embedded.db"), str(tmp_path / "loaded.db")
    assert main(["ingest", *inputs, "--db", embedded, "--quiet"]) == 1
    assert main(["load", str(job), "--db", loaded, "--quiet"]) == 1
    captured = capsys.readouterr()
    assert "new 30, duplicate of stored 1, rejected 1" in captured.out
    assert "junk.txt" in captured.err
    want, got = _export(embedded, capsys), _export(loaded, capsys)
    assert len(got["documents"]) == 30 and len(got["links"]) >= 20
    for table in COMPARED:
        assert got[table] == want[table], table
    assert main(["load", str(job), "--db", loaded, "--quiet"]) == 1
    assert "new 0, duplicate of stored 31" in capsys.readouterr().out


def test_the_job_writes_its_links_and_counts_them(job: Path) -> None:
    manifest = json.loads((job / "_narratrace.json").read_text(encoding="utf-8"))
    assert manifest["links"] >= 20 and any((job / "links").glob("*.parquet"))


def test_the_job_encodes_the_leads_clustering_needs(job: Path, tmp_path: Path) -> None:
    """The demo corpus mixes USE's languages with Indonesian, so clustering needs every document in e5:
    the job's tasks encode the leads, and loading encodes none."""
    from narratrace.cluster.bridge import BRIDGE_MODEL
    from narratrace.settings import Settings
    from narratrace.spark.load import load
    from narratrace.store import open_store

    manifest = json.loads((job / "_narratrace.json").read_text(encoding="utf-8"))
    assert manifest["bridged"] >= 10
    with open_store(str(tmp_path / "loaded.db")) as store:
        summary = load(job, store, Settings())
        assert summary.new == 30 and summary.seconds["cluster: bridge encoding"] == 0.0
        assert all(BRIDGE_MODEL in store.vectors_of(doc.id) for doc in store.documents())


def test_spark_candidates_are_the_candidate_index_s(job: Path) -> None:
    """Every pair, reason and anchor score of the Spark joins, against the embedded index fed in reading order."""
    from narratrace.enrich.embeddings import E5Encoder, UseEncoder, calibrate
    from narratrace.link.candidates import CandidateIndex, CandidateSettings
    from narratrace.link.linker import own_space
    from narratrace.model import Document
    from narratrace.spark.job import DOCUMENTS, session
    from narratrace.spark.linking import in_reading_order
    from narratrace.spark.load import read_rows
    from narratrace.spark.pairs import candidate_pairs

    index, want = CandidateIndex(), set()
    calibrators = {e.name: (lambda c, e=e: calibrate(e, c)) for e in (UseEncoder, E5Encoder)}  # type: ignore[misc]
    seen: set[str] = set()
    for doc in read_rows(job):
        if not isinstance(doc, Document) or doc.id in seen or doc.fingerprint is None:
            continue
        seen.add(doc.id)
        space = own_space(doc.language)
        centroids = {space: doc.vectors[space].centroid().astype("float16")} if space in doc.vectors else {}
        for other, found in index.candidates(doc.fingerprint, centroids, calibrators).items():
            want.add((doc.id, other, tuple(found.reasons)))
        index.add(doc.id, doc.fingerprint, centroids)
    spark = session("local[2]")
    try:
        docs = in_reading_order(spark, spark.read.parquet(str(job / DOCUMENTS)))
        got = {(r["id"], r["other"], tuple(r["reasons"])) for r in candidate_pairs(spark, docs, CandidateSettings()).collect()}
    finally:
        spark.stop()
    assert len(want) >= 40 and got == want


def test_load_into_a_store_with_documents_links_there(inputs: list[str], job: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The job's links compare its documents with each other only: a store that held documents
    before links the loaded ones against them itself, as a second ingest would."""
    embedded, loaded = str(tmp_path / "embedded.db"), str(tmp_path / "loaded.db")
    for db in (embedded, loaded):
        assert main(["ingest", str(DEMO / "text"), "--db", db, "--quiet"]) == 0
    assert main(["ingest", *inputs, "--db", embedded, "--quiet"]) == 1
    assert main(["load", str(job), "--db", loaded, "--quiet"]) == 1
    want, got = _export(embedded, capsys), _export(loaded, capsys)
    assert len(got["documents"]) == 30 and got["links"] == want["links"]
    before = {d["id"] for d in got["documents"] if "/text/" in d["origin"]}
    assert any((link["a"] in before) != (link["b"] in before) for link in got["links"])


def test_load_into_postgresql(job: Path, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sqlite = str(tmp_path / "loaded.db")
    assert main(["load", str(job), "--db", sqlite, "--quiet"]) == 1
    assert main(["load", str(job), "--db", pg_url, "--quiet"]) == 1
    want, got = _export(sqlite, capsys), _export(pg_url, capsys)
    for table in ("documents", "links", "claims"):
        assert got[table] == want[table], table


def test_bad_directories_are_one_line(job: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", str(tmp_path), "--db", str(tmp_path / "x.db"), "--quiet"]) == 2
    assert main(["spark", "ingest", str(DEMO / "text"), "--out", str(job)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert [line.split(":")[0] for line in lines[-2:]] == ["narratrace", "narratrace"]
    assert "no finished `narratrace spark ingest` output" in lines[-2] and "exists" in lines[-1]
