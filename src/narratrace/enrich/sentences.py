"""Sentence spans with character offsets, for every script the corpus carries.

Sentences are what the aligner compares across languages and what the encoders
embed, so a split never loses a character and never runs past what an encoder
reads. The rules:

- Every line break is a hard boundary, and every non-empty line is its own
  paragraph (paragraph numbers count non-empty lines from 0). Copies of one
  article separate paragraphs with one newline or with two; counting lines gives
  both copies the same paragraph numbers.
- Inside a line a sentence ends at . ! ? … ؟ ۔ ։ followed by whitespace, at
  。！？｡ । ॥ ። ။ ។ with or without a space, and at a Greek question mark (;)
  after a Greek letter, together with the closing quotes and brackets that follow
  (also a French « … » closed after a space).
- No terminator ends a sentence when the next word starts in lower case. A full
  stop does not end one after an abbreviation (Mr. M. z.B. им.), an initial
  (J. K. Rowling), an ordinal before a month (18. Juni) or an enumerator at the
  start of a line (1. Introduction).
- A span holding no letter or digit (a stray "." after a sentence) joins the one before.
- A sentence longer than MAX_SENTENCE_CHARS is cut after its last comma, or at its
  last space, before that length: encoders truncate what they are given.

Everything is a regular expression compiled once plus a few set look-ups per
candidate boundary, so the split runs at several MB/s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from narratrace.model import Document, Sentence

MAX_SENTENCE_CHARS = 1000
# A long sentence is cut into pieces, not crumbs: no cut falls this close to its start.
_MIN_PIECE_CHARS = 200
# Longer "words" before a full stop are never abbreviations; stop looking back here.
_MAX_TOKEN_CHARS = 40
# The word after a boundary is looked for this far; beyond, the line is punctuation and the boundary stands.
_LOOKAHEAD_CHARS = 64

_CLOSERS = "\"'”’»«›‹)\\]}）」』】〕〉》〗〙〛｣"
_SPACE_FREE_TERMINATORS = "。！？｡।॥።။។"
_LINE = re.compile(r"[^\n\r\x0b\x0c\x85\u2028\u2029]+")
_TERMINATORS = ".!?…‼⁇⁈⁉؟۔։"
# Possessive runs, and a match only from the start of a run: a line of a million dots stays linear.
_BOUNDARY = re.compile(
    rf"[{_SPACE_FREE_TERMINATORS}][{_SPACE_FREE_TERMINATORS}.!?…]*+[{_CLOSERS}]*+"
    rf"|(?:(?<![{_TERMINATORS}])[{_TERMINATORS}]++|(?<=[\u0370-\u03ff\u1f00-\u1fff]);)[{_CLOSERS}]*+"
    r"(?:[ \u00a0\u202f][»”](?=\s|$))?(?=\s|$)"
)
_NEXT_WORD = re.compile(r"[\W_]*?(\w+)")
_HAS_WORD = re.compile(r"\w")
_INITIALISM = re.compile(r"(?:[^\W\d_]{1,2}\.-?)+[^\W\d_]{1,3}")
_ROMAN = re.compile(r"[IVXLC]{1,6}")
_OPENERS = "([{«‹“‘„‚\"'¿¡—–-"

# Abbreviations that are followed by a name or a word, never end a sentence (case-sensitive).
_TITLES = frozenset(
    """Mr Mrs Ms Messrs Dr Prof St Sr Jr Mt Ft Gen Col Lt Sgt Capt Cpt Maj Adm Cmdr Gov Sen Rep
    Rev Hon Pres Supt Insp vs cf approx viz e.g i.e
    M MM Mme Mmes Mlle Mlles Me Mgr Pr Ste Sts av apr env Vve
    Hr Hrn Fr Frl bzw usw vgl ggf evtl sog inkl zzgl ca Mio Mrd Tsd Dipl Ing Hrsg ebd Bd Jh Jhd
    Sra Sres Srta Dra Dña Lic Arq Gral Excmo Excma Sto Sta Ud Uds Vd Vds Pdte Exmo Exma
    Sig Sigg Dott Avv Geom Rag Mons On
    dhr mevr drs ir mr prof dr bijv
    ul al pl mgr inż np tj tzw ks św gen płk mjr doc např tzv sv
    им ул пр просп пер акад проф ген св тов гр обл стр рис напр вул ім
    Doç Av Yrd Op vb
    κ κκ δηλ βλ χλμ εκατ δισ
    dvs ifm mht
    drg Ir Hj KH Jl Sdr""".split()
)
# Abbreviations that stand before a number (No. 5, Jan. 6, S. 12).
_BEFORE_NUMBER = frozenset(
    """No no Nos Nr nr Art art Abs Fig fig Vol vol ch Ch Kap Tel tel p pp n núm
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Okt Dez janv févr avr juil sept oct nov déc
    ст п ч гл т""".split()
)
# German (and Nordic) ordinals: "am 18. Juni", "im 19. Jahrhundert".
_ORDINAL_NOUNS = frozenset(
    """Januar Jänner Februar Feber März April Mai Juni Juli August September Oktober November Dezember
    Jahrhundert Jahrhunderts Weltkrieg Weltkriegs Weltkrieges Platz Runde Spieltag Etappe Stock
    Klasse Mal Bundesliga Liga Armee Division Kongress Parteitag""".split()
)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` in order; `text[s.start:s.end]` is the sentence without surrounding whitespace."""
    sentences: list[Sentence] = []
    paragraph = -1
    for line in _LINE.finditer(text):
        spans = _line_spans(text, line.start(), line.end())
        if not spans:
            continue
        paragraph += 1
        for start, end in spans:
            if end - start <= MAX_SENTENCE_CHARS:
                sentences.append(Sentence(start, end, paragraph))
            else:
                sentences.extend(Sentence(a, b, paragraph) for a, b in _cut_long(text, start, end))
    return sentences


