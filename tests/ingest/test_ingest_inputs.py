"""Files, folders and globs in; every bad input is a Rejection, never an exception."""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narratrace.ingest import READERS, read_file, read_inputs
from narratrace.ingest.base import Reader, ReadOptions
from narratrace.model import Document
from ingest_samples import PNG_1X1, documents, only_document, only_rejection, read, rejections, write

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def test_reader_order_puts_text_last() -> None:
    assert [reader.name for reader in READERS] == ["warc", "feed", "html", "json", "csv", "text"]


def test_text_file(tmp_path: Path) -> None:
    doc = only_document(read(write(tmp_path, "note.md", "\n\n  # Titre\n\nUn paragraphe.\r\n  \n")))
    assert doc.text == "# Titre\n\nUn paragraphe."
    assert doc.origin == str(tmp_path / "note.md")
    assert doc.meta["format"] == "text"


def test_a_file_opening_with_a_long_run_of_spaces_is_read_as_text(tmp_path: Path) -> None:
    """Found by benchmarks/fuzz.py: the feed and page sniffers backtracked over every way of
    cutting leading whitespace, so 40 spaces before prose never finished sniffing."""
    doc = only_document(read(write(tmp_path, "indented.txt", " \t" * 2000 + "Un paragraphe, enfin.\n")))
    assert doc.text == "Un paragraphe, enfin."
    feed = only_document(read(write(tmp_path, "feed.xml", " " * 3000 + "<!-- c --> <?xml version='1.0'?>\n"
                                    "<rss version='2.0'><channel><item><title>T</title>"
                                    "<description>Le corps de l'article.</description></item></channel></rss>")))
    assert feed.meta["format"] == "feed"


@pytest.mark.parametrize(
    "content, expected",
    [
        ("Noël à l’hôpital, déjà reçu.".encode("cp1252"), "Noël à l’hôpital, déjà reçu."),
        ("Noël à l'hôpital, déjà reçu.".encode("latin-1"), "Noël à l'hôpital, déjà reçu."),
        ("Les États-Unis".encode("utf-8").decode("cp1252").encode("utf-8"), "Les États-Unis"),
        ("\ufeffTexte en UTF-16, «ok».".encode("utf-16"), "Texte en UTF-16, «ok»."),
    ],
    ids=["cp1252", "latin-1", "double-encoded", "utf-16-bom"],
)
def test_text_encodings(tmp_path: Path, content: bytes, expected: str) -> None:
    assert only_document(read(write(tmp_path, "t.txt", content))).text == expected


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b" \n\t\n", "empty"),
        (PNG_1X1, "binary content, not text"),
        (os.urandom(2048), "binary content, not text"),
    ],
    ids=["empty", "whitespace", "png", "random"],
)
def test_hostile_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path, "x.txt", content)
    assert only_rejection(read(path)).reason == reason


def test_missing_path() -> None:
    rejection = only_rejection(read("/no/such/narratrace/file.txt"))
    assert (rejection.origin, rejection.reason) == ("/no/such/narratrace/file.txt", "no such file or directory")


def test_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", "x" * 101)
    rejection = only_rejection(read(path, options=ReadOptions(max_bytes=100)))
    assert rejection.reason == "file too large (101 bytes > limit of 100)"


def test_folder_recursive_sorted_without_hidden(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.txt", "a/deeper/y.txt", "c/x.txt", ".hidden.txt", ".git/config.txt", "a/.cache/w.txt"]:
        write(tmp_path, f"corpus/{name}", f"content of {name}")
    folder = str(tmp_path / "corpus")
    origins = [doc.origin for doc in documents(read(folder))]
    assert origins == [os.path.join(folder, rel) for rel in ["a/deeper/y.txt", "a/z.txt", "b.txt", "c/x.txt"]]


def test_relative_folder_origins_are_joined_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "data/sub/one.txt", "one")
    monkeypatch.chdir(tmp_path)
    assert [doc.origin for doc in documents(read("data/"))] == ["data/sub/one.txt"]
    assert [doc.origin for doc in documents(read("data"))] == ["data/sub/one.txt"]


def test_glob(tmp_path: Path) -> None:
    for name in ["one.txt", "two.txt", "skip.csv", "sub/three.txt"]:
        write(tmp_path, name, f"text {name}")
    origins = [doc.origin for doc in documents(read(f"{tmp_path}/**/*.txt"))]
    assert origins == [f"{tmp_path}/one.txt", f"{tmp_path}/sub/three.txt", f"{tmp_path}/two.txt"]
    assert only_rejection(read(f"{tmp_path}/*.nothing")).reason == "no files match the pattern"


