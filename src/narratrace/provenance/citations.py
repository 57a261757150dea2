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
    OPEN_QUOTES,
    clause_end,
    clause_start,
    is_boundary,
    left_subject,
    plausible,
    Word,
    right_source,
    trim_left,
    words,
)

KINDS = ("reported", "according_to", "translated_from", "republished_from", "quoted", "hyperlink")
# How far a cue's own evidence goes: a byline is explicit, a bare verb with a guessed subject less so.
SCORES = {"byline": 0.95, "credit": 0.9, "according": 0.9, "interview": 0.85, "told": 0.8, "verb": 0.75,
          "postposition": 0.8, "tweet": 0.9, "impersonal": 0.6, "headline": 0.7}
REGISTRY_BONUS = 0.05
MAX_TOLD_GAP = 60
_SENTENCE_END = regex.compile(r"[.!?](?=\s)")
_URL = regex.compile(r"https?://\S+|www\.\S+")
_CREDIT = regex.compile(r"\(([^()\n]{2,40})(?:\)|$)")
# "Baku, 17. Mai, AZERTAC" on a line of its own; "RND/dpa/jp" closing a line: agency and author initials.
_DATELINE = regex.compile(r"(?m)^[ \t]*\p{Lu}[\p{L}\- ]{1,30},[ \t]*\d{1,2}\.?[ \t]*\p{L}+\.?(?:[ \t]+\d{4})?,[ \t]*(\p{L}[\p{L}\- ]{1,30}?)[ \t]*$")
_SLASH_CREDIT = regex.compile(r"(?m)(?:^|(?<=[.!?][ \t]))[ \t]*(\p{L}{2,12}(?:/\p{L}{1,12}){1,3})[ \t]*$")
_DATELINE_AFTER = regex.compile(r"\s*(?:[-–—:]|\.-)")
_TWEET = regex.compile(
    r"[—–-]\s*[^\n()]{1,80}?\((@\w{1,30})\)\s+(?:\p{L}+\s+\d{1,2},\s+\d{4}|\d{1,2}\s+\p{L}+\s+\d{4})"
)
_OUTLET_TYPES = ("news agency", "state media", "newspaper", "broadcaster", "public broadcaster", "magazine", "website", "blog")
_TRAILING = ".,;:!?)»”\"' \t–—-"
# A phrase opening a line, a sentence or a run of headlines, then a colon and the headline's claim.
_HEADLINE = regex.compile(r"(?:^|(?<=[\n.!?]\s*)|(?<=\p{L}:\s))[ \t]*([^\n:.!?\"“”«»„()]{2,60}?)[ \t]*:[ \t]+(?=[\p{L}\p{N}\"“«„'])", regex.MULTILINE)
_NON_WORD = regex.compile(r"[^\p{L}\p{N}]+")
MAX_HEADLINE_WORDS = 5
MIN_SAME_SPEAKER = 3
_PARENTHETICAL = regex.compile(r"\s*(?:[-–—,]|$)")


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
    cited = [_fold(text[f.start : f.end]) for f in found.values() if f.evidence != "impersonal"]
    for f in _headlines(text, p_default, registry, cited):
        found.setdefault((f.start, f.end), f)
    return [_citation(text, f, p_default, registry) for f in sorted(found.values(), key=lambda f: (f.start, f.end))]


def _citation(text: str, f: _Found, p: Patterns, registry: SourceRegistry) -> Citation:
    source = text[f.start : f.end]
    canonical = registry.resolve(source)
    anonymous = f.anonymous if f.anonymous is not None else is_anonymous(words(text, f.start, f.end), p, canonical is not None)
    score = min(1.0, SCORES[f.evidence] + (REGISTRY_BONUS if canonical else 0.0))
    return Citation(source, canonical, f.kind, anonymous, f.phrase, f.start, f.end, round(score, 3))


def _propose(text: str, p: Patterns, registry: SourceRegistry) -> Iterator[_Found]:
    introduced = [(m.start(), m.end()) for m in p.according.finditer(text)]
    yield from _bylines(text, p)
    yield from _according(text, p)
    yield from _interviews(text, p, registry)
    yield from _verbs(text, p, registry, introduced)
    yield from _postpositions(text, p)
    # "verlautete am Dienstag aus Konzernkreisen" names its (unnamed) source: the hearsay cue is inside it.
    for m in p.impersonal.finditer(text):
        if not any(a <= m.start() and m.end() <= b for a, b in introduced):
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
        if _PARENTHETICAL.match(text, m.end()):
            # "– jak stwierdził –": an aside whose source was named before, not after.
            continue
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
    if registry.resolve(text[span[0] : span[1]]):
        return True
    if not ws or not _opens_noun_phrase(ws[0].text, p):
        # "tried to interrupt me several times": after "to" comes a verb, whatever noun follows.
        return False
    if any(p.is_word(p.media, w.text) for w in ws):
        return True
    return capitalised and ws[0].text[:1].isupper() and not p.is_word(p.pronouns, ws[0].text)


