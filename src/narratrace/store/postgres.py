"""The team store: one PostgreSQL database shared by several ingest processes and a `serve`.

Semantics follow `SQLiteStore`: a document is keyed by the hash of its text and
inserted with ON CONFLICT DO NOTHING, each batch is one transaction, vectors are
float16 bytea. What a server changes:

- Concurrency. Unique keys decide, not a file lock. Two processes inserting one
  document meet on its unique-index entry; the second waits for the first to commit
  and then inserts nothing, or inserts it if the first rolled back, so a document is
  neither lost nor doubled. A batch writes its rows in key order, so two overlapping
  batches take their row locks in the same order; a deadlock that still happens is
  retried as a whole batch, which PostgreSQL has rolled back whole. The origin of a
  document is recorded even when another process stored its text first, because the
  duplicate check the caller made before that race said "new".
- Full-text search. Each document is indexed with the text-search configuration of
  its language (`french` stems French, ...; `simple` where PostgreSQL has no stemmer),
  and a query is parsed once per configuration and matched against the documents of
  that configuration only, so "usines" finds "usine" in French text and nothing is
  stemmed by the wrong language's rules. Ranked by `ts_rank_cd`, highlighted with
  `ts_headline`. Case folding of non-ASCII letters follows the server's locale: use a
  UTF-8 one (`C.UTF-8`, `en_US.UTF-8`), not plain `C`.
- Nearest neighbours. Where the database has pgvector (see `pg_migrations.py`),
  `nearest` asks an HNSW index over the centroids of one model; without pgvector it
  computes exact cosines with numpy over the centroid bytea, which is what SQLite
  callers do with `document_vectors` anyway.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Self, TypeVar

import numpy as np
import psycopg
import regex
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from narratrace.model import Cluster, Document, Fingerprint, Link, Published, Vectors
from narratrace.store import StoreError
from narratrace.store.base import KeywordHit, StoredVectors
from narratrace.store.pg_migrations import migrate
from narratrace.store.sqlite import _pack_sentences, _unpack_sentences

if TYPE_CHECKING:
    from narratrace.factchecks.records import FactCheck, FactCheckMatch
    from narratrace.provenance.citations import Citation

T = TypeVar("T")

_WORD = regex.compile(r"[\p{L}\p{N}]+")
_DOC_COLUMNS = (
    "id, origin, url, outlet, title, published, published_precision, published_evidence, "
    "language, text, sentences, meta"
)
# ISO 639-1 code -> the text-search configuration PostgreSQL ships for it (those it has, from 9.x to 16).
TEXT_SEARCH_CONFIGS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish",
    "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
# Rows per round trip when streaming documents: bounded memory, few round trips.
PAGE = 500
# Batches lost to a deadlock are retried this many times before the error reaches the caller.
RETRIES = 5
# An HNSW scan returns at most `hnsw.ef_search` rows, and pgvector caps that setting at 1000.
MAX_EF_SEARCH = 1000
ANN_INDEX_LOCK = 0x6E61727262
CLUSTERS_LOCK = 0x6E61727263
_RETRYABLE = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)
# (table, column, the table whose id it names): what `integrity` checks for orphans.
_REFERENCES = (
    ("origins", "document", "documents"), ("vectors", "document", "documents"),
    ("fingerprints", "document", "documents"), ("citations", "document", "documents"),
    ("links", "a", "documents"), ("links", "b", "documents"), ("linked", "document", "documents"),
    ("clustered", "document", "documents"), ("cluster_members", "document", "documents"),
    ("factcheck_vectors", "factcheck", "factchecks"), ("factcheck_matches", "factcheck", "factchecks"),
    ("factcheck_matches", "document", "documents"),
)


class PostgresStore:
    """`pgvector=False` keeps pgvector out of a new database even where the server has it."""

    def __init__(self, url: str, *, pgvector: bool = True) -> None:
        self.url = url
        self._conn = _connect(url)
        try:
            migrate(self._conn, pgvector)
            self.pgvector = self._has_centroid_column()
            self._configs = self._text_search_configs()
            self._ann_indexes = {row[0] for row in self._conn.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = 'vectors' AND indexname LIKE %s", ("vectors_hnsw_%",))}
        except BaseException:
            self._conn.close()
            raise
        columns = ["document", "model", "dim", "rows", "matrix", "centroid"] + (["centroid_vec"] if self.pgvector else [])
        self._upsert_vectors = (
            f"INSERT INTO vectors ({', '.join(columns)}) VALUES ({', '.join(['%s'] * 6 + ['%s::vector'] * self.pgvector)}) "
            "ON CONFLICT (document, model) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in columns[2:])
        )
        # Completing rows keeps the stored centroid (see `Store.put_vectors`).
        self._complete_vectors = self._upsert_vectors.split(" DO UPDATE SET ")[0] + (
            " DO UPDATE SET dim = excluded.dim, rows = excluded.rows, matrix = excluded.matrix")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def known(self, ids: Iterable[str]) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT id FROM documents WHERE id = ANY(%s)", (list(ids),))}

    def add_documents(self, docs: Sequence[Document]) -> None:
        for doc in docs:
            for vec in doc.vectors.values():
                self._ensure_ann_index(vec.model, vec.matrix.shape[1])

        def write(cur: psycopg.Cursor) -> None:
            seqs = _reserve(cur, "documents", len(docs))
            ordered = sorted(zip(seqs, docs), key=lambda pair: pair[1].id)
            cur.executemany(
                f"INSERT INTO documents (seq, {_DOC_COLUMNS}, fts_config) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::json, %s::regconfig) "
                "ON CONFLICT (id) DO NOTHING RETURNING id",
                [(seq, *self._document_row(doc)) for seq, doc in ordered], returning=True,
            )
            new_ids = {row[0] for _ in cur.results() for row in cur.fetchall()}
            # A text twice in one batch was inserted once, from its first occurrence.
            first = {doc.id: doc for _, doc in reversed(ordered)}
            new = [first[doc_id] for doc_id in sorted(new_ids)]
            cur.executemany(
                "INSERT INTO origins (origin, document) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                sorted({(doc.origin, doc.id) for doc in docs}),
            )
            cur.executemany(self._upsert_vectors, [
                self._vector_row(doc.id, vec) for doc in new for vec in doc.vectors.values()])
            cur.executemany(
                "INSERT INTO fingerprints (document, minhash, anchors) VALUES (%s, %s, %s)",
                [(doc.id, doc.fingerprint.minhash.astype(np.uint64).tobytes(),
                  "\n".join(sorted(doc.fingerprint.anchors)))
                 for doc in new if doc.fingerprint is not None],
            )
            cur.executemany(
                'INSERT INTO citations (document, start, "end", source, canonical, kind, anonymous, phrase, score) '
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [(doc.id, c.start, c.end, c.source, c.canonical, c.kind, c.anonymous, c.phrase, c.score)
                 for doc in new for c in doc.citations],
            )

        self._write(write)

    def put_vectors(self, items: Sequence[tuple[str, Vectors]]) -> None:
        if not items:
            return
        for _, vectors in items:
            self._ensure_ann_index(vectors.model, vectors.matrix.shape[1])
        self._write(lambda cur: cur.executemany(
            self._complete_vectors, [self._vector_row(doc_id, vectors) for doc_id, vectors in items]))

    def citations(self, doc_id: str | None = None) -> list[tuple[str, Citation]]:
        from narratrace.provenance.citations import Citation

        query = 'SELECT document, source, canonical, kind, anonymous, phrase, start, "end", score FROM citations'
        args: tuple[str, ...] = ()
        if doc_id:
            query, args = query + " WHERE document = %s", (doc_id,)
        return [(row[0], Citation(*row[1:]))
                for row in self._conn.execute(query + " ORDER BY document, start", args)]

    def unclustered(self) -> list[str]:
        return [r[0] for r in self._conn.execute(
            "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM clustered c WHERE c.document = d.id) "
            "ORDER BY seq")]

    def published_of(self, ids: Sequence[str]) -> dict[str, str | None]:
        return dict(self._conn.execute("SELECT id, published FROM documents WHERE id = ANY(%s)", (list(ids),)))

    def cluster_state(self, name: str) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
        row = self._conn.execute("SELECT meta, arrays FROM cluster_state WHERE name = %s", (name,)).fetchone()
        if row is None:
            return None
        with np.load(io.BytesIO(row[1]), allow_pickle=False) as arrays:
            return row[0], {key: arrays[key] for key in arrays.files}

    def cluster_items(self, name: str) -> list[tuple[str, str, str, bytes]]:
        return [(kind, key, value, bytes(data)) for kind, key, value, data in self._conn.execute(
            "SELECT kind, key, value, data FROM cluster_items WHERE name = %s", (name,))]

    def cluster_state_version(self, name: str) -> int | None:
        row = self._conn.execute("SELECT version FROM cluster_state WHERE name = %s", (name,)).fetchone()
        return None if row is None else row[0]

    def save_clusters(self, name: str, meta: dict[str, Any], arrays: dict[str, np.ndarray],
                      clusters: Sequence[Cluster], aliases: Sequence[tuple[str, str, str]],
                      clustered: Sequence[str], gone: Sequence[tuple[str, str]] | None = None,
                      items: Sequence[tuple[str, str, str | None, bytes]] = (), replace_items: bool = False) -> None:
        """The lock makes two concurrent passes save one after the other, as SQLite's write
        lock does, instead of colliding on the ids both insert."""
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        levels = sorted({c.level for c in clusters} | {level for level, _, _ in aliases})

        def write(cur: psycopg.Cursor) -> None:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (CLUSTERS_LOCK,))
            cur.execute(
                "INSERT INTO cluster_state (name, meta, arrays) VALUES (%s, %s::json, %s) ON CONFLICT (name) "
                "DO UPDATE SET meta = excluded.meta, arrays = excluded.arrays, updated_at = excluded.updated_at, "
                "version = cluster_state.version + 1",
                (name, json.dumps(meta, ensure_ascii=False), buffer.getvalue()))
            if replace_items:
                cur.execute("DELETE FROM cluster_items WHERE name = %s", (name,))
            cur.executemany("DELETE FROM cluster_items WHERE name = %s AND kind = %s AND key = %s",
                            [(name, kind, key) for kind, key, value, _ in items if value is None])
            cur.executemany(
                "INSERT INTO cluster_items (name, kind, key, value, data) VALUES (%s, %s, %s, %s, %s) "
                "ON CONFLICT (name, kind, key) DO UPDATE SET value = excluded.value, data = excluded.data",
                [(name, kind, key, value, data) for kind, key, value, data in items if value is not None])
            if gone is None:
                cur.execute("DELETE FROM clusters WHERE level = ANY(%s)", (levels,))
                cur.execute("DELETE FROM cluster_members WHERE level = ANY(%s)", (levels,))
            else:
                replaced = [*gone, *((c.level, c.id) for c in clusters)]
                cur.executemany("DELETE FROM clusters WHERE level = %s AND id = %s", replaced)
                cur.executemany("DELETE FROM cluster_members WHERE level = %s AND cluster = %s", replaced)
            cur.executemany(
                "INSERT INTO clusters (level, id, label, first_seen, last_seen, languages, details) "
                "VALUES (%s, %s, %s, %s, %s, %s::json, %s::json)",
                [(c.level, c.id, c.label, c.first_seen, c.last_seen, json.dumps(c.languages),
                  json.dumps(c.details, ensure_ascii=False, default=str)) for c in clusters])
            cur.executemany(
                "INSERT INTO cluster_members (level, document, cluster, score, evidence) VALUES (%s, %s, %s, %s, %s::json) "
                "ON CONFLICT (level, document) DO UPDATE SET cluster = excluded.cluster, score = excluded.score, "
                "evidence = excluded.evidence",
                [(c.level, doc_id, c.id, (c.membership.get(doc_id) or {}).get("score"),
                  json.dumps((c.membership.get(doc_id) or {}).get("evidence", {}), ensure_ascii=False, default=str))
                 for c in clusters for doc_id in c.documents])
            cur.executemany(
                "INSERT INTO cluster_aliases (level, old, new) VALUES (%s, %s, %s) "
                "ON CONFLICT (level, old) DO UPDATE SET new = excluded.new", list(aliases))
            cur.executemany("INSERT INTO clustered (document) VALUES (%s) ON CONFLICT DO NOTHING",
                            [(i,) for i in sorted(set(clustered))])

        self._write(write)

    def clusters(self, level: str, ids: Sequence[str] | None = None) -> list[Cluster]:
        """Ordered as SQLite orders them: undated first (NULLS FIRST), then by date and id."""
        query, args = "SELECT id, label, first_seen, last_seen, languages, details FROM clusters WHERE level = %s", [level]
        if ids is not None:
            query += " AND id = ANY(%s)"
            args.append([self.resolve_cluster(level, i) for i in ids])
        rows = self._conn.execute(query + " ORDER BY first_seen NULLS FIRST, id", args).fetchall()
        members: dict[str, list[tuple[str, float | None, dict[str, Any]]]] = {row[0]: [] for row in rows}
        for cluster_id, doc_id, score, evidence in self._conn.execute(
            "SELECT m.cluster, m.document, m.score, m.evidence FROM cluster_members m "
            "JOIN documents d ON d.id = m.document WHERE m.level = %s AND m.cluster = ANY(%s) "
            'ORDER BY d.published COLLATE "C" NULLS FIRST, d.seq', (level, list(members)),
        ):
            members[cluster_id].append((doc_id, score, evidence))
        return [
            Cluster(level, cid, label, [m[0] for m in members[cid]], first, last, languages, details,
                    {doc_id: {"score": score, "evidence": evidence} for doc_id, score, evidence in members[cid]})
            for cid, label, first, last, languages, details in rows
        ]

    def resolve_cluster(self, level: str, cluster_id: str) -> str:
        """The id a cluster goes by now: merged ids resolve to the survivor, however many merges ago."""
        seen = {cluster_id}
        while row := self._conn.execute(
                "SELECT new FROM cluster_aliases WHERE level = %s AND old = %s", (level, cluster_id)).fetchone():
            cluster_id = row[0]
            if cluster_id in seen:
                break
            seen.add(cluster_id)
        return cluster_id

    def add_source_file(self, name: str, csv_format: bool, content: str) -> None:
        self._write(lambda cur: cur.execute(
            "INSERT INTO source_files (name, csv, content) VALUES (%s, %s, %s) ON CONFLICT (name) DO UPDATE "
            "SET csv = excluded.csv, content = excluded.content, imported_at = excluded.imported_at",
            (name, csv_format, content),
        ))

    def source_files(self) -> list[tuple[str, bool, str]]:
        return self._conn.execute("SELECT name, csv, content FROM source_files ORDER BY imported_at, name").fetchall()

    def fingerprints(self, ids: Sequence[str] | None = None) -> Iterator[tuple[str, str | None, Fingerprint]]:
        among, args = ("", ()) if ids is None else ("f.document = ANY(%s) AND ", (list(ids),))
        for _, doc_id, language, minhash, anchors in self._pages(
            "SELECT d.seq, f.document, d.language, f.minhash, f.anchors FROM fingerprints f "
            f"JOIN documents d ON d.id = f.document WHERE {among}d.seq > %s ORDER BY d.seq LIMIT %s", args
        ):
            yield doc_id, language, Fingerprint(
                np.frombuffer(minhash, dtype=np.uint64), frozenset(anchors.split("\n")) - {""})

    def unlinked(self) -> list[str]:
        return [r[0] for r in self._conn.execute(
            "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM linked l WHERE l.document = d.id) "
            "ORDER BY seq")]

    def add_links(self, links: Sequence[Link], linked: Sequence[str],
                  vectors: Sequence[tuple[str, Vectors]] = ()) -> None:
        for _, vec in vectors:
            self._ensure_ann_index(vec.model, vec.matrix.shape[1])

        def write(cur: psycopg.Cursor) -> None:
            cur.executemany(self._complete_vectors, [self._vector_row(doc_id, vec) for doc_id, vec in vectors])
            cur.executemany(
                "INSERT INTO links (a, b, kind, score, coverage_a, coverage_b, direction, evidence) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s::json) ON CONFLICT (a, b) DO UPDATE SET "
                "kind = excluded.kind, score = excluded.score, coverage_a = excluded.coverage_a, "
                "coverage_b = excluded.coverage_b, direction = excluded.direction, "
                "evidence = excluded.evidence, created_at = excluded.created_at",
                [(link.a, link.b, link.kind, link.score, link.coverage_a, link.coverage_b, link.direction,
                  json.dumps(link.evidence, ensure_ascii=False))
                 for link in sorted(links, key=lambda link: (link.a, link.b))],
            )
            cur.executemany("INSERT INTO linked (document) VALUES (%s) ON CONFLICT DO NOTHING",
                            [(i,) for i in sorted(set(linked))])

        self._write(write)

    def links(self, doc_id: str | None = None) -> list[Link]:
        query = "SELECT a, b, kind, score, coverage_a, coverage_b, direction, evidence FROM links"
        args: tuple[str, ...] = ()
        if doc_id:
            query, args = query + " WHERE a = %s OR b = %s", (doc_id, doc_id)
        return [Link(*row) for row in self._conn.execute(query + " ORDER BY a, b", args)]

    def count_links(self) -> int:
        return self._conn.execute("SELECT count(*) FROM links").fetchone()[0]

    def links_of(self, ids: Sequence[str], within: bool = False) -> list[Link]:
        return [Link(*row) for row in self._conn.execute(
            "SELECT a, b, kind, score, coverage_a, coverage_b, direction, evidence FROM links "
            f"WHERE a = ANY(%s) {'AND' if within else 'OR'} b = ANY(%s) ORDER BY a, b", (list(ids), list(ids)))]

    def add_origins(self, pairs: Sequence[tuple[str, str]]) -> None:
        self._write(lambda cur: cur.executemany(
            "INSERT INTO origins (origin, document) VALUES (%s, %s) ON CONFLICT DO NOTHING", sorted(pairs)))

    def record_rejections(self, rejections: Sequence[tuple[str, str]]) -> None:
        self._write(lambda cur: cur.executemany(
            "INSERT INTO rejections (origin, reason) VALUES (%s, %s)", list(rejections)))

    def count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def get(self, key: str) -> Document | None:
        row = self._conn.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = %s UNION ALL "
            f"SELECT {', '.join('d.' + c for c in _DOC_COLUMNS.split(', '))} "
            "FROM origins o JOIN documents d ON d.id = o.document WHERE o.origin = %s LIMIT 1",
            (key, key),
        ).fetchone()
        return _document(row) if row else None

    def documents(self, language: str | None = None, after: str | None = None,
                  newest_first: bool = False) -> Iterator[Document]:
        query = f"SELECT seq, {_DOC_COLUMNS} FROM documents WHERE "
        args: tuple[str, ...] = ()
        if language:
            query, args = query + "language = %s AND ", (language,)
        start = None
        if after is not None:
            row = self._conn.execute("SELECT seq FROM documents WHERE id = %s", (after,)).fetchone()
            if row is None:
                raise KeyError(after)
            start = row[0]
        order = "seq < %s ORDER BY seq DESC" if newest_first else "seq > %s ORDER BY seq"
        for row in self._pages(query + order + " LIMIT %s", args, start, newest_first):
            yield _document(row[1:])

    def vectors_of(self, doc_id: str) -> dict[str, Vectors]:
        rows = self._conn.execute("SELECT model, dim, rows, matrix FROM vectors WHERE document = %s", (doc_id,))
        return {
            model: Vectors(model, np.frombuffer(matrix, dtype=np.float16).reshape(-1, dim),
                           np.frombuffer(idx, dtype=np.int32).tolist())
            for model, dim, idx, matrix in rows
        }

    def vectors_in(self, model: str, doc_ids: Sequence[str]) -> dict[str, Vectors]:
        rows = self._conn.execute(
            "SELECT document, dim, rows, matrix FROM vectors WHERE model = %s AND document = ANY(%s)",
            (model, list(doc_ids)))
        return {doc_id: Vectors(model, np.frombuffer(matrix, dtype=np.float16).reshape(-1, dim),
                                np.frombuffer(idx, dtype=np.int32).tolist())
                for doc_id, dim, idx, matrix in rows}

    def document_vectors(self, model: str, language: str | None = None) -> StoredVectors:
        query = "SELECT v.document, v.dim, v.centroid FROM vectors v"
        args: tuple[str, ...] = (model,)
        if language:
            query += " JOIN documents d ON d.id = v.document AND d.language = %s"
            args = (language, model)
        rows = self._conn.execute(query + " WHERE v.model = %s ORDER BY v.document", args).fetchall()
        if not rows:
            return StoredVectors(model, [], np.zeros((0, 0), dtype=np.float16))
        matrix = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float16)
        return StoredVectors(model, [r[0] for r in rows], matrix.reshape(len(rows), rows[0][1]))

    def nearest(
        self, model: str, query: np.ndarray, k: int, language: str | None = None
    ) -> list[tuple[str, float]]:
        """The k documents whose centroid is closest (cosine) to `query`, best first, ties by id.

        With pgvector and no language filter, the HNSW index answers (approximate, with
        `hnsw.ef_search` raised to twice k). A language filter would drop rows after the
        index scan and could leave fewer than k (pgvector before 0.8 has no iterative
        scans), so filtered queries, and k beyond what one scan returns, are exact.
        """
        if k <= 0:
            return []
        query = np.asarray(query, dtype=np.float32)
        if not self.pgvector:
            hits = _exact_nearest(self.document_vectors(model, language), query, k)
        elif language or k > MAX_EF_SEARCH:
            hits = self._conn.execute(
                "SELECT v.document, 1 - (v.centroid_vec <=> %s::vector) AS cosine FROM vectors v "
                "JOIN documents d ON d.id = v.document WHERE v.model = %s AND (%s::text IS NULL OR d.language = %s) "
                "ORDER BY cosine DESC, v.document LIMIT %s",
                (_vector_text(query), model, language, language, k),
            ).fetchall()
        else:
            hits = self._ann_nearest(model, query, k)
        return sorted(((doc_id, float(score)) for doc_id, score in hits), key=lambda h: (-h[1], h[0]))

    def keyword_search(self, query: str, limit: int, language: str | None = None) -> list[KeywordHit]:
        words = _WORD.findall(query)
        if not words:
            return []
        configs = [self._config(language)] if language else sorted(self._configs)
        rows = self._conn.execute(
            "WITH q AS (SELECT cfg, to_tsquery(cfg, %(words)s) AS query "
            "           FROM unnest(%(configs)s::regconfig[]) AS cfg), "
            "top AS (SELECT d.id, ts_rank_cd(d.fts, q.query) AS score "
            "        FROM q JOIN documents d ON d.fts_config = q.cfg AND d.fts @@ q.query "
            "        WHERE %(language)s::text IS NULL OR d.language = %(language)s "
            "        ORDER BY score DESC, d.id LIMIT %(limit)s) "
            "SELECT id, score FROM top ORDER BY score DESC, id",
            {"words": " | ".join(dict.fromkeys(words)), "configs": configs,
             "language": language, "limit": limit},
        ).fetchall()
        return [KeywordHit(doc_id, float(score)) for doc_id, score in rows]

    def stats(self) -> dict[str, list[tuple[str, int]]]:
        # COLLATE "C" on the key: byte order, as SQLite sorts, whatever the server's collation.
        queries = {
            name: f'SELECT coalesce({expression}, \'?\') COLLATE "C", count(*) FROM documents GROUP BY 1 ORDER BY {order}'
            for name, expression, order in (
                ("language", "language", "2 DESC, 1"),
                ("outlet", "outlet", "2 DESC, 1"),
                ("month", "substr(published, 1, 7)", "1"),
            )
        }
        return {k: [(a, int(b)) for a, b in self._conn.execute(q)] for k, q in queries.items()}

    def integrity(self) -> str:
        """Foreign keys make orphans impossible while they hold; these checks find what a partial
        restore, a disabled trigger or a hand edit leaves behind, and what no constraint covers."""
        checks = [
            (f"{child} row pointing to a missing {parent.removesuffix('s')}",
             sql.SQL("SELECT {ref}::text FROM {child} c WHERE NOT EXISTS "
                     "(SELECT 1 FROM {parent} p WHERE p.id = c.{ref})").format(
                 child=sql.Identifier(child), ref=sql.Identifier(ref), parent=sql.Identifier(parent)))
            for child, ref, parent in _REFERENCES
        ] + [
            ("vectors whose size disagrees with their dimension",
             sql.SQL("SELECT document || ' ' || model FROM vectors WHERE length(centroid) <> 2 * dim "
                     "OR length(matrix) <> 2 * dim * (length(rows) / 4)")),
            ("invalid index (a failed build)",
             sql.SQL("SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                     "WHERE NOT i.indisvalid AND c.relnamespace = current_schema()::regnamespace")),
        ]
        if self.pgvector:
            checks.append(("vectors without their pgvector centroid",
                           sql.SQL("SELECT document || ' ' || model FROM vectors WHERE centroid_vec IS NULL")))
        for problem, query in checks:
            row = self._conn.execute(query + sql.SQL(" LIMIT 1")).fetchone()
            if row:
                return f"{problem}: {row[0]}"
        return "ok"

    def known_factchecks(self, ids: Iterable[str]) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT id FROM factchecks WHERE id = ANY(%s)", (list(ids),))}

    def add_factchecks(self, factchecks: Sequence[FactCheck]) -> int:
        def write(cur: psycopg.Cursor) -> int:
            seqs = _reserve(cur, "factchecks", len(factchecks))
            ordered = sorted(zip(seqs, factchecks), key=lambda pair: pair[1].id)
            cur.executemany(
                "INSERT INTO factchecks (seq, id, claim, title, rating, author, date, url, language, origin) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING RETURNING id",
                [(seq, fc.id, fc.claim, fc.title, fc.rating, fc.author, fc.date, fc.url, fc.language, fc.origin)
                 for seq, fc in ordered], returning=True,
            )
            new_ids = {row[0] for _ in cur.results() for row in cur.fetchall()}
            cur.executemany(
                "INSERT INTO factcheck_vectors (factcheck, model, dim, matrix) VALUES (%s, %s, %s, %s)",
                [(fc.id, model, m.shape[1], m.astype(np.float16).tobytes())
                 for _, fc in ordered if fc.id in new_ids for model, m in fc.vectors.items()],
            )
            return len(new_ids)

        return self._write(write)

    def count_factchecks(self) -> int:
        return self._conn.execute("SELECT count(*) FROM factchecks").fetchone()[0]

    def factchecks(self) -> list[FactCheck]:
        from narratrace.factchecks.records import FactCheck

        rows = self._conn.execute(
            "SELECT id, claim, title, rating, author, date, url, language, origin FROM factchecks ORDER BY seq")
        return [
            FactCheck(id=i, claim=claim, title=title, rating=rating, author=author, date=date, url=url,
                      language=language, origin=origin)
            for i, claim, title, rating, author, date, url, language, origin in rows
        ]

    def factcheck_vectors(self, model: str) -> StoredVectors:
        rows = self._conn.execute(
            "SELECT v.factcheck, v.dim, v.matrix FROM factcheck_vectors v JOIN factchecks f ON f.id = v.factcheck "
            "WHERE v.model = %s ORDER BY f.seq", (model,),
        ).fetchall()
        if not rows:
            return StoredVectors(model, [], np.zeros((0, 0), dtype=np.float16))
        dim = rows[0][1]
        owners = [fc for fc, _, blob in rows for _ in range(len(blob) // (2 * dim))]
        matrix = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float16).reshape(-1, dim)
        return StoredVectors(model, owners, matrix)

    def add_matches(self, matches: Sequence[FactCheckMatch]) -> int:
        def work(cur: psycopg.Cursor) -> int:
            added = 0
            for m in sorted(matches, key=lambda m: (m.claim, m.factcheck)):
                cur.execute(
                    "INSERT INTO factcheck_matches (claim, factcheck, document, score, state, evidence) "
                    "VALUES (%s, %s, %s, %s, %s, %s::json) ON CONFLICT (claim, factcheck) DO UPDATE "
                    "SET score = excluded.score, evidence = excluded.evidence, updated_at = now() "
                    "RETURNING (xmax = 0)",
                    (m.claim, m.factcheck, m.document, m.score, m.state, json.dumps(m.evidence, ensure_ascii=False)),
                )
                added += bool(cur.fetchone()[0])
            return added

        return self._write(work)

    def matches(self, state: str | None = None, document: str | None = None) -> list[FactCheckMatch]:
        from narratrace.factchecks.records import FactCheckMatch

        rows = self._conn.execute(
            "SELECT claim, factcheck, document, score, state, evidence FROM factcheck_matches "
            "WHERE (%(state)s::text IS NULL OR state = %(state)s) AND (%(doc)s::text IS NULL OR document = %(doc)s) "
            "ORDER BY score DESC, claim, factcheck", {"state": state, "doc": document})
        return [FactCheckMatch(c, f, d, s, st, e) for c, f, d, s, st, e in rows]

    def review_match(self, claim: str, factcheck: str, state: str) -> bool:
        return self._write(lambda cur: cur.execute(
            "UPDATE factcheck_matches SET state = %s, updated_at = now() WHERE claim = %s AND factcheck = %s",
            (state, claim, factcheck)).rowcount > 0)

    def update_meta(self, updates: Sequence[tuple[str, str, Any]]) -> None:
        def work(cur: psycopg.Cursor) -> None:
            for doc_id, key, value in sorted(updates, key=lambda u: u[0]):
                cur.execute(
                    "UPDATE documents SET meta = (coalesce(meta::jsonb, '{}'::jsonb) || jsonb_build_object(%s::text, %s::jsonb))::json "
                    "WHERE id = %s", (key, json.dumps(value, ensure_ascii=False, default=str), doc_id))

        self._write(work)

    def save_taxonomy(self, name: str, state: dict[str, Any]) -> None:
        self._write(lambda cur: cur.execute(
            "INSERT INTO taxonomies (name, state) VALUES (%s, %s::json) ON CONFLICT (name) DO UPDATE "
            "SET state = excluded.state, imported_at = now()", (name, json.dumps(state, ensure_ascii=False))))

    def taxonomies(self) -> list[tuple[str, dict[str, Any]]]:
        return self._conn.execute("SELECT name, state FROM taxonomies ORDER BY imported_at, name").fetchall()

    def _write(self, work: Callable[[psycopg.Cursor], T]) -> T:
        """Run `work` in one transaction; a deadlock or serialization failure rolled all of it back,
        so it is safe to run again, after a random pause that keeps the two sides from meeting again."""
        attempt = 0
        while True:
            try:
                with self._conn.transaction(), self._conn.cursor() as cur:
                    return work(cur)
            except _RETRYABLE:
                attempt += 1
                if attempt >= RETRIES:
                    raise
                time.sleep(random.uniform(0.01, 0.1) * attempt)

    def _pages(self, query: str, args: tuple[Any, ...], start: int | None = None,
               descending: bool = False) -> Iterator[tuple[Any, ...]]:
        """Rows of a query ending in `seq > %s ORDER BY seq LIMIT %s` (or `seq < %s ORDER BY seq DESC
        ...`), seq first, page by page from `start`: a big table streams without a server-side cursor
        held open while the caller uses the store meanwhile."""
        last = start if start is not None else (2**62 if descending else 0)
        while True:
            rows = self._conn.execute(query, (*args, last, PAGE)).fetchall()
            yield from rows
            if len(rows) < PAGE:
                return
            last = rows[-1][0]

    def _document_row(self, doc: Document) -> tuple[Any, ...]:
        return (
            doc.id, doc.origin, doc.url, doc.outlet, doc.title,
            doc.published.value if doc.published else None,
            doc.published.precision if doc.published else None,
            doc.published.evidence if doc.published else None,
            doc.language, doc.text, _pack_sentences(doc.sentences),
            json.dumps(doc.meta, ensure_ascii=False, default=str), self._config(doc.language),
        )

    def _vector_row(self, doc_id: str, vec: Vectors) -> tuple[Any, ...]:
        # The pgvector copy is the float16 centroid itself, so both search paths rank the same numbers.
        centroid = vec.centroid().astype(np.float16)
        row = (doc_id, vec.model, vec.matrix.shape[1], np.asarray(vec.rows, dtype=np.int32).tobytes(),
               vec.matrix.astype(np.float16).tobytes(), centroid.tobytes())
        return (*row, _vector_text(centroid)) if self.pgvector else row

    def _config(self, language: str | None) -> str:
        config = TEXT_SEARCH_CONFIGS.get(language or "", "simple")
        return config if config in self._configs else "simple"

    def _text_search_configs(self) -> set[str]:
        rows = self._conn.execute("SELECT cfgname FROM pg_ts_config WHERE cfgname = ANY(%s)",
                                  (sorted(set(TEXT_SEARCH_CONFIGS.values()) | {"simple"}),))
        return {r[0] for r in rows}

    def _has_centroid_column(self) -> bool:
        return self._conn.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'vectors'::regclass "
            "AND attname = 'centroid_vec' AND NOT attisdropped)").fetchone()[0]

    def _ensure_ann_index(self, model: str, dim: int) -> None:
        """One partial HNSW index per model: HNSW needs a fixed dimension, and models differ in theirs.

        Built in its own short transaction before the batch that brings the model, under a lock
        so that concurrent processes build it once. DDL takes no bind parameters; the model name
        is quoted by psycopg as a literal, and a literal is what lets the planner match a query
        to this partial index."""
        name = _ann_index_name(model)
        if not self.pgvector or name in self._ann_indexes:
            return
        with self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (ANN_INDEX_LOCK,))
            self._conn.execute(sql.SQL(
                "CREATE INDEX IF NOT EXISTS {name} ON vectors USING hnsw ((centroid_vec::vector({dim})) "
                "vector_cosine_ops) WHERE model = {model}"
            ).format(name=sql.Identifier(name), dim=sql.Literal(dim), model=sql.Literal(model)))
        self._ann_indexes.add(name)

    def _ann_nearest(self, model: str, query: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The query repeats the index's expression and predicate, which is what makes the planner use it.

        Never prepared: after five runs psycopg would prepare it, and the generic plan of a
        `LIMIT $n` query, costed without knowing n, sorts the whole table instead."""
        with self._conn.transaction():
            self._conn.execute("SELECT set_config('hnsw.ef_search', %s, true)",
                               (str(min(MAX_EF_SEARCH, max(40, 2 * k))),))
            return self._conn.execute(sql.SQL(
                "SELECT document, 1 - (centroid_vec::vector({dim}) <=> %s::vector({dim})) FROM vectors "
                "WHERE model = {model} ORDER BY centroid_vec::vector({dim}) <=> %s::vector({dim}) LIMIT %s"
            ).format(dim=sql.Literal(len(query)), model=sql.Literal(model)),
                (_vector_text(query), _vector_text(query), k), prepare=False).fetchall()


