"""JSON, JSON Lines, CSV and TSV exports: one Document per record.

A broken line or record costs only itself: it becomes a Rejection naming
`file#n` and the others go on, because a 100k-line export with one bad line is
still a 100k-line export.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from narratrace.ingest.base import ReadOptions, ReadResult, Rejection
from narratrace.ingest.decode import CONTROLS, DecodeError, decode_bytes, repair_text
from narratrace.ingest.records import record_document
from narratrace.ingest.results import reason_of, rejecting
from narratrace.ingest.sniff import header_delimiter, looks_like_delimited, looks_like_json
from narratrace.ingest.source import load_bytes, read_head, stream_lines

# Enough of the head to see the first two lines of an export of whole articles.
HEAD_BYTES = 1 << 16
RECORD_LIST_KEYS = ("articles", "items", "records", "documents", "docs", "data", "results", "entries", "posts", "rows")


def load_json(text: str) -> object:
    """`json.loads`, with nesting deeper than the interpreter allows reported as invalid JSON.

    json's C parser raises RecursionError, not JSONDecodeError, on `[[[[...` some
    thousand levels deep, and every caller already turns JSONDecodeError into a
    one-line rejection of that file or line."""
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, 0) from None


class JsonReader:
    """A JSON document (a list of records, or an object holding one) or JSON Lines, told apart by parsing."""

    name = "json"

    def sniff(self, path: Path, head: bytes) -> bool:
        return looks_like_json(head)

    @rejecting
    def read(self, path: Path, origin: str, options: ReadOptions) -> Iterator[ReadResult]:
        if _json_lines_head(read_head(path, HEAD_BYTES)):
            yield from self._stream_lines(path, origin, options)
            return
        text = decode_bytes(load_bytes(path, options.max_bytes))
        try:
            data = load_json(text)
        except json.JSONDecodeError as exc:
            if _is_json_lines(text):
                yield from self._read_lines(text, origin, options)
            else:
                yield Rejection(origin, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
            return
        records = _records_of(data)
        if isinstance(records, str):
            yield Rejection(origin, records)
            return
        for number, record in enumerate(records, 1):
            yield _record_result(record, f"{origin}#{number}", options, self.name)

    def _read_lines(self, text: str, origin: str, options: ReadOptions) -> Iterator[ReadResult]:
        for number, line in enumerate(text.split("\n"), 1):
            if line.strip():
                yield _line_result(line, f"{origin}#{number}", options, self.name)

    def _stream_lines(self, path: Path, origin: str, options: ReadOptions) -> Iterator[ReadResult]:
        """JSON Lines one line at a time, so memory stays flat however many records the file holds."""
        for number, raw in enumerate(stream_lines(path, options.max_bytes), 1):
            try:
                line = _decoded_line(raw)
            except DecodeError as exc:
                yield Rejection(f"{origin}#{number}", f"undecodable line: {exc}")
                continue
            if line.strip():
                yield _line_result(line, f"{origin}#{number}", options, self.name)


class CsvReader:
    """CSV and TSV with a header row; the delimiter is the one the header uses most."""

    name = "csv"

    def sniff(self, path: Path, head: bytes) -> bool:
        return looks_like_delimited(path, head)

    @rejecting
    def read(self, path: Path, origin: str, options: ReadOptions) -> Iterator[ReadResult]:
        text = decode_bytes(load_bytes(path, options.max_bytes))
        delimiter = header_delimiter(text.split("\n", 1)[0]) or ","
        # The limit is process-wide in the csv module; it is only ever raised, to the size of this file.
        csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [name.strip() for name in next(rows, [])]
        for number, row in enumerate(_csv_rows(rows), 1):
            row_origin = f"{origin}#{number}"
            if isinstance(row, csv.Error):
                yield Rejection(row_origin, f"malformed CSV row: {row}")
            elif any(cell.strip() for cell in row[len(header) :]):
                yield Rejection(row_origin, f"row has {len(row)} fields, header has {len(header)}")
            else:
                yield _record_result(dict(zip(header, row)), row_origin, options, self.name)


def _csv_rows(rows: Iterator[list[str]]) -> Iterator[list[str] | csv.Error]:
    """The non-blank rows, with the error in place of a row the csv module cannot parse."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield exc
            continue
        if any(cell.strip() for cell in row):
            yield row


def _json_lines_head(head: bytes) -> bool:
    """Whether the file can be streamed as JSON Lines: a UTF-8 head whose first line is a whole JSON value
    and whose next line is not blank (no JSON document can go on after a complete value), as
    `_is_json_lines` would decide on the whole text."""
    lines = [line for line in head.removeprefix(codecs.BOM_UTF8).split(b"\n") if line.strip()]
    if len(lines) < 2 or not head.strip().startswith(b"{"):
        return False
    try:
        load_json(lines[0].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return True


def _decoded_line(raw: bytes) -> str:
    """One line as `decode_bytes` reads the whole file: UTF-8, as JSON Lines should be, else guessed."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode_bytes(raw)
    return CONTROLS.sub("", repair_text(text))


def _line_result(line: str, origin: str, options: ReadOptions, reader: str) -> ReadResult:
    try:
        record = load_json(line)
    except json.JSONDecodeError as exc:
        return Rejection(origin, f"invalid JSON line: {exc.msg} (column {exc.colno})")
    return _record_result(record, origin, options, reader)


def _is_json_lines(text: str) -> bool:
    """JSON Lines when the first non-empty line is a complete value on its own; else one broken document."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    try:
        load_json(first)
    except json.JSONDecodeError:
        return False
    return True


def _records_of(data: object) -> list[object] | str:
    """The records of a parsed JSON document, or the reason there are none."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        return "JSON holds no records"
    lists = {key: value for key, value in data.items() if _is_record_list(value)}
    if len(lists) == 1:
        return next(iter(lists.values()))
    if not lists:
        return [data]
    preferred = [key for key in RECORD_LIST_KEYS if key in lists]
    if preferred:
        return lists[preferred[0]]
    return f"JSON object holds several lists of records ({', '.join(sorted(lists))})"


def _is_record_list(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _record_result(record: object, origin: str, options: ReadOptions, reader: str) -> ReadResult:
    if not isinstance(record, Mapping):
        return Rejection(origin, "not a JSON object")
    try:
        return record_document(record, origin, options, reader)
    except Exception as exc:  # one odd record must not end the file
        return Rejection(origin, reason_of(exc))
