"""People, organisations and places a text names, each under a canonical form shared across languages.

No multilingual NER model ships offline, so entities come from two sources:

1. the gazetteer (`entities.json`): "Daech", "ИГИЛ" and "داعش" resolve to one
   entity with its type;
2. capitalised spans and acronyms in scripts with case ("Hans Peter Doskozil",
   "ÖVP"), filtered by `lexicon.is_common_word` so German nouns, English months
   and sentence openers are not taken for names. Their canonical id is the
   transliteration key of `transliterate.name_key`, so "Меркель" and "Merkel"
   get the same id without anyone listing them. Scripts without case (Arabic,
   CJK) rely on the gazetteer and on learned aliases.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from narratrace.provenance.gazetteer import Gazetteer, Match, joins
from narratrace.provenance.lexicon import CAPITALISES_WORDS, is_common_word, is_very_common
from narratrace.provenance.normalise import Token, tokens
from narratrace.provenance.transliterate import is_acronym, name_key, romanise

# How sure each kind of evidence makes us that the span is a name, and which one.
SCORE_ALIAS = 1.0
SCORE_INFLECTED_ALIAS = 0.9
SCORE_TRANSLITERATED = 0.7
SCORE_ACRONYM = 0.6
SCORE_CAPITALISED = 0.5
UNKNOWN_PREFIX = "~"
# Lower-case words that sit inside names: "Hay'at Tahrir al-Sham", "Ursula von der Leyen", "Bank of England".
PARTICLES = frozenset({"al", "el", "ad", "ash", "as", "bin", "ibn", "bint", "abu", "de", "du", "des", "del", "della",
                       "di", "da", "dos", "do", "van", "von", "der", "den", "ter", "zu", "of", "la", "le"})
# Spaces, quotes, brackets and dashes that may stand between a sentence end and the next sentence's first word.
_OPENING_PUNCTUATION = regex.compile(r"[\s\p{Ps}\p{Pi}\p{Pf}\p{Pd}\"'*•]+$")
_SENTENCE_ENDS = ".!?:…"
LOOKBACK = 40


@dataclass(frozen=True, slots=True)
class Entity:
    """One mention. `canonical_id` is equal across languages for one entity; `canonical` is its display name.

    Gazetteer entities carry the entry's id and name; others carry the
    transliteration key prefixed with "~" and their romanised spelling.
    """

    name: str
    canonical_id: str
    canonical: str
    type: str
    start: int
    end: int
    score: float

    @property
    def known(self) -> bool:
        """Whether the gazetteer resolved the mention (as opposed to a transliteration key)."""
        return not self.canonical_id.startswith(UNKNOWN_PREFIX)


def extract_entities(text: str, language: str | None, gazetteer: Gazetteer) -> list[Entity]:
    """Every entity mention in `text`, in reading order; `language` is an ISO 639-1 code or None.

    Pass whole documents rather than single sentences where possible: a word
    that opens one sentence is recognised as a name when another sentence
    capitalises it mid-sentence.
    """
    toks = tokens(text)
    matches = gazetteer.matches(text, toks, language)
    found = [_from_match(text, toks, m) for m in matches if not _ordinary_opener(text, toks, m, language)]
    covered = {i for m in matches for i in range(m.first, m.last + 1)}
    named_inside = {t.folded for t in toks if _capitalised(t.raw) and not _opens_sentence(text, t.start)}
    for first, last in _capitalised_runs(text, toks, covered):
        span = _trim(text, toks, first, last, language, named_inside)
        if span is not None:
            found.append(_unknown(text, toks[span[0] : span[1] + 1], gazetteer))
    return sorted(found, key=lambda e: e.start)


def _from_match(text: str, toks: list[Token], match: Match) -> Entity:
    start, end = toks[match.first].start, toks[match.last].end
    score = SCORE_ALIAS if match.exact else SCORE_INFLECTED_ALIAS
    return Entity(text[start:end], match.entry.id, match.entry.name, match.entry.type, start, end, score)


def _ordinary_opener(text: str, toks: list[Token], match: Match, language: str | None) -> bool:
    """A one-word alias opening a sentence that is an ordinary word there ("Kurz nach..." is not Sebastian Kurz).

    Only very frequent words count: an alias is already evidence of a name
    ("Меркель заявила", "Зеленський прибув").
    """
    word = toks[match.first].raw
    return match.first == match.last and not is_acronym(word) and _opens_sentence(text, toks[match.first].start) \
        and is_very_common(word, language)


def _unknown(text: str, run: list[Token], gazetteer: Gazetteer) -> Entity:
    """A name outside the gazetteer's aliases, resolved by transliteration key where one entity has that key.

    Otherwise its id is the key of its last word, the surname or head noun
    that survives when a translation drops a first name or a title
    ("Landeshauptmann Hans Peter Doskozil", "Doskozil"); two people sharing a
    surname share that id.
    """
    start, end = run[0].start, run[-1].end
    name = text[start:end]
    words = [t.raw for t in run if not (t.raw in PARTICLES and t is not run[0])]
    entry = gazetteer.resolve_key(words)
    if entry is not None:
        return Entity(name, entry.id, entry.name, entry.type, start, end, SCORE_TRANSLITERATED)
    score = SCORE_ACRONYM if len(run) == 1 and is_acronym(run[0].raw) else SCORE_CAPITALISED
    return Entity(name, UNKNOWN_PREFIX + name_key(words[-1:]), romanise(name), "other", start, end, score)


def _capitalised_runs(text: str, toks: list[Token], covered: set[int]) -> list[tuple[int, int]]:
    """Maximal runs of capitalised words joined by spaces, hyphens, apostrophes, particles or initials."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        if i in covered or not _capitalised(toks[i].raw):
            i += 1
            continue
        last = i
        j = i + 1
        while j < len(toks) and j not in covered and _continues(text, toks, last, j):
            if _capitalised(toks[j].raw):
                last = j
            j += 1
        runs.append((i, last))
        i = last + 1
    return runs


