"""Watch throughput and alert delay: many feeds on a local news server, `narratrace watch` following them.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/watch.py [--feeds 100] [--entries 10000]
       [--interval 5] [--probes 6]

A web server on 127.0.0.1 publishes `--entries` articles (real articles of the
shared data, made news-length as `ingest.py` makes them) spread over `--feeds`
RSS feeds, all listed at the start: the backlog a new watcher meets. `narratrace
watch` runs as a user runs it (a separate process, polling every `--interval`
seconds, 0 s between requests, an alert rules file, a webhook on loopback) and
the script times how long the backlog takes until every entry is ingested or
failed: entries/s. Then it publishes `--probes` articles of the demo corpus's
narrative (the river Ostra), one at a time, each in a feed at a known instant,
under a saved-search rule that matches them; the delay of each is the time from
its publication to its alert reaching the webhook. Printed: the backlog table
(entries, documents, failures, seconds, entries/s, peak RSS of watch and its
encoder workers) and the delay of each probe with p50 and max.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from email.utils import format_datetime
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import SHARED, corpus  # noqa: E402

DEMO = ROOT / "demo"
QUERY = "the Kastrel laboratory of Halden BioLabs is poisoning the river Ostra"


@dataclass
class Entry:
    feed: int
    path: str
    title: str
    page: bytes
    published: float


class NewsSite:
    """Feeds list their entries published so far, newest first; pages are plain article HTML."""

    def __init__(self, feeds: int) -> None:
        self.feeds = feeds
        self.entries: list[Entry] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body, kind = site.answer(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, entry: Entry) -> None:
        with self.lock:
            self.entries.append(entry)

    def answer(self, path: str) -> tuple[bytes | None, str]:
        if path == "/robots.txt":
            return b"User-agent: *\nAllow: /\n", "text/plain"
        with self.lock:
            entries = list(self.entries)
        if path.startswith("/feeds/"):
            feed = int(path.removeprefix("/feeds/").removesuffix(".xml"))
            return self.rss(feed, [e for e in entries if e.feed == feed]), "application/rss+xml"
        found = next((e.page for e in entries if e.path == path), None)
        return found, "text/html; charset=utf-8"

    def rss(self, feed: int, entries: list[Entry]) -> bytes:
        items = "".join(
            f"<item><title>{html.escape(e.title)}</title><link>{self.base}{e.path}</link>"
            f"<pubDate>{format_datetime(datetime.fromtimestamp(e.published, UTC))}</pubDate></item>"
            for e in sorted(entries, key=lambda e: -e.published)[:200])
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {feed}</title>'
                f"<link>{self.base}/</link><description>wire {feed}</description>{items}</channel></rss>").encode()


def page(title: str, text: str, published: float) -> bytes:
    day = datetime.fromtimestamp(published, UTC).isoformat()
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta property="article:published_time" content="{day}"></head>'
            f"<body><article><h1>{html.escape(title)}</h1>{paragraphs}</article></body></html>").encode()


class Webhook:
    """Receives alerts on loopback and keeps the instant each arrived."""

    def __init__(self) -> None:
        self.received: list[tuple[float, dict]] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append((time.time(), json.loads(body)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def probes(n: int) -> list[tuple[str, bytes]]:
    """(title, HTML) of the demo corpus's narrative articles published as web pages."""
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))["articles"]
    pages = [(a.get("title") or a["location"], (DEMO / a["location"]).read_bytes()) for a in truth
             if a["narrative"] and a["location"].startswith("corpus/html/")]
    if len(pages) < n:
        raise SystemExit(f"the demo corpus has {len(pages)} narrative pages; ask for at most that many probes")
    return pages[:n]


def unfinished(state: Path) -> int | None:
    """Entries listed but neither done nor failed, or None before the watcher has listed any."""
    if not state.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=1)
        try:
            listed, open_ = con.execute(
                "SELECT count(*), count(*) FILTER (WHERE state NOT IN ('done', 'failed')) FROM entries").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return open_ if listed else None


