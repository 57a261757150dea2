"""Fuzzing every reader and extractor with generated hostile inputs; the pass condition is 0 failures.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/fuzz.py [--count 10000] [--targets NAME ...]
       [--seed 0] [--crashes DIR] [--atheris TARGET --count N]

Inputs are hypothesis strategies: valid samples from `demo/corpus` and the test
fixtures, mutated (bytes flipped, spans cut, repeated or spliced with hostile
tokens, re-encoded, gzipped, truncated), beside random bytes and structures
built to hurt (deep nesting, huge lines, small gzip bombs, WARC records whose
Content-Length lies, feeds with external entities). Readers run with a 1 MiB
size limit so a bomb is cheap to make and a huge line is still read.

Printed per target: inputs run, documents accepted, rejections, and three kinds
of failure: an exception that escaped (unhandled), an internal error such as a
TypeError that only a reader's last-resort guard turned into a rejection
(guarded bug: the rest of that file is lost), and an output that breaks the
reader contract (invalid: text the store cannot write, or longer than the limit).
Each distinct failure is shrunk to a minimal input, printed and saved under
`--crashes`, to become a regression test. The exit code is 1 when any failure
was seen. `--atheris` runs one target coverage-guided under atheris instead
(`pip install atheris`; the project does not pin it, see SECURITY.md).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import re
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, Phase, find, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample, Unsatisfiable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

if "--atheris" in sys.argv:  # coverage needs narratrace's bytecode instrumented as it is first imported
    import atheris

    with atheris.instrument_imports(include=["narratrace"]):
        import narratrace.factchecks.importer
        import narratrace.ingest
        import narratrace.ingest.text_metadata
        import narratrace.provenance.citations
        import narratrace.provenance.entities
        import narratrace.web.app  # noqa: F401

from narratrace.ingest.base import ReadOptions  # noqa: E402

# An input slower than this is printed, since a reader must also stay within time.
SLOW = 2.0
CORPUS = ROOT / "demo" / "corpus"
FIXTURES = ROOT / "tests" / "factchecks" / "fixtures"
OPTIONS = ReadOptions(max_bytes=1 << 20, max_record_chars=200_000)
# Exceptions that mean a bug, not a bad input, when a guard turned them into a rejection reason.
BUG_TYPES = ("TypeError", "AttributeError", "KeyError", "IndexError", "NameError", "UnboundLocalError",
             "AssertionError", "RecursionError", "ZeroDivisionError", "MemoryError", "NotImplementedError",
             "UnicodeEncodeError", "StopIteration", "SystemError", "OverflowError")
BUG_REASON = re.compile(rf"(?:^|: )({'|'.join(BUG_TYPES)})\b")
# The WARC reader gives up on a record whatever warcio raised on it, by design: warcio raises many kinds.
CORRUPT_WARC = "truncated or corrupt WARC"
LANGUAGES = ["en", "fr", "id", "ru", "ar", "de", "es", "hi", "uk", "zh", "xx", "", "fr-FR", "EN_us", "\ud800"]
HOSTILE = [
    "'; DROP TABLE documents; --", '"', "\\", "\x00", "\u202e", "\ufeff", "\ud800", "\udfff", "\u2028", "\x85",
    "<script>alert(1)</script>", "{{ 7 * 7 }}", "%s%n%x", "../../etc/passwd", "\r\n\r\n", "]]>", "<!--",
    "&#0;", "&#xd800;", "&#99999999;", "&amp;amp;", "selon ", "according to ", "« ", "Sputnik", "AFP",
    "١٢٣", "２０２２年７月１５日", "e\u0301" * 50, "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "Ⅻ", "İ", "ß" * 20, "\t" * 30,
]
TOKENS = [t.encode("utf-8", "surrogatepass") for t in HOSTILE] + [
    b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x1f\x8b", b"\x80", b"\xc3", b"\xed\xa0\x80", b"\\u0000",
    b"\\ud800", b"[" * 64, b"{" * 64, b"<div>" * 64, b"<![CDATA[", b"<?xml version='1.0' encoding='utf-7'?>",
    b"\r\nContent-Length: 999999999\r\n", b"WARC/1.0\r\n", b"\r\n\r\n", b"-1", b"NaN", b"1e999999",
]


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _seeds(*patterns: str, folder: Path = CORPUS) -> list[bytes]:
    return [p.read_bytes() for pattern in patterns for p in sorted(folder.glob(pattern)) if p.is_file()]


# Small inputs that inflate past OPTIONS.max_bytes: one member, many members, and a WARC record of zeros.
BOMBS = [
    _gz(b"\0" * (4 << 20)),
    b"".join(_gz(b"A" * (256 << 10)) for _ in range(6)),
    _gz(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://ex.fr/\r\nContent-Type: application/http; msgtype=response\r\n"
        b"Content-Length: 4194400\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + b"\0" * (4 << 20)),
    _gz(b'{"text": "' + b"a" * (3 << 20) + b'"}'),
]


# --- strategies -------------------------------------------------------------------------------------------

@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A valid sample, damaged a few times the way transfers, editors and attackers damage files."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 4))):
        n = len(data)
        at = draw(st.integers(0, n))
        end = draw(st.integers(at, min(n, at + 4096)))
        op = draw(st.sampled_from(("flip", "insert", "token", "delete", "repeat", "truncate", "encode", "gzip")))
        if op == "flip" and n:
            data[min(at, n - 1)] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(max_size=32))
        elif op == "token":
            data[at:at] = draw(st.sampled_from(TOKENS)) * draw(st.sampled_from((1, 2, 100, 5000)))
        elif op == "delete":
            del data[at:end]
        elif op == "repeat":
            data[at:at] = data[at:end] * draw(st.integers(1, 50))
        elif op == "truncate":
            del data[at:]
        elif op == "encode":
            encoding = draw(st.sampled_from(("utf-16", "utf-16-be", "utf-32", "cp1252", "cp1251", "latin-1")))
            data = bytearray(bytes(data).decode("utf-8", "replace").encode(encoding, "replace"))
        elif op == "gzip":
            packed = _gz(bytes(data))
            data = bytearray(packed[: draw(st.integers(0, len(packed)))] if draw(st.booleans()) else packed)
    return bytes(data)


def texts() -> st.SearchStrategy[str]:
    """Prose and garbage: corpus paragraphs damaged, any Unicode, cue words repeated, one huge line."""
    paragraphs = [p for raw in _seeds("text/*.txt") for p in raw.decode("utf-8").split("\n\n") if p.strip()]
    atom = st.one_of(st.sampled_from(paragraphs), st.sampled_from(HOSTILE), st.text(max_size=40),
                     st.text(st.characters(codec="utf-8", categories=["Lu", "Ll", "Zs", "P"]), max_size=60))
    return st.one_of(
        st.lists(atom, max_size=8).map("".join),
        mutated([p.encode() for p in paragraphs]).map(lambda b: b.decode("utf-8", "replace")),
        st.tuples(st.sampled_from(HOSTILE + ["Abc ", "Selon l'AFP, ", "ÖVP ", "\"", "(", "a-"]),
                  st.sampled_from((100, 2000, 20000))).map(lambda t: t[0] * t[1]),
    )


def json_values() -> st.SearchStrategy[Any]:
    keys = st.one_of(st.sampled_from(["text", "title", "date", "url", "outlet", "lang", "id", "source", "body",
                                      "@type", "@graph", "claimReviewed", "reviewRating", "alternateName", "name",
                                      "itemReviewed", "author", "datePublished", "claims", "claimReview",
                                      "textualRating", "reviewDate", "languageCode", "articles", "items"]),
                     st.text(max_size=8))
    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.sampled_from(HOSTILE),
                       st.text(max_size=30), st.sampled_from(["ClaimReview", "2022-07-15", "False",
                                                              "https://ex.fr/a", "1657870200", "15 juillet 2022"]))
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
                        max_leaves=25)


def nested(opening: str, closing: str) -> st.SearchStrategy[bytes]:
    return st.sampled_from((10, 1000, 100_000)).map(lambda n: (opening * n + closing * n).encode())


def json_files() -> st.SearchStrategy[bytes]:
    def dump(values: list[Any], lines: bool, ascii_only: bool) -> bytes:
        if lines:
            return "\n".join(json.dumps(v, ensure_ascii=ascii_only) for v in values).encode("utf-8", "surrogatepass")
        return json.dumps(values, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")

    return st.one_of(
        st.builds(dump, st.lists(json_values(), max_size=6), st.booleans(), st.booleans()),
        nested("[", "]"), nested('{"text":', "}"), nested('[{"articles":', "}]"),
        st.sampled_from((1 << 10, 1 << 19, 1 << 21)).map(lambda n: b'{"text": "' + b"x" * n + b'"}'),
    )


@st.composite
def delimited(draw: st.DrawFn) -> bytes:
    """A header of known and odd names, rows of cells with quotes, delimiters, newlines and NULs."""
    sep = draw(st.sampled_from((",", "\t", ";", "|")))
    header = draw(st.lists(st.sampled_from(["text", "title", "date", "url", "outlet", "lang", "id", "claim",
                                            "rating", "#1", "", '"q"']), min_size=1, max_size=7))
    cell = st.one_of(st.sampled_from(HOSTILE + [sep, '"', '""', "\n", "x" * 70_000]), st.text(max_size=30))
    rows = draw(st.lists(st.lists(cell, max_size=len(header) + 2), max_size=8))
    quoted = draw(st.booleans())
    text = "\n".join(sep.join(f'"{c}"' if quoted else c for c in row) for row in [header, *rows])
    return text.encode("utf-8", "surrogatepass")


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    value = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
    charset = draw(st.sampled_from(("utf-8", "utf-7", "utf-16", "cp1251", "x-unknown", "", "utf-8\x00")))
    body = draw(st.lists(st.one_of(texts(), value), max_size=6))
    page = (f'<!DOCTYPE html><html lang="{draw(value)}"><head><meta charset="{charset}">'
            f'<title>{draw(value)}</title><meta property="article:published_time" content="{draw(value)}">'
            f'<script type="application/ld+json">{draw(value)}</script></head><body>'
            f'<time datetime="{draw(value)}"></time><article>{"".join(f"<p>{p}</p>" for p in body)}</article>')
    return page.encode("utf-8", "surrogatepass")


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    value = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40)).map(
        lambda v: v.replace("&", "&amp;").replace("<", "&lt;"))
    doctype = draw(st.sampled_from((
        "", '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>')))
    entity = draw(st.sampled_from(("", "&x;", "&d;")))
    items = "".join(
        f"<item><title>{draw(value)}{entity}</title><link>{draw(value)}</link><pubDate>{draw(value)}</pubDate>"
        f"<description>{draw(value)}</description></item>"
        for _ in range(draw(st.integers(0, 5))))
    feed = (f'<?xml version="1.0" encoding="utf-8"?>{doctype}<rss version="2.0"><channel>'
            f"<title>{draw(value)}</title><language>{draw(value)}</language>{items}</channel></rss>")
    return feed.encode("utf-8", "surrogatepass")


@st.composite
def warc_records(draw: st.DrawFn) -> bytes:
    """Hand-built records: lying Content-Length, odd statuses and types, bodies cut short."""
    records = []
    for _ in range(draw(st.integers(1, 3))):
        body = draw(st.sampled_from([b"<html><body><p>" + b"Texte " * 60 + b"</p></body></html>", b"", b"\0" * 99,
                                     *TOKENS]))
        http = (f"HTTP/1.1 {draw(st.sampled_from(('200 OK', '404 Not Found', '200', 'xyz')))}\r\n"
                f"Content-Type: {draw(st.sampled_from(('text/html', 'image/png', '', 'text/html; charset=x')))}"
                "\r\n\r\n").encode() + body
        length = draw(st.sampled_from((str(len(http)), str(len(http) + 40), str(max(0, len(http) - 40)), "-5",
                                       "abc", "99999999999999999999")))
        kind = draw(st.sampled_from(("response", "request", "warcinfo", "revisit", "")))
        uri = draw(st.sampled_from(HOSTILE + ["https://ex.fr/a"]))
        head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2022-07-15T00:00:00Z\r\n"
                f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n")
        records.append(head.encode("utf-8", "surrogatepass") + http + b"\r\n\r\n")
    data = b"".join(records)
    return _gz(data) if draw(st.booleans()) else data


def files(seeds: list[bytes], *structured: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(mutated(seeds), st.binary(max_size=512), st.sampled_from(BOMBS), *structured,
                     st.sampled_from((1 << 16, (1 << 20) - 64, (1 << 20) + 64)).map(lambda n: b"A" * n))


# --- targets ----------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    accepted: int = 0
    rejected: int = 0
    guarded: str | None = None
    invalid: str | None = None


@dataclass
class Target:
    name: str
    strategy: st.SearchStrategy[Any]
    run: Callable[[Any], Outcome]
    from_bytes: Callable[[bytes], Any] = field(default=lambda data: data)


def _storable(*values: object) -> str | None:
    """Why a Document could not be written by the store (lone surrogates do not encode), or None."""
    for value in values:
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except (UnicodeEncodeError, TypeError, ValueError) as exc:
            return f"unstorable value {value!r:.80}: {type(exc).__name__}"
    return None


def judge(results: Iterable[object]) -> Outcome:
    from narratrace.ingest.base import Rejection
    from narratrace.model import Document

    outcome = Outcome()
    for item in results:
        if isinstance(item, Rejection):
            outcome.rejected += 1
            bug = None if item.reason.startswith(CORRUPT_WARC) else BUG_REASON.search(item.reason)
            bug = bug or _storable(item.origin, item.reason)
            if bug and outcome.guarded is None:
                outcome.guarded = bug[1] if isinstance(bug, re.Match) else bug
        elif isinstance(item, Document):
            outcome.accepted += 1
            published = (item.published.value, item.published.evidence) if item.published else None
            problem = _storable(item.origin, item.text, item.title, item.url, item.outlet, published, item.meta)
            if problem is None and len(item.text) > OPTIONS.max_record_chars:
                problem = f"text of {len(item.text)} chars passed the limit"
            outcome.invalid = outcome.invalid or problem
        else:
            outcome.invalid = outcome.invalid or f"yielded a {type(item).__name__}"
    return outcome


class Scratch:
    """One file, rewritten for every input: readers take paths."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="narratrace-fuzz-"))

    def write(self, data: bytes, suffix: str = ".dat") -> Path:
        path = self.folder / f"input{suffix}"
        path.write_bytes(data)
        return path