def _opens_noun_phrase(word: str, p: Patterns) -> bool:
    first = word[:1]
    caseless = first.isalpha() and not (first.isupper() or first.islower())
    return first.isupper() or caseless or p.is_word(p.determiners, word) or p.is_word(p.media, word)


def _verbs(text: str, p: Patterns, registry: SourceRegistry, taken: list[tuple[int, int]]) -> Iterator[_Found]:
    # "as reported by X" is an according cue (`taken`); its verb must not be read again as
    # "X reported", nor its words as a subject ("Writing in ... wrote").
    for pattern, kind in ((p.say, "quoted"), (p.report, "reported")):
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken) or _noun_before_verb(text, m.end(), p):
                continue
            subject, told = _subject(text, m, p, registry)
            if subject and (any(a < subject[1] and subject[0] < b for a, b in taken) or _holds_verb(text, subject, p)):
                subject = None
            for other in _coordinated(text, subject, p) if subject else ():
                yield _Found(*other, kind, m.group(), "verb")
            if subject:
                yield _Found(*subject, kind, m.group(), "verb")
            after = subject[1] if subject and subject[0] > m.start() else m.end()
            told = told or _told(text, m, after, p, registry)
            if told:
                yield _Found(*told, "reported", m.group(), "told")


Span = tuple[int, int]


def _is_verb(word: str, p: Patterns) -> bool:
    return p.is_word(p.say, word) or p.is_word(p.report, word)


def _noun_before_verb(text: str, pos: int, p: Patterns) -> bool:
    """"reports suggest", "claims emerged": a cue word directly followed by a verb is that verb's subject."""
    ws = words(text, pos, min(len(text), pos + 40))
    return bool(ws) and ws[0].start - pos <= 1 and _is_verb(ws[0].text, p)


def _holds_verb(text: str, span: Span, p: Patterns) -> bool:
    """A subject holding a verb of saying is a clause of its own ("intelligence suggested the troops ... amid claims").

    Its last word may be a cue used as a noun ("reports suggest").
    """
    return any(_is_verb(w.text, p) for w in words(text, *span)[:-1])


def _coordinated(text: str, subject: Span, p: Patterns) -> list[Span]:
    """"Angela Merkel and Francois Hollande later confirmed": each named conjunct speaks."""
    start = clause_start(text, subject[0])
    ws = words(text, start, subject[0])
    if len(ws) < 2 or not p.is_word(p.coordinators, ws[-1].text) or not any(w.text[:1].isupper() for w in words(text, *subject)):
        return []
    k = len(ws) - 1
    while k > 0 and not p.is_word(p.openers, ws[k - 1].text) and not p.is_word(p.coordinators, ws[k - 1].text):
        k -= 1
    conjunct = [w for w in ws[k : len(ws) - 1] if not p.is_word(p.aux, w.text)]
    if not conjunct or not plausible(conjunct, p) or not conjunct[-1].text[:1].isupper():
        return []
    return [(conjunct[0].start, conjunct[-1].end)]


def _subject(text: str, m: regex.Match[str], p: Patterns, registry: SourceRegistry) -> tuple[Span | None, Span | None]:
    """The verb's subject, and the outlet it was told to when that sits between verb and subject."""
    if p.order == "vso":
        right, told = _right_with_told(text, m.end(), p, registry)
        if right or not _clause_ends(text, m.end()):
            return right, told
        # Headlines put the subject first even in verb-first languages ("الرئيس تبون ... ويؤكد:").
        return left_subject(text, m.start(), p), None
    if p.order == "sov":
        return _sentence_subject(text, m.start(), p), None
    before = words(text, max(0, m.start() - 40), m.start())
    governed = len(before) >= 2 and p.is_word(p.stops, before[-2].text)
    if before and before[-1].end >= m.start() - 1 and p.is_word(p.pronouns, before[-1].text) and not governed:
        # "il a déclaré", "he said": the subject is a pronoun, so nobody new is cited ("об этом сообщает X" is an object).
        return None, None
    # A reflexive verb ("se dit") keeps its subject in front, even after a comma.
    inverted = _after_punctuation(text, m.start()) and not p.is_word(p.reflexives, m.group().split()[0])
    if inverted:
        right, told = _inverted(text, m.end(), p, registry)
        if right:
            return right, told
    # Where the subject may be dropped, a capitalised verb opens its sentence: what precedes it is another one.
    opens_sentence = p.prodrop and m.group()[:1].isupper()
    left = None if opens_sentence else _bracketed(text, m, p) or left_subject(text, m.start(), p)
    if left or inverted:
        return left, None
    if not _open_slot(text, m.start(), p):
        # Words stand before the verb but name nobody ("this report explains"): what follows is its object.
        return None, None
    right, told = _right_with_told(text, m.end(), p, registry)
    return (right if right and _names_someone(text, right, p, registry) else None), told


