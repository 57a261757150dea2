"""Tokens that compare equal however a name was typed, accented or inflected.

Outlet names reach us as "l'AFP", "РИА Новости", "Reutersa", "لسبوتنيك" or
"sputniknews.com": the same outlet behind articles, case endings, attached
Arabic particles and missing accents. Both registry aliases and cited spans go
through `tokens`, so the comparison is symmetric and cheap.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

import regex

_TOKEN = regex.compile(r"[\p{L}\p{N}]+(?:[.&][\p{L}\p{N}]+)*")
_ARABIC = regex.compile(r"\p{Arabic}")
# A conjunction (wa-, fa-), then a preposition (bi-, li-, ka-), then the article (al-) glue onto Arabic words.
_ARABIC_PREFIX = regex.compile(r"^(?:[وف])?(?:[بلك])?(?:ال)?")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "ـ": None})
# Case endings a name takes in Slavic, Turkish or Baltic text (Reutersa, Спутника, Sputnik'e -> split at the apostrophe).
MAX_ENDING = 3
MIN_STEM = 4
# Letters case endings are made of, across the languages read (folded: Latin vowels, -s, -n, -m, the -w of
# Polish -owi and -ów; Cyrillic vowels, -м, -в, -х, -й). A cut ending with another letter is no inflection:
# "Bernd" is not "Bern" in the dative, nor "Móðir" (Icelandic "mother") "Modi", nor "Индекс" India
# (WMT21, `benchmarks/entities.py`).
ENDING_LETTERS = frozenset("aeiouysnmw" + "аеёиоуыэюямвхй")


class Token(NamedTuple):
    """One word: its folded form for comparison, and where it sits in the original string."""

    folded: str
    raw: str
    start: int
    end: int


def fold(word: str) -> str:
    """Case, accents and Arabic letter variants removed: "Réseau" == "reseau", "أسوشيتد" == "اسوشيتد"."""
    word = unicodedata.normalize("NFKD", word.casefold())
    word = "".join(c for c in word if not unicodedata.combining(c))
    if _ARABIC.search(word):
        word = word.translate(_ARABIC_FOLD)
        stripped = _ARABIC_PREFIX.sub("", word)
        if len(stripped) >= 3:
            word = stripped
    return word


def tokens(text: str) -> list[Token]:
    """Words and numbers of `text`; dotted forms such as "KP.ru" or "U.S" stay one token."""
    return [Token(fold(m.group()), m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def stems(folded: str) -> list[str]:
    """The word, then the word without a short case ending, for names that inflect."""
    out = [folded]
    for cut in range(1, MAX_ENDING + 1):
        if len(folded) - cut >= MIN_STEM and set(folded[-cut:]) <= ENDING_LETTERS:
            out.append(folded[:-cut])
    return out