def reader_targets(scratch: Scratch) -> list[Target]:
    from narratrace.ingest import READERS, read_file

    warc_seed = _seeds("crawl/*.warc.gz")[0]
    seeds = {
        "text": _seeds("text/*.txt"), "html": _seeds("html/*.html"), "feed": _seeds("feeds/*.xml"),
        "json": _seeds("export/*.jsonl", "claimreview*", "gfc*.json", folder=FIXTURES) + _seeds("export/*.jsonl"),
        "csv": _seeds("*.csv", "*.tsv", folder=FIXTURES), "warc": [warc_seed, gzip.decompress(warc_seed)],
    }
    structured = {"text": [texts().map(lambda t: t.encode("utf-8", "surrogatepass"))], "html": [html_pages()],
                  "feed": [feeds()], "json": [json_files()], "csv": [delimited()], "warc": [warc_records()]}
    suffix = {"csv": ".csv", "json": ".jsonl", "warc": ".warc"}
    targets = []
    for reader in READERS:
        def run(data: bytes, reader: Any = reader) -> Outcome:
            return judge(reader.read(scratch.write(data, suffix.get(reader.name, ".dat")), "fuzz", OPTIONS))

        targets.append(Target(f"reader:{reader.name}", files(seeds[reader.name], *structured[reader.name]), run))
    everything = [s for group in seeds.values() for s in group]
    any_file = st.tuples(files(everything, *[s for group in structured.values() for s in group]),
                         st.sampled_from((".txt", ".csv", ".tsv", ".json", ".html", ".xml", ".gz", ".csv.gz")))
    targets.append(Target("read_file (sniffed)", any_file,
                          lambda pair: judge(read_file(scratch.write(*pair), "fuzz", OPTIONS)),
                          from_bytes=lambda data: (data, ".dat")))
    return targets