def _inverted(text: str, pos: int, p: Patterns, registry: SourceRegistry) -> tuple[Span | None, Span | None]:
    """The subject after a verb that follows a quote or comma (", said the minister").

    A span cut off by an auxiliary is the start of the object clause (", said the organization
    was seeking"), not the subject; a time phrase may come first ("powiedział w sobotę
    francuski minister zdrowia Olivier Veran").
    """
    right, told = _right_with_told(text, pos, p, registry)
    if right:
        after = words(text, right[1], min(len(text), right[1] + 30))
        if after and after[0].start - right[1] <= 1 and p.is_word(p.aux, after[0].text) and not p.is_word(p.stops, after[0].text):
            return None, None
        return right, told
    ws = words(text, pos, clause_end(text, pos))
    if len(ws) < 2 or p.is_word(p.openers, ws[0].text):
        return None, None
    skip = 0
    if not p.prodrop:
        # Fixed-order languages do not put an adverbial between an inverted verb and its subject.
        return None, None
    if p.is_word(p.aux, ws[0].text) and p.is_word(p.determiners, ws[1].text):
        skip = 1  # "informan hoy los medios"
    elif len(ws) > 2 and p.is_word(p.stops, ws[0].text) and ws[1].text[:1].islower() and not p.is_word(p.determiners, ws[1].text):
        skip = 2  # "powiedział w sobotę francuski minister"
    shifted = right_source(text, ws[skip].start, p) if skip else None
    if shifted and _names_someone(text, shifted, p, registry):
        return shifted, None
    return None, None


def _bracketed(text: str, m: regex.Match[str], p: Patterns) -> Span | None:
    """The subject of a clause-final participle whose auxiliary opened the clause ("Der Minister hat ... vermeldet").

    Verb-second order puts either the subject or an adverbial before the auxiliary; after an
    adverbial ("Am Freitag hat der Minister ... mitgeteilt") the subject follows the auxiliary.
    """
    if not _clause_ends(text, m.end()):
        return None
    start = clause_start(text, m.start())
    ws = words(text, start, m.start())
    aux = next((i for i, w in enumerate(ws) if p.is_word(p.bracket, w.text)), None)
    if not aux:
        return None
    if p.is_word(p.stops, ws[0].text) or p.is_word(p.aux, ws[0].text):
        return right_source(text, ws[aux].end, p)
    return trim_left(text, ws[0].start, ws[aux].start, p)


def _clause_ends(text: str, pos: int) -> bool:
    return not words(text, pos, clause_end(text, pos))


def _open_slot(text: str, pos: int, p: Patterns) -> bool:
    """Nothing but links and adverbs before the verb in its clause ("Об этом сообщает", "Ранее сообщал")."""
    start = clause_start(text, pos)
    return all(
        p.is_word(p.openers, w.text) or p.is_word(p.aux, w.text) or p.is_word(p.stops, w.text) or p.is_word(p.pronouns, w.text)
        for w in words(text, start, pos)
    )


def _names_someone(text: str, span: Span, p: Patterns, registry: SourceRegistry) -> bool:
    """A subject found after a plain verb must name or describe a speaker, not be the verb's object."""
    ws = words(text, *span)
    if registry.resolve(text[span[0] : span[1]]):
        return True
    caseless = bool(ws) and ws[0].text[:1].isalpha() and not (ws[0].text[:1].isupper() or ws[0].text[:1].islower())
    return caseless or any(
        w.text[:1].isupper() or w.text[:1] in "@#" or p.is_word(p.anonymous, w.text) or p.is_word(p.media, w.text)
        or p.is_word(p.spokesperson, w.text)
        for w in ws
    )


