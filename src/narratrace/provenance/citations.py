"""Every attribution in a text: who is cited, how, and whether anonymously.

"selon Sputnik", "a rapporté l'agence russe Novosti", "source : The Cradle",
"traduction Réseau International", "menurut sumber", "une source informée":
disinformation travels by citation, and the cited source often drops out of a
copy. Each cue family of the language's lexicon (see `cues.py`) proposes a
source span; the span is resolved against the source registry and classified
as anonymous or named. A citation keeps the cue phrase that produced it, so the
evidence is shown with the claim, never a bare score.

With `language=None` the cues of every supported language run, for text whose
language is unknown or mixed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from narratrace.provenance.anonymous import is_anonymous
from narratrace.provenance.patterns import Patterns, patterns_for, supported_languages
from narratrace.provenance.registry import SourceRegistry
from narratrace.provenance.spans import (
    CLOSE_QUOTES,
    COMMAS,
    clause_end,
    clause_start,
    is_boundary,
    left_subject,
    plausible,
    right_source,
    words,
)

KINDS = ("reported", "according_to", "translated_from", "republished_from", "quoted", "hyperlink")
# How far a cue's own evidence goes: a byline is explicit, a bare verb with a guessed subject less so.
SCORES = {"byline": 0.95, "credit": 0.9, "according": 0.9, "interview": 0.85, "told": 0.8, "verb": 0.75,
          "postposition": 0.8, "tweet": 0.9, "impersonal": 0.6}
REGISTRY_BONUS = 0.05
MAX_TOLD_GAP = 60
_SENTENCE_END = regex.compile(r"[.!?](?=\s)")
_URL = regex.compile(r"https?://\S+|www\.\S+")
_CREDIT = regex.compile(r"\(([^()\n]{2,40})(?:\)|$)")
_DATELINE_AFTER = regex.compile(r"\s*(?:[-–—:]|\.-)")
_TWEET = regex.compile(
    r"[—–-]\s*[^\n()]{1,80}?\((@\w{1,30})\)\s+(?:\p{L}+\s+\d{1,2},\s+\d{4}|\d{1,2}\s+\p{L}+\s+\d{4})"
)
_OUTLET_TYPES = ("news agency", "state media", "newspaper", "broadcaster", "public broadcaster", "magazine", "website", "blog")
_TRAILING = ".,;:!?)»”\"' \t–—-"


@dataclass(slots=True)
class Citation:
    """One attribution. `start`/`end` are character offsets of the source span in the document text."""

    source: str
    canonical: str | None
    kind: str
    anonymous: bool
    phrase: str
    start: int
    end: int
    score: float

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown citation kind {self.kind!r}")


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    kind: str
    phrase: str
    evidence: str
    anonymous: bool | None = None


def extract_citations(text: str, language: str | None, registry: SourceRegistry) -> list[Citation]:
    """All attributions in `text`, in reading order, one per (source span, cue)."""
    languages = [language] if language else list(supported_languages())
    found: dict[tuple[int, int], _Found] = {}
    for code in languages:
        p = patterns_for(code)
        if p is None:
            continue
        for f in _propose(text, p, registry):
            found.setdefault((f.start, f.end), f)
    for f in _tweets(text):
        found.setdefault((f.start, f.end), f)
    for f in _credits(text, registry):
        found.setdefault((f.start, f.end), f)
    p_default = patterns_for(language or "en") or patterns_for("en")
    return [_citation(text, f, p_default, registry) for f in sorted(found.values(), key=lambda f: (f.start, f.end))]


def _citation(text: str, f: _Found, p: Patterns, registry: SourceRegistry) -> Citation:
    source = text[f.start : f.end]
    canonical = registry.resolve(source)
    anonymous = f.anonymous if f.anonymous is not None else is_anonymous(words(text, f.start, f.end), p, canonical is not None)
    score = min(1.0, SCORES[f.evidence] + (REGISTRY_BONUS if canonical else 0.0))
    return Citation(source, canonical, f.kind, anonymous, f.phrase, f.start, f.end, round(score, 3))


def _propose(text: str, p: Patterns, registry: SourceRegistry) -> Iterator[_Found]:
    yield from _bylines(text, p)
    yield from _according(text, p)
    yield from _interviews(text, p, registry)
    yield from _verbs(text, p, registry)
    yield from _postpositions(text, p)
    for m in p.impersonal.finditer(text):
        yield _Found(m.start(), m.end(), "reported", m.group(), "impersonal", anonymous=True)


def _bylines(text: str, p: Patterns) -> Iterator[_Found]:
    for pattern in (p.byline_line, p.byline_sentence):
        for m in pattern.finditer(text):
            end = text.find("\n", m.end())
            end = len(text) if end < 0 else end
            url = _URL.match(text, m.end(), end)
            if url:
                span = (url.start(), url.end())
            else:
                sentence = _SENTENCE_END.search(text, m.end(), end)
                span = _strip(text, m.end(), sentence.start() if sentence else end)
            if span and plausible(words(text, *span), p):
                kind = "translated_from" if p.translations.match(text, m.start() + len(m.group()) - len(m.group().lstrip())) else "republished_from"
                yield _Found(*span, kind, m.group().strip(), "byline")


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in _TRAILING:
        start += 1
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return (start, end) if end > start else None


def _according(text: str, p: Patterns) -> Iterator[_Found]:
    for m in p.according.finditer(text):
        span = right_source(text, m.end(), p)
        if span:
            kind = "republished_from" if "article" in m.group().casefold() or "lire" in m.group().casefold() else "according_to"
            yield _Found(*span, kind, m.group(), "according")


def _interviews(text: str, p: Patterns, registry: SourceRegistry) -> Iterator[_Found]:
    for m in p.interview.finditer(text):
        span = right_source(text, m.end(), p)
        if span and _is_outlet(text, span, p, registry, capitalised=False):
            yield _Found(*span, "reported", m.group(), "interview")


def _is_outlet(text: str, span: tuple[int, int], p: Patterns, registry: SourceRegistry, capitalised: bool) -> bool:
    """A told-object counts only if it names an outlet: in the registry, described as one, or (where asked) a proper name."""
    ws = words(text, *span)
    if registry.resolve(text[span[0] : span[1]]) or any(p.is_word(p.media, w.text) for w in ws):
        return True
    return capitalised and bool(ws) and ws[0].text[:1].isupper() and not p.is_word(p.pronouns, ws[0].text)


def _verbs(text: str, p: Patterns, registry: SourceRegistry) -> Iterator[_Found]:
    # "as reported by X" is an according cue; its verb must not be read again as "X reported".
    taken = [(m.start(), m.end()) for m in p.according.finditer(text)]
    for pattern, kind in ((p.say, "quoted"), (p.report, "reported")):
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            subject, told = _subject(text, m, p, registry)
            if subject:
                yield _Found(*subject, kind, m.group(), "verb")
            after = subject[1] if subject and subject[0] > m.start() else m.end()
            told = told or _told(text, m, after, p, registry)
            if told:
                yield _Found(*told, "reported", m.group(), "told")


Span = tuple[int, int]


def _subject(text: str, m: regex.Match[str], p: Patterns, registry: SourceRegistry) -> tuple[Span | None, Span | None]:
    """The verb's subject, and the outlet it was told to when that sits between verb and subject."""
    if p.order == "vso":
        return _right_with_told(text, m.end(), p, registry)
    if p.order == "sov":
        return _sentence_subject(text, m.start(), p), None
    before = words(text, max(0, m.start() - 40), m.start())
    governed = len(before) >= 2 and p.is_word(p.stops, before[-2].text)
    if before and before[-1].end >= m.start() - 1 and p.is_word(p.pronouns, before[-1].text) and not governed:
        # "il a déclaré", "he said": the subject is a pronoun, so nobody new is cited ("об этом сообщает X" is an object).
        return None, None
    inverted = _after_punctuation(text, m.start())
    if inverted:
        right, told = _right_with_told(text, m.end(), p, registry)
        if right:
            return right, told
    left = left_subject(text, m.start(), p)
    if left or inverted:
        return left, None
    return _right_with_told(text, m.end(), p, registry)