def peak_rss(proc: psutil.Process, peak: float) -> float:
    try:
        total = sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)])
    except psutil.Error:
        return peak
    return max(peak, total / 2**20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between polls of each feed")
    parser.add_argument("--probes", type=int, default=6)
    args = parser.parse_args()
    if not SHARED.is_dir():
        raise SystemExit(f"{SHARED} is absent: the backlog is made of the shared data's articles")
    # A SIGTERM (a `kill` of a long run) unwinds like Ctrl-C, so the watcher started below is
    # stopped and its folder removed; by default it would outlive the script, polling on.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    site, hook = NewsSite(args.feeds), Webhook()
    start = time.time()
    for i, doc in enumerate(corpus(args.entries)):
        title = doc["text"].split("\n", 1)[0][:90]
        site.publish(Entry(i % args.feeds, f"/articles/{i}.html", title, page(title, doc["text"], start), start))
    with tempfile.TemporaryDirectory(prefix="narratrace-watch-") as tmp:
        work = Path(tmp)
        (work / "sources.yaml").write_text(
            f"interval: {args.interval:g}s\nsources:\n"
            + "".join(f"  - {site.base}/feeds/{f}.xml\n" for f in range(args.feeds)), encoding="utf-8")
        (work / "alerts.yaml").write_text(
            f"deliver:\n  - webhook: {hook.url}\nrules:\n"
            f'  - {{name: ostra, type: saved_search, query: "{QUERY}", min_score: 0.3}}\n', encoding="utf-8")
        db = work / "watch.db"
        began = time.time()
        proc = subprocess.Popen(
            [sys.executable, "-m", "narratrace.cli", "watch", str(work / "sources.yaml"), "--db", str(db),
             "--alerts", str(work / "alerts.yaml"), "--allow-private", "--delay", "0", "--log",
             str(work / "watch.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        watched, peak = psutil.Process(proc.pid), 0.0
        state = work / "watch.db.fetch" / "state.sqlite"
        try:
            while (left := unfinished(state)) is None or left > 0:
                if proc.poll() is not None:
                    raise SystemExit(f"watch stopped (exit {proc.returncode}); see its log")
                peak = peak_rss(watched, peak)
                time.sleep(1)
            backlog = time.time() - began
            con = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
            done, failed = con.execute("SELECT count(*) FILTER (WHERE state = 'done'), "
                                       "count(*) FILTER (WHERE state = 'failed') FROM entries").fetchone()
            con.close()
            documents = sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute(
                "SELECT count(*) FROM documents").fetchone()[0]
            print(f"backlog: {args.entries} entries in {args.feeds} feeds, polled every {args.interval:g} s")
            print("entries | done | failed | documents | seconds | entries/s | peak RSS MB")
            print("-" * 74)
            print(f"{args.entries:>7} | {done:>4} | {failed:>6} | {documents:>9} | {backlog:>7.0f} | "
                  f"{args.entries / backlog:>9.1f} | {peak:>11.0f}", flush=True)
            delays = []
            for n, (title, body) in enumerate(probes(args.probes)):
                published = time.time()
                path = f"/probes/{n}.html"
                site.publish(Entry(n % args.feeds, path, title, body, published))
                deadline = published + 10 * args.interval + 300
                while time.time() < deadline and proc.poll() is None:
                    arrived = [at for at, alert in hook.received if alert["document"].get("url") == site.base + path
                               or (alert["document"].get("origin") or "").endswith(path)]
                    if arrived:
                        delays.append(arrived[0] - published)
                        break
                    peak = peak_rss(watched, peak)
                    time.sleep(0.2)
                else:
                    print(f"probe {n} ({title[:50]}): no alert within {deadline - published:.0f} s", flush=True)
                    continue
                print(f"probe {n} ({title[:50]}): alert {delays[-1]:.1f} s after publication", flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    if delays:
        delays.sort()
        print(f"\npublication to alert: {len(delays)} of {args.probes} probes alerted; p50 "
              f"{delays[len(delays) // 2]:.1f} s, max {delays[-1]:.1f} s (poll interval {args.interval:g} s)")
    return 0 if len(delays) == args.probes else 1


if __name__ == "__main__":
    sys.exit(main())
