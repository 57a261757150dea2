"""Size, depth and count limits: hostile inputs are refused with a clear reason, quickly, in bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
from hardening_samples import deflated_zeros, documents, gzip_bomb, read, rejections

from narratrace.ingest import read_inputs
from narratrace.ingest.base import ReadOptions
from narratrace.model import Document

MIB = 1 << 20
SMALL = ReadOptions(max_bytes=MIB)


def _peak_rss_mib(code: str) -> tuple[float, float, str]:
    """Seconds, peak RSS (MiB) and output of `code` run in a fresh interpreter, so the peak is its own.

    The peak is VmHWM, not ru_maxrss: Linux carries the forking parent's peak into the
    child's ru_maxrss across exec, so a large pytest process would inflate it."""
    probe = (f"{code}\nimport re\n"
             "print(int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1]) // 1024)")
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=600, check=True)
    *output, peak = done.stdout.strip().split("\n")
    return time.monotonic() - start, float(peak), "\n".join(output)


def test_small_gzip_inflating_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip_bomb(64 * MIB))
    assert path.stat().st_size < 200_000
    (rejection,) = read(path, options=SMALL)
    assert rejection.reason == f"decompressed size exceeds limit ({MIB} bytes)"


def test_gzip_bomb_of_json_lines_is_refused_while_streaming(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl.gz"
    path.write_bytes(deflated_zeros(64 * MIB, prefix=b'{"text": "one"}\n{"text": "two"}\n{"text": "'))
    results = read(path, options=SMALL)
    assert [d.text for d in documents(results)] == ["one", "two"]
    assert [r.reason for r in rejections(results)] == [f"decompressed size exceeds limit ({MIB} bytes)"]


def test_one_gigabyte_gzip_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip_bomb(1 << 30))
    seconds, peak, output = _peak_rss_mib(
        f"from narratrace.ingest import read_inputs\nprint(*[r.reason for r in read_inputs([{str(path)!r}])])")
    assert output == f"decompressed size exceeds limit ({ReadOptions().max_bytes} bytes)"
    assert peak < 500, (seconds, peak)


def test_ten_gigabyte_sparse_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as fh:
        fh.truncate(10 << 30)
    (rejection,) = read(path)
    assert rejection.reason == f"file too large ({10 << 30} bytes > limit of {ReadOptions().max_bytes})"


def test_warc_record_inflating_past_the_limit_is_refused_and_the_next_is_read(tmp_path: Path) -> None:
    def record(uri: str, body: bytes, declared: int | None = None) -> bytes:
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
        length = len(http) + (len(body) if declared is None else declared)
        return (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
                "Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {length}\r\n\r\n").encode() + http + body

    page = b"<html><body><article><p>" + b"Un article sur la riviere Ostra. " * 20 + b"</p></article></body></html>"
    bomb = deflated_zeros(64 * MIB, prefix=record("https://ex.fr/bomb", b"", declared=64 * MIB), suffix=b"\r\n\r\n")
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(bomb + deflated_zeros(0, prefix=record("https://ex.fr/page", page) + b"\r\n\r\n"))
    assert path.stat().st_size < 200_000
    results = read(path, options=SMALL)
    assert [(r.origin, r.reason) for r in rejections(results)] == [
        (f"{path}#https://ex.fr/bomb", f"response too large (> {MIB} bytes)")]
    assert [d.url for d in documents(results)] == ["https://ex.fr/page"]


def test_deeply_nested_html_is_read_or_refused_without_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<!DOCTYPE html><html><body>" + "<div>" * 100_000 + "<p>" + "Un article. " * 50 + "</p>")
    start = time.monotonic()
    assert len(read(path)) == 1
    assert time.monotonic() - start < 60


def test_an_enormous_single_line_is_refused_as_too_long(tmp_path: Path) -> None:
    text = tmp_path / "line.txt"
    text.write_text("mot " * MIB)
    record = tmp_path / "line.jsonl"
    record.write_text(json.dumps({"text": "mot " * MIB}) + "\n" + json.dumps({"text": "court"}) + "\n")
    limit = ReadOptions().max_record_chars
    (too_long,) = read(text)
    assert too_long.reason == f"text too long ({4 * MIB - 1} chars > limit of {limit})"
    results = read(record)
    assert [r.reason for r in rejections(results)] == [f"text too long ({4 * MIB - 1} chars > limit of {limit})"]
    assert [d.text for d in documents(results)] == ["court"]


def test_a_million_tiny_records_stream_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "tiny.jsonl"
    n = 1_000_000
    with path.open("w") as fh:
        fh.writelines(f'{{"text": "t{i}", "id": {i}}}\n' for i in range(n))
    process = psutil.Process()
    base = peak = process.memory_info().rss
    reading = True

    def sample() -> None:
        nonlocal peak
        while reading:
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        count = sum(isinstance(r, Document) for r in read_inputs([str(path)]))
    finally:
        reading = False
        sampler.join()
    assert count == n
    # The file is ~30 MB; reading it whole cost ~150 MB here, streaming costs about nothing.
    assert (peak - base) / MIB < 50, f"peak RSS grew by {(peak - base) / MIB:.0f} MiB"
