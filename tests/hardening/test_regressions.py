"""Inputs that crashed or corrupted something when `benchmarks/fuzz.py` found them, each in its minimal form."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hardening_samples import documents, read, rejections, store_results

from narratrace.factchecks.importer import read_factchecks
from narratrace.factchecks.records import FactCheck, FieldMap
from narratrace.ingest.base import ReadOptions, Rejection
from narratrace.ingest.decode import decode_bytes
from narratrace.ingest.tabular import JsonReader
from narratrace.ingest.warc import WarcReader
from narratrace.provenance.entities import extract_entities
from narratrace.provenance.gazetteer import Gazetteer

DEEP = 100_000


def test_deeply_nested_json_is_one_clear_rejection(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('[{"a":' * DEEP + "1" + "}]" * DEEP)
    (rejection,) = read(path)
    assert rejection == Rejection(str(path), "invalid JSON: nested too deeply (line 1, column 1)")


def test_a_deeply_nested_json_line_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text('{"text": "one"}\n' + '{"text":' * DEEP + '"x"' + "}" * DEEP + '\n{"text": "three"}\n')
    results = read(path)
    assert [d.text for d in documents(results)] == ["one", "three"]
    assert [(r.origin, r.reason) for r in rejections(results)] == [
        (f"{path}#2", "invalid JSON line: nested too deeply (column 1)")]


@pytest.mark.parametrize("fmt", [None, "claimreview", "gfc"])
def test_deeply_nested_factcheck_json_is_rejected_not_raised(tmp_path: Path, fmt: str | None) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * DEEP + "]" * DEEP)
    (rejection,) = read_factchecks(path, FieldMap(), fmt)
    assert isinstance(rejection, Rejection) and "nested too deeply" in rejection.reason


def test_claimreview_nested_deeper_than_python_recursion_is_found(tmp_path: Path) -> None:
    review = ('{"@type": "ClaimReview", "claimReviewed": "The river was poisoned.", '
              '"reviewRating": {"alternateName": "False"}}')
    depth = 800  # json parses it; walking it by recursion, under the fuzzer's or pytest's own frames, did not
    path = tmp_path / "nested.json"
    path.write_text('{"a":' * depth + f"[{review}]" + "}" * depth)
    (found,) = read_factchecks(path, FieldMap())
    assert isinstance(found, FactCheck) and found.claim == "The river was poisoned."


@pytest.mark.parametrize("language", ["zh", "ja", "ko"])
def test_entities_in_languages_whose_word_lists_need_optional_tokenizers(language: str) -> None:
    # wordfreq lists these languages but imports jieba or MeCab to read them; neither is installed.
    entities = extract_entities("Selon l'agence VNA, Merensk a fermé les plages.", language, Gazetteer.load())
    assert "Merensk" in [e.name for e in entities]


def test_lone_surrogate_in_a_json_date_does_not_break_the_store(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text('{"text": "Un article.", "date": "2020\\udc00"}\n{"text": "Un autre.", "date": "x\\ud800"}\n')
    results = read(path)
    assert len(documents(results)) == 2
    with store_results(tmp_path / "s.db", results) as store:
        assert [d.meta["unparsed_date"] for d in store.documents()] == ["2020\ufffd", "x\ufffd"]


def test_file_names_that_are_not_utf8_are_stored_as_escapes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (Path(os.fsdecode(bytes(folder) + b"/caf\xe9.txt"))).write_bytes(b"Un article sur la riviere Ostra.")
    (Path(os.fsdecode(bytes(folder) + b"/vide\xff.txt"))).write_bytes(b"")
    results = read(folder)
    assert sorted(r.origin for r in results) == [f"{folder}/caf\\xe9.txt", f"{folder}/vide\\xff.txt"]
    with store_results(tmp_path / "s.db", results) as store:
        assert store.get(f"{folder}/caf\\xe9.txt") is not None


def test_warc_response_without_target_uri_is_a_rejection(tmp_path: Path) -> None:
    # warcio itself fails on it (AttributeError on the missing URI); the reader must say so and not raise.
    path = tmp_path / "no-uri.warc"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>x</p>"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http; msgtype=response\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(http) + http + b"\r\n\r\n")
    (rejection,) = WarcReader().read(path, "no-uri.warc", ReadOptions())
    assert isinstance(rejection, Rejection) and rejection.reason.startswith("truncated or corrupt WARC record 1")


def test_jsonl_is_streamed_with_the_same_results_as_a_whole_read(tmp_path: Path) -> None:
    # Streaming JSON Lines (for memory) must read what reading the whole file read, line numbers included.
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "Un article."}\r\n\r\n{"title": "sans texte"}\n{"text": "Café crème"}\nnot json\n')
    whole = JsonReader()._read_lines(decode_bytes(path.read_bytes()), str(path), ReadOptions())
    assert read(path) == list(whole)
    assert [r.origin.rsplit("#")[1] for r in read(path)] == ["1", "3", "4", "5"]


def test_a_cp1252_line_among_utf8_lines_is_decoded_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes('{"text": "Crème brûlée."}\n'.encode() + '{"text": "Café noir."}\n'.encode("cp1252"))
    assert [d.text for d in documents(read(path))] == ["Crème brûlée.", "Café noir."]
