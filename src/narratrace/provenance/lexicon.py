"""Whether a capitalised word is an ordinary word of its language rather than a name.

Capitals mark names only up to a point: German capitalises every noun
("Wochenende", "Skandal"), English its months, demonyms and headline words
("July", "Russian", "Take Aim"), and every language its sentence openers. No
multilingual NER ships offline, but `wordfreq` ships word frequencies for ~40
languages, and names behave differently there: a name is about as frequent in
the neighbouring languages as in its own ("merkel", "putin"), while an ordinary
word is frequent in one language only ("wochenende"). A long German compound
is rare everywhere, so it is read by its head ("Kredit|genossenschaft"), or,
in German, by its absence from every neighbouring language.
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import available_languages, tokenize, zipf_frequency

# Zipf frequency (log10 per billion words) from which a word is part of the ordinary vocabulary.
KNOWN = 3.0
# A sentence opener this frequent is taken for a word unless the text also capitalises it mid-sentence (the
# caller's evidence); names that open sentences are mostly rarer ("Pucher" 2.3, "Дегтярев" 1.9).
OPENING_KNOWN = 2.5
# So frequent that it is a function or common word whatever other languages say ("The", "Die", "Police").
VERY_COMMON = 5.0
# How much more frequent in its own language than in any neighbour an ordinary word is.
LANGUAGE_SPECIFIC = 1.5
# A compound's head: a frequent noun of at least this many letters after at least MIN_MODIFIER letters.
MIN_HEAD = 4
MIN_MODIFIER = 3
HEAD_KNOWN = 3.5
# wordfreq lists no longer word ("antidisestablishmentarianism" is 28 and rare; compounds of 39 are absent).
MAX_WORD_CHARS = 40
# Languages whose capitals also mark common nouns (German), or months, demonyms and headline words (English).
CAPITALISES_WORDS = frozenset({"de", "lb", "en"})
# Where every noun is capitalised, a word no neighbouring language ever writes is a noun of the language
# ("Infektionsfall"), at the price of local names that only German writes.
NOUNS_CAPITALISED = frozenset({"de", "lb"})
COMPOUNDING = frozenset({"de", "lb", "nl", "sv", "da", "nb", "is"})
_NEIGHBOURS = {
    # English leaks into every web corpus at Zipf ~3, and Polish, Turkish or Swedish share German loanwords
    # ("skandal"); the large Western languages keep names shared and common words apart best.
    "latin": ("en", "fr", "de", "es", "it", "pt"),
    "cyrillic": ("ru", "uk", "bg", "mk"),
}


def _tokenizes(lang: str) -> bool:
    """wordfreq lists Chinese, Japanese and Korean but reads them only through optional
    packages (jieba, MeCab); without them every lookup raises, so those count as unsupported."""
    try:
        tokenize("a", lang)
    except ImportError:
        return False
    return True


_SUPPORTED = frozenset(lang for lang in available_languages() if _tokenizes(lang))


def is_common_word(word: str, language: str | None, opening: bool = False) -> bool:
    """True when `word` reads as an ordinary word of `language`; `opening` for a sentence's first word.

    Ask only where a capital is ambiguous (a sentence opener, or a language in
    `CAPITALISES_WORDS`): very frequent names such as "Trump" would fail here,
    and the gazetteer is there to claim them first. An opener is held to a
    lower bar because every word of the language may open a sentence.
    """
    lang = (language or "").split("-")[0].casefold()
    folded = word.casefold()
    if lang not in _SUPPORTED:
        return opening and _max_zipf(folded, _neighbours(folded)) >= VERY_COMMON
    own = _zipf(folded, lang)
    if own >= VERY_COMMON or (opening and own >= OPENING_KNOWN):
        return True
    if own >= KNOWN:
        return own - _max_zipf(folded, _neighbours(folded, lang)) >= LANGUAGE_SPECIFIC
    if lang in NOUNS_CAPITALISED and not opening and _max_zipf(folded, _neighbours(folded, lang)) == 0.0:
        return True
    return lang in COMPOUNDING and _has_common_head(folded, lang)


def is_very_common(word: str, language: str | None) -> bool:
    """A word so frequent in `language` that even a capital at a sentence start does not make it a name ("Kurz")."""
    lang = (language or "").split("-")[0].casefold()
    return lang in _SUPPORTED and _zipf(word.casefold(), lang) >= VERY_COMMON


def _has_common_head(folded: str, lang: str) -> bool:
    for cut in range(MIN_MODIFIER, len(folded) - MIN_HEAD + 1):
        head = folded[cut:]
        own = _zipf(head, lang)
        if own >= HEAD_KNOWN and own - _max_zipf(head, _neighbours(head, lang)) >= LANGUAGE_SPECIFIC:
            return True
    return False


def _neighbours(folded: str, lang: str = "") -> tuple[str, ...]:
    script = "cyrillic" if any("\u0400" <= c <= "\u04ff" for c in folded) else "latin"
    return tuple(n for n in _NEIGHBOURS[script] if n != lang)


def _max_zipf(folded: str, languages: tuple[str, ...]) -> float:
    return max((_zipf(folded, lang) for lang in languages), default=0.0)


def _zipf(folded: str, lang: str) -> float:
    """A word longer than any wordfreq lists has frequency 0, and is kept out of both caches (this
    one and wordfreq's): fuzzed texts of long distinct tokens filled them past 24 GB."""
    return 0.0 if len(folded) > MAX_WORD_CHARS else _cached_zipf(folded, lang)


@lru_cache(maxsize=200_000)
def _cached_zipf(folded: str, lang: str) -> float:
    return zipf_frequency(folded, lang)
