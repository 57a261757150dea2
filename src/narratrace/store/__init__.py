"""Storage behind one protocol; `open_store` picks the implementation from the URL."""

from __future__ import annotations

from narratrace.store.base import Store
from narratrace.store.sqlite import SQLiteStore


class StoreError(Exception):
    pass


def open_store(url: str) -> Store:
    if url.startswith(("postgresql://", "postgres://")):
        raise StoreError("the PostgreSQL store is not available yet (issue #8); use a SQLite file")
    return SQLiteStore(url.removeprefix("sqlite:///").removeprefix("sqlite://"))
