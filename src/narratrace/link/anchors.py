"""Anchors: the tokens of an article that survive its translation.

A translator rewrites every word but keeps the numbers, names, links, hashtags and
handles. Two articles sharing several rare anchors are worth aligning, whatever
their languages; the linker finds cross-lingual candidates through an inverted
index of anchors and spends the encoder only on the pairs it returns.

Anchors are typed strings, so kinds never collide and each one reads as evidence:

- ``n:3500``, ``n:3.5``: numbers in any Unicode digits. "3.500", "3,500" and
  "3 500" are one number and "3,5" is "3.5" whatever the language: a misread
  decimal is misread the same way in the original and its translation, so the
  pair still shares it. Integers up to SMALL_NUMBER are dropped: every article
  has them.
- ``url:host/path`` and ``dom:host``: links and bare domains, lower-cased, without "www." and utm_ parameters.
- ``tag:savetheisland`` and ``at:handle``: hashtags (any script) and @handles.
- ``name:al-tanf``: names, case-folded and accent-stripped. In a Latin-script
  text a name is an acronym (also inside "DAX-Konzern"), or a capitalised word
  that does not open a sentence and never appears in lower case in the same
  text. German nouns pass that test; their rarity weights sort them out. In a
  text mostly in another script every Latin word is a name: it was left
  untranslated, which is what names, brands and titles are. Cyrillic names
  (same capitalisation test) are transliterated the way the English-language
  press spells them, and also without their case ending, so "Фургала" meets
  "Furgal" and "Хабаровского" meets "Khabarovsk".

Quoted phrases are not anchors: they get translated, and their names are anchors already.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from urllib.parse import urlsplit

from narratrace.model import Document

SMALL_NUMBER = 10
# A text whose Latin words cover this share of its characters is in Latin script without counting the rest.
LATIN_SCRIPT_SHARE = 0.3


def _letters(first: int, last: int, upper: bool) -> str:
    return "".join(c for c in map(chr, range(first, last + 1)) if (c.isupper() if upper else c.islower()))


_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LATIN_UPPER = "A-Z" + _letters(0xC0, 0x24F, True) + _letters(0x1E00, 0x1EFF, True)
_LATIN_LOWER = "a-z" + _letters(0xC0, 0x24F, False) + _letters(0x1E00, 0x1EFF, False)
_CYRILLIC = "\u0400-\u04ff"
# A capitalised word, with a lower-case particle or prefix before the capital ("al-Tanf", "iPhone").
_LATIN_CAPITALISED = re.compile(
    rf"(?<![\w-])(?:[{_LATIN_LOWER}]{{1,3}}+-?)?[{_LATIN_UPPER}][{_LATIN}\d]*+(?:-[{_LATIN}\d]++)*+(?!\w)"
)
_LATIN_LOWERCASE = re.compile(rf"\b[{_LATIN_LOWER}]+\b")
_LATIN_ANY = re.compile(rf"(?<![\w-])[{_LATIN}][{_LATIN}\d]*(?:-[{_LATIN}\d]+)*(?!\w)")
_CYRILLIC_CAPITALISED = re.compile(
    rf"(?<![\w-])[{_letters(0x400, 0x4FF, True)}][{_CYRILLIC}]*(?:-[{_CYRILLIC}]+)*(?!\w)"
)
_CYRILLIC_LOWERCASE = re.compile(rf"\b[{_letters(0x400, 0x4FF, False)}]+\b")
_CYRILLIC_LETTER = re.compile(f"[{_CYRILLIC}]")
_OTHER_LETTERS = re.compile(rf"[^\W\d_{_LATIN}]+")
# Inflection endings of Russian (and Ukrainian) nouns and adjectives; the stem is what English keeps.
_CYRILLIC_ENDING = re.compile(r"(?:ого|его|ому|ему|ой|ей|ым|им|ом|ем|ою|ею|ая|яя|а|я|у|ю|е|ы|и)$")
_CYRILLIC_Y = re.compile(r"[иы]й$")
_CYRILLIC_LATIN = str.maketrans(
    dict(zip("абвгдезийклмнопрстуфыэіґў", "abvgdeziyklmnoprstufyeigu"))
    | {"ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "",
       "ю": "yu", "я": "ya", "є": "ye", "ї": "yi", "’": "", "'": ""}
)
# Thousands grouped by spaces only in groups of three, so "in 2020 15 people" is two numbers.
_NUMBER = re.compile(r"\d+(?:(?:[.,'’\u066b\u066c]|[ \u00a0\u202f](?=\d{3}(?!\d)))\d+)*")
_DIGITS = re.compile(r"\d+")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»“”‘’()\[\]{}|\\^`]+", re.IGNORECASE)
_TLDS = "com|net|org|info|biz|io|co|tv|me|news|online|site|press|media|today|live|world|top|xyz|gov|edu|int|mil|" + (
    "eu|uk|us|ca|au|nz|ru|su|ua|by|kz|am|ge|az|fr|de|it|es|pt|nl|be|ch|at|pl|cz|sk|hu|ro|bg|rs|hr|si|gr|tr|il|ir|iq|"
    "sy|lb|jo|ps|eg|sa|ae|qa|kw|om|ye|ma|dz|tn|ly|sd|id|my|sg|ph|th|vn|cn|jp|kr|in|pk|bd|lk|af|mx|br|ar|cl|ve|cu|za|"
    "ng|ke|is|no|se|dk|fi|ee|lv|lt"
)
# The literal dot first lets the engine skip to candidates; prose puts a space after its full stops.
_TLD_AHEAD = re.compile(rf"\.(?:{_TLDS})\b", re.IGNORECASE)
_DOMAIN = re.compile(
    rf"(?<![\w./-])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})(?![\w-]|\.\w)", re.IGNORECASE
)
_HASHTAG = re.compile(r"#(?<![\w#&/]#)([^\s#@.,;:!?()\[\]{}«»\"'“”‘’<>/\\|…،؛؟।]+)")
_HANDLE = re.compile(r"@(?<![\w@.]@)([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,30}[A-Za-z0-9_])?)")
_URL_TRAILING = ".,;:!?…'\""
_LEAD = " \t\u00a0\"'«»“”„‘’‹›()[]*•·-–—"
_SENTENCE_END = ".!?…:\n\r"
_FOLD = str.maketrans({"ð": "d", "þ": "th", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ı": "i"})


class _AsciiDigits(dict[int, int]):
    """A str.translate table filled on first sight: Unicode has ~700 digits, a corpus uses a few."""

    def __missing__(self, code: int) -> int:
        digit = unicodedata.decimal(chr(code), None)
        self[code] = code if digit is None else ord("0") + digit
        return self[code]


_ASCII_DIGITS = _AsciiDigits()


def anchors(doc: Document) -> frozenset[str]:
    """Anchors of the title and the text: a title states the numbers and names of its story."""
    text = doc.text
    if doc.title and not text.startswith(doc.title):
        text = f"{doc.title}\n{text}"
    return anchors_of_text(text)


def anchors_of_text(text: str) -> frozenset[str]:
    """Every anchor of a text. Links, domains, tags and handles are cut out first: their parts are not names."""
    found: set[str] = set()
    text = unicodedata.normalize("NFKC", text)
    if "://" in text or "www." in text.lower():
        text = _URL.sub(lambda m: _collect(found, _url_anchors(m.group())), text)
    if _TLD_AHEAD.search(text):
        text = _DOMAIN.sub(lambda m: _collect(found, _domain_anchors(m.group())), text)
    text = _HASHTAG.sub(lambda m: _collect(found, _hashtag_anchors(m.group(1))), text)
    text = _HANDLE.sub(lambda m: _collect(found, [f"at:{m.group(1).casefold()}"]), text)
    for written in set(_NUMBER.findall(text)):
        found.update(f"n:{number}" for number in _numbers(written))
    found.update(f"name:{name}" for name in _names(text))
    return frozenset(found)


def _collect(found: set[str], tokens: Iterable[str]) -> str:
    found.update(tokens)
    return " "


def _url_anchors(url: str) -> list[str]:
    url = url.rstrip(_URL_TRAILING)
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return []
    if "." not in host:
        return []
    query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("utm_"))
    path = parts.path.rstrip("/") + (f"?{query}" if query else "")
    return [f"dom:{host}", f"url:{host}{path}".lower()]


def _domain_anchors(domain: str) -> list[str]:
    """A domain typed in prose is lower case or shouted; "ended.It" is a missing space, not Italy."""
    tld = domain.rsplit(".", 1)[1]
    if not (tld.islower() or domain.isupper()):
        return []
    return [f"dom:{domain.lower().removeprefix('www.')}"]


def _hashtag_anchors(tag: str) -> list[str]:
    return [f"tag:{tag.casefold()}"] if any(c.isalpha() for c in tag) else []


def _numbers(raw: str) -> list[str]:
    """Normal forms of one written number, or of each part when the separators make no number (a date)."""
    if raw.isascii() and raw.isdigit():
        number = _normal(raw, "")
        return [number] if number else []
    raw = raw.translate(_ASCII_DIGITS)
    groups = _DIGITS.findall(raw)
    separators = _DIGITS.split(raw)[1:-1]
    fraction = ""
    if separators and _is_decimal_mark(separators, groups):
        fraction = groups.pop().rstrip("0")
        separators.pop()
    if not _is_grouped(groups, separators):
        return [n for g in groups + [fraction] if (n := _normal(g, ""))]
    number = _normal("".join(groups), fraction)
    return [number] if number else []


def _is_decimal_mark(separators: list[str], groups: list[str]) -> bool:
    """Whether the last separator starts a fraction: any but three digits after it, or a second kind of mark."""
    last = separators[-1]
    if last == "\u066b":
        return True
    if last not in ".,":
        return False
    if len(groups[-1]) != 3 or (len(groups) == 2 and groups[0] == "0"):
        return True
    return len(separators) > 1 and separators[-2] != last


def _is_grouped(groups: list[str], separators: list[str]) -> bool:
    """Thousands in groups of three ("1.000.000"), or the Indian lakh grouping ("1,00,000")."""
    if len(groups) == 1:
        return True
    if len(set(separators)) != 1 or separators[0] == "\u066b":
        return False
    head, middle, tail = groups[0], groups[1:-1], groups[-1]
    if len(tail) != 3 or not 1 <= len(head) <= 3:
        return False
    return all(len(g) == 3 for g in middle) or (separators[0] == "," and all(len(g) == 2 for g in middle))


def _normal(whole: str, fraction: str) -> str:
    whole = whole.lstrip("0") or "0"
    if fraction:
        return f"{whole}.{fraction}"
    return "" if len(whole) <= 2 and int(whole) <= SMALL_NUMBER else whole


def _names(text: str) -> set[str]:
    capitalised = list(_LATIN_CAPITALISED.finditer(text))
    lowercase = _LATIN_LOWERCASE.findall(text)
    latin_chars = sum(map(len, lowercase)) + sum(map(len, map(re.Match.group, capitalised)))
    if latin_chars >= LATIN_SCRIPT_SHARE * len(text) or latin_chars >= sum(map(len, _OTHER_LETTERS.findall(text))):
        return {_fold(word) for word in _capitalised_names(text, capitalised, set(lowercase))}
    names = {_fold(word) for word in _LATIN_ANY.findall(text) if len(word) > 1}
    if _CYRILLIC_LETTER.search(text):
        lower = set(_CYRILLIC_LOWERCASE.findall(text))
        for word in _capitalised_names(text, _CYRILLIC_CAPITALISED.finditer(text), lower):
            names.update(_transliterations(word))
    return names


def _capitalised_names(text: str, capitalised: Iterable[re.Match[str]], lowercase: set[str]) -> Iterator[str]:
    """Acronyms (also inside "DAX-Konzern"), and capitalised words not capitalised only because a sentence starts."""
    accepted: set[str] = set()
    for match in capitalised:
        word = match.group()
        if word in accepted:
            continue
        if "-" in word:
            yield from (part for part in word.split("-") if len(part) > 1 and part.isupper())
        if word.isupper() or (word.lower() not in lowercase and not _is_initial_or_abbreviation(text, match)):
            accepted.add(word)
            if len(word) > 1:
                yield word


def _is_initial_or_abbreviation(text: str, match: re.Match[str]) -> bool:
    """Whether a capital says nothing: the word opens a sentence or a line ("Mr. Smith" and "U.S. Army" do not,
    "the CIA. Then" does), or it is an abbreviation ("Mr.", "Gen.")."""
    word = match.group()
    if len(word) <= 3 and text.startswith(".", match.end()):
        return True
    if not word[0].isupper():
        return False
    i = match.start() - 1
    while i >= 0 and text[i] in _LEAD:
        i -= 1
    if i < 0 or text[i] in "\n\r":
        return True
    if text[i] not in _SENTENCE_END:
        return False
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    title = text[j:i]
    return not (text[i] == "." and len(title) <= 3 and title.istitle())


@lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_FOLD)


@lru_cache(maxsize=1 << 16)
def _transliterations(word: str) -> frozenset[str]:
    """The press spelling of a Cyrillic name ("-ий" is "-y": Zelensky, Dmitry), whole and without its ending."""
    word = word.casefold()
    stem = _CYRILLIC_ENDING.sub("", word)
    forms = {word, stem} if len(stem) >= 4 else {word}
    return frozenset(_CYRILLIC_Y.sub("y", form).translate(_CYRILLIC_LATIN) for form in forms)


def document_frequency(anchor_sets: Iterable[frozenset[str]]) -> Counter[str]:
    return Counter(anchor for anchor_set in anchor_sets for anchor in anchor_set)


def anchor_idf(doc_frequency: Mapping[str, int], n_docs: int) -> dict[str, float]:
    """log(1 + N/df): an anchor in every document still weighs a little, one in a single document most."""
    return {anchor: math.log(1 + n_docs / df) for anchor, df in doc_frequency.items() if df > 0}


def shared_anchor_score(a: frozenset[str], b: frozenset[str], idf: Mapping[str, float]) -> float:
    """Weight of the shared anchors over the geometric mean of both sides' weights, in [0, 1].

    Over the lighter side, a short text whose three anchors occur in a long article
    would score 1: on WMT21 ru-en the translation then ranked first for 88% of
    documents, not 100%. An excerpt keeps the square root of its share. On WMT21,
    translations score 0.34-0.57 (median per pair), the best other article of the
    day 0.04-0.08. Anchors missing from `idf` weigh nothing: pass both sides' weights.
    """
    shared = sum(idf.get(anchor, 0.0) for anchor in a & b)
    if not shared:
        return 0.0
    weight_a = sum(idf.get(anchor, 0.0) for anchor in a)
    weight_b = sum(idf.get(anchor, 0.0) for anchor in b)
    return shared / math.sqrt(weight_a * weight_b)
