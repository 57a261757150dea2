"""A real web server on 127.0.0.1 serving the demo corpus as a small news site.

Routes are plain data the tests change between polls (a feed that gains an
entry, a page that turns slow or broken), and every request is logged with its
time and headers so tests can check what the fetcher actually sent.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "demo"


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = True
    chunk_delay: float = 0.0
    hold: threading.Event | None = None


@dataclass
class Hit:
    at: float
    path: str
    headers: dict[str, str]
    status: int


Route = Page | Callable[[], Page]


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def requested(self, path: str) -> list[Hit]:
        with self.lock:
            return [hit for hit in self.hits if hit.path == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            route = site.routes.get(path)
            page = route() if callable(route) else route or Page(b"not found", 404, "text/plain")
            tag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
            status = page.status
            if page.etag and status == 200 and self.headers.get("If-None-Match") == tag:
                status = 304
            with site.lock:
                site.hits.append(Hit(time.monotonic(), path, dict(self.headers.items()), status))
            if page.hold is not None:
                page.hold.wait(60)
            self.send_response(status)
            self.send_header("Content-Type", page.content_type)
            if page.etag and page.status == 200:
                self.send_header("ETag", tag)
            for key, value in page.headers.items():
                self.send_header(key, value)
            body = b"" if status == 304 else page.body
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for start in range(0, len(body), 64 if page.chunk_delay else len(body) or 1):
                if page.chunk_delay:
                    time.sleep(page.chunk_delay)
                try:
                    self.wfile.write(body[start : start + 64] if page.chunk_delay else body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    return

        def log_message(self, *args: object) -> None:
            return

    return Handler


def demo_pages() -> dict[str, bytes]:
    """The demo corpus's HTML pages (the crawl's sources too) by slug: a dozen articles in six languages."""
    found = {p.stem: p.read_bytes() for p in sorted((DEMO / "corpus" / "html").glob("*.html"))}
    found.update({p.stem: p.read_bytes() for p in sorted((DEMO / "warc_src").glob("*.html"))})
    return found


def rss(site: Site, slugs: list[str], title: str = "Demo wire") -> bytes:
    """An RSS feed linking to `/articles/SLUG.html` (or to a path starting with /), newest first, as feeds list them."""
    now = datetime(2024, 7, 1, tzinfo=UTC)
    items = "".join(
        f"<item><title>{html.escape(slug)}</title>"
        f"<link>{site.url(slug if slug.startswith('/') else f'/articles/{slug}.html')}</link>"
        f"<pubDate>{format_datetime(now)}</pubDate><description>summary</description></item>"
        for slug in reversed(slugs)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{site.url('/')}</link><description>d</description>{items}</channel></rss>").encode()


def serve_articles(site: Site, slugs: list[str]) -> None:
    pages = demo_pages()
    for slug in slugs:
        site.routes[f"/articles/{slug}.html"] = Page(pages[slug])


class Hook:
    """A webhook receiver on 127.0.0.1 keeping every JSON body POSTed to it; `port` reuses a closed hook's port."""

    def __init__(self, port: int = 0) -> None:
        self.received: list[dict[str, object]] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