def _after_punctuation(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i == pos - 1 and i > 0 and text[i] in "'’" and text[i - 1].isalpha():
        # An elision ("l'a annoncé"), not a closing quote.
        return False
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
        return _leading_name(text, start, pos, p)
    ws = _skip_openers(words(text, start, first_comma), p)
    if len(ws) > 6:
        caps = [w for w in ws if w.text[:1].isupper()]
        ws = ws[ws.index(caps[-1]) :] if caps and caps[-1] is not ws[0] else []
    if not ws or not ws[-1].text[:1].isupper() or not plausible(ws, p):
        return None
    return ws[0].start, ws[-1].end


def _skip_openers(ws: list[Word], p: Patterns) -> list[Word]:
    """Drop sentence links, one or two words long ("Ayrıca", "Bu arada"), before the subject."""
    while ws:
        if p.is_word(p.openers, ws[0].text):
            ws = ws[1:]
        elif len(ws) > 1 and p.is_word(p.openers, f"{ws[0].text} {ws[1].text}"):
            ws = ws[2:]
        else:
            break
    return ws


def _leading_name(text: str, start: int, pos: int, p: Patterns) -> Span | None:
    """With no comma, a subject opening the sentence is a run of capitalised words ("Bedia Teymur ... vurguladı").

    A case suffix marks an oblique phrase ("Türkiye'de"), and a sentence's first word is capitalised
    anyway, so a one-word run counts only if the text also capitalises it mid-sentence.
    """
    ws = _skip_openers(words(text, start, pos), p)
    run: list[Word] = []
    for w in ws:
        if not w.text[:1].isupper() or "'" in w.text or "’" in w.text:
            break
        run.append(w)
    if not run or len(run) >= len(ws) or not plausible(run, p):
        return None
    if len(run) == 1 and not regex.search(rf"\p{{L}}[ 	]+{regex.escape(run[0].text)}(?![\p{{L}}'’])", text):
        return None
    return run[0].start, run[-1].end


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


def _fold(text: str) -> str:
    """Case- and punctuation-blind form, to tell whether two spans name the same speaker."""
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def _headlines(text: str, p: Patterns, registry: SourceRegistry, cited: list[str]) -> Iterator[_Found]:
    """Headline attributions, "Hołownia: Kaczyński bawi się", "Former CIA director: Putin's threats...".

    A short phrase before a colon is as often a topic ("Coronavirus-Pandemie:", "Video:") as a
    speaker, so it counts only with evidence that it names one: it is a registry source, the
    document cites the same speaker elsewhere through another cue, or it is a capitalised
    name followed by a quotation mark.
    """
    for m in _HEADLINE.finditer(text):
        ws = words(text, m.start(1), m.end(1))
        if not ws or len(ws) > MAX_HEADLINE_WORDS or not plausible(ws, p) or p.byline_line.match(ws[0].text + ":"):
            continue
        span = (ws[0].start, ws[-1].end)
        name = _fold(text[span[0] : span[1]])
        elsewhere = len(name) >= MIN_SAME_SPEAKER and any(_same_speaker(name, c) for c in cited)
        quoted = text[m.end() : m.end() + 1] in OPEN_QUOTES and len(ws) >= 2 and all(w.text[:1].isupper() for w in ws)
        if elsewhere or quoted or registry.resolve(text[span[0] : span[1]]):
            yield _Found(*span, "quoted", m.group().strip(), "headline")


def _same_speaker(headline: str, cited: str) -> bool:
    """The headline's phrase is the speaker cited elsewhere, on word boundaries.

    It may open or close the cited span ("former cia director" david petraeus, the deputy
    chairman ... "dmitry medvedev") or add a first name to it (dmitry "medvedev"); a phrase
    that only starts with the cited name is a topic about them ("Семиларски против прокуратуры").
    """
    if len(cited) < MIN_SAME_SPEAKER:
        return False
    if headline == cited or headline.endswith(" " + cited):
        return True
    return cited.startswith(headline + " ") or cited.endswith(" " + headline)


def _is_agency(registry: SourceRegistry, name: str) -> bool:
    canonical = registry.resolve(name)
    source = registry.get(canonical) if canonical else None
    return source is not None and (source.type or "") in _OUTLET_TYPES


def _tweets(text: str) -> Iterator[_Found]:
    for m in _TWEET.finditer(text):
        yield _Found(m.start(1), m.end(1), "quoted", m.group().strip(), "tweet")


def _credits(text: str, registry: SourceRegistry) -> Iterator[_Found]:
    """Agency credits: "VATICAN CITY (Reuters) -", "(ANI)", "Baku, 17. Mai, AZERTAC", "RND/dpa/jp"."""
    for pattern in (_DATELINE, _SLASH_CREDIT):
        for m in pattern.finditer(text):
            parts = m.group(1).split("/")
            if any(_is_agency(registry, part) for part in parts):
                yield _Found(m.start(1), m.end(1), "republished_from", m.group().strip(), "credit")
    for m in _CREDIT.finditer(text):
        inner = m.group(1).strip()
        name = registry.resolve(inner)
        source = registry.get(name) if name else None
        dateline = _DATELINE_AFTER.match(text, m.end()) is not None and len(inner.split()) <= 3
        is_outlet = source is not None and (source.type or "") in _OUTLET_TYPES
        caps = inner.replace("-", "").replace(" ", "").isupper()
        if is_outlet or (dateline and (caps or source is not None)):
            yield _Found(m.start(1), m.start(1) + len(m.group(1).rstrip()), "republished_from", m.group().strip(), "credit")
