"""Canonical entities and every name they go by, across languages and scripts.

"Daech", "EIIL", "ИГИЛ", "داعش" and "Negara Islam" are one organisation to a
fact-checker following a story across outlets. The gazetteer maps each alias to
one canonical entity. Aliases are compared through the provenance name folding
(`normalise.tokens`: case, accents, Arabic letter variants and attached
particles, short case endings) and, for scripts the data does not spell out,
through their romanisation, so Bulgarian "Киев" meets the Russian alias.

The packaged list lives in `narratrace/data/entities.json`; aliases learned from
aligned translations are added with `add_alias`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from narratrace.provenance.normalise import Token, fold, stems, tokens
from narratrace.provenance.transliterate import name_key, romanise

TYPES = ("person", "organisation", "place", "other")
# Short all-capital aliases (EI, UE, US, ONU) are words in some language; they count only as written.
STRICT_ALIAS_LETTERS = 3
# Languages without case endings on nouns: there "Russian" is not an inflected "Russia".
UNINFLECTED = frozenset({"en", "fr", "es", "it", "pt", "ca", "nl", "id", "ms", "zh", "ja", "ko", "vi", "th"})
INITIAL_LETTERS = 2
# Romanised letters a transliteration-key match must share with the alias it resolves to.
KEY_PREFIX = 3
# A one-consonant key says too little to resolve anything.
MIN_KEY_LETTERS = 2
JOINERS = frozenset({" ", "-", "'", "\u2019", "\u2010", "\u2011", "\u00a0"})


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One canonical entity: a stable id, the name shown for it, its type and its aliases."""

    id: str
    name: str
    type: str = "other"
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"entity {self.id!r}: unknown type {self.type!r}")

    @classmethod
    def from_mapping(cls, row: dict[str, Any]) -> GazetteerEntry:
        return cls(str(row["id"]), str(row["name"]), str(row.get("type", "other")), tuple(row.get("aliases", ())))


@dataclass(frozen=True, slots=True)
class Match:
    """A gazetteer entity named at tokens [first, last] of a text; `exact` when no ending was cut."""

    entry: GazetteerEntry
    first: int
    last: int
    exact: bool


@dataclass(frozen=True, slots=True)
class _Alias:
    id: str
    raw: tuple[str, ...] | None


