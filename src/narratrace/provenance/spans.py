"""Where a cited source starts and ends, without a parser.

No multilingual parser ships offline, so a source is read as the phrase beside
its cue, bounded by punctuation and by small per-language word lists: a
subject runs back from its verb to the clause start (skipping a relative clause
or joining an apposition, as in "Vasily Nebenzya, Russia's ambassador, said"),
an inverted or introduced source runs forward to the first stop word. Spans are
(start, end) character offsets into the document text.
"""

from __future__ import annotations

from typing import NamedTuple

import regex

from narratrace.provenance.patterns import Patterns

HARD = set('.!?;:\n«»"“”„()[]—–|')
COMMAS = {",", "،"}
OPEN_QUOTES = set('«“„"\'')
CLOSE_QUOTES = set('»”"\'')
# Periods that do not end a sentence: initials and common abbreviations (M. Durepaire, Aug. 31, U.S.).
ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "st", "m", "mme", "mlle", "prof", "gen", "lt", "col", "sen", "rep", "gov", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nr", "hr", "fr", "dott", "sig", "sr", "sra", "inc", "corp", "ltd", "co", "av", "ul", "ks"]
)
MAX_SOURCE_TOKENS = 14
VSO_SUBJECT_WORDS = 4
QUOTE_WINDOW = 80
QUOTE_OPENS_WITHIN = 30
_WORD = regex.compile(r"[@#]?[\p{L}\p{N}]+(?:['’.\-/&][\p{L}\p{N}]+)*")
_APOSTROPHE = regex.compile(r"['’]")
_DASH_AS_BOUNDARY = regex.compile(r"\s[-–—]\s")


class Word(NamedTuple):
    text: str
    start: int
    end: int


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    end = len(text) if end is None else end
    return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


def is_boundary(text: str, i: int) -> bool:
    """A character that ends a clause: most punctuation, but not the period of "M." or "KP.ru"."""
    c = text[i]
    if c == "-":
        return _DASH_AS_BOUNDARY.match(text, max(i - 1, 0)) is not None
    if c not in HARD:
        return False
    if c in ".:" and i + 1 < len(text) and not text[i + 1].isspace():
        return False
    if c == ".":
        before = words(text, max(0, i - 12), i)
        if before and before[-1].end == i and (before[-1].text.casefold() in ABBREVIATIONS or len(before[-1].text) == 1):
            return False
    return True


def clause_start(text: str, pos: int) -> int:
    i = pos - 1
    while i >= 0 and not is_boundary(text, i):
        i -= 1
    return i + 1


def clause_end(text: str, pos: int, stop_at_comma: bool = True) -> int:
    """The end of the phrase that starts at `pos`; a quoted title near its start is kept whole ("موقع "بوابة الأهرام"")."""
    i = pos
    n = len(text)
    while i < n:
        c = text[i]
        if c in OPEN_QUOTES and i - pos < QUOTE_OPENS_WITHIN:
            close = _closing_quote(text, i)
            if close is not None:
                i = close + 1
                continue
        if is_boundary(text, i) or (stop_at_comma and c in COMMAS):
            break
        i += 1
    return i


def _closing_quote(text: str, i: int) -> int | None:
    for j in range(i + 1, min(len(text), i + QUOTE_WINDOW)):
        if text[j] in CLOSE_QUOTES and j > i + 1:
            return j
        if text[j] == "\n":
            return None
    return None


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, s = [], start
    for i in range(start, end):
        if text[i] in COMMAS:
            out.append((s, i))
            s = i + 1
    out.append((s, end))
    return out


def _first_is(pattern: Patterns, which: regex.Pattern[str], ws: list[Word]) -> bool:
    return bool(ws) and pattern.is_word(which, ws[0].text)


def left_subject(text: str, pos: int, p: Patterns) -> tuple[int, int] | None:
    """The subject written before a verb at `pos`: "the Russian defence ministry said"."""
    start = clause_start(text, pos)
    segs = _segments(text, start, pos)
    last = segs[-1]
    if words(text, *last):
        return trim_left(text, last[0], last[1], p)
    k = len(segs) - 2
    while k >= 0 and _first_is(p, p.openers, words(text, *segs[k])):
        k -= 1
    if k < 0:
        return None
    span = trim_left(text, segs[k][0], segs[k][1], p)
    if span and k >= 1 and k == len(segs) - 2:
        before = trim_left(text, segs[k - 1][0], segs[k - 1][1], p)
        if before and len(words(text, *before)) + len(words(text, *span)) <= MAX_SOURCE_TOKENS + 2:
            span = (before[0], span[1])
    return span


def trim_left(text: str, start: int, end: int, p: Patterns) -> tuple[int, int] | None:
    """A subject cut after the last clause opener and before the first auxiliary ("Putin on Wednesday")."""
    ws = words(text, start, end)
    for i in range(len(ws) - 1, -1, -1):
        if p.is_word(p.openers, ws[i].text):
            ws = ws[i + 1 :]
            break
    for i, w in enumerate(ws):
        if i and p.is_word(p.aux, w.text):
            ws = ws[:i]
            break
    while ws and (p.is_word(p.aux, ws[-1].text) or p.is_word(p.stops, ws[-1].text)):
        ws = ws[:-1]
    if not plausible(ws, p):
        return None
    return ws[0].start, ws[-1].end


def right_source(text: str, pos: int, p: Patterns) -> tuple[int, int] | None:
    """A source written after its cue: "said Jamie Cygielman", "selon le ministère russe de la Défense"."""
    while pos < len(text) and (text[pos].isspace() or text[pos] in "-–—"):
        pos += 1
    end = clause_end(text, pos)
    head = p.documents.match(text, pos, end)
    if head:
        pos = head.end()
    ws = words(text, pos, end)
    for i, w in enumerate(ws):
        head = _APOSTROPHE.split(w.text)[0]
        ends = p.is_word(p.stops, head) or p.is_word(p.say, w.text) or p.is_word(p.report, w.text)
        if ends or (i and p.is_word(p.aux, w.text)):
            ws = ws[:i]
            break
    if p.order == "vso" and len(ws) > MAX_SOURCE_TOKENS:
        # Verb-first clauses run subject into object unmarked: the subject is the head of the clause.
        ws = ws[:VSO_SUBJECT_WORDS]
    if not plausible(ws, p):
        return None
    end = ws[-1].end
    # Keep a closing quote that belongs to a quoted title.
    if end < len(text) and text[end] in CLOSE_QUOTES and text[ws[0].start - 1 : ws[0].start] in OPEN_QUOTES:
        return ws[0].start - 1, end + 1
    return ws[0].start, end


def plausible(ws: list[Word], p: Patterns) -> bool:
    """Could these words name who is cited? Not a pronoun, not a whole clause, not a number."""
    if not ws or len(ws) > MAX_SOURCE_TOKENS:
        return False
    if p.is_word(p.pronouns, _APOSTROPHE.split(ws[0].text)[0]) or p.is_word(p.pronouns, ws[-1].text):
        return False
    if all(w.text.isdigit() for w in ws):
        return False
    named = any(w.text[:1].isupper() or w.text[:1] in "@#" for w in ws)
    described = any(p.is_word(p.anonymous, w.text) or p.is_word(p.media, w.text) or p.is_word(p.spokesperson, w.text) for w in ws)
    first = ws[0].text[:1]
    caseless = first.isalpha() and not (first.isupper() or first.islower())
    return named or described or caseless or len(ws) <= 3
