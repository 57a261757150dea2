"""Recognise a format from the first bytes of the content, not from the file name.

Exports are often misnamed (.txt holding JSON Lines, .xml holding HTML), but
prose must never be taken for a structured format: an article starting with
"[BREAKING]" or with a comma in its first line stays text.
"""

from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path

from narratrace.ingest.records import KNOWN_FIELD_NAMES

# Possessive, one character of space per turn: "(?:\s+|...)*" tried every way of cutting a run of
# spaces when no feed or page followed, and 40 leading spaces took longer than anyone waits.
PROLOG = r"(?:\s|<\?.*?\?>|<!--.*?-->)*+"
FEED_START = re.compile(PROLOG + r"(?:<!doctype[^>]*>\s*)?<(?:rss|feed|rdf:rdf)\b", re.S)
HTML_START = re.compile(PROLOG + r"<(?:!doctype\s+html|html)\b", re.S)
HTML_TAG = re.compile(r"<(?:p|div|span|a|br|body|head|title|meta|link|script|table|li|ul|h[1-6]|article|section)\b")
JSON_START = re.compile(r'^\s*(?:\{\s*(?:"|\})|\[\s*(?:\{|\]))')
DELIMITERS = ("\t", ",", ";", "|")
HEADER_FIELD = re.compile(r"[\w .\-/()#:]{1,64}")
TABULAR_SUFFIXES = {".csv", ".tsv", ".tab"}
MIN_HTML_TAGS = 5
MAX_FIELD_WORDS = 3


def head_text(head: bytes) -> str:
    """The head as lowercase text for pattern matching, whatever its encoding."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore").lower()
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff").lower()


def looks_like_warc(head: bytes) -> bool:
    return head.startswith(b"WARC/")


def looks_like_feed(head: bytes) -> bool:
    return bool(FEED_START.match(head_text(head)))


def looks_like_html(head: bytes) -> bool:
    """A doctype or <html> root, or a fragment that opens with a tag and has several more."""
    text = head_text(head)
    if HTML_START.match(text):
        return True
    return text.lstrip().startswith("<") and len(HTML_TAG.findall(text)) >= MIN_HTML_TAGS


def looks_like_json(head: bytes) -> bool:
    return bool(JSON_START.match(head_text(head)))


def looks_like_delimited(path: Path, head: bytes) -> bool:
    """A header row of short field names, and either a .csv/.tsv name or a field name we know."""
    first_line = re.split(r"[\r\n]", head_text(head), maxsplit=1)[0]
    delimiter = header_delimiter(first_line)
    if delimiter is None:
        return False
    try:
        fields = [name.strip() for name in next(csv.reader([first_line], delimiter=delimiter))]
    except csv.Error:
        return False
    if len(fields) < 2 or not all(_field_name(name) for name in fields):
        return False
    return _tabular_suffix(path) or any(name in KNOWN_FIELD_NAMES for name in fields)


def header_delimiter(line: str) -> str | None:
    counts = {delimiter: line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else None


def _field_name(name: str) -> bool:
    """Column names are short labels; a clause of a sentence is not."""
    return bool(HEADER_FIELD.fullmatch(name)) and len(name.split()) <= MAX_FIELD_WORDS


def _tabular_suffix(path: Path) -> bool:
    suffixes = [suffix.lower() for suffix in path.suffixes if suffix.lower() != ".gz"]
    return bool(suffixes) and suffixes[-1] in TABULAR_SUFFIXES