def _connect(url: str) -> psycopg.Connection:
    """Autocommit: reads see the latest commits, and writes open explicit transactions."""
    try:
        params = conninfo_to_dict(url)
        options: dict[str, Any] = {"application_name": "narratrace"}
        if "connect_timeout" not in params:
            options["connect_timeout"] = 10
        return psycopg.connect(url, autocommit=True, **options)
    except psycopg.Error as exc:
        where = _where(url)
        reason = " ".join(str(exc).split("\n")[0].split())
        raise StoreError(f"cannot connect to PostgreSQL{where}: {reason}") from None


def _where(url: str) -> str:
    """Host, port and database of a URL, never its password."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.Error:
        return ""
    return f" at {params.get('host', 'localhost')}:{params.get('port', 5432)}/{params.get('dbname', '')}"


def _document(row: tuple[Any, ...]) -> Document:
    (doc_id, origin, url, outlet, title, published, precision, evidence,
     language, text, sentences, meta) = row
    return Document(
        origin=origin, text=text, title=title, url=url, outlet=outlet,
        published=Published(published, precision, evidence or "") if published else None,
        language=language, sentences=_unpack_sentences(sentences), meta=meta or {}, id=doc_id,
    )


def _reserve(cur: psycopg.Cursor, table: str, n: int) -> list[int]:
    """n ascending sequence numbers of `table`, handed out in the caller's order.

    Rows are inserted in key order, so that overlapping batches of two processes lock
    their unique-index entries in one order and cannot deadlock on them; the numbers
    reserved first keep the order the caller gave, which is the ingestion order that
    `documents()`, `unlinked()` and `fingerprints()` report.
    """
    if n == 0:
        return []
    rows = cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'seq')) AS n FROM generate_series(1, %s) "
                       "ORDER BY n", (table, n)).fetchall()
    return [r[0] for r in rows]


def _exact_nearest(stored: StoredVectors, query: np.ndarray, k: int) -> list[tuple[str, float]]:
    if not stored.owners:
        return []
    matrix = stored.matrix.astype(np.float32)
    norms = np.linalg.norm(matrix, axis=1) * float(np.linalg.norm(query))
    scores = (matrix @ query) / np.where(norms > 0, norms, 1.0)
    top = np.argsort(-scores, kind="stable")[:k]
    return [(stored.owners[i], float(scores[i])) for i in top]


def _vector_text(vector: np.ndarray) -> str:
    """pgvector's text form; float32 values print exactly, so nothing is rounded on the way."""
    return "[" + ",".join(map(str, vector.astype(np.float32).tolist())) + "]"


def _ann_index_name(model: str) -> str:
    return "vectors_hnsw_" + hashlib.sha256(model.encode("utf-8")).hexdigest()[:16]
