"""Title, publication date and outlet of a plain-text article, read from its own lines.

Plain text comes from copy-paste and scrapers: navigation crumbs before the
title, a date line and the outlet's name in the header, a "source : X" credit at
the end. A story also mentions dates of its own, and "read also" boxes carry
other articles' dates, so a date is taken only from a *dated line*: a line that
is a date (with at most a weekday and a time), or that starts with a
publication label ("Publié le", "Published", "Diterbitkan", "Опубликовано",
...), in the header or among the last lines. When in doubt, nothing is
returned: a wrong date misplaces an article in a narrative's timeline, a
missing one only leaves it undated.

Month names are read by dateparser, told which languages to expect (the text's
language and English) because that makes it ~20 times faster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

from dateparser.data import language_order
from dateparser.date import DateDataParser

from narratrace.enrich.language import detect_language
from narratrace.model import Published

HEADER_LINES = 10
FOOTER_LINES = 3
SOURCE_LINES = 5
TITLE_SEARCH_LINES = 20
MAX_TITLE_CHARS = 300
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# A date within this many lines after "read also" / "check also" belongs to another article.
RELATED_REACH = 4
EARLIEST = date(1990, 1, 1)
LANGUAGE_SAMPLE_CHARS = 5000

_LABELS = (
    "date de publication|date published|publication date|first published|published on|published at|published|"
    "posted on|posted|dated|date|publié le|publiée le|publié|mis en ligne le|paru le|veröffentlicht am|"
    "veröffentlicht|erschienen am|publiziert am|datum|stand|fecha de publicación|publicado el|publicado em|"
    "publicado|fecha|data de publicação|pubblicato il|pubblicata il|pubblicato|data|gepubliceerd op|"
    "gepubliceerd|diterbitkan pada|diterbitkan|dipublikasikan pada|dipublikasikan|diposting pada|diposting|"
    "terbit|tanggal|tarikh|дата публикации|опубликовано|опубликован|размещено|дата публікації|опубліковано|"
    "дата|data publikacji|opublikowano|publikováno|yayınlanma tarihi|yayın tarihi|yayınlandı|tarih|"
    "تاريخ النشر|نشر بتاريخ|نشر في|التاريخ|تاریخ انتشار|منتشر شده|פורסם|תאריך|प्रकाशित|दिनांक|तारीख|"
    "发布时间|發布時間|发布日期|发表于|公開日|投稿日|掲載日|게시일|기사입력|입력|ημερομηνία|δημοσιεύθηκε|"
    "publicerad|publiceret|publisert|ngày đăng|đăng ngày"
)
_LABEL = re.compile(
    rf"(?:{_LABELS})(?![^\W\d_])(?:\s+(?:le|am|on|at|el|il|em|op|pada|на|від)(?!\w))?\s*[:：]?\s*", re.IGNORECASE
)
_MONTH_WORD = r"[^\W\d_]{2,12}\.?"
_DAY = r"\d{1,2}(?:\.|er|º|ª|st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_DATE = re.compile(
    rf"""(?P<prefix>[^\W\d_]{{2,12}}\.?,?\s+)??
    (?:(?P<iso>(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})(?:-(?P<id>\d{{1,2}}))?(?![\d-]))
         (?:[T\ ]\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?
     | (?P<ymd>(?P<yy>\d{{4}})[./]\s?(?P<ym>\d{{1,2}})[./]\s?(?P<yd>\d{{1,2}})\.?)
     | (?P<dmy>(?P<d1>\d{{1,2}})(?P<sep>[./-])(?P<d2>\d{{1,2}})(?P=sep)(?P<d3>\d{{4}}|\d{{2}}))
     | (?P<cjk>(?P<cy>\d{{4}})\s*[年년]\s*(?P<cm>\d{{1,2}})\s*[月월](?:\s*(?P<cd>\d{{1,2}})\s*[日일])?)
     | (?P<text>{_DAY}\s+(?:de\s+)?{_MONTH_WORD},?\s+(?:de\s+)?{_YEAR}
         | {_MONTH_WORD}\s+{_DAY},?\s+{_YEAR}
         | {_MONTH_WORD}\s+(?:de\s+)?{_YEAR})
     | (?P<year>{_YEAR})
    )(?!\w)""",
    re.VERBOSE,
)
_TIME_TAIL = re.compile(
    r"""[\s,|·•/–—-]*
    (?:(?:à|a|at|um|alle|ore|às|pukul|jam|pkl\.?|в|о|saat|kl\.?|klo)\s*)?
    (?:\d{1,2}\s?[:hH.]\s?\d{2}(?::\d{2})?\s*
       (?:[AaPp]\.?\s?[Mm]\.?|Uhr|h|[A-Z]{2,5}(?:[+-]\d{1,2})?|[+-]\d{2}:?\d{2})?)?
    [\s)]*""",
    re.VERBOSE,
)
_SOURCE = re.compile(
    r"(?:sources?|sumber|quellen?|fuentes?|fonte|fonti|источник|джерело|kaynak|bron|źródło|zdroj|forrás|kilde|"
    r"källa|πηγή|المصدر|مصدر|منبع|מקור|स्रोत|来源|來源|出典|출처)\s*[:：]\s*(?P<name>.+)",
    re.IGNORECASE,
)
_TITLE_LABEL = re.compile(r"(?:title|titre|titel|título|titolo|judul|заголовок)\s*[:：]\s*", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+")
_LETTER = re.compile(r"[^\W\d_]")
# Scripts written without spaces between words: their titles are one "word" long.
_UNSPACED_SCRIPT = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
_RELATED = re.compile(
    r"(?:check also|read also|read more|see also|related|more on this|lire aussi|à lire aussi|a lire aussi|"
    r"voir aussi|sur le même sujet|baca juga|lihat juga|lesen sie auch|auch interessant|mehr zum thema|"
    r"lea también|leer también|ver también|leggi anche|читайте также|по теме|читайте також|zie ook|lees ook|"
    r"czytaj też|czytaj także|اقرأ أيضا|اقرأ أيضاً|ayrıca bakınız|devamını oku)\b",
    re.IGNORECASE,
)
_NAVIGATION = frozenset(
    "aller à|aller au contenu|skip to content|skip to main content|rss feed|rss|menu|home|accueil|search|"
    "rechercher|recherche|close|fermer|login|log in|sign in|subscribe|s'abonner|newsletter|share|partager|"
    "startseite|zum inhalt springen|ir al contenido|saltar al contenido|vai al contenuto|beranda|"
    "langsung ke konten|главная|перейти к содержанию|меню|поиск|toggle navigation|navigation|"
    "breaking news|print|imprimer".split("|")
)
_BYLINE = frozenset("by par von por di oleh от автор auteur autor author written posted".split())
_CONNECTORS = frozenset("de du des la le les the of and et al el di del da do dos van von der für y i e & – - |".split())
# Month names shared by close relatives; dateparser calls Norwegian Bokmål "nb".
_SIBLINGS = {"id": ("ms",), "ms": ("id",), "uk": ("ru",), "ru": ("uk",)}
_DATEPARSER_CODES = {"no": "nb"}
# "Kabar Benua — 17 Maret 2021": a short outlet name, a dash, then the date.
_OUTLET_DASH = re.compile(r"[^\W\d][^.!?:;\d]{1,38}?\s+[—–|]\s+")
_BREADCRUMB_SEPARATOR = re.compile(r"\s[>›»/|]\s")


@dataclass(slots=True)
class TextMetadata:
    title: str | None = None
    published: Published | None = None
    outlet: str | None = None


class _Line(NamedTuple):
    number: int
    text: str


def read_text_metadata(text: str, today: date | None = None) -> TextMetadata:
    """What the article's own lines say about it; `today` bounds the accepted dates (default: the real today).

    Lone surrogates (a JSON field may carry "\\ud800") become U+FFFD first: the title, outlet
    and date evidence are stored, and no UTF-8 store accepts them."""
    text = LONE_SURROGATE.sub("\ufffd", text)
    lines = [_Line(n, raw.strip()) for n, raw in enumerate(text.split("\n"), start=1) if raw.strip()]
    latest = (today or date.today()) + timedelta(days=1)
    languages = _date_languages(text[:LANGUAGE_SAMPLE_CHARS])
    title_index, title = _find_title(lines)
    dated = _find_published(lines, languages, latest)
    outlet = None
    if dated is not None and dated[1] < HEADER_LINES:
        dash = _OUTLET_DASH.match(lines[dated[1]].text)
        outlet = dash.group().rstrip(" —–|") if dash else _outlet_near(lines, dated[1], title_index)
    return TextMetadata(
        title=title,
        published=dated[0] if dated else None,
        outlet=outlet or _trailing_source(lines),
    )


def _find_published(lines: list[_Line], languages: tuple[str, ...], latest: date) -> tuple[Published, int] | None:
    footer_start = max(HEADER_LINES, len(lines) - FOOTER_LINES)
    for index in [*range(min(HEADER_LINES, len(lines))), *range(footer_start, len(lines))]:
        if any(_RELATED.match(line.text) for line in lines[max(0, index - RELATED_REACH) : index]):
            continue
        published = _read_dated_line(lines[index], languages, latest)
        if published is not None:
            return published, index
    return None


def _read_dated_line(line: _Line, languages: tuple[str, ...], latest: date) -> Published | None:
    label = _LABEL.match(line.text) or _OUTLET_DASH.match(line.text)
    offset = label.end() if label else 0
    found = _DATE.match(line.text, offset)
    if found is None:
        return None
    tail = line.text[found.end() :]
    time_only = _TIME_TAIL.fullmatch(tail) is not None
    if label is None and not time_only:
        return None
    parsed = _parse_date(found, languages)
    if parsed is None or not EARLIEST <= parsed[0] <= latest:
        return None
    if parsed[1] == "year" and (label is None or tail.strip()):
        return None
    read = line.text if time_only else line.text[: found.end()]
    value = parsed[0].isoformat()[: {"day": 10, "month": 7, "year": 4}[parsed[1]]]
    return Published(value, parsed[1], f"line {line.number}: {read[:120]!r}")


def _parse_date(found: re.Match[str], languages: tuple[str, ...]) -> tuple[date, str] | None:
    """Numbers are read here (dateparser guesses day/month order from the language); month names by dateparser.

    A word before the date must be one dateparser accepts there (a weekday, "Le"),
    so "Depuis juillet 2022" is not a date line.
    """
    groups = found.groupdict()
    if groups["text"]:
        return _parse_text_date(found.group(), languages)
    if groups["prefix"] and _parse_text_date(found.group(), languages, periods=("day", "month", "year")) is None:
        return None
    if groups["iso"]:
        return _numeric(groups["iy"], groups["im"], groups["id"])
    if groups["ymd"]:
        return _numeric(groups["yy"], groups["ym"], groups["yd"])
    if groups["cjk"]:
        return _numeric(groups["cy"], groups["cm"], groups["cd"])
    if groups["dmy"]:
        return _day_month_year(groups["d1"], groups["d2"], groups["d3"], groups["sep"], languages[0])
    return _numeric(groups["year"], None, None)


def _numeric(year: str, month: str | None, day: str | None) -> tuple[date, str] | None:
    try:
        return date(int(year), int(month or 1), int(day or 1)), "day" if day else "month" if month else "year"
    except ValueError:
        return None


def _day_month_year(first: str, second: str, year: str, separator: str, language: str) -> tuple[date, str] | None:
    """Dots and dashes are day-first everywhere; a slash is month-first in English, unless the numbers say otherwise."""
    full_year = year if len(year) == 4 else ("20" if int(year) < 50 else "19") + year
    month_first = separator == "/" and language == "en"
    if int(first if month_first else second) > 12:
        month_first = not month_first
    day, month = (second, first) if month_first else (first, second)
    return _numeric(full_year, month, day)


def _parse_text_date(
    text: str, languages: tuple[str, ...], periods: tuple[str, ...] = ("day", "month")
) -> tuple[date, str] | None:
    data = _date_parser(languages).get_date_data(text)
    if data.date_obj is None or data.period not in periods:
        return None
    return data.date_obj.date(), data.period


@lru_cache(maxsize=64)
def _date_parser(languages: tuple[str, ...]) -> DateDataParser:
    settings = {"RETURN_TIME_AS_PERIOD": False, "PREFER_DAY_OF_MONTH": "first"}
    return DateDataParser(languages=list(languages), settings=settings)


def _date_languages(sample: str) -> tuple[str, ...]:
    language, _ = detect_language(sample)
    candidates = [language, *_SIBLINGS.get(language, ()), "en"] if language else ["en"]
    known = (_DATEPARSER_CODES.get(code, code) for code in candidates)
    return tuple(dict.fromkeys(code for code in known if code in language_order))


def _find_title(lines: list[_Line]) -> tuple[int | None, str | None]:
    for index, line in enumerate(lines[:TITLE_SEARCH_LINES]):
        title = _title_text(line.text)
        if title:
            return index, title
    return None, None


def _title_text(line: str) -> str | None:
    label = _LABEL.match(line)
    found = _DATE.match(line, label.end() if label else 0)
    if found is not None:
        rest = line[found.end() :]
        if label is None and _TIME_TAIL.fullmatch(rest):
            return None
        if label is not None:
            line = rest.strip(" -–—|:·,")
    title_label = _TITLE_LABEL.match(line)
    if title_label:
        line = line[title_label.end() :]
    if not line or _looks_like_interface(line):
        return None
    if len(line) > MAX_TITLE_CHARS:
        line = line[: line.rfind(" ", 0, MAX_TITLE_CHARS + 1)].rstrip(" ,;:") or line[:MAX_TITLE_CHARS]
    return line


def _looks_like_interface(line: str) -> bool:
    """Navigation, breadcrumbs, bylines, link lines and one- or two-word buttons are not titles."""
    words = line.split()
    too_short = len("".join(words)) < 8 if _UNSPACED_SCRIPT.search(line) else len(words) <= 2
    if too_short or not _LETTER.search(line):
        return True
    if line.casefold().rstrip(" .…>»") in _NAVIGATION or _RELATED.match(line):
        return True
    parts = [part for part in _BREADCRUMB_SEPARATOR.split(line) if part.strip()]
    if len(parts) >= 3 and all(len(part.split()) <= 3 for part in parts):
        return True
    if words[0].casefold() in _BYLINE and len(words) <= 6:
        return True
    return _URL.search(line) is not None and len(_URL.sub(" ", line).split()) <= 2


def _outlet_near(lines: list[_Line], date_index: int, title_index: int | None) -> str | None:
    for offset in (1, 2, -1, -2):
        index = date_index + offset
        if 0 <= index < min(HEADER_LINES, len(lines)) and index != title_index:
            if _looks_like_outlet(lines[index].text):
                return lines[index].text
    return None


def _looks_like_outlet(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= 5 or len(line) > 60 or line[-1] in ".!?:;,…" or _DATE.match(line):
        return False
    if words[0].casefold() in _BYLINE or line.casefold() in _NAVIGATION or _RELATED.match(line):
        return False
    if not any(character.isupper() for character in line):
        return False
    return all(word[0].isupper() or word[0].isdigit() or word.casefold() in _CONNECTORS for word in words)


def _trailing_source(lines: list[_Line]) -> str | None:
    for line in reversed(lines[-SOURCE_LINES:]):
        found = _SOURCE.fullmatch(line.text)
        if found is None:
            continue
        name = found.group("name").strip().rstrip(".…").strip()
        url = _URL.match(name)
        if url:
            name = urlsplit(url.group() if "://" in url.group() else "http://" + url.group()).netloc
            name = name.removeprefix("www.")
        if name and _LETTER.search(name) and len(name) <= 80 and len(name.split()) <= 8:
            return name
    return None