def _after_punctuation(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in COMMAS or text[i] in CLOSE_QUOTES or is_boundary(text, i) or text[i] in "-–—"


def _right_with_told(text: str, pos: int, p: Patterns, registry: SourceRegistry) -> tuple[Span | None, Span | None]:
    """An inverted subject; a told-object written first ("пояснила корреспонденту ERR пресс-секретарь") is stepped over."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    told = p.told.match(text, pos)
    if told:
        ws = words(text, told.end(), clause_end(text, told.end()))
        k = 0
        while k < min(len(ws), 4) and (ws[k].text[:1].isupper() or not ws[k].text[:1].isalpha()):
            k += 1
        if k:
            outlet = (pos, ws[k - 1].end)
            return right_source(text, ws[k - 1].end, p), outlet if _is_outlet(text, outlet, p, registry, False) else None
    return right_source(text, pos, p), None


def _told(text: str, m: regex.Match[str], after: int, p: Patterns, registry: SourceRegistry) -> Span | None:
    """The outlet a statement was given to: "a déclaré à la BBC", "told WOWOW Tennis"."""
    if p.told.fullmatch(m.group()):
        span = right_source(text, m.end(), p)
        return span if span and _is_outlet(text, span, p, registry, capitalised=True) else None
    end = min(clause_end(text, after), after + MAX_TOLD_GAP)
    for t in p.told.finditer(text, after, end):
        span = right_source(text, t.end(), p)
        if span and _is_outlet(text, span, p, registry, capitalised=False):
            return span
    return None


def _sentence_subject(text: str, pos: int, p: Patterns) -> tuple[int, int] | None:
    """Verb-final languages: the subject opens the sentence, up to its first comma ("Bakan Shapps, ... bildirdi")."""
    start = pos
    while True:
        start = clause_start(text, start)
        if start == 0 or text[start - 1] not in CLOSE_QUOTES and text[start - 1] not in "'":
            break
        opening = max(text.rfind(q, 0, start - 1) for q in "“«\"'")
        if opening < 0:
            break
        start = opening
    first_comma = min((i for i in (text.find(c, start, pos) for c in COMMAS) if i >= 0), default=-1)
    if first_comma < 0:
        return None
    ws = words(text, start, first_comma)
    if len(ws) > 6:
        caps = [w for w in ws if w.text[:1].isupper()]
        ws = ws[ws.index(caps[-1]) :] if caps and caps[-1] is not ws[0] else []
    if not ws or not ws[-1].text[:1].isupper() or not plausible(ws, p):
        return None
    return ws[0].start, ws[-1].end


def _postpositions(text: str, p: Patterns) -> Iterator[_Found]:
    for m in p.postpositions.finditer(text):
        start = clause_start(text, m.start())
        ws = words(text, start, m.start())
        for i, w in enumerate(ws):
            if "'" in w.text or "’" in w.text:
                ws = ws[: i + 1]
                break
        ws = ws[-6:]
        if ws and plausible(ws, p):
            end = ws[-1].end
            cut = max(text.rfind("'", ws[-1].start, end), text.rfind("’", ws[-1].start, end))
            yield _Found(ws[0].start, cut if cut > ws[-1].start else end, "according_to", m.group().strip(), "postposition")


def _tweets(text: str) -> Iterator[_Found]:
    for m in _TWEET.finditer(text):
        yield _Found(m.start(1), m.end(1), "quoted", m.group().strip(), "tweet")


def _credits(text: str, registry: SourceRegistry) -> Iterator[_Found]:
    """Agency credits: "VATICAN CITY (Reuters) -", "(ANI)", "Bern (DPA) -"."""
    for m in _CREDIT.finditer(text):
        inner = m.group(1).strip()
        name = registry.resolve(inner)
        source = registry.get(name) if name else None
        dateline = _DATELINE_AFTER.match(text, m.end()) is not None and len(inner.split()) <= 3
        is_outlet = source is not None and (source.type or "") in _OUTLET_TYPES
        caps = inner.replace("-", "").replace(" ", "").isupper()
        if is_outlet or (dateline and (caps or source is not None)):
            yield _Found(m.start(1), m.start(1) + len(m.group(1).rstrip()), "republished_from", m.group().strip(), "credit")