def factcheck_targets(scratch: Scratch) -> list[Target]:
    from narratrace.factchecks.importer import read_factchecks
    from narratrace.factchecks.records import FactCheck, FieldMap

    def run(pair: tuple[bytes, str | None]) -> Outcome:
        outcome = Outcome()
        for item in read_factchecks(scratch.write(pair[0]), FieldMap(), pair[1]):
            if isinstance(item, FactCheck):
                outcome.accepted += 1
                outcome.invalid = outcome.invalid or _storable(*item.record().values(), item.origin)
            else:
                outcome.rejected += 1
        return outcome

    groups = {
        "claimreview": (_seeds("claimreview*", "page_*.html", "broken.json", folder=FIXTURES), [json_files()]),
        "gfc": (_seeds("gfc*.json", folder=FIXTURES), [json_files()]),
        "csv": (_seeds("*.csv", "*.tsv", folder=FIXTURES), [delimited()]),
    }
    return [Target(f"factchecks:{name}", st.tuples(files(seeds, *structured), st.sampled_from((None, name))), run,
                   from_bytes=lambda data, name=name: (data, name))
            for name, (seeds, structured) in groups.items()]


def extractor_targets() -> list[Target]:
    from narratrace.ingest.dates import language_hint, parse_date
    from narratrace.ingest.text_metadata import read_text_metadata
    from narratrace.provenance.citations import extract_citations
    from narratrace.provenance.entities import extract_entities
    from narratrace.provenance.gazetteer import Gazetteer
    from narratrace.provenance.registry import SourceRegistry

    registry, gazetteer = SourceRegistry.load(), Gazetteer.load()
    months = ["juillet", "July", "Juli", "июля", "Juli", "يوليو", "Maret", "7月", "जुलाई", "juil.", "Jul"]
    dates = st.one_of(
        st.builds("{}{}{}{}{}".format, st.integers(-1, 99999), st.sampled_from(" /.-,T"), st.sampled_from(months),
                  st.sampled_from(" /.-,"), st.integers(-1, 99999)),
        st.sampled_from(["", "9" * 13, "9" * 11 + ".9", "1e308", "nan", "0000-00-00", "2022-13-45", "-2022",
                         "99999999", "Mon, 32 Foo 2022 99:99:99 +9999", "2022-07-15T25:61:61+99:99", "٢٠٢٢"]),
        st.integers(), st.floats(), st.booleans(), st.none(), json_values(), st.text(max_size=60),
    )
    languages = st.sampled_from(LANGUAGES + [None])

    def dated(pair: tuple[object, object]) -> Outcome:
        found = parse_date(pair[0], "fuzz", language_hint(pair[1]))
        if found is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", found.value):
            return Outcome(invalid=f"date value {found.value!r}")
        return Outcome(accepted=int(found is not None), rejected=int(found is None))

    def metadata(text: str) -> Outcome:
        found = read_text_metadata(text)
        return Outcome(accepted=1, invalid=_storable(found.title, found.outlet,
                                                     found.published and found.published.value))

    def spans(found: list[Any], text: str) -> Outcome:
        bad = next((f for f in found if not 0 <= f.start <= f.end <= len(text)), None)
        return Outcome(accepted=len(found), invalid=f"span {bad.start}-{bad.end} outside the text" if bad else None)

    def decoded(data: bytes) -> str:
        return data.decode("utf-8", "replace")

    return [
        Target("dates: parse_date", st.tuples(dates, languages), dated, from_bytes=lambda d: (decoded(d), None)),
        Target("dates: text metadata", texts(), metadata, from_bytes=decoded),
        Target("citations", st.tuples(texts(), languages),
               lambda p: spans(extract_citations(p[0], p[1], registry), p[0]), from_bytes=lambda d: (decoded(d), None)),
        Target("entities", st.tuples(texts(), languages),
               lambda p: spans(extract_entities(p[0], p[1], gazetteer), p[0]), from_bytes=lambda d: (decoded(d), None)),
    ]


