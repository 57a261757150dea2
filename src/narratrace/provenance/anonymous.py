"""Whether a cited source is anonymous: described, but not identified.

"une source informée", "des sources locales", "sumber informasi", "a local
priest", "Russian officials" tell the reader that someone spoke without saying
who. Three signals decide, in this order: an anonymity marker ("on condition of
anonymity"), a word of the anonymous lexicon (source, insider, witness,
officials...) with no personal name beside it, or an indefinite article before
an unnamed person. A source word wins even beside an outlet ("la source de
Sputnik" is Sputnik's unnamed source); a spokesperson speaks on the record.
"""

from __future__ import annotations

from narratrace.provenance.patterns import Patterns
from narratrace.provenance.spans import Word

# Words that are themselves the unnamed source, whatever stands beside them.
_SOURCE_STEMS = (
    "source", "sourc", "fuente", "fonte", "fonti", "quelle", "источник", "джерел", "źródł", "kaynak",
    "sumber", "narasumber", "مصدر", "مصادر", "heimild", "insider", "informant", "informat", "инсайдер",
    "anonym", "anonim", "анонимн", "анонімн", "nafnlaus",
)


def has_person_name(ws: list[Word]) -> bool:
    """Two capitalised words in a row after the first: "expert John Smith", not "Russian officials"."""
    caps = [w.text[:1].isupper() for w in ws]
    return any(caps[i] and caps[i + 1] for i in range(1, len(caps) - 1))


def is_anonymous(ws: list[Word], p: Patterns, resolved: bool) -> bool:
    if not ws:
        return False
    lowered = [w.text.casefold() for w in ws]
    if any(t.startswith(_SOURCE_STEMS) for t in lowered[:4]):
        return True
    if any(p.is_word(p.spokesperson, w.text) for w in ws):
        return False
    if resolved or has_person_name(ws):
        return False
    if any(p.is_word(p.anonymous, w.text) for w in ws[:5]):
        return True
    return p.is_word(p.indefinite, ws[0].text) and len(ws) > 1
