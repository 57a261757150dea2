"""Keys under which a name written in any script, spelling or case ending meets its translations.

A name outside the gazetteer still has to compare equal across a translation:
"Меркель" and "Merkel", "Навальный" and "Navalny", "Jóhannessonar" (Icelandic
genitive) and "Jóhannesson". Transliteration alone does not get there, because
each language romanises and inflects differently ("Zelenskiy", "Selenskyj",
"Zelensky"). The key therefore keeps what survives all of these: the consonant
skeleton of the romanised word, after a short inflectional ending is cut and the
common spelling variants (kh/h, sch/sh, ts/z, c/k, w/v) are made one. Vowels
carry most of the variation between romanisations and case endings, so they go.

Acronyms keep their vowels: "EU" and "UE" must stay apart, and their letters are
the name itself.
"""

from __future__ import annotations

import regex
from anyascii import anyascii

_LETTERS = regex.compile(r"[a-z]+")
# Spelling variants for one sound across romanisations; longest first so "tsch" is not read as "ts" + "ch".
_VARIANTS = (("tsch", "ch"), ("sch", "sh"), ("kh", "h"), ("ck", "k"), ("ph", "f"), ("tz", "z"), ("ts", "z"),
             ("cz", "ch"), ("w", "v"), ("q", "k"), ("x", "ks"))
_CH_MARK = "\x00"
# Case endings with a consonant (Russian -ого/-ому/-ых/-ом, Icelandic -ar/-ur/-um, German and Icelandic
# genitive -s) that would otherwise survive in the skeleton; vowel endings vanish with the vowels. Longest first.
_ENDINGS = ("ogo", "ego", "omu", "emu", "ykh", "ikh", "ymi", "imi", "ami", "akh",
            "om", "em", "ym", "im", "um", "ar", "ur", "ir", "s")
MIN_STEM = 4
# Slavic place adjectives add -sk- to the place ("Тверской" from Tver, "Тартуский" from Tartu); cut it on every
# side, so "Khabarovsk" and "Хабаровского" both key as "hbrv".
_PLACE_ADJECTIVE = "sk"
MIN_ADJECTIVE_STEM = 2
_VOWELS = regex.compile(r"[aeiouyj]")
_REPEATS = regex.compile(r"(.)\1+")


def romanise(text: str) -> str:
    """The text in ASCII letters, so that "Київ" reads "Kiiv" and "داعش" reads "d`sh"."""
    return anyascii(text)


def is_acronym(word: str) -> bool:
    """Two or more letters, all capitals: "ÖVP", "ИГИЛ", "HTŞ"."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def word_key(word: str) -> str:
    """The key of one word: its romanised consonant skeleton, or its romanised letters for an acronym."""
    roman = romanise(word).casefold()
    if is_acronym(word):
        return "".join(_LETTERS.findall(roman))
    letters = "".join(_LETTERS.findall(roman))
    return _skeleton(letters) if letters else ""


def name_key(words: list[str]) -> str:
    """The key of a multi-word name: its word keys in order, empty words dropped."""
    return " ".join(key for key in (word_key(w) for w in words) if key)


def _skeleton(word: str) -> str:
    for old, new in _VARIANTS:
        word = word.replace(old, new)
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            word = word[: -len(ending)]
            break
    word = word.replace("ch", _CH_MARK).replace("c", "k").replace(_CH_MARK, "ch")
    consonants = _REPEATS.sub(r"\1", _VOWELS.sub("", word))
    if consonants.endswith(_PLACE_ADJECTIVE) and len(consonants) - len(_PLACE_ADJECTIVE) >= MIN_ADJECTIVE_STEM:
        consonants = consonants[: -len(_PLACE_ADJECTIVE)]
    return consonants or word
