"""A `Lexicon` compiled once into the regexes the extractor runs.

Cues match on word boundaries and ignore case; word-list fields become
whole-token tests. Compiling is cached per language, since every document of
a language reuses the same patterns.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from narratrace.provenance.cues import LEXICONS, Lexicon

# VERSION0: simple case folding. VERSION1 folds fully ("ß" matches "ss") and made the cue
# scans three times slower (half of citation extraction); the lexicons spell such variants out.
FLAGS = regex.IGNORECASE | regex.VERSION0
_NEVER = regex.compile(r"(?!)")


def _cue(alternation: str) -> regex.Pattern[str]:
    """Whole-word matches of an alternation; an empty alternation never matches."""
    if not alternation:
        return _NEVER
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{alternation})(?![\p{{L}}\p{{N}}])", FLAGS)


def _whole(alternation: str) -> regex.Pattern[str]:
    """A test that a whole token (or a run of tokens) is one of the alternatives."""
    if not alternation:
        return _NEVER
    return regex.compile(rf"(?:{alternation})", FLAGS)


@dataclass(frozen=True, slots=True)
class Patterns:
    language: str
    order: str
    according: regex.Pattern[str]
    say: regex.Pattern[str]
    report: regex.Pattern[str]
    told: regex.Pattern[str]
    interview: regex.Pattern[str]
    byline_line: regex.Pattern[str]
    byline_sentence: regex.Pattern[str]
    translations: regex.Pattern[str]
    postpositions: regex.Pattern[str]
    impersonal: regex.Pattern[str]
    anonymous: regex.Pattern[str]
    pronouns: regex.Pattern[str]
    openers: regex.Pattern[str]
    stops: regex.Pattern[str]
    documents: regex.Pattern[str]
    media: regex.Pattern[str]
    aux: regex.Pattern[str]
    indefinite: regex.Pattern[str]
    spokesperson: regex.Pattern[str]
    relatives: regex.Pattern[str]
    bracket: regex.Pattern[str]
    reflexives: regex.Pattern[str]
    coordinators: regex.Pattern[str]
    determiners: regex.Pattern[str]
    demonstratives: regex.Pattern[str]
    prodrop: bool

    def is_word(self, pattern: regex.Pattern[str], word: str) -> bool:
        return pattern is not _NEVER and pattern.fullmatch(word) is not None


def _compile(language: str, lex: Lexicon) -> Patterns:
    bylines = f"{lex.bylines}|{lex.translations}"
    return Patterns(
        language=language,
        order=lex.order,
        according=_cue(lex.according),
        say=_cue(lex.say),
        report=_cue(lex.report),
        told=_cue(lex.told),
        interview=_cue(lex.interview),
        # A credit line: the cue opens a line, a colon or dash may follow.
        byline_line=regex.compile(rf"(?m)^[ \t]*(?:{bylines})(?![\p{{L}}\p{{N}}])[ \t]*[:：\-–—]?[ \t]*", FLAGS),
        # Inside flattened text the cue follows a sentence end and needs its colon.
        byline_sentence=regex.compile(rf"(?<=[.!?»”\"]\s+)(?:{bylines})[ \t]*[:：][ \t]*", FLAGS),
        translations=_cue(lex.translations),
        # A postposition's match may open with the space before it; tried at every space of a long
        # run of them it rescanned the run each time (20k spaces: 20 s), so it opens at the first only.
        postpositions=(regex.compile(rf"(?<!\s)(?:{lex.postpositions})(?![\p{{L}}\p{{N}}])", FLAGS)
                       if lex.postpositions else _NEVER),
        impersonal=_cue(lex.impersonal),
        anonymous=_whole(lex.anonymous),
        pronouns=_whole(lex.pronouns),
        openers=_whole(lex.openers),
        stops=_whole(lex.stops),
        documents=regex.compile(rf"(?:{lex.documents})\s*", FLAGS) if lex.documents else _NEVER,
        media=_whole(lex.media),
        aux=_whole(lex.aux),
        indefinite=_whole(lex.indefinite),
        spokesperson=_whole(lex.spokesperson),
        relatives=_whole(lex.relatives),
        bracket=_whole(lex.bracket),
        reflexives=_whole(lex.reflexives),
        coordinators=_whole(lex.coordinators),
        determiners=_whole(lex.determiners),
        demonstratives=_whole(lex.demonstratives),
        prodrop=lex.prodrop,
    )


@cache
def patterns_for(language: str) -> Patterns | None:
    """The compiled cues of a language (ISO 639-1, region suffixes ignored), or None if it has none."""
    code = language.split("-")[0].split("_")[0].casefold()
    lex = LEXICONS.get(code)
    return _compile(code, lex) if lex else None


def supported_languages() -> tuple[str, ...]:
    return tuple(LEXICONS)
