"""The embedded store: one SQLite file in WAL mode, FTS5 over titles and text.

Each batch is one transaction, so a process killed mid-ingest leaves the file as it
was after the last whole batch, and the next run skips what is already there.
Vectors are stored as float16 blobs, one per document and model.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import regex

from narratrace.model import Cluster, Document, Fingerprint, Link, Published, Sentence, Vectors
from narratrace.store.base import KeywordHit, StoredVectors
from narratrace.store.migrations import migrate

if TYPE_CHECKING:
    from narratrace.provenance.citations import Citation
    from narratrace.factchecks.records import FactCheck, FactCheckMatch

_WORD = regex.compile(r"[\p{L}\p{N}]+")
_DOC_COLUMNS = (
    "id, origin, url, outlet, title, published, published_precision, published_evidence, "
    "language, text, sentences, meta"
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _pack_sentences(sentences: Sequence[Sentence]) -> bytes:
    return np.array([(s.start, s.end, s.paragraph) for s in sentences], dtype=np.int32).tobytes()


def _unpack_sentences(blob: bytes) -> list[Sentence]:
    triples = np.frombuffer(blob, dtype=np.int32).reshape(-1, 3)
    return [Sentence(int(a), int(b), int(p)) for a, b, p in triples]


class SQLiteStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        migrate(self._db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def known(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        for lo in range(0, len(ids), 500):
            chunk = ids[lo : lo + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT id FROM documents WHERE id IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return found

    def add_documents(self, docs: Sequence[Document]) -> None:
        with self._transaction() as db:
            for doc in docs:
                cur = db.execute(
                    f"INSERT OR IGNORE INTO documents ({_DOC_COLUMNS}, ingested_at) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        doc.id, doc.origin, doc.url, doc.outlet, doc.title,
                        doc.published.value if doc.published else None,
                        doc.published.precision if doc.published else None,
                        doc.published.evidence if doc.published else None,
                        doc.language, doc.text, _pack_sentences(doc.sentences),
                        json.dumps(doc.meta, ensure_ascii=False, default=str), _now(),
                    ),
                )
                if cur.rowcount == 0:
                    continue
                db.execute("INSERT OR IGNORE INTO origins VALUES (?, ?)", (doc.origin, doc.id))
                for vec in doc.vectors.values():
                    _write_vectors(db, doc.id, vec)
                if doc.fingerprint is not None:
                    db.execute(
                        "INSERT INTO fingerprints VALUES (?, ?, ?)",
                        (doc.id, doc.fingerprint.minhash.astype(np.uint64).tobytes(),
                         "\n".join(sorted(doc.fingerprint.anchors))),
                    )
                db.executemany(
                    "INSERT OR IGNORE INTO citations VALUES (?,?,?,?,?,?,?,?,?)",
                    [(doc.id, c.start, c.end, c.source, c.canonical, c.kind, int(c.anonymous), c.phrase, c.score)
                     for c in doc.citations],
                )

    def put_vectors(self, items: Sequence[tuple[str, Vectors]]) -> None:
        if not items:
            return
        with self._transaction() as db:
            for doc_id, vectors in items:
                _write_vectors(db, doc_id, vectors, keep_centroid=True)

    def citations(self, doc_id: str | None = None) -> list[tuple[str, Citation]]:
        from narratrace.provenance.citations import Citation

        sql = ('SELECT document, source, canonical, kind, anonymous, phrase, start, "end", score '
               "FROM citations")
        args: tuple[str, ...] = ()
        if doc_id:
            sql, args = sql + " WHERE document = ?", (doc_id,)
        return [(row[0], Citation(row[1], row[2], row[3], bool(row[4]), row[5], row[6], row[7], row[8]))
                for row in self._db.execute(sql + " ORDER BY document, start", args)]

    def unclustered(self) -> list[str]:
        rows = self._db.execute(
            "SELECT id FROM documents WHERE id NOT IN (SELECT document FROM clustered) ORDER BY rowid")
        return [r[0] for r in rows]

    def published_of(self, ids: Sequence[str]) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for lo in range(0, len(ids), 500):
            chunk = list(ids[lo : lo + 500])
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(f"SELECT id, published FROM documents WHERE id IN ({marks})", chunk))
        return found

    def cluster_state(self, name: str) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
        row = self._db.execute("SELECT meta, arrays FROM cluster_state WHERE name = ?", (name,)).fetchone()
        if row is None:
            return None
        with np.load(io.BytesIO(row[1]), allow_pickle=False) as arrays:
            return json.loads(row[0]), {key: arrays[key] for key in arrays.files}

    def cluster_items(self, name: str) -> list[tuple[str, str, str, bytes]]:
        return [(kind, key, value, bytes(data)) for kind, key, value, data in self._db.execute(
            "SELECT kind, key, value, data FROM cluster_items WHERE name = ?", (name,))]

    def cluster_state_version(self, name: str) -> int | None:
        row = self._db.execute("SELECT version FROM cluster_state WHERE name = ?", (name,)).fetchone()
        return None if row is None else row[0]

    def save_clusters(self, name: str, meta: dict[str, Any], arrays: dict[str, np.ndarray],
                      clusters: Sequence[Cluster], aliases: Sequence[tuple[str, str, str]],
                      clustered: Sequence[str], gone: Sequence[tuple[str, str]] | None = None,
                      items: Sequence[tuple[str, str, str | None, bytes]] = (), replace_items: bool = False) -> None:
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        levels = sorted({c.level for c in clusters} | {level for level, _, _ in aliases})
        with self._transaction() as db:
            db.execute("INSERT INTO cluster_state (name, meta, arrays, updated_at) VALUES (?,?,?,?) "
                       "ON CONFLICT (name) DO UPDATE SET meta = excluded.meta, arrays = excluded.arrays, "
                       "updated_at = excluded.updated_at, version = cluster_state.version + 1",
                       (name, json.dumps(meta, ensure_ascii=False), buffer.getvalue(), _now()))
            if replace_items:
                db.execute("DELETE FROM cluster_items WHERE name = ?", (name,))
            db.executemany("DELETE FROM cluster_items WHERE name = ? AND kind = ? AND key = ?",
                           [(name, kind, key) for kind, key, value, _ in items if value is None])
            db.executemany("INSERT OR REPLACE INTO cluster_items VALUES (?,?,?,?,?)",
                           [(name, kind, key, value, data) for kind, key, value, data in items if value is not None])
            if gone is None:
                for level in levels:
                    db.execute("DELETE FROM clusters WHERE level = ?", (level,))
                    db.execute("DELETE FROM cluster_members WHERE level = ?", (level,))
            else:
                replaced = [*gone, *((c.level, c.id) for c in clusters)]
                db.executemany("DELETE FROM clusters WHERE level = ? AND id = ?", replaced)
                db.executemany("DELETE FROM cluster_members WHERE level = ? AND cluster = ?", replaced)
            db.executemany("INSERT INTO clusters VALUES (?,?,?,?,?,?,?)", [
                (c.level, c.id, c.label, c.first_seen, c.last_seen, json.dumps(c.languages),
                 json.dumps(c.details, ensure_ascii=False, default=str)) for c in clusters])
            db.executemany("INSERT OR REPLACE INTO cluster_members VALUES (?,?,?,?,?)", [
                (c.level, doc_id, c.id, (c.membership.get(doc_id) or {}).get("score"),
                 json.dumps((c.membership.get(doc_id) or {}).get("evidence", {}), ensure_ascii=False, default=str))
                for c in clusters for doc_id in c.documents])
            db.executemany("INSERT OR REPLACE INTO cluster_aliases VALUES (?,?,?)", aliases)
            db.executemany("INSERT OR IGNORE INTO clustered VALUES (?)", [(i,) for i in clustered])

    def clusters(self, level: str, ids: Sequence[str] | None = None) -> list[Cluster]:
        sql, args = "SELECT id, label, first_seen, last_seen, languages, details FROM clusters WHERE level = ?", [level]
        if ids is not None:
            resolved = [self.resolve_cluster(level, i) for i in ids]
            sql += f" AND id IN ({','.join('?' * len(resolved))})"
            args += resolved
        rows = self._db.execute(sql + " ORDER BY first_seen, id", args).fetchall()
        members: dict[str, dict[str, tuple[float | None, str]]] = {row[0]: {} for row in rows}
        # All members of the level in one ordered scan when many clusters are asked for:
        # a query per cluster took 0.66 s for 348 stories.
        scan = "SELECT m.cluster, m.document, m.score, m.evidence FROM cluster_members m " \
               "JOIN documents d ON d.id = m.document WHERE m.level = ?"
        scan_args: list[str] = [level]
        if len(rows) <= 8:
            scan += f" AND m.cluster IN ({','.join('?' * len(rows))})"
            scan_args += list(members)
        for cid, doc_id, score, evidence in self._db.execute(scan + " ORDER BY d.published, d.rowid", scan_args):
            if cid in members:
                members[cid][doc_id] = (score, evidence)
        return [Cluster(level, cid, label, list(members[cid]), first, last, json.loads(languages),
                        json.loads(details), _Membership(members[cid]))
                for cid, label, first, last, languages, details in rows]

    def resolve_cluster(self, level: str, cluster_id: str) -> str:
        """The id a cluster goes by now: merged ids resolve to the survivor, however many merges ago."""
        seen = {cluster_id}
        while row := self._db.execute(
                "SELECT new FROM cluster_aliases WHERE level = ? AND old = ?", (level, cluster_id)).fetchone():
            cluster_id = row[0]
            if cluster_id in seen:
                break
            seen.add(cluster_id)
        return cluster_id

    def add_source_file(self, name: str, csv_format: bool, content: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO source_files VALUES (?,?,?,?)", (name, int(csv_format), content, _now()))

    def source_files(self) -> list[tuple[str, bool, str]]:
        rows = self._db.execute("SELECT name, csv, content FROM source_files ORDER BY imported_at, name")
        return [(name, bool(csv_format), content) for name, csv_format, content in rows]

    def fingerprints(self, ids: Sequence[str] | None = None) -> Iterator[tuple[str, str | None, Fingerprint]]:
        sql = ("SELECT f.document, d.language, f.minhash, f.anchors FROM fingerprints f "
               "JOIN documents d ON d.id = f.document")
        if ids is None:
            queries = [(sql + " ORDER BY d.rowid", ())]
        else:
            parts = [tuple(ids[lo : lo + 500]) for lo in range(0, len(ids), 500)]
            queries = [(f"{sql} WHERE f.document IN ({','.join('?' * len(p))}) ORDER BY d.rowid", p) for p in parts]
        for query, args in queries:
            for doc_id, language, minhash, anchors in self._db.execute(query, args):
                yield doc_id, language, Fingerprint(
                    np.frombuffer(minhash, dtype=np.uint64), frozenset(anchors.split("\n")) - {""}
                )

    def unlinked(self) -> list[str]:
        return [r[0] for r in self._db.execute(
            "SELECT id FROM documents WHERE id NOT IN (SELECT document FROM linked) ORDER BY rowid"
        )]

    def add_links(self, links: Sequence[Link], linked: Sequence[str],
                  vectors: Sequence[tuple[str, Vectors]] = ()) -> None:
        with self._transaction() as db:
            for doc_id, vec in vectors:
                _write_vectors(db, doc_id, vec, keep_centroid=True)
            for link in links:
                db.execute(
                    "INSERT OR REPLACE INTO links VALUES (?,?,?,?,?,?,?,?,?)",
                    (link.a, link.b, link.kind, link.score, link.coverage_a, link.coverage_b,
                     link.direction, json.dumps(link.evidence, ensure_ascii=False), _now()),
                )
            db.executemany("INSERT OR IGNORE INTO linked VALUES (?)", [(i,) for i in linked])

    def links(self, doc_id: str | None = None) -> list[Link]:
        sql = "SELECT a, b, kind, score, coverage_a, coverage_b, direction, evidence FROM links"
        args: tuple[str, ...] = ()
        if doc_id:
            sql, args = sql + " WHERE a = ? OR b = ?", (doc_id, doc_id)
        return [
            Link(a, b, kind, score, cov_a, cov_b, direction, json.loads(evidence))
            for a, b, kind, score, cov_a, cov_b, direction, evidence in self._db.execute(
                sql + " ORDER BY a, b", args)
        ]

    def count_links(self) -> int:
        return self._db.execute("SELECT count(*) FROM links").fetchone()[0]

    def links_of(self, ids: Sequence[str], within: bool = False) -> list[Link]:
        found: dict[tuple[str, str], Link] = {}
        wanted = set(ids)
        for lo in range(0, len(ids), 400):
            part = tuple(ids[lo : lo + 400])
            marks = ",".join("?" * len(part))
            # Both ends among all the ids: tested on `a` here, on `b` below, so the chunks stay small.
            rows = self._db.execute(
                "SELECT a, b, kind, score, coverage_a, coverage_b, direction, evidence FROM links "
                f"WHERE a IN ({marks})" + ("" if within else f" OR b IN ({marks})"), part if within else part + part)
            for a, b, kind, score, cov_a, cov_b, direction, evidence in rows:
                if not within or b in wanted:
                    found[a, b] = Link(a, b, kind, score, cov_a, cov_b, direction, json.loads(evidence))
        return [found[key] for key in sorted(found)]

    def add_origins(self, pairs: Sequence[tuple[str, str]]) -> None:
        with self._transaction() as db:
            db.executemany("INSERT OR IGNORE INTO origins VALUES (?, ?)", pairs)

    def record_rejections(self, rejections: Sequence[tuple[str, str]]) -> None:
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO rejections VALUES (?, ?, ?)", [(o, r, _now()) for o, r in rejections]
            )

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def get(self, key: str) -> Document | None:
        row = self._db.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = ? OR id = "
            "(SELECT document FROM origins WHERE origin = ?)",
            (key, key),
        ).fetchone()
        return self._document(row) if row else None

    def documents(self, language: str | None = None, after: str | None = None,
                  newest_first: bool = False) -> Iterator[Document]:
        where: list[str] = []
        args: list[Any] = []
        if language:
            where.append("language = ?")
            args.append(language)
        if after is not None:
            row = self._db.execute("SELECT rowid FROM documents WHERE id = ?", (after,)).fetchone()
            if row is None:
                raise KeyError(after)
            where.append("rowid < ?" if newest_first else "rowid > ?")
            args.append(row[0])
        sql = f"SELECT {_DOC_COLUMNS} FROM documents" + (" WHERE " + " AND ".join(where) if where else "")
        for row in self._db.execute(sql + " ORDER BY rowid" + (" DESC" if newest_first else ""), args):
            yield self._document(row)

    def vectors_of(self, doc_id: str) -> dict[str, Vectors]:
        rows = self._db.execute(
            "SELECT model, dim, rows, matrix FROM vectors WHERE document = ?", (doc_id,)
        )
        return {
            model: Vectors(
                model,
                np.frombuffer(matrix, dtype=np.float16).reshape(-1, dim),
                np.frombuffer(idx, dtype=np.int32).tolist(),
            )
            for model, dim, idx, matrix in rows
        }

    def vectors_in(self, model: str, doc_ids: Sequence[str]) -> dict[str, Vectors]:
        out: dict[str, Vectors] = {}
        for lo in range(0, len(doc_ids), 500):
            part = list(doc_ids[lo : lo + 500])
            rows = self._db.execute(
                f"SELECT document, dim, rows, matrix FROM vectors WHERE model = ? AND document IN ({','.join('?' * len(part))})",
                [model, *part])
            for doc_id, dim, idx, matrix in rows:
                out[doc_id] = Vectors(model, np.frombuffer(matrix, dtype=np.float16).reshape(-1, dim),
                                      np.frombuffer(idx, dtype=np.int32).tolist())
        return out

    def document_vectors(self, model: str, language: str | None = None) -> StoredVectors:
        sql = "SELECT v.document, v.dim, v.centroid FROM centroids v"
        args: tuple[str, ...] = (model,)
        if language:
            sql += " JOIN documents d ON d.id = v.document AND d.language = ?"
            args = (language, model)
        rows = self._db.execute(sql + " WHERE v.model = ? ORDER BY v.document", args).fetchall()
        if not rows:
            return StoredVectors(model, [], np.zeros((0, 0), dtype=np.float16))
        matrix = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float16)
        return StoredVectors(model, [r[0] for r in rows], matrix.reshape(len(rows), rows[0][1]))

    def keyword_search(self, query: str, limit: int, language: str | None = None) -> list[KeywordHit]:
        words = _WORD.findall(query)
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
        if language:
            sql = ("SELECT d.id, -bm25(documents_fts) FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
                   "WHERE documents_fts MATCH ? AND d.language = ? ORDER BY bm25(documents_fts) LIMIT ?")
            args: list[object] = [match, language, limit]
        else:
            # The best rows first, then their ids: joined before the limit, every matching row
            # (half the store for a query of common words) was looked up.
            sql = ("SELECT d.id, top.score FROM (SELECT rowid, -bm25(documents_fts) AS score FROM documents_fts "
                   "WHERE documents_fts MATCH ? ORDER BY bm25(documents_fts) LIMIT ?) top "
                   "JOIN documents d ON d.rowid = top.rowid ORDER BY top.score DESC")
            args = [match, limit]
        return [KeywordHit(i, float(score)) for i, score in self._db.execute(sql, args)]

    def stats(self) -> dict[str, list[tuple[str, int]]]:
        queries = {
            "language": "SELECT coalesce(language, '?'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1",
            "outlet": "SELECT coalesce(outlet, '?'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1",
            "month": "SELECT coalesce(substr(published, 1, 7), '?'), count(*) FROM documents GROUP BY 1 ORDER BY 1",
        }
        return {k: [(a, int(b)) for a, b in self._db.execute(q)] for k, q in queries.items()}

    def integrity(self) -> str:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def _document(self, row: tuple) -> Document:
        (doc_id, origin, url, outlet, title, published, precision, evidence,
         language, text, sentences, meta) = row
        return Document(
            origin=origin, text=text, title=title, url=url, outlet=outlet,
            published=Published(published, precision, evidence or "") if published else None,
            language=language, sentences=_unpack_sentences(sentences),
            meta=json.loads(meta) if meta else {}, id=doc_id,
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def known_factchecks(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        for lo in range(0, len(ids), 500):
            chunk = ids[lo : lo + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self._db.execute(f"SELECT id FROM factchecks WHERE id IN ({marks})", chunk))
        return found

    def add_factchecks(self, factchecks: Sequence[FactCheck]) -> int:
        added = 0
        with self._transaction() as db:
            for fc in factchecks:
                cur = db.execute(
                    "INSERT OR IGNORE INTO factchecks (id, claim, title, rating, author, date, url, language, origin, "
                    "imported_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (fc.id, fc.claim, fc.title, fc.rating, fc.author, fc.date, fc.url, fc.language, fc.origin, _now()),
                )
                if cur.rowcount == 0:
                    continue
                added += 1
                db.executemany(
                    "INSERT INTO factcheck_vectors VALUES (?,?,?,?)",
                    [(fc.id, model, m.shape[1], m.astype(np.float16).tobytes()) for model, m in fc.vectors.items()],
                )
        return added

    def count_factchecks(self) -> int:
        return self._db.execute("SELECT count(*) FROM factchecks").fetchone()[0]

    def factchecks(self) -> list[FactCheck]:
        from narratrace.factchecks.records import FactCheck

        rows = self._db.execute(
            "SELECT id, claim, title, rating, author, date, url, language, origin FROM factchecks ORDER BY rowid")
        return [
            FactCheck(id=i, claim=claim, title=title, rating=rating, author=author, date=date, url=url,
                      language=language, origin=origin)
            for i, claim, title, rating, author, date, url, language, origin in rows
        ]

    def factcheck_vectors(self, model: str) -> StoredVectors:
        rows = self._db.execute(
            "SELECT v.factcheck, v.dim, v.matrix FROM factcheck_vectors v JOIN factchecks f ON f.id = v.factcheck "
            "WHERE v.model = ? ORDER BY f.rowid", (model,),
        ).fetchall()
        if not rows:
            return StoredVectors(model, [], np.zeros((0, 0), dtype=np.float16))
        dim = rows[0][1]
        owners = [fc for fc, _, blob in rows for _ in range(len(blob) // (2 * dim))]
        matrix = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float16).reshape(-1, dim)
        return StoredVectors(model, owners, matrix)

    def add_matches(self, matches: Sequence[FactCheckMatch]) -> int:
        added = 0
        with self._transaction() as db:
            for m in matches:
                evidence = json.dumps(m.evidence, ensure_ascii=False)
                cur = db.execute(
                    "UPDATE factcheck_matches SET score = ?, evidence = ?, updated_at = ? WHERE claim = ? AND factcheck = ?",
                    (m.score, evidence, _now(), m.claim, m.factcheck))
                if cur.rowcount == 0:
                    db.execute("INSERT INTO factcheck_matches VALUES (?,?,?,?,?,?,?)",
                               (m.claim, m.factcheck, m.document, m.score, m.state, evidence, _now()))
                    added += 1
        return added

    def matches(self, state: str | None = None, document: str | None = None) -> list[FactCheckMatch]:
        from narratrace.factchecks.records import FactCheckMatch

        sql = "SELECT claim, factcheck, document, score, state, evidence FROM factcheck_matches WHERE 1 = 1"
        args: list[Any] = []
        if state:
            sql += " AND state = ?"
            args.append(state)
        if document:
            sql += " AND document = ?"
            args.append(document)
        rows = self._db.execute(sql + " ORDER BY score DESC, claim, factcheck", args)
        return [FactCheckMatch(c, f, d, s, st, json.loads(e)) for c, f, d, s, st, e in rows]

    def review_match(self, claim: str, factcheck: str, state: str) -> bool:
        with self._transaction() as db:
            cur = db.execute("UPDATE factcheck_matches SET state = ?, updated_at = ? WHERE claim = ? AND factcheck = ?",
                             (state, _now(), claim, factcheck))
        return cur.rowcount > 0

    def update_meta(self, updates: Sequence[tuple[str, str, Any]]) -> None:
        with self._transaction() as db:
            for doc_id, key, value in updates:
                db.execute("UPDATE documents SET meta = json_set(coalesce(meta, '{}'), ?, json(?)) WHERE id = ?",
                           (f'$."{key}"', json.dumps(value, ensure_ascii=False, default=str), doc_id))

    def save_taxonomy(self, name: str, state: dict[str, Any]) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO taxonomies VALUES (?,?,?)",
                       (name, json.dumps(state, ensure_ascii=False), _now()))

    def taxonomies(self) -> list[tuple[str, dict[str, Any]]]:
        rows = self._db.execute("SELECT name, state FROM taxonomies ORDER BY imported_at, name")
        return [(name, json.loads(state)) for name, state in rows]


def _write_vectors(db: sqlite3.Connection, doc_id: str, vec: Vectors, keep_centroid: bool = False) -> None:
    """`keep_centroid`: rows replaced, a stored centroid kept (see `Store.put_vectors`)."""
    db.execute("INSERT OR REPLACE INTO vectors VALUES (?,?,?,?,?)",
               (doc_id, vec.model, vec.matrix.shape[1], np.asarray(vec.rows, dtype=np.int32).tobytes(),
                vec.matrix.astype(np.float16).tobytes()))
    db.execute(f"INSERT OR {'IGNORE' if keep_centroid else 'REPLACE'} INTO centroids VALUES (?,?,?,?)",
               (vec.model, doc_id, vec.matrix.shape[1], vec.centroid().astype(np.float16).tobytes()))


class _Transaction:
    """BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue instead of failing mid-batch."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> sqlite3.Connection:
        self._db.execute("BEGIN IMMEDIATE")
        return self._db

    def __exit__(self, exc_type: type | None, *rest: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


class _Membership(Mapping[str, dict[str, Any]]):
    """Why each member joined, its evidence decoded when asked for: a page shows a hundred
    members, and decoding all 9,096 of a large narrative took 0.27 s a request."""

    def __init__(self, rows: dict[str, tuple[float | None, str]]) -> None:
        self._rows = rows

    def __getitem__(self, doc_id: str) -> dict[str, Any]:
        score, evidence = self._rows[doc_id]
        return {"score": score, "evidence": json.loads(evidence)}

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)