class SentenceStage:
    """Sets `doc.sentences` from `doc.text`."""

    def __call__(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            doc.sentences = split_sentences(doc.text)
        return docs


def _line_spans(text: str, line_start: int, line_end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    segment_start = line_start
    for match in _BOUNDARY.finditer(text, line_start, line_end):
        end = match.end()
        following = _NEXT_WORD.match(text, end, min(line_end, end + _LOOKAHEAD_CHARS))
        if following is None or _ends_sentence(text, line_start, match, following.group(1)):
            _append_span(spans, text, segment_start, end)
            segment_start = end
    _append_span(spans, text, segment_start, line_end)
    return spans


def _append_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    segment = text[start:end]
    stripped = segment.strip()
    if not stripped:
        return
    start += len(segment) - len(segment.lstrip())
    end = start + len(stripped)
    if spans and not _HAS_WORD.search(stripped):
        spans[-1] = (spans[-1][0], end)
    else:
        spans.append((start, end))


def _ends_sentence(text: str, line_start: int, match: re.Match[str], next_word: str) -> bool:
    if next_word[0].islower():
        return False
    if match.group().rstrip(_CLOSERS + " \u00a0\u202f") != ".":
        return True
    token_start = _token_start(text, line_start, match.start())
    token = text[token_start : match.start()].lstrip(_OPENERS)
    return not _is_abbreviation(text, line_start, token_start, token, next_word)


def _token_start(text: str, line_start: int, end: int) -> int:
    start = end
    limit = max(line_start, end - _MAX_TOKEN_CHARS)
    while start > limit and not text[start - 1].isspace():
        start -= 1
    return start


def _is_abbreviation(text: str, line_start: int, token_start: int, token: str, next_word: str) -> bool:
    if not token:
        return False
    if token in _TITLES or token.lower() in _TITLES or (next_word[0].isdigit() and token in _BEFORE_NUMBER):
        return True
    if len(token) == 1 and (token.isupper() or token.islower()):
        return not (token.islower() and _previous_token_is_number(text, line_start, token_start))
    if token.isdigit() and len(token) <= 3:
        return next_word in _ORDINAL_NOUNS or _previous_non_space(text, line_start, token_start) == line_start
    if _ROMAN.fullmatch(token) and _previous_non_space(text, line_start, token_start) == line_start:
        return True
    return _INITIALISM.fullmatch(token) is not None


def _previous_token_is_number(text: str, line_start: int, token_start: int) -> bool:
    """A lower-case letter after a number is a unit or a year ("2020 г.", "2020 r."), which may end a sentence."""
    end = _previous_non_space(text, line_start, token_start)
    start = _token_start(text, line_start, end)
    return start < end and text[start:end].isdigit()


def _previous_non_space(text: str, line_start: int, position: int) -> int:
    """Where the text before `position` stops being whitespace; `line_start` when nothing comes before on the line."""
    while position > line_start and text[position - 1].isspace():
        position -= 1
    return position


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > MAX_SENTENCE_CHARS:
        cut = _cut_point(text, start + _MIN_PIECE_CHARS, start + MAX_SENTENCE_CHARS)
        piece_end = cut
        while text[piece_end - 1].isspace():
            piece_end -= 1
        yield start, piece_end
        start = cut
        while text[start].isspace():
            start += 1
    yield start, end


def _cut_point(text: str, low: int, high: int) -> int:
    comma = max(text.rfind(mark, low, high - 1) for mark in ",;，、；،")
    if comma >= 0:
        return comma + 1
    for position in range(high - 1, low - 1, -1):
        if text[position].isspace():
            return position
    return high