class Gazetteer:
    """Finds the canonical entities a text names, longest alias first."""

    def __init__(self, entries: Iterable[GazetteerEntry] = ()) -> None:
        self._entries: dict[str, GazetteerEntry] = {}
        self._aliases: dict[tuple[str, ...], list[_Alias]] = {}
        # Per transliteration key, the entities having it and their aliases' letters (romanised).
        self._keys: dict[tuple[str, str], dict[str, set[tuple[str, ...]]]] = {}
        self._longest = 1
        for entry in entries:
            self.add(entry)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Gazetteer:
        """The packaged gazetteer, or the one in `path` (same JSON layout)."""
        if path is None:
            text = resources.files("narratrace.data").joinpath("entities.json").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = json.loads(text)
        rows = data.get("entities", []) if isinstance(data, dict) else data
        return cls(GazetteerEntry.from_mapping(row) for row in rows)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self._entries.values())

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._entries

    def get(self, entity_id: str) -> GazetteerEntry | None:
        return self._entries.get(entity_id)

    def add(self, entry: GazetteerEntry) -> None:
        """Add an entity, or extend the entity of the same id with more aliases."""
        old = self._entries.get(entry.id)
        if old is not None:
            entry = replace(old, aliases=tuple(dict.fromkeys(old.aliases + entry.aliases)))
        self._entries[entry.id] = entry
        for alias in (entry.name, *entry.aliases):
            self._index(entry.id, alias)

    def add_alias(self, entity_id: str, alias: str, name: str | None = None, type: str = "other") -> None:
        """Give an entity one more name, creating it (named `name` or the alias) when the id is new."""
        old = self._entries.get(entity_id)
        if old is None:
            self.add(GazetteerEntry(entity_id, name or alias, type, (alias,)))
        else:
            self.add(replace(old, aliases=(alias,)))

    def resolve_key(self, words: list[str]) -> GazetteerEntry | None:
        """The one entity whose alias has the same transliteration key and romanised start as `words`.

        This is how inflections the alias folding cannot reach still resolve
        ("Bandaríkjunum", Icelandic dative of "Bandaríkin"; "Kúbu" for "Kúba"):
        the key drops vowels and case endings, the start keeps "Kúbu" from
        meeting every other k-b word. A key shared by two entities resolves to neither.
        """
        key = _skeleton_key(words)
        if len(key[0].replace(" ", "")) < MIN_KEY_LETTERS:
            return None
        written = _word_letters(words)
        ids = [i for i, aliases in self._keys.get(key, {}).items() if any(_inflects(a, written) for a in aliases)]
        return self._entries[ids[0]] if len(ids) == 1 else None

    def resolve(self, written: str, language: str | None = None) -> GazetteerEntry | None:
        """The entity a whole written name refers to, or None."""
        toks = tokens(written)
        for match in self.matches(written, toks, language):
            if match.first == 0 and match.last == len(toks) - 1:
                return match.entry
        return None

    def matches(self, text: str, toks: list[Token], language: str | None) -> list[Match]:
        """Non-overlapping alias matches over the tokens of `text`, leftmost then longest."""
        inflects = (language or "").split("-")[0].casefold() not in UNINFLECTED
        found: list[Match] = []
        i = 0
        while i < len(toks):
            match = self._longest_at(text, toks, i, inflects)
            if match is None:
                i += 1
                continue
            found.append(match)
            i = match.last + 1
        return found

    def _longest_at(self, text: str, toks: list[Token], i: int, inflects: bool) -> Match | None:
        if not opens_name(toks[i].raw):
            return None
        for n in range(min(self._longest, len(toks) - i), 0, -1):
            window = toks[i : i + n]
            if any(not joins(text[a.end : b.start], a.raw) for a, b in pairwise(window)):
                continue
            hit = self._lookup(window, inflects)
            if hit is not None:
                entity_id, exact = hit
                return Match(self._entries[entity_id], i, i + n - 1, exact)
        return None

    def _lookup(self, window: list[Token], inflects: bool) -> tuple[str, bool] | None:
        raw = tuple(t.raw for t in window)
        for keys in (tuple(t.folded for t in window), tuple(_roman(t.raw) for t in window)):
            lasts = stems(keys[-1]) if inflects else [keys[-1]]
            for cut, last in enumerate(lasts):
                for alias in self._aliases.get(keys[:-1] + (last,), ()):
                    if alias.raw is None or alias.raw == raw:
                        return alias.id, cut == 0
        return None

    def _index(self, entity_id: str, alias: str) -> None:
        toks = tokens(alias)
        if not toks:
            return
        letters = "".join(t.raw for t in toks)
        strict = tuple(t.raw for t in toks) if len(letters) <= STRICT_ALIAS_LETTERS and letters.isupper() else None
        entry = _Alias(entity_id, strict)
        for key in {tuple(t.folded for t in toks), tuple(_roman(t.raw) for t in toks)}:
            bucket = self._aliases.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)
        raws = [t.raw for t in toks]
        self._keys.setdefault(_skeleton_key(raws), {}).setdefault(entity_id, set()).add(_word_letters(raws))
        self._longest = max(self._longest, len(toks))


def _roman(word: str) -> str:
    return fold(romanise(word))


def _skeleton_key(words: list[str]) -> tuple[str, str]:
    return name_key(words), _letters(words)[:KEY_PREFIX]


def _letters(words: list[str]) -> str:
    return "".join(c for c in _roman(" ".join(words)) if c.isalpha())


def _word_letters(words: list[str]) -> tuple[str, ...]:
    return tuple(letters for w in words if (letters := _letters([w])))


def _inflects(alias: tuple[str, ...], written: tuple[str, ...]) -> bool:
    """Whether each written word can be the alias's word with another case ending: the alias
    word less its own ending opens the written one, which is no shorter than the alias word
    less one letter. "Kúbu" inflects "Kúba", "Bandaríkjunum" "Bandaríkin", "Danmerkur"
    "Danmörk", "Северной Корее" "Северная Корея"; "Angeles" (key of "Anglia"), "Altötting"
    ("Althing"), "Sud" ("Sudan") and "Melanes" ("Meloni") do not (WMT21, `benchmarks/entities.py`)."""
    return len(alias) == len(written) and all(
        len(w) >= len(a) - 1 and w.startswith(a[: len(a) - _ending(len(a))]) for a, w in zip(alias, written))


def _ending(letters: int) -> int:
    """Letters of a word's own case ending an inflected form may replace: more on longer words."""
    return 3 if letters >= 7 else 2 if letters >= 5 else 1


def opens_name(word: str) -> bool:
    """A name starts with a capital, or in a script without case (Arabic, CJK)."""
    first = word[0]
    return first.isupper() or (first.isalpha() and not first.islower())


def joins(gap: str, left: str) -> bool:
    """Whether the characters between two words keep them in one name.

    A space, hyphen or apostrophe does; so does ". " after an initial ("J. K. Rowling", "Guðni Th. Jóhannesson"),
    though not after an acronym ending a sentence ("... the EU. Then").
    """
    initial = left[0].isupper() and (len(left) == 1 or (len(left) == INITIAL_LETTERS and left[1].islower()))
    return gap in JOINERS or (gap == ". " and initial)
