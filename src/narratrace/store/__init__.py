"""Storage behind one protocol; `open_store` picks the implementation from the URL."""

from __future__ import annotations

from narratrace.store.base import Store
from narratrace.store.sqlite import SQLiteStore


class StoreError(Exception):
    pass


def open_store(url: str) -> Store:
    """A `postgresql://` or `postgres://` URL opens the PostgreSQL store, anything else a SQLite file.

    psycopg is imported only for a PostgreSQL URL, so the embedded store starts without it.
    """
    if url.startswith(("postgresql://", "postgres://")):
        from narratrace.store.postgres import PostgresStore

        return PostgresStore(url)
    return SQLiteStore(url.removeprefix("sqlite:///").removeprefix("sqlite://"))