def test_gzip_text(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt.gz", gzip.compress("Texte compressé.".encode("utf-8")))
    assert only_document(read(path)).text == "Texte compressé."


def test_gzip_jsonl(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl.gz", gzip.compress(b'{"text": "one"}\n{"text": "two"}\n'))
    assert [doc.origin for doc in documents(read(path))] == [f"{path}#1", f"{path}#2"]


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(("Un texte assez long. " * 200).encode("utf-8"))
    path = write(tmp_path, "cut.txt.gz", data[: len(data) // 2])
    assert only_rejection(read(path)).reason == "truncated gzip stream"


def test_gzip_bomb(tmp_path: Path) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    data = b"".join(compressor.compress(b"\0" * (1 << 20)) for _ in range(20)) + compressor.flush()
    path = write(tmp_path, "bomb.txt.gz", data)
    assert path.stat().st_size < 100_000
    rejection = only_rejection(read(path, options=ReadOptions(max_bytes=5 << 20)))
    assert rejection.reason == f"decompressed size exceeds limit ({5 << 20} bytes)"


def test_directory_and_special_files(tmp_path: Path) -> None:
    assert only_rejection(list(read_file(tmp_path, "dir", ReadOptions()))).reason == "is a directory"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert only_rejection(read(fifo)).reason == "not a regular file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", "secret")
    path.chmod(0)
    assert only_rejection(read(path)).reason == "permission denied"


def test_bad_inputs_do_not_stop_good_ones(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", "good")
    bad = write(tmp_path, "bad.txt", PNG_1X1)
    results = read(bad, "/missing", good)
    assert [type(result).__name__ for result in results] == ["Rejection", "Rejection", "Document"]


def test_seed_articles() -> None:
    seeds = SHARED_DATA / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"../shared/data absent: no seed articles at {seeds}")
    results = list(read_inputs([str(seeds)], ReadOptions()))
    assert len(results) == 5 and all(isinstance(result, Document) for result in results), results
    assert all(doc.meta["format"] == "text" and len(doc.text) > 1000 for doc in documents(results))
    assert documents(results)[4].text.startswith("[BREAKING]")
    assert len({doc.id for doc in documents(results)}) == 5


FORMAT_PREFIXES = [
    b"",
    b"WARC/1.0\r\n",
    b"\x1f\x8b\x08\x00",
    b"<rss><channel><item>",
    b"<!doctype html><p>",
    b'{"text": ',
    b"[{",
    b"text,title\n",
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.sampled_from(FORMAT_PREFIXES),
    body=st.one_of(st.binary(max_size=3000), st.text(max_size=500).map(lambda text: text.encode("utf-8"))),
)
def test_random_bytes_never_raise(tmp_path: Path, prefix: bytes, body: bytes) -> None:
    """Whatever follows a format's opening bytes, reading yields results and raises nothing."""
    data = prefix + body
    path = write(tmp_path, "random.bin", data)
    for result in read(path):
        assert rejections([result]) or documents([result])


@pytest.mark.parametrize("reader", READERS, ids=[reader.name for reader in READERS])
def test_readers_yield_rejections_when_called_directly(tmp_path: Path, reader: Reader) -> None:
    path = write(tmp_path, "junk.bin", PNG_1X1)
    results = list(reader.read(path, "junk.bin", ReadOptions()))
    assert results and all(result.origin.startswith("junk.bin") for result in rejections(results))
    assert documents(results) == []


def test_recursive_glob_reads_each_file_once(tmp_path: Path) -> None:
    for name in ["a.txt", "sub/b.txt"]:
        write(tmp_path, f"data/{name}", f"text {name}")
    origins = [doc.origin for doc in documents(read(f"{tmp_path}/data/**"))]
    assert sorted(origins) == [f"{tmp_path}/data/a.txt", f"{tmp_path}/data/sub/b.txt"]


@settings(max_examples=300, deadline=None)
@given(head=st.binary(max_size=200), suffix=st.sampled_from([".txt", ".csv", ".tsv.gz", ""]))
def test_sniffers_never_raise(head: bytes, suffix: str) -> None:
    for reader in READERS:
        assert reader.sniff(Path(f"file{suffix}"), head) in (True, False)
    assert READERS[-1].sniff(Path("any"), head)