def _continues(text: str, toks: list[Token], last: int, j: int) -> bool:
    if not joins(text[toks[j - 1].end : toks[j].start], toks[j - 1].raw):
        return False
    if _capitalised(toks[j].raw):
        return True
    # A lower-case word continues a name only as a particle, or after an apostrophe (Hay'at), with a capital after it.
    gap = text[toks[j - 1].end : toks[j].start]
    inside = toks[j].raw in PARTICLES or (gap in ("'", "\u2019") and j - 1 == last)
    return inside and j + 1 < len(toks) and joins(text[toks[j].end : toks[j + 1].start], toks[j].raw) \
        and _capitalised(toks[j + 1].raw)


def _trim(text: str, toks: list[Token], first: int, last: int, language: str | None,
          named_inside: set[str]) -> tuple[int, int] | None:
    """The run without the ordinary words at its edges ("Landeshauptmann Hans Peter", "FPÖ-Landesregierung")."""
    lang = (language or "").split("-")[0].casefold()
    opening = _opens_sentence(text, toks[first].start)
    while first <= last and (not _capitalised(toks[first].raw) or _ordinary(
            toks[first], language, opening or lang in CAPITALISES_WORDS, opening, named_inside)):
        first += 1
        opening = False
    while last > first and _ordinary(toks[last], language, _hyphenated(text, toks, last) or lang == "en", False,
                                     named_inside):
        last -= 1
    if first > last or (first == last and len(toks[first].raw) == 1):
        return None
    return first, last


def _ordinary(tok: Token, language: str | None, test: bool, opening: bool, named_inside: set[str]) -> bool:
    if not test or is_acronym(tok.raw) or (opening and tok.folded in named_inside):
        return False
    return is_common_word(tok.raw, language, opening=opening)


def _hyphenated(text: str, toks: list[Token], i: int) -> bool:
    return text[toks[i - 1].end : toks[i].start] in ("-", "\u2010", "\u2011")


def _capitalised(word: str) -> bool:
    return word[0].isupper()


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` is the first of its sentence, line or text, past quotes and brackets."""
    window = text[max(0, start - LOOKBACK) : start]
    before = _OPENING_PUNCTUATION.sub("", window)
    return not before or before[-1] in _SENTENCE_ENDS or "\n" in window[len(before) :]
