"""Schema versions of the SQLite store, applied in order; `PRAGMA user_version` records the last one."""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    """
    CREATE TABLE documents (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        origin TEXT NOT NULL,
        url TEXT, outlet TEXT, title TEXT,
        published TEXT, published_precision TEXT, published_evidence TEXT,
        language TEXT,
        text TEXT NOT NULL,
        sentences BLOB NOT NULL,
        meta TEXT,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX documents_language ON documents(language);
    CREATE TABLE origins (
        origin TEXT PRIMARY KEY,
        document TEXT NOT NULL REFERENCES documents(id)
    );
    CREATE TABLE vectors (
        document TEXT NOT NULL REFERENCES documents(id),
        model TEXT NOT NULL,
        dim INTEGER NOT NULL,
        rows BLOB NOT NULL,
        matrix BLOB NOT NULL,
        centroid BLOB NOT NULL,
        PRIMARY KEY (document, model)
    ) WITHOUT ROWID;
    CREATE INDEX vectors_model ON vectors(model);
    CREATE TABLE rejections (origin TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END;
    """,
    """
    CREATE TABLE fingerprints (
        document TEXT PRIMARY KEY REFERENCES documents(id),
        minhash BLOB NOT NULL,
        anchors TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE links (
        a TEXT NOT NULL REFERENCES documents(id),
        b TEXT NOT NULL REFERENCES documents(id),
        kind TEXT NOT NULL,
        score REAL NOT NULL,
        coverage_a REAL NOT NULL,
        coverage_b REAL NOT NULL,
        direction TEXT,
        evidence TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (a, b)
    ) WITHOUT ROWID;
    CREATE INDEX links_b ON links(b);
    CREATE TABLE linked (document TEXT PRIMARY KEY REFERENCES documents(id)) WITHOUT ROWID;
    """,
    """
    CREATE TABLE factchecks (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        claim TEXT NOT NULL,
        title TEXT, rating TEXT, author TEXT, date TEXT, url TEXT, language TEXT,
        origin TEXT NOT NULL,
        imported_at TEXT NOT NULL
    );
    CREATE INDEX factchecks_date ON factchecks(date);
    CREATE TABLE factcheck_vectors (
        factcheck TEXT NOT NULL REFERENCES factchecks(id),
        model TEXT NOT NULL,
        dim INTEGER NOT NULL,
        matrix BLOB NOT NULL,
        PRIMARY KEY (factcheck, model)
    ) WITHOUT ROWID;
    CREATE INDEX factcheck_vectors_model ON factcheck_vectors(model);
    """,
    """
    CREATE TABLE citations (
        document TEXT NOT NULL REFERENCES documents(id),
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        source TEXT NOT NULL,
        canonical TEXT,
        kind TEXT NOT NULL,
        anonymous INTEGER NOT NULL,
        phrase TEXT NOT NULL,
        score REAL NOT NULL,
        PRIMARY KEY (document, start, "end", kind)
    ) WITHOUT ROWID;
    CREATE INDEX citations_canonical ON citations(canonical);
    CREATE TABLE source_files (
        name TEXT PRIMARY KEY,
        csv INTEGER NOT NULL,
        content TEXT NOT NULL,
        imported_at TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    """
    CREATE TABLE cluster_state (
        name TEXT PRIMARY KEY,
        meta TEXT NOT NULL,
        arrays BLOB NOT NULL,
        updated_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE clustered (document TEXT PRIMARY KEY REFERENCES documents(id)) WITHOUT ROWID;
    CREATE TABLE clusters (
        level TEXT NOT NULL,
        id TEXT NOT NULL,
        label TEXT NOT NULL,
        first_seen TEXT, last_seen TEXT,
        languages TEXT NOT NULL,
        details TEXT NOT NULL,
        PRIMARY KEY (level, id)
    ) WITHOUT ROWID;
    CREATE TABLE cluster_members (
        level TEXT NOT NULL,
        document TEXT NOT NULL REFERENCES documents(id),
        cluster TEXT NOT NULL,
        score REAL,
        evidence TEXT NOT NULL,
        PRIMARY KEY (level, document)
    ) WITHOUT ROWID;
    CREATE INDEX cluster_members_cluster ON cluster_members(level, cluster);
    CREATE TABLE cluster_aliases (
        level TEXT NOT NULL,
        old TEXT NOT NULL,
        new TEXT NOT NULL,
        PRIMARY KEY (level, old)
    ) WITHOUT ROWID;
    """,
    # Centroids get a narrow table of their own: a search reads every centroid of one
    # model, and reading them out of `vectors`, whose rows carry ~20 kB sentence matrices,
    # took 190-300 ms for 6,666 centroids of a 10k-document store, 68 ms from this table
    # (same busy 2-core machine).
    """
    CREATE TABLE centroids (
        model TEXT NOT NULL,
        document TEXT NOT NULL REFERENCES documents(id),
        dim INTEGER NOT NULL,
        centroid BLOB NOT NULL,
        PRIMARY KEY (model, document)
    );
    INSERT INTO centroids (model, document, dim, centroid) SELECT model, document, dim, centroid FROM vectors;
    ALTER TABLE vectors DROP COLUMN centroid;
    """,
    # An analyst's decision on a suggested fact-check match outlives re-matching, so the
    # state lives beside the score; taxonomies keep their fitted classifier as JSON, so
    # documents ingested later are labelled without refitting.
    """
    CREATE TABLE factcheck_matches (
        claim TEXT NOT NULL,
        factcheck TEXT NOT NULL REFERENCES factchecks(id),
        document TEXT NOT NULL REFERENCES documents(id),
        score REAL NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('suggested', 'confirmed', 'rejected')),
        evidence TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (claim, factcheck)
    ) WITHOUT ROWID;
    CREATE INDEX factcheck_matches_document ON factcheck_matches(document);
    CREATE TABLE taxonomies (
        name TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        imported_at TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # Counts the saves of a clustering state, so that a process holding the state it saved
    # knows whether another one saved since (a timestamp to the second does not tell).
    """
    ALTER TABLE cluster_state ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    """,
    # A clustering state's members and groups, a row each, so that a pass rewrites only what
    # it changed (whole, the state was ~60 MB at 10k documents, rewritten on every pass); and
    # the version read from an index, not past the state's megabytes in the row.
    """
    CREATE TABLE cluster_items (
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (name, kind, key)
    );
    CREATE INDEX cluster_state_version ON cluster_state(name, version);
    """,
]


def migrate(db: sqlite3.Connection) -> None:
    """Bring the file to the newest schema, one version per transaction."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"database schema version {version} is newer than this narratrace ({len(MIGRATIONS)})"
        )
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(script):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a script on statement ends, keeping trigger bodies whole."""
    out: list[str] = []
    buf = ""
    for piece in script.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \n;"):
                out.append(buf.strip())
            buf = ""
    return out