def web_target(scratch: Scratch) -> Target:
    """GETs with generated query strings and path keys, and token-less POSTs, against a small store."""
    from fastapi.testclient import TestClient

    from narratrace.model import Document, Published
    from narratrace.store import open_store
    from narratrace.web.app import create_app

    db = str(scratch.folder / "web.db")
    docs = [Document(origin=f"/fuzz/{i}{h}.txt", text=f"Texte numéro {i} {h} de l'article sur la rivière Ostra.",
                     title=h, outlet=h, url=f"https://ex.fr/{quote(h)}", language=["fr", "en", None][i % 3],
                     published=Published(["2022", "2022-07", "2022-07-15"][i % 3], ["year", "month", "day"][i % 3],
                                         "fuzz"))
            for i, h in enumerate(h for h in HOSTILE if "\ud800" not in h and "\udfff" not in h)]
    with open_store(db) as store:
        store.add_documents(docs)
    client = TestClient(create_app(db, "fuzz-token"), raise_server_exceptions=True)
    value = st.one_of(st.sampled_from(HOSTILE + [d.id for d in docs] + ["2022", "0", "-1", "201", "1e9"]),
                      st.text(max_size=40))
    params = st.dictionaries(st.sampled_from(["q", "lang", "top", "outlet", "since", "until", "limit", "cursor",
                                              "document", "kind", "a", "b"]) | st.text(max_size=5), value, max_size=5)
    path = st.one_of(st.sampled_from(["/api/documents", "/api/links", "/api/search", "/api/compare", "/", "/search",
                                      "/openapi.json", "/api/nothing"]),
                     value.map(lambda v: f"/api/documents/{quote(v, safe='', errors='surrogatepass')}"),
                     value.map(lambda v: f"/documents/{quote(v, safe='', errors='surrogatepass')}"))
    query = st.one_of(params.map(lambda p: urlencode(p, encoding="utf-8", errors="surrogatepass")),
                      st.binary(max_size=60).map(lambda b: quote(b, safe="=&%")))
    post = st.tuples(st.just("POST"), st.sampled_from(["/api/ingest"]), st.binary(max_size=200).map(lambda b: b.hex()),
                     st.sampled_from(["multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                                      "application/json", "text/plain"]))

    def run(request: tuple[str, str, str, str]) -> Outcome:
        method, target, query_or_body, content_type = request
        if method == "GET":
            response = client.get(f"{target}?{query_or_body}")
        else:
            response = client.post(target, content=bytes.fromhex(query_or_body),
                                   headers={"content-type": content_type})
            if response.status_code != 401:
                return Outcome(invalid=f"token-less POST answered {response.status_code}")
        if response.status_code >= 500:
            return Outcome(invalid=f"{method} {target} answered {response.status_code}")
        if response.status_code >= 400 and target.startswith("/api/") and "error" not in response.json():
            return Outcome(invalid=f"{target} error without an error body")
        return Outcome(accepted=int(response.status_code < 400), rejected=int(response.status_code >= 400))

    get = st.tuples(st.just("GET"), path, query, st.just(""))
    return Target("web API", st.one_of(get, post), run,
                  from_bytes=lambda d: ("GET", "/api/documents", quote(d, safe="=&%"), ""))


def all_targets(scratch: Scratch) -> list[Target]:
    return [*reader_targets(scratch), *factcheck_targets(scratch), *extractor_targets(), web_target(scratch)]


# --- running ----------------------------------------------------------------------------------------------

@dataclass
class Tally:
    inputs: int = 0
    accepted: int = 0
    rejected: int = 0
    guarded: int = 0
    invalid: int = 0
    unhandled: int = 0
    slowest: float = 0.0
    slowest_input: Any = None
    seconds: float = 0.0
    failures: dict[str, Any] = field(default_factory=dict)


def signature(target: Target, value: Any) -> str | None:
    """What went wrong with one input, as a key that groups inputs failing the same way; None when nothing did."""
    try:
        outcome = target.run(value)
    except Exception as exc:  # the point of fuzzing: every escaping exception is a finding
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if "narratrace" in f.filename]
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
        return f"unhandled {type(exc).__name__} at {where}"
    if outcome.invalid:
        return f"invalid: {outcome.invalid}"
    if outcome.guarded:
        return f"guarded bug: {outcome.guarded}"
    return None


def fuzz(target: Target, count: int, random_seed: int) -> Tally:
    tally = Tally()

    @seed(random_seed)
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(target.strategy)
    def probe(value: Any) -> None:
        start = time.perf_counter()
        try:
            outcome = target.run(value)
        except Exception:  # noqa: BLE001 - counted, grouped and shrunk below
            outcome, problem = None, signature(target, value)
        else:
            problem = signature(target, value) if outcome.invalid or outcome.guarded else None
        if time.perf_counter() - start > tally.slowest:
            tally.slowest, tally.slowest_input = time.perf_counter() - start, value
        tally.inputs += 1
        if outcome is None:
            tally.unhandled += 1
        else:
            tally.accepted += outcome.accepted
            tally.rejected += outcome.rejected
            tally.guarded += bool(outcome.guarded)
            tally.invalid += bool(outcome.invalid)
        if problem and problem not in tally.failures:
            tally.failures[problem] = value

    start = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):  # warcio warns on stderr about every damaged record
        probe()
    tally.seconds = time.perf_counter() - start
    return tally


def shrink(target: Target, problem: str, example: Any) -> Any:
    """The smallest input hypothesis finds that fails the same way; the original one if it finds none."""
    try:
        return find(target.strategy, lambda value: signature(target, value) == problem,
                    settings=settings(max_examples=300, database=None, deadline=None,
                                      suppress_health_check=list(HealthCheck)))
    except (NoSuchExample, Unsatisfiable):
        return example


def report(results: list[tuple[Target, Tally]], crashes: Path) -> int:
    columns = ("target", "inputs", "accepted", "rejected", "guarded bugs", "invalid", "unhandled", "slowest s",
               "seconds")
    print(" | ".join(columns))
    print(" | ".join("---" for _ in columns))
    for target, t in results:
        print(f"{target.name} | {t.inputs} | {t.accepted} | {t.rejected} | {t.guarded} | {t.invalid} | "
              f"{t.unhandled} | {t.slowest:.2f} | {t.seconds:.1f}")
    total = sum(t.inputs for _, t in results)
    failed = sum(t.guarded + t.invalid + t.unhandled for _, t in results)
    print(f"\n{total} inputs over {len(results)} targets; {failed} failing")
    for target, t in results:
        if t.slowest > SLOW:
            print(f"- {target.name}: slowest input ({t.slowest:.1f} s): {repr(t.slowest_input)[:200]}")
        for n, (problem, example) in enumerate(t.failures.items(), 1):
            minimal = shrink(target, problem, example)
            crashes.mkdir(parents=True, exist_ok=True)
            saved = crashes / f"{re.sub(r'[^a-z]+', '-', target.name)}-{n}.repr"
            saved.write_text(repr(minimal), encoding="utf-8")
            print(f"- {target.name}: {problem}\n  minimal input ({saved}): {repr(minimal)[:300]}")
    return 1 if failed else 0


def run_atheris(target: Target, count: int) -> int:
    """Coverage-guided: atheris mutates raw bytes towards new branches; the first escaping exception stops it."""
    import atheris

    def one_input(data: bytes) -> None:
        problem = signature(target, target.from_bytes(data))
        if problem:
            raise AssertionError(problem)

    atheris.Setup([sys.argv[0], f"-runs={count}"], one_input)
    atheris.Fuzz()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--count", type=int, default=10_000, help="generated inputs per target")
    parser.add_argument("--targets", nargs="*", help="substrings of target names (default: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--crashes", type=Path, default=Path(tempfile.gettempdir()) / "narratrace-fuzz-crashes")
    parser.add_argument("--atheris", metavar="TARGET", help="run this one target under atheris instead")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="Generating overly large repr")
    scratch = Scratch()
    wanted = [args.atheris] if args.atheris else args.targets
    targets = [t for t in all_targets(scratch) if not wanted or any(w in t.name for w in wanted)]
    if not targets:
        parser.error(f"no target matches {wanted}")
    if args.atheris:
        return run_atheris(targets[0], args.count)
    results = []
    for n, target in enumerate(targets, 1):
        results.append((target, tally := fuzz(target, args.count, args.seed)))
        print(f"[{n}/{len(targets)}] {target.name}: {tally.inputs} inputs, {len(tally.failures)} failing, "
              f"{tally.seconds:.0f} s", file=sys.stderr, flush=True)
    return report(results, args.crashes)


if __name__ == "__main__":
    sys.exit(main())
