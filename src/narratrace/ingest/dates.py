"""Publication dates from the raw strings sources give, with how precise they are.

The earliest sighting of a narrative is decided by these dates, so a date is
kept only when it was really written (no relative dates such as "yesterday",
no year filled in from today: free-form dates need a four-digit year), with its precision and the raw value as evidence.
"""

from __future__ import annotations

import email.utils
import functools
import re
from datetime import date, datetime, timezone

from dateparser.date import DateDataParser

from narratrace.model import Published

YEAR = re.compile(r"^(\d{4})$")
MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
TIMESTAMP = re.compile(r"^\d{9,13}(\.\d+)?$")
FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
MIN_YEAR = 1800
DATEPARSER_SETTINGS = {
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["year", "month"],
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def language_hint(lang: object) -> list[str] | None:
    """'fr-FR', 'fr_FR' or 'FR' to ['fr']: a hint makes dateparser 25x faster and reads month names right."""
    if not isinstance(lang, str):
        return None
    base = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    return [base] if re.fullmatch(r"[a-z]{2,3}", base) else None


def parse_date(raw: object, evidence: str, languages: list[str] | None = None) -> Published | None:
    """A `Published` for `raw` (string or epoch number), or None when it does not hold a plausible date."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, (int, float)):
        raw = str(raw)
    if not isinstance(raw, str) or not raw.strip():
        return None
    value = raw.strip()
    found = _parse_exact(value) or _parse_free(value, languages)
    if found is None or not MIN_YEAR <= int(found[0][:4]) <= date.today().year + 1:
        return None
    return Published(value=found[0], precision=found[1], evidence=evidence)


def _parse_exact(value: str) -> tuple[str, str] | None:
    if match := YEAR.match(value):
        return match[1], "year"
    if (match := MONTH.match(value)) and 1 <= int(match[2]) <= 12:
        return f"{match[1]}-{int(match[2]):02d}", "month"
    if match := COMPACT_DAY.match(value):
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat(), "day"
        except ValueError:
            return None
    if TIMESTAMP.match(value):
        seconds = float(value) / (1000 if len(value.split(".")[0]) > 11 else 1)
        return datetime.fromtimestamp(seconds, tz=timezone.utc).date().isoformat(), "day"
    for parse in (datetime.fromisoformat, email.utils.parsedate_to_datetime):
        try:
            return parse(value).date().isoformat(), "day"
        except (ValueError, TypeError, IndexError, OverflowError):
            continue
    return None


def _parse_free(value: str, languages: list[str] | None) -> tuple[str, str] | None:
    if len(value) > 100 or not FOUR_DIGITS.search(value):
        return None
    try:
        data = _parser(tuple(languages) if languages else None).get_date_data(value)
    except ValueError:
        if not languages:
            return None
        return _parse_free(value, None)
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    if data.period == "year":
        return f"{day.year:04d}", "year"
    if data.period == "month":
        return f"{day.year:04d}-{day.month:02d}", "month"
    return day.isoformat(), "day"


@functools.lru_cache(maxsize=64)
def _parser(languages: tuple[str, ...] | None) -> DateDataParser:
    """Building a parser loads locale data; one per language hint is enough."""
    return DateDataParser(languages=list(languages) if languages else None, settings=DATEPARSER_SETTINGS)

