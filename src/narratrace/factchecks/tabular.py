"""Fact-check databases exported as CSV or TSV with a header row, read through a field mapping.

Research exports name their columns freely (CheckThat!'s `vclaim`, EUvsDisinfo's
`summary`) and sometimes leave one unnamed (the id column of CheckThat!'s
`verified_claims.docs.tsv`), so a column can also be named by position as `#1`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from narratrace.factchecks.records import (
    FactCheck,
    FieldMap,
    RecordError,
    build_factcheck,
    pick,
)
from narratrace.ingest.base import Rejection

USUAL: dict[str, tuple[str, ...]] = {
    "id": ("id", "claim_id", "factcheck_id", "vclaim_id"),
    "claim": ("claim", "claimReviewed", "claim_reviewed", "vclaim", "text"),
    "title": ("title", "headline", "name"),
    "rating": ("rating", "verdict", "textualRating", "label"),
    "author": ("author", "publisher", "organisation", "organization", "factchecker"),
    "url": ("url", "link"),
    "date": ("date", "datePublished", "reviewDate", "published"),
    "lang": ("lang", "language", "languageCode", "inLanguage"),
}


def read_tabular(text: str, origin: str, delimiter: str, mapping: FieldMap) -> Iterator[FactCheck | Rejection]:
    # The limit is process-wide in the csv module; it is only ever raised, to the size of this text.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(rows, [])]
    except csv.Error as exc:
        yield Rejection(origin, f"unreadable header row: {exc}")
        return
    if len(header) < 2:
        yield Rejection(origin, f"header row has {len(header)} column; give --format or check the delimiter")
        return
    missing = [f"--{role}-field {name!r}" for role, name in mapping.roles().items()
               if name and _column(header, name) is None]
    if missing:
        yield Rejection(origin, f"no such column: {', '.join(missing)} (columns: {', '.join(map(repr, header))})")
        return
    usual = {role: tuple(header[i] for n in names if (i := _column(header, n)) is not None) or names[:1]
             for role, names in USUAL.items()}
    while True:
        # Records are named by the line they start on, so a quoted cell spanning lines still points home.
        start = rows.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Rejection(f"{origin}#{start}", f"malformed row: {exc}")
            continue
        if any(cell.strip() for cell in row):
            yield _factcheck(header, row, f"{origin}#{start}", usual, mapping)


def _factcheck(
    header: list[str], row: list[str], origin: str, usual: dict[str, tuple[str, ...]], mapping: FieldMap
) -> FactCheck | Rejection:
    if len(row) != len(header):
        return Rejection(origin, f"row has {len(row)} fields, header has {len(header)}")
    record = {name: value for name, value in zip(header, row) if name}
    record.update({f"#{i}": value for i, value in enumerate(row, 1)})
    try:
        found = {role: pick(record, usual[role], _key(header, mapping.roles()[role]))
                 for role in USUAL}
        return build_factcheck(origin, found, mapping.date_format)
    except RecordError as exc:
        return Rejection(origin, str(exc))


def _column(header: list[str], name: str) -> int | None:
    """The 0-based position of a column named exactly, case-insensitively, or as `#N`."""
    if name.startswith("#") and name[1:].isdigit():
        position = int(name[1:])
        return position - 1 if 1 <= position <= len(header) else None
    lowered = [h.lower() for h in header]
    return lowered.index(name.lower()) if name.lower() in lowered else None


def _key(header: list[str], name: str | None) -> str | None:
    """The record key of a mapped column: its header name as written, or its `#N`."""
    if not name:
        return None
    position = _column(header, name)
    if position is None:
        return name
    return header[position] or f"#{position + 1}"
