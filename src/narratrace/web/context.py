"""What every request handler shares: where the store is, the write token, and the locks.

A store is opened per request, inside the worker thread that uses it: SQLite
connections belong to the thread that opened them, and FastAPI runs a sync
endpoint and its dependencies in different pool threads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import Request

from narratrace.search import Centroids
from narratrace.settings import Settings
from narratrace.store import open_store
from narratrace.store.base import Store


@dataclass(slots=True)
class WebContext:
    db: str
    token: str
    threads: int = 2
    # The encoders are shared process-wide and not known to be thread-safe, so search,
    # comparison and ingest take turns with them.
    models: threading.Lock = field(default_factory=threading.Lock)
    centroids: Centroids = field(default_factory=Centroids)

    @contextmanager
    def store(self) -> Iterator[Store]:
        store = open_store(self.db)
        try:
            yield store
        finally:
            store.close()

    def settings(self) -> Settings:
        return Settings(db=self.db, threads=self.threads)


def context(request: Request) -> WebContext:
    return request.app.state.context
