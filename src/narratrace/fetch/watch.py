"""`narratrace watch`: poll feeds and sitemaps, fetch what is new, ingest it, raise alerts.

A cycle first finishes whatever an earlier, interrupted run left half done
(pages fetched but not ingested, documents ingested but not looked at by the
alert rules), then polls the sources that are due, then fetches the pending
entries in chunks: each chunk is archived in its own WARC file, ingested through
the Pipeline from that file, and handed to the alert rules before the next
chunk starts, so the first articles of a big sitemap are searchable (and
alerted on) long before the last one is fetched. Chunks double in size while a
backlog lasts (50, 100, 200, then 400 entries): each ingest also pays for a
clustering pass over the stored state, which 50 entries at a time paid 200
times over a 10,000-entry backlog. Every step is recorded in the fetch state
(`fetch.state`) before the next one begins.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import httpx

from narratrace.alerts import Alerter
from narratrace.fetch.client import FetchConfig, Fetched, Fetcher, FetchError
from narratrace.fetch.discover import Listing, NotAListing, listing
from narratrace.fetch.inputs import HTML_TYPES, OriginStage, pipeline_with_origins
from narratrace.fetch.record import WarcRecorder
from narratrace.fetch.sources import WatchSource
from narratrace.fetch.state import Entry, FetchState, fetch_folder
from narratrace.ingest.base import Rejection
from narratrace.model import Document
from narratrace.pipeline import IngestSummary
from narratrace.settings import Settings
from narratrace.store.base import Store

MAX_SITEMAPS = 50
MAX_ATTEMPTS = 3
# A backlog's chunks grow from `chunk` entries by doubling up to this many times it.
CHUNK_GROWTH = 8


@dataclass(slots=True)
class CycleSummary:
    polled: int = 0
    listed: int = 0
    fetched: int = 0
    failed: int = 0
    new_documents: int = 0
    alerts: int = 0


class Watcher:
    def __init__(
        self,
        sources: list[WatchSource],
        settings: Settings,
        store: Store,
        state: FetchState,
        config: FetchConfig,
        alerter: Alerter | None = None,
        log: logging.Logger | None = None,
        chunk: int = 50,
    ) -> None:
        self.sources = sources
        self.store = store
        self.state = state
        self.config = config
        self.alerter = alerter
        self.log = log or logging.getLogger("narratrace.watch")
        self.chunk = chunk
        self.warc = fetch_folder(settings.db) / "warc"
        self.fetcher = Fetcher(config, state)
        self.origins = OriginStage()
        self.pipeline = pipeline_with_origins(settings, self.origins)
        self.stop = threading.Event()

    def close(self) -> None:
        self.fetcher.close()

    def run(self, once: bool = False) -> None:
        """Cycle until stopped, sleeping until the next source is due."""
        while not self.stop.is_set():
            self.cycle()
            if once:
                return
            wait = min(self.state.due_at(source.url) for source in self.sources) - time.time()
            self.stop.wait(max(1.0, wait))

    def cycle(self) -> CycleSummary:
        summary = CycleSummary()
        self._settle(summary)
        polls = WarcRecorder(self.warc, "poll")
        try:
            for source in self.sources:
                if self.stop.is_set():
                    break
                if self.state.due_at(source.url) <= time.time():
                    self._poll(source, polls, summary)
        finally:
            polls.close()
        pending = _round_robin(self.state.entries("pending"))
        start, size = 0, self.chunk
        while start < len(pending) and not self.stop.is_set():
            self._fetch(pending[start : start + size], summary)
            self._settle(summary)
            start, size = start + size, min(2 * size, CHUNK_GROWTH * self.chunk)
        self.log.info(
            "cycle: polled %d sources, %d new entries listed, fetched %d, failed %d, %d new documents, %d alerts",
            summary.polled, summary.listed, summary.fetched, summary.failed, summary.new_documents, summary.alerts)
        return summary

    def _settle(self, summary: CycleSummary) -> None:
        """Ingest what was fetched, alert on what was ingested, deliver what is pending."""
        self._ingest(self.state.entries("fetched"), summary)
        ingested = self.state.entries("ingested")
        if ingested and self.alerter is not None:
            docs = [doc for doc in (self.store.get(e.document) for e in ingested if e.document) if doc]
            summary.alerts += self.alerter.evaluate(docs)
        self.state.done(entry.url for entry in ingested)
        if self.alerter is not None:
            self.alerter.deliver()

    def _poll(self, source: WatchSource, recorder: WarcRecorder, summary: CycleSummary) -> None:
        summary.polled += 1
        due = time.time() + source.interval
        try:
            fetched = self.fetcher.fetch(source.url, recorder)
            if fetched.not_modified:
                self.log.info("polled %s: not modified", source.url)
                self.state.polled(source.url, "not modified", due)
                return
            found = listing(fetched, source.kind, self.config.max_bytes)
            children = self._children(found, recorder)
        except (FetchError, NotAListing) as exc:
            self.log.warning("poll failed, trying again in %.0f s: %s: %s", source.interval, source.url,
                             getattr(exc, "reason", exc))
            self.state.polled(source.url, f"failed: {exc}", due)
            return
        entries = found.entries + [entry for child in children for entry in child[1].entries]
        new = self.state.list_entries(source.url, entries)
        for answer in [fetched, *(child[0] for child in children)]:
            self.state.remember(answer.final_url, answer.etag, answer.last_modified)
        self.state.polled(source.url, "ok", due)
        summary.listed += len(new)
        self.log.info("polled %s (%s): %d entries, %d new", source.url, found.kind, len(entries), len(new))

    def _children(self, found: Listing, recorder: WarcRecorder) -> list[tuple[Fetched, Listing]]:
        """The sitemaps a sitemap index lists, one level deep; one that fails costs only itself."""
        children = []
        for url in found.sitemaps[:MAX_SITEMAPS]:
            try:
                fetched = self.fetcher.fetch(url, recorder)
                if not fetched.not_modified:
                    children.append((fetched, listing(fetched, "sitemap", self.config.max_bytes)))
            except (FetchError, NotAListing) as exc:
                self.log.warning("sitemap failed: %s: %s", url, getattr(exc, "reason", exc))
        return children

    def _fetch(self, entries: list[Entry], summary: CycleSummary) -> None:
        recorder = WarcRecorder(self.warc, "pages")
        try:
            for entry in entries:
                if self.stop.is_set():
                    break
                self._fetch_one(entry, recorder, summary)
        finally:
            recorder.close()

    def _fetch_one(self, entry: Entry, recorder: WarcRecorder, summary: CycleSummary) -> None:
        try:
            fetched = self.fetcher.fetch(entry.url, recorder, conditional=False)
        except FetchError as exc:
            self._failed(entry, exc.reason, exc.permanent, summary)
            return
        if fetched.content_type and fetched.content_type not in HTML_TYPES:
            self._failed(entry, f"not an HTML page (Content-Type {fetched.content_type})", True, summary)
            return
        assert fetched.archive is not None  # a recorder was given, so the response was archived
        self.state.fetched(entry.url, fetched.archive.name, fetched.final_url)
        summary.fetched += 1
        self.log.info("fetched %s (%d bytes)", entry.url, len(fetched.body))

    def _failed(self, entry: Entry, reason: str, permanent: bool, summary: CycleSummary) -> None:
        self.state.failed(entry.url, reason, permanent=permanent, max_attempts=MAX_ATTEMPTS)
        summary.failed += 1
        later = "" if permanent or entry.attempts + 1 >= MAX_ATTEMPTS else "; will try again next cycle"
        self.log.warning("fetch failed: %s: %s%s", entry.url, reason, later)

    def _ingest(self, entries: list[Entry], summary: CycleSummary) -> None:
        """Read the archives the entries were fetched into; each entry learns its document or why there is none."""
        if not entries:
            return
        keys: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            keys[f"{self.warc / str(entry.archive)}#{entry.final_url}"].append(entry)
        self.origins.origins = {key: same[0].url for key, same in keys.items()}
        outcome: dict[str, Document | Rejection] = {}

        def progress(_: IngestSummary, item: Document | Rejection) -> None:
            outcome[item.origin] = item

        archives = sorted({str(self.warc / str(entry.archive)) for entry in entries})
        result = self.pipeline.ingest(archives, self.store, progress)
        for key, same in keys.items():
            item = outcome.get(key) or _archive_problem(outcome, str(self.warc / str(same[0].archive)))
            reason = None if isinstance(item, Document) else item.reason if item else "no article in the response"
            for entry in same:
                self.state.ingested(entry.url, item.id if isinstance(item, Document) else None, reason)
                if reason:
                    self.log.warning("not ingested: %s: %s", entry.url, reason)
        summary.new_documents += result.new
        self.log.info("ingested %d pages: %d new documents, %d already stored, %d links",
                      len(entries), result.new, result.duplicates, result.links)


def _archive_problem(outcome: dict[str, Document | Rejection], archive: str) -> Rejection | None:
    """A rejection of the whole archive file (unreadable, cut short) answers for each of its entries."""
    item = outcome.get(archive)
    return item if isinstance(item, Rejection) else None


def _round_robin(entries: Iterable[Entry]) -> list[Entry]:
    """Interleave hosts, so one host's rate limit is waited out while the others are fetched."""
    by_host: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_host[httpx.URL(entry.url).host].append(entry)
    queues = list(by_host.values())
    ordered: list[Entry] = []
    while queues:
        ordered.extend(queue.pop(0) for queue in queues)
        queues = [queue for queue in queues if queue]
    return ordered

