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
MAX_DETERMINED_TOKENS = 6
VSO_SUBJECT_WORDS = 4
# How far a clause is followed from a cue. A source is at most MAX_SOURCE_TOKENS words, so
# this never cuts one; unbounded, text without punctuation (a hostile input, a scraped list)
# made every cue scan to its end, and fuzzing found a document that took minutes.
MAX_CLAUSE_CHARS = 600
QUOTE_WINDOW = 80
QUOTE_OPENS_WITHIN = 30
_WORD = regex.compile(r"[@#]?[\p{L}\p{N}]+(?:['’.\-/&][\p{L}\p{N}]+)*")
_APOSTROPHE = regex.compile(r"['’]")
_ACRONYM = regex.compile(r"\p{Lu}[\p{Lu}\p{N}&.\-]{1,11}")
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
        if before and before[-1].end == i and _abbreviated(before[-1].text):
            return False
    return True


def _abbreviated(word: str) -> bool:
    """An abbreviation or a dotted acronym ("U.S.", "U.N."), whose final period rarely ends a sentence."""
    if word.casefold() in ABBREVIATIONS or len(word) == 1:
        return True
    parts = word.split(".")
    return len(parts) > 1 and all(len(part) == 1 for part in parts)


def is_gap(text: str, i: int) -> bool:
    """A run of spaces before a capital: scrapes join a headline to its body that way ("Streit  Die Hürde")."""
    return text[i] == " " and text[i + 1 : i + 2] == " " and _next_is_upper(text, i + 2)


def _next_is_upper(text: str, i: int) -> bool:
    while i < len(text) and text[i] == " ":
        i += 1
    return i < len(text) and text[i].isupper()


def clause_start(text: str, pos: int) -> int:
    """Where the clause ending at `pos` starts, looking back at most MAX_CLAUSE_CHARS."""
    i = pos - 1
    floor = max(-1, pos - 1 - MAX_CLAUSE_CHARS)
    while i > floor and not is_boundary(text, i) and not is_gap(text, i):
        i -= 1
    return i + 1


def clause_end(text: str, pos: int, stop_at_comma: bool = True) -> int:
    """The end of the phrase that starts at `pos`, at most MAX_CLAUSE_CHARS on; a quoted title near
    its start is kept whole ("موقع "بوابة الأهرام"")."""
    i = pos
    n = min(len(text), pos + MAX_CLAUSE_CHARS)
    while i < n:
        c = text[i]
        if c in OPEN_QUOTES and i - pos < QUOTE_OPENS_WITHIN:
            close = _closing_quote(text, i)
            if close is not None:
                i = close + 1
                continue
        if is_boundary(text, i) or is_gap(text, i) or (stop_at_comma and c in COMMAS):
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


def skip_parenthesis(text: str, pos: int) -> tuple[int, int | None]:
    """Where a subject ends when a parenthesis sits before its verb: "Éric Caire (photo) a plaidé".

    Returns the position to read the subject back from and, when the parenthesis holds the
    name's acronym ("Światowa agencja antydopingowa (WADA)"), the end that keeps it in the span.
    """
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i and text[i - 1] == ")":
        opening = text.rfind("(", max(0, i - QUOTE_OPENS_WITHIN), i - 1)
        if opening > 0 and "\n" not in text[opening:i]:
            return opening, i if _ACRONYM.fullmatch(text, opening + 1, i - 1) else None
    return pos, None


def _filler(text: str, span: tuple[int, int], p: Patterns) -> bool:
    """A segment that is only adverbs and links ("например", "however"): an aside, not the subject."""
    return all(p.is_word(p.aux, w.text) or p.is_word(p.openers, w.text) for w in words(text, *span))


def _antecedent(text: str, segs: list[tuple[int, int]], p: Patterns) -> tuple[int, int] | None:
    """", who had told reporters": a relative clause speaks for the segment before its comma."""
    ws = words(text, *segs[-1])
    if len(segs) < 2 or not ws or not p.is_word(p.relatives, ws[0].text):
        return None
    if not all(p.is_word(p.aux, w.text) or p.is_word(p.openers, w.text) for w in ws[1:]):
        return None
    return trim_left(text, segs[-2][0], segs[-2][1], p)


def left_subject(text: str, pos: int, p: Patterns) -> tuple[int, int] | None:
    """The subject written before a verb at `pos`: "the Russian defence ministry said"."""
    pos, acronym_end = skip_parenthesis(text, pos)
    span = _left_subject(text, pos, p)
    if span and acronym_end and span[1] >= pos - 2:
        return span[0], acronym_end
    return span


def _left_subject(text: str, pos: int, p: Patterns) -> tuple[int, int] | None:
    start = clause_start(text, pos)
    segs = _segments(text, start, pos)
    antecedent = _antecedent(text, segs, p)
    if antecedent:
        return antecedent
    if len(segs) > 1 and _filler(text, segs[-1], p):
        # "X, however, said": the aside after the last comma leaves the subject slot empty.
        segs[-1] = (segs[-1][1], segs[-1][1])
    last = segs[-1]
    if words(text, *last):
        return trim_left(text, last[0], last[1], p)
    k = len(segs) - 2
    while k >= 0 and (_first_is(p, p.openers, words(text, *segs[k])) or _filler(text, segs[k], p)):
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
    while ws and p.is_word(p.aux, ws[-1].text):
        # "The pontiff then said": an adverb before the verb is not the opener of a new clause.
        ws = ws[:-1]
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
    if len(ws) > 2 and p.is_word(p.stops, ws[0].text) and p.is_word(p.determiners, ws[1].text):
        # "desde la Asociación ... indicaron": the body speaks from its seat; the preposition is not its name.
        ws = ws[1:]
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
    if p.is_word(p.pronouns, _APOSTROPHE.split(ws[0].text)[0]):
        return False
    if p.is_word(p.pronouns, ws[-1].text) and not (len(ws) > 1 and p.is_word(p.demonstratives, ws[-1].text)):
        # "sumber itu" (that source): a demonstrative after its noun points at the noun.
        return False
    if all(w.text.isdigit() for w in ws):
        return False
    named = any(w.text[:1].isupper() or w.text[:1] in "@#" for w in ws)
    described = any(p.is_word(p.anonymous, w.text) or p.is_word(p.media, w.text) or p.is_word(p.spokesperson, w.text) for w in ws)
    first = ws[0].text[:1]
    caseless = first.isalpha() and not (first.isupper() or first.islower())
    # "les renseignements étrangers russes": a noun phrase opened by an article, not a clause.
    determined = p.is_word(p.determiners, ws[0].text) and len(ws) <= MAX_DETERMINED_TOKENS
    return named or described or caseless or determined or len(ws) <= 3
