"""The source registry: who an outlet, agency or body is, under every name and domain it goes by.

A citation is only useful to an investigator once "l'agence russe Novosti",
"РИА Новости" and "ria.ru" count as one source. The registry maps written names
(longest alias wins, so "RT Arabic" beats "RT") and domains (mirrors included)
to one canonical name, and keeps the public facts behind each entry (country,
type, state affiliation, and where and when that label was read) so that a graph
of citations can say which of them are state media.

The packaged list lives in `narratrace/data/sources.json`; users add their own
with `import_file` (JSON or CSV), which extends entries of the same name.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import regex

from narratrace.provenance.normalise import Token, stems, tokens

# Two- and three-letter capitals (AP, RT, AA, WHO) are words in some language; they count only as written.
STRICT_ALIAS_LETTERS = 3
_DOMAIN = regex.compile(r"(?:https?://)?((?:[\p{L}\p{N}-]+\.)+\p{L}{2,})(?=[/:?#\s]|$)", regex.IGNORECASE)
_LIST_SEPARATOR = regex.compile(r"\s*[|;]\s*")


@dataclass(frozen=True, slots=True)
class Source:
    """One outlet, agency or body, with the public facts that describe it."""

    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    country: str | None = None
    type: str | None = None
    state_affiliated: bool | None = None
    affiliation: str | None = None
    basis: str | None = None
    as_of: str | None = None

    @classmethod
    def from_mapping(cls, row: dict[str, Any]) -> Source:
        """Build from a JSON object or a CSV row, where lists may be "a|b" strings."""
        name = str(row.get("name") or "").strip()
        if not name:
            raise ValueError(f"a source needs a name: {row!r}")
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: v for k, v in row.items() if k in known and v not in (None, "")}
        for key in ("aliases", "domains"):
            values[key] = tuple(_as_list(values.get(key)))
        if "state_affiliated" in values:
            values["state_affiliated"] = _as_bool(values["state_affiliated"])
        values["name"] = name
        return cls(**values)

    def merged(self, other: Source) -> Source:
        """This entry completed by `other`: lists are united, other's facts win where it states them."""
        facts = {f.name: getattr(other, f.name) for f in fields(Source)
                 if f.name not in ("name", "aliases", "domains") and getattr(other, f.name) is not None}
        return replace(
            self,
            aliases=tuple(dict.fromkeys(self.aliases + other.aliases)),
            domains=tuple(dict.fromkeys(self.domains + other.domains)),
            **facts,
        )


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in _LIST_SEPARATOR.split(value.strip()) if v]
    return [str(v).strip() for v in value if str(v).strip()]


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in ("true", "yes", "1", "y"):
        return True
    if text in ("false", "no", "0", "n"):
        return False
    return None


def _host(domain_or_url: str) -> str:
    text = domain_or_url.strip()
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    return host.casefold().removeprefix("www.")


@dataclass(frozen=True, slots=True)
class _Alias:
    name: str
    raw: tuple[str, ...]
    strict: bool


@dataclass(frozen=True, slots=True)
class Resolution:
    """Which registry entry a written string names, and the part of the string that said so."""

    name: str
    start: int
    end: int


class SourceRegistry:
    """Resolves written names and domains to canonical source names."""

    def __init__(self, sources: Iterable[Source] = ()) -> None:
        self._sources: dict[str, Source] = {}
        self._aliases: dict[tuple[str, ...], list[_Alias]] = {}
        self._domains: dict[str, str] = {}
        self._longest = 1
        for source in sources:
            self.add(source)

    @classmethod
    def load(cls, path: str | Path | None = None) -> SourceRegistry:
        """The packaged registry, or the one in `path` (same JSON layout)."""
        if path is None:
            text = resources.files("narratrace.data").joinpath("sources.json").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return cls(_parse_json(text))

    def __len__(self) -> int:
        return len(self._sources)

    def __iter__(self) -> Iterator[Source]:
        return iter(self._sources.values())

    def __contains__(self, name: object) -> bool:
        return name in self._sources

    def get(self, name: str) -> Source | None:
        return self._sources.get(name)

    def add(self, source: Source) -> None:
        """Add an entry, or extend the entry of the same name."""
        if source.name in self._sources:
            source = self._sources[source.name].merged(source)
        self._sources[source.name] = source
        for alias in (source.name, *source.aliases):
            self._index_alias(source.name, alias)
        for domain in source.domains:
            self._domains[_host(domain)] = source.name

    def import_file(self, path: str | Path) -> int:
        """Add the entries of a JSON (list, or {"sources": [...]}) or CSV file; returns how many were read."""
        path = Path(path)
        return self.import_text(path.read_text(encoding="utf-8-sig"), csv_format=path.suffix.casefold() == ".csv")

    def import_text(self, text: str, csv_format: bool) -> int:
        """`import_file` on content already read (e.g. kept in a store so every later ingest sees it)."""
        if csv_format:
            entries = [Source.from_mapping(row) for row in csv.DictReader(text.splitlines())]
        else:
            entries = _parse_json(text)
        for entry in entries:
            self.add(entry)
        return len(entries)

    def resolve(self, written: str) -> str | None:
        """The canonical name a written name, URL or domain refers to, or None."""
        found = self.find(written)
        return found.name if found else None

    def resolve_domain(self, domain_or_url: str) -> str | None:
        """The source a URL or domain belongs to; subdomains resolve to their parent (fr.sputniknews.com)."""
        parts = _host(domain_or_url).split(".")
        for i in range(len(parts) - 1):
            name = self._domains.get(".".join(parts[i:]))
            if name:
                return name
        return None

    def find(self, written: str) -> Resolution | None:
        """Where in `written` a registry name appears: a domain first, else the longest alias."""
        for match in _DOMAIN.finditer(written):
            name = self.resolve_domain(match.group(1))
            if name:
                return Resolution(name, match.start(), match.end())
        return self._longest_alias(tokens(written))

    def _index_alias(self, name: str, alias: str) -> None:
        toks = tokens(alias)
        if not toks:
            return
        key = tuple(t.folded for t in toks)
        letters = "".join(t.raw for t in toks)
        strict = len(letters) <= STRICT_ALIAS_LETTERS and letters.isupper()
        entry = _Alias(name, tuple(t.raw for t in toks), strict)
        bucket = self._aliases.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)
        self._longest = max(self._longest, len(key))

    def _longest_alias(self, toks: list[Token]) -> Resolution | None:
        best: tuple[int, int, Resolution] | None = None
        for i in range(len(toks)):
            for n in range(min(self._longest, len(toks) - i), 0, -1):
                if best and n <= best[0]:
                    break
                name = self._match_at(toks[i : i + n])
                if name:
                    resolution = Resolution(name, toks[i].start, toks[i + n - 1].end)
                    best = (n, i, resolution)
                    break
        return best[2] if best else None

    def _match_at(self, window: list[Token]) -> str | None:
        head = tuple(t.folded for t in window[:-1])
        for last in stems(window[-1].folded):
            for alias in self._aliases.get(head + (last,), ()):
                if alias.strict and tuple(t.raw for t in window) != alias.raw:
                    continue
                return alias.name
        return None


def _parse_json(text: str) -> list[Source]:
    data = json.loads(text)
    rows = data.get("sources", []) if isinstance(data, dict) else data
    return [Source.from_mapping(row) for row in rows]
