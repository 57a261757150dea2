"""The evidence a sentence carries for being worth checking, read without a model.

Fact-checkers check what can be verified: who did what, how many, when, said by
whom. Those survive translation as tokens: numbers, dates, names (the anchors of
`link.anchors`), and attribution (the citations found by `provenance`, or the
language's cue verbs). What argues against checking is worded per language
(`markers`) or visible in the form: a question, an exclamation, a line too
short to assert anything, a line made of links or counters.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from narratrace.claims.markers import markers_for
from narratrace.link.anchors import anchors_of_text
from narratrace.model import Document, Sentence
from narratrace.provenance.patterns import patterns_for

ATTRIBUTING_KINDS = frozenset({"reported", "according_to", "quoted"})
# A year from this range reads as a date, any other number as a quantity.
YEARS = range(1800, 2100)
# Vowel signs are marks (\p{M}), not letters: without them Devanagari or Thai falls apart.
_TOKEN = regex.compile(r"\p{L}[\p{L}\p{M}]*|\p{N}+")
_SPACE_FREE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
_DIGIT_DATE = regex.compile(r"\b\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,4})?\b")
_URL = regex.compile(r"https?://|www\.", regex.IGNORECASE)
# ";" asks a question only in Greek.
_QUESTION = regex.compile(r"(?:[?？؟]|(?<=[\u0370-\u03ff\u1f00-\u1fff]);)\s*[\"'»”’)\]]*\s*$")
_EXCLAMATION = regex.compile(r"[!！]")
_LETTER = regex.compile(r"[\p{L}\p{M}]")
_CASED = regex.compile(r"[\p{Lu}\p{Ll}]")
_LOWER_WORD = regex.compile(r"(?<![\p{L}\p{N}])\p{Ll}+(?![\p{L}\p{N}])")
# A line of a cased script with fewer lower-case words is a title, a signature or a counter, not prose.
MIN_LOWER_WORDS = 2
# Quoted speech: what the writer reports someone said, not the writer's own voice.
_QUOTED = regex.compile(r"[«“„\"][^«»“”„\"]{3,}[»”\"]")


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """Raw counts and flags of one sentence; `scorer` turns them into a score."""

    quantities: int
    dates: int
    names: int
    attributed: bool
    tokens: int
    question: bool
    exclamation: bool
    opinion: int
    action: int
    personal: int
    link: bool
    letter_share: float
    prose: bool
    position: float


def sentence_features(doc: Document, index: int) -> SentenceFeatures:
    """Features of `doc.sentences[index]`, in the document's language where one is known."""
    sentence = doc.sentences[index]
    text = doc.sentence_text(sentence)
    anchors = anchors_of_text(text)
    quantities, dates = _numbers(anchors)
    markers = markers_for(doc.language)
    own_voice = _QUOTED.sub(" ", text)
    return SentenceFeatures(
        quantities=quantities,
        dates=dates + len(_DIGIT_DATE.findall(text)),
        names=sum(1 for a in anchors if a.startswith(("name:", "tag:", "at:"))),
        attributed=_attributed(doc, sentence, text),
        tokens=_tokens(text),
        question=bool(_QUESTION.search(text)),
        exclamation=bool(_EXCLAMATION.search(own_voice)),
        opinion=len(markers.opinion.findall(own_voice)) if markers else 0,
        action=len(markers.action.findall(text)) if markers else 0,
        personal=len(markers.personal.findall(own_voice)) if markers else 0,
        link=bool(_URL.search(text)),
        letter_share=len(_LETTER.findall(text)) / max(1, len(text.replace(" ", ""))),
        prose=_prose(text),
        position=index / max(1, len(doc.sentences) - 1),
    )


def _prose(text: str) -> bool:
    """Whether the sentence reads as running text: in a cased script, it has lower-case words."""
    letters = len(_LETTER.findall(text))
    if not letters or len(_CASED.findall(text)) < letters / 2:
        return True
    return len(_LOWER_WORD.findall(text)) >= MIN_LOWER_WORDS


def _numbers(anchors: frozenset[str]) -> tuple[int, int]:
    """(quantities, years) among the number anchors; small integers are not anchors and count for nothing."""
    quantities = dates = 0
    for anchor in anchors:
        if not anchor.startswith("n:"):
            continue
        value = anchor[2:]
        if value.isdigit() and int(value) in YEARS:
            dates += 1
        else:
            quantities += 1
    return quantities, dates


def _tokens(text: str) -> int:
    """Words, with scripts written without spaces counted at two characters a word."""
    return len(_TOKEN.findall(text)) + len(_SPACE_FREE.findall(text)) // 2


def _attributed(doc: Document, sentence: Sentence, text: str) -> bool:
    """A citation found in the sentence, or a cue of the language's attribution lexicon."""
    if any(c.kind in ATTRIBUTING_KINDS and c.start < sentence.end and sentence.start < c.end for c in doc.citations):
        return True
    patterns = patterns_for(doc.language) if doc.language else None
    if patterns is None:
        return False
    return any(p.search(text) for p in (patterns.according, patterns.say, patterns.report))
