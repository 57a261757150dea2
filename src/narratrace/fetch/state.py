"""What the fetcher and the watcher remember between runs, in one SQLite file beside the store.

It lives in the store's fetch folder (`narratrace.db` -> `narratrace.db.fetch/state.sqlite`,
next to the WARC archive) rather than in the store, so monitoring can evolve
without migrating the store that every other stage shares.

Every entry a feed or sitemap lists moves through
`pending -> fetched -> ingested -> done` (or `failed`), each step committed
before the next begins: a process killed anywhere resumes at the step it was
in, so nothing is fetched twice and nothing listed is lost. Alerts go through
an outbox: an event is written once (its key is unique) with one pending
delivery per channel configured at that moment, then each delivery is marked
done, so a restart neither repeats nor drops one, and a channel added later
does not receive the whole history.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    url TEXT PRIMARY KEY, polled_at REAL, due_at REAL NOT NULL, outcome TEXT);
CREATE TABLE IF NOT EXISTS entries (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'fetched', 'ingested', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    archive TEXT, final_url TEXT, document TEXT, reason TEXT,
    listed_at REAL NOT NULL, published TEXT, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS entries_state ON entries(state);
CREATE TABLE IF NOT EXISTS alerts (
    rule TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (rule, key));
CREATE TABLE IF NOT EXISTS deliveries (
    rule TEXT NOT NULL, key TEXT NOT NULL, channel TEXT NOT NULL, delivered_at REAL,
    PRIMARY KEY (rule, key, channel));
"""


def fetch_folder(db: str) -> Path:
    """The folder beside the store's file that holds the archive and this state."""
    path = Path(db.removeprefix("sqlite:///").removeprefix("sqlite://"))
    return path.with_name(path.name + ".fetch")


@dataclass(slots=True)
class Entry:
    url: str
    source: str
    state: str
    attempts: int
    archive: str | None
    final_url: str | None
    document: str | None


class FetchState:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    @classmethod
    def beside(cls, db: str) -> FetchState:
        return cls(fetch_folder(db) / "state.sqlite")

    def close(self) -> None:
        self._db.close()

    def validators(self, url: str) -> tuple[str | None, str | None]:
        row = self._db.execute("SELECT etag, last_modified FROM validators WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if etag or last_modified:
            self._db.execute("INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?)",
                             (url, etag, last_modified, time.time()))

    def due_at(self, source: str) -> float:
        row = self._db.execute("SELECT due_at FROM sources WHERE url = ?", (source,)).fetchone()
        return row[0] if row else 0.0

    def polled(self, source: str, outcome: str, due_at: float) -> None:
        self._db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)", (source, time.time(), due_at, outcome))

    def list_entries(self, source: str, listed: Iterable[tuple[str, str | None]]) -> list[str]:
        """Add the (url, published) pairs not seen before, in one transaction; returns the new urls."""
        now = time.time()
        added: list[str] = []
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for url, published in listed:
                cur = self._db.execute(
                    "INSERT OR IGNORE INTO entries (url, source, state, listed_at, published, at) "
                    "VALUES (?, ?, 'pending', ?, ?, ?)", (url, source, now, published, now))
                if cur.rowcount:
                    added.append(url)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return added

    def entries(self, state: str) -> list[Entry]:
        return [Entry(*row) for row in self._db.execute(
            "SELECT url, source, state, attempts, archive, final_url, document FROM entries "
            "WHERE state = ? ORDER BY listed_at, rowid", (state,))]

    def fetched(self, url: str, archive: str, final_url: str) -> None:
        """`archive` is the WARC file's name within the archive folder, so the folder can move with the store."""
        self._db.execute("UPDATE entries SET state = 'fetched', archive = ?, final_url = ?, reason = NULL, at = ? "
                         "WHERE url = ?", (archive, final_url, time.time(), url))

    def failed(self, url: str, reason: str, *, permanent: bool, max_attempts: int) -> None:
        """A permanent failure, or the last allowed attempt, ends the entry; otherwise a later cycle tries again."""
        self._db.execute("UPDATE entries SET state = CASE WHEN ? OR attempts + 1 >= ? THEN 'failed' ELSE state END, "
                         "attempts = attempts + 1, reason = ?, at = ? WHERE url = ?",
                         (permanent, max_attempts, reason, time.time(), url))

    def ingested(self, url: str, document: str | None, reason: str | None) -> None:
        self._db.execute("UPDATE entries SET state = 'ingested', document = ?, reason = ?, at = ? WHERE url = ?",
                         (document, reason, time.time(), url))

    def done(self, urls: Iterable[str]) -> None:
        self._db.executemany("UPDATE entries SET state = 'done', at = ? WHERE url = ?",
                             [(time.time(), url) for url in urls])

    def counts(self) -> dict[str, int]:
        return dict(self._db.execute("SELECT state, count(*) FROM entries GROUP BY state").fetchall())

    def add_alert(self, rule: str, key: str, payload: dict[str, Any], channels: Iterable[str]) -> bool:
        """Keep an event and its pending deliveries; False when this rule already raised this event."""
        now = time.time()
        self._db.execute("BEGIN IMMEDIATE")
        try:
            cur = self._db.execute("INSERT OR IGNORE INTO alerts VALUES (?, ?, ?, ?)",
                                   (rule, key, json.dumps(payload, ensure_ascii=False), now))
            if cur.rowcount:
                self._db.executemany("INSERT OR IGNORE INTO deliveries VALUES (?, ?, ?, NULL)",
                                     [(rule, key, channel) for channel in channels])
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return bool(cur.rowcount)

    def undelivered(self, channel: str) -> list[tuple[str, str, dict[str, Any]]]:
        rows = self._db.execute(
            "SELECT a.rule, a.key, a.payload FROM deliveries d JOIN alerts a ON a.rule = d.rule AND a.key = d.key "
            "WHERE d.channel = ? AND d.delivered_at IS NULL ORDER BY a.at, a.rowid", (channel,))
        return [(rule, key, json.loads(payload)) for rule, key, payload in rows]

    def delivered(self, rule: str, key: str, channel: str) -> None:
        self._db.execute("UPDATE deliveries SET delivered_at = ? WHERE rule = ? AND key = ? AND channel = ?",
                         (time.time(), rule, key, channel))
