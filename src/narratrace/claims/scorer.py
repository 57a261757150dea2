"""A transparent check-worthiness score: a logistic function of weighted evidence.

No check-worthiness training data exists offline for most languages, so the
weights are set by hand on the reading of `features`, one line each, and every
claim keeps the contribution of each feature as its evidence. They were checked
against the CheckThat! 2020 verified claims (English claims fact-checkers did
check; `tests/claims` asserts most of them pass) and against the questions,
opinions, calls to action and credit lines of the seeds and the demo corpus.

A sentence needs positive evidence to pass: an ordinary sentence with neither
number, date, name nor attribution stays below the threshold, because a claim
nobody and nothing can be looked up for is not one a fact-checker can check.
"""

from __future__ import annotations

import math

from narratrace.claims.features import SentenceFeatures, sentence_features
from narratrace.claims.model import Claim
from narratrace.model import Document

THRESHOLD = 0.5
BIAS = -1.5
# Below this many words a line asserts nothing (credits, datelines, "Read also:").
MIN_TOKENS = 6
# From this many words a sentence is long enough to state who did what; a verified claim has ~12.
FULL_TOKENS = 12
# Letters below this share of the non-space characters: counters, share buttons, link lists.
MIN_LETTER_SHARE = 0.6


def contributions(f: SentenceFeatures) -> dict[str, float]:
    """Each feature's additive part of the log-odds; features absent from the sentence are left out."""
    parts = {
        "quantities": 0.9 * min(f.quantities, 2),
        "dates": 0.5 * min(f.dates, 2),
        "names": 0.6 * min(f.names, 3),
        "attributed": 0.8 if f.attributed else 0.0,
        "length": min(f.tokens, FULL_TOKENS) / FULL_TOKENS,
        "lead": 0.3 * (1.0 - f.position),
        "fragment": -2.5 if f.tokens < MIN_TOKENS else 0.0,
        "question": -3.0 if f.question else 0.0,
        "exclamation": -1.0 if f.exclamation else 0.0,
        "opinion": -1.0 * min(f.opinion, 2),
        "call_to_action": -3.0 if f.action else 0.0,
        # A quote speaks in the first person; its attribution makes it a claim about the speaker.
        "personal": 0.0 if f.attributed else -0.6 * min(f.personal, 2),
        "link": -1.5 if f.link else 0.0,
        "symbols": -2.5 if f.letter_share < MIN_LETTER_SHARE else 0.0,
        "not_prose": 0.0 if f.prose else -2.5,
    }
    return {name: round(value, 3) for name, value in parts.items() if value}


def score(parts: dict[str, float]) -> float:
    return 1.0 / (1.0 + math.exp(-(BIAS + sum(parts.values()))))


def score_sentences(doc: Document) -> list[tuple[float, dict[str, float]]]:
    """(score, contributions) of every sentence of the document, in order."""
    out = []
    for i in range(len(doc.sentences)):
        parts = contributions(sentence_features(doc, i))
        out.append((score(parts), parts))
    return out


def extract_claims(doc: Document, threshold: float = THRESHOLD) -> list[Claim]:
    """The check-worthy sentences of a document with their score and span, in reading order."""
    claims = []
    for sentence, (value, parts) in zip(doc.sentences, score_sentences(doc), strict=True):
        if value >= threshold:
            claims.append(
                Claim(
                    document=doc.id,
                    text=doc.sentence_text(sentence),
                    score=round(value, 3),
                    start=sentence.start,
                    end=sentence.end,
                    language=doc.language,
                    evidence={"features": parts},
                )
            )
    return claims
