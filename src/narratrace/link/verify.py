"""The decision: is a candidate pair a copy? Sentence alignment answers, not topic.

Both documents are compared in one encoder's space: USE when it covers both
languages, else e5. Ingest encodes only each document's lead, so a pair in two
languages is first judged on its leads; only a pair whose leads align (or that
shares strong anchor evidence) has the rest of both documents encoded, stored, and
aligned whole, so each sentence is still encoded once, and only where it decides.
Translations keep the order of their source, so they are aligned monotonically
(with 1-2 and 2-1 merges); same-language copies are often re-edited and
reordered, so their sentences are matched without order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import sparse

from narratrace.enrich.embeddings import Encoder, between, calibrate, e5_encoder, leading_rows, use_encoder
from narratrace.link.align import Alignment, align_monotonic, match_similarities
from narratrace.link.anchors import anchors_of_text
from narratrace.link.direction import infer_direction
from narratrace.link.lexical import lexical_vectors, overlaps
from narratrace.link.recent import Recent
from narratrace.model import Document, Link, Vectors
from narratrace.store.base import VectorSource

# Documents whose sentence vectors a verifier keeps (least recently used dropped first):
# enough for the neighbourhood of a linking chunk, bounded whatever the corpus size.
CACHE = 2048
# Word vectors take ~5 kB a document (mean of 300 at 10k, largest 37 kB), so this bounds
# them near 170 MB; rebuilding them for documents that had left a cache of 2,048 took a
# quarter of linking at 10k documents (duplicate-heavy corpus).
WORDS_CACHE = 32768
# The lead encoded for a first look at a pair when a document has nothing in that space yet.
LEAD_CHARS = 1200


@dataclass(slots=True)
class LinkThresholds:
    # The qualities quoted below for e5 pairs (Icelandic) were measured with `CENTRED_E5` at (0.1,
    # 0.6); at (0.0, 0.5) the same sentences score about 0.2 higher and more of them align (see
    # `CENTRED_E5`, and benchmarks/README.md for what that changed).
    # Measured on WMT21 de-fr with USE (calibrated): 99.2% of true segment pairs score
    # >= 0.5, against 5.4% of non-pairs in the same document and 0.055% across documents.
    sentence: float = 0.5
    # Character-weighted mean similarity of the aligned sentences: >= 0.80 on every whole
    # USE-compared translation of WMT21 de-fr, >= 0.73 on embedded excerpts.
    quality: float = 0.70
    # Aligned blocks in a row (at most one sentence skipped between them). Copies carry
    # their source's order: whole WMT21 translations run through the document, while
    # articles on one story by different outlets (SemEval-2022 de-en pairs rated "very
    # similar") never ran past 2 and same-event Russian articles of WMT21 reached 3 (at
    # quality 0.74-0.78). So a run of 4 decides at `quality` ...
    run: int = 4
    # ... and a chain of 6 even at a lower quality: e5, the only encoder for languages
    # such as Icelandic, scores their true translations lower than USE scores others.
    long_run: int = 6
    long_run_quality: float = 0.55
    # Near-verbatim alignment decides with a run of 3, or with 3 blocks covering most of
    # one side (a half copy keeps a random half of its source, which breaks runs; a light
    # edit drops and swaps sentences). Across languages two of them at least must follow
    # each other: three scattered sentences of a short Xinhua brief matched a longer Russian
    # article on the same news at quality 0.89 (WMT21), the only false translation among
    # whole translations; within one language, shared wording needs no order.
    strong_quality: float = 0.85
    strong_coverage: float = 0.75
    # `run` aligned blocks decide at `quality` even when skipped sentences break their run,
    # if they cover most of both sides: e5 breaks the runs of some whole Icelandic
    # translations (WMT21: 5 blocks, longest run 3, quality 0.76, coverage 0.62 and 0.77),
    # while a Xinhua brief and half a BBC article on its event aligned 3 blocks over 0.69
    # and 0.74 of them (quality 0.73).
    both_coverage: float = 0.6
    # A half copy keeps a random half of its source, so skips on the source's side break its
    # runs. Its sentences still each find their own translation first: this many aligned
    # blocks, every one mutually best (see `Alignment.mutual`), over most of one side,
    # decide at `long_run_quality`. 8 of 23 WMT21 half copies missed by the rules above had
    # 5-15 such blocks; of 27,784 pairs of different WMT21 articles in two languages one had
    # 5 (two TED talks of 100+ sentences, under 0.05 of either) and none more; the 69
    # SemEval-2022 de-en pairs (rated from one story to unrelated) at most 3.
    mutual_blocks: int = 5
    mutual_coverage: float = 0.6
    # ... and a run of this many blocks in a row, all mutually best, decides at the same
    # quality whatever it covers (an excerpt): e5 breaks some Icelandic excerpts' runs below
    # `run` at `quality`, but their blocks stay mutually best (WMT21: runs of 4-5 at quality
    # 0.60-0.68), while no pair of different WMT21 articles ran past 3 such blocks.
    mutual_run: int = 4
    # A document too short for any run is a copy only when nearly all of both sides align.
    short_coverage: float = 0.9
    # Fewer mutually best blocks decide with more of the rest: this many at `quality` over
    # `mutual_coverage`, or at `long_run_quality` over `short_coverage` (a short half copy wholly
    # aligned: WMT21 Icelandic half copies of 4-6 sentences, quality 0.65-0.82) ...
    mutual_few_blocks: int = 4
    # ... and two in a row at `strong_quality` over `short_coverage` (two- and three-sentence half
    # copies compared by USE: quality 0.88-1.0). Among ~18,000 pairs of different same-day WMT21
    # articles in two languages (whole and half-copy scenarios of `benchmarks/copies.py`) and the 69
    # SemEval-2022 de-en pairs, none did any of these; the closest was a BBC half copy against a Vesti
    # article on the same news (4 blocks over 0.75 at quality 0.61), and 3 blocks over 0.6 reached 0.75.
    mutual_short_run: int = 2
    # Word overlap (Ochiai) from which two same-language sentences count as one
    # reused sentence: a one-word edit of a 20-word sentence keeps ~0.9.
    overlap: float = 0.6
    # The verifier encodes at most this many sentences of a document to verify a pair.
    max_sentences: int = 400
    # Documents are encoded beyond their lead only for pairs whose leads already align
    # (this many aligned blocks at this quality), or that share this much anchor
    # evidence (an excerpt embedded deep in another article leaves the leads unaligned).
    lead_blocks: int = 2
    lead_quality: float = 0.6
    lead_bypass_anchors: float = 0.3
    # USE reads a sentence in ~4 ms against e5's ~45, so a pair both in its space needs less:
    # WMT21 excerpts in USE's languages past both leads shared 0.06-0.14 with their source.
    use_bypass_anchors: float = 0.05
    # ... or whose sentences share names or numbers in the same order this many times.
    anchor_chain: int = 3


class Verifier:
    """Reads the store, never writes it: vectors it encodes wait in `unsaved` until the
    caller stores them with the links they served (see `Store.add_links`)."""

    def __init__(self, store: VectorSource, thresholds: LinkThresholds | None = None, threads: int = 2) -> None:
        self.store = store
        self.thresholds = thresholds or LinkThresholds()
        self.threads = threads
        self._vectors: Recent[tuple[str, str], Vectors] = Recent(CACHE)
        self._unsaved: dict[tuple[str, str], Vectors] = {}
        self._lexical: Recent[str, sparse.csr_matrix] = Recent(WORDS_CACHE)
        self._anchors: Recent[str, list[frozenset[str]]] = Recent(CACHE)
        self._overlaps: dict[tuple[str, str], np.ndarray] = {}

    def align(self, a: Document, b: Document, complete: bool = True) -> tuple[Alignment, str]:
        """The two documents' sentences aligned, whatever the verdict, and what compared them.

        With `complete=False` only the sentences encoded so far (the leads) are aligned.
        """
        rows_a, rows_b = list(range(len(a.sentences))), list(range(len(b.sentences)))
        if a.language == b.language:
            alignment = match_similarities(
                self._overlap_matrix(a, b), _lengths(a, rows_a), _lengths(b, rows_b), self.thresholds.overlap)
            return _in_document_rows(alignment, rows_a, rows_b), "word overlap"
        encoder = self._space(a, b)
        va, vb = self._vectors_in(encoder, a, complete), self._vectors_in(encoder, b, complete)
        ma, mb, levels = va.matrix, vb.matrix, None
        if encoder.name == e5_encoder(self.threads).name and min(len(ma), len(mb)) >= CENTRE_MIN_ROWS:
            ma, mb = centred(ma), centred(mb)
            levels = CENTRED_E5
        alignment = align_monotonic(
            ma, mb, _lengths(a, va.rows), _lengths(b, vb.rows),
            (lambda c: calibrate(encoder, c)) if levels is None else (lambda c: between(c, *levels)),
            self.thresholds.sentence)
        return _in_document_rows(alignment, va.rows, vb.rows), encoder.name

    def verify(self, a: Document, b: Document, reasons: list[str], anchor_score: float = 0.0) -> Link | None:
        if not a.sentences or not b.sentences:
            return None
        same = a.language == b.language
        shortest = min(len(a.sentences), len(b.sentences))
        if same and not _may_accept(self._overlap_matrix(a, b), self.thresholds.overlap, shortest):
            return None
        if not same and not self._worth_encoding(a, b, anchor_score):
            return None
        alignment, compared_by = self.align(a, b)
        if not self._accepts(alignment, shortest, translated=not same):
            return None
        direction, clues = infer_direction(a, b, alignment.coverage_a, alignment.coverage_b)
        return Link(
            a=a.id, b=b.id, kind="duplicate" if same else "translation",
            score=round(float(alignment.quality * max(alignment.coverage_a, alignment.coverage_b)), 4),
            coverage_a=round(alignment.coverage_a, 4), coverage_b=round(alignment.coverage_b, 4),
            direction=direction, evidence=self._evidence(alignment, compared_by, reasons, clues),
        )

    def prefetch_overlaps(self, doc: Document, others: list[Document]) -> None:
        """Word overlaps of a document with each of its same-language candidates, from one
        sparse product: per pair, scipy's call overhead cost more than the product itself
        (a third of same-language verification, profiled at 3k documents)."""
        self._overlaps.clear()
        same = [o for o in others if o.language == doc.language and o.sentences and o.id != doc.id]
        if not doc.sentences or len(same) < 2:
            return
        blocks = [self._words(o) for o in same]
        products = overlaps(sparse.vstack(blocks, format="csr"), self._words(doc))
        lo = 0
        for other, block in zip(same, blocks):
            self._overlaps[other.id, doc.id] = products[lo : lo + block.shape[0]]
            lo += block.shape[0]

    def _overlap_matrix(self, a: Document, b: Document) -> np.ndarray:
        if (a.id, b.id) not in self._overlaps:
            self._overlaps[a.id, b.id] = overlaps(self._words(a), self._words(b))
        return self._overlaps[a.id, b.id]

    def _worth_encoding(self, a: Document, b: Document, anchor_score: float) -> bool:
        """Whether a pair in two languages deserves its documents encoded beyond their leads:
        the leads align, or the anchor evidence is strong, or names and numbers recur in
        the same order in both (a translated excerpt deep inside another article)."""
        t = self.thresholds
        bypass = t.use_bypass_anchors if self._space(a, b) is use_encoder(self.threads) else t.lead_bypass_anchors
        if anchor_score >= bypass:
            return True
        # Anchors cost no encoder, while the leads may not be encoded in the pair's space yet.
        if anchor_chain(self._sentence_anchors(a), self._sentence_anchors(b)) >= t.anchor_chain:
            return True
        lead, _ = self.align(a, b, complete=False)
        if len(lead.pairs) > t.lead_blocks:
            # Three aligned lead blocks are evidence at any quality: the verdict is still the full alignment's.
            return True
        return len(lead.pairs) >= min(t.lead_blocks, len(a.sentences), len(b.sentences)) and lead.quality >= t.lead_quality

    def _sentence_anchors(self, doc: Document) -> list[frozenset[str]]:
        found = self._anchors.get(doc.id)
        if found is None:
            found = self._anchors.put(doc.id, [anchors_of_text(text) for text in doc.sentence_texts()])
        return found

    def _accepts(self, alignment: Alignment, shortest: int, translated: bool) -> bool:
        t, q, run = self.thresholds, alignment.quality, alignment.longest_run
        widest = max(alignment.coverage_a, alignment.coverage_b)
        if (run >= t.long_run and q >= t.long_run_quality) or (run >= t.run and q >= t.quality):
            return True
        if len(alignment.pairs) >= t.run and q >= t.quality and min(
                alignment.coverage_a, alignment.coverage_b) >= t.both_coverage:
            return True
        if self._mutually_best(alignment, q, widest):
            return True
        follows = run >= 2 or not translated
        if q >= t.strong_quality and (run >= 3 or (len(alignment.pairs) >= 3 and follows and widest >= t.strong_coverage)):
            return True
        return shortest < 3 and q >= t.strong_quality and min(alignment.coverage_a, alignment.coverage_b) >= t.short_coverage

    def _mutually_best(self, alignment: Alignment, q: float, widest: float) -> bool:
        """The rules on blocks that are each the other's best match: fewer such blocks decide with
        more of a side covered or a higher quality."""
        t = self.thresholds
        if q >= t.long_run_quality and alignment.mutual_run >= t.mutual_run:
            return True
        if alignment.mutual != len(alignment.pairs):
            return False
        tiers = ((t.mutual_blocks, t.mutual_coverage, t.long_run_quality),
                 (t.mutual_few_blocks, t.mutual_coverage, t.quality),
                 (t.mutual_few_blocks, t.short_coverage, t.long_run_quality))
        if any(alignment.mutual >= blocks and widest >= cover and q >= least for blocks, cover, least in tiers):
            return True
        return alignment.longest_run >= t.mutual_short_run and widest >= t.short_coverage and q >= t.strong_quality

    def _words(self, doc: Document) -> sparse.csr_matrix:
        """Each document's word vectors are built once per run, however many pairs it is in."""
        found = self._lexical.get(doc.id)
        if found is None:
            found = self._lexical.put(doc.id, lexical_vectors(doc.sentence_texts()))
        return found

    def _space(self, a: Document, b: Document) -> Encoder:
        fast = use_encoder(self.threads)
        return fast if fast.covers(a.language) and fast.covers(b.language) else e5_encoder(self.threads)

    def _vectors_in(self, encoder: Encoder, doc: Document, complete: bool = True) -> Vectors:
        """The document's vectors in this space, encoding the sentences it lacks: all of
        them, or with `complete=False` its lead: the stored one, or LEAD_CHARS of it, and
        at least CENTRE_MIN_ROWS sentences."""
        key = (encoder.name, doc.id)
        if (cached := self._vectors.get(key)) is not None:
            return cached
        stored = self._unsaved.get(key) or self.store.vectors_of(doc.id).get(encoder.name)
        wanted = list(range(min(len(doc.sentences), self.thresholds.max_sentences)))
        if not complete:
            # A lead of fewer sentences than centring needs is compared on fixed levels,
            # which miss e5's weaker translations: extend it (the ingest's e5 leads are short).
            lead = leading_rows(doc, LEAD_CHARS) if stored is None else stored.rows
            wanted = sorted(set(lead) | set(range(min(CENTRE_MIN_ROWS, len(doc.sentences)))))
            if stored is not None and set(wanted) <= set(stored.rows):
                return stored
        if stored is None or not set(wanted) <= set(stored.rows):
            stored = self._complete(encoder, doc, stored, wanted)
        if complete:
            self._vectors.put(key, stored)
        return stored

    def _complete(self, encoder: Encoder, doc: Document, stored: Vectors | None, wanted: list[int]) -> Vectors:
        have = dict(zip(stored.rows, stored.matrix)) if stored is not None else {}
        missing = [i for i in wanted if i not in have]
        fresh = encoder.passages([doc.sentence_text(doc.sentences[i]) for i in missing]) if missing else []
        have.update(zip(missing, np.asarray(fresh, dtype=np.float16)))
        rows = sorted(have)
        vectors = Vectors(encoder.name, np.stack([have[i] for i in rows]).astype(np.float16), rows)
        self._unsaved[(encoder.name, doc.id)] = vectors
        return vectors

    def take_unsaved(self) -> list[tuple[str, Vectors]]:
        """(document id, vectors) encoded since the last call, in encoding order; forgotten here."""
        out = [(doc_id, vectors) for (_, doc_id), vectors in self._unsaved.items()]
        self._unsaved.clear()
        return out

    def _evidence(self, alignment: Alignment, compared_by: str, reasons: list[str], clues: list[str]) -> dict[str, Any]:
        return {
            "pairs": [{"a": p.a, "b": p.b, "similarity": round(p.similarity, 3), "mutual": p.mutual}
                      for p in alignment.pairs],
            "unaligned_a": alignment.unaligned_a,
            "unaligned_b": alignment.unaligned_b,
            "quality": round(alignment.quality, 4),
            "longest_run": alignment.longest_run,
            "mutual_best": alignment.mutual,
            "direction": clues,
            "candidate": reasons,
            "model": compared_by,
            "thresholds": asdict(self.thresholds),
        }


# e5's cosines crowd near 0.8 whatever two sentences say, and two articles on one topic
# share most of that: on WMT21 is-en (Icelandic has e5 only) true translations' segments
# scored 0.82-0.90, their other segments 0.78, so fixed levels found 27 of 47 whole
# translations. Less each document's mean sentence vector, what is left is what a
# sentence says beyond its document: translated segments then score a median 0.51 (10th
# percentile 0.34, and 0.30 in half copies of 4 segments), the other segments of the same
# pair -0.02, the best match of a sentence in another article of the same day 0.13 (99th
# percentile 0.29). The levels are those medians, as `calibrate` places USE's and e5's own:
# at (0.1, 0.6), a 0.35 cut left a quarter of short half copies' sentences unaligned and
# 142 of 166 WMT21 excerpts were accepted once compared; at (0.0, 0.5), 162 (`copies.py`),
# and no pair of different articles of one WMT21 file more.
CENTRED_E5 = (0.0, 0.5)
# A mean over fewer sentences is mostly those sentences: centring them leaves noise, so
# shorter documents keep the fixed levels.
CENTRE_MIN_ROWS = 4


def centred(matrix: np.ndarray) -> np.ndarray:
    """Unit rows less their mean, so a document's shared topic and the model's common direction drop out."""
    rows = np.asarray(matrix, dtype=np.float32)
    rows = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return rows - rows.mean(axis=0, keepdims=True)


def _lengths(doc: Document, rows: list[int]) -> list[int]:
    return [doc.sentences[i].end - doc.sentences[i].start for i in rows]


def _in_document_rows(alignment: Alignment, rows_a: list[int], rows_b: list[int]) -> Alignment:
    """Map positions in the encoded rows back to sentence indices of the documents."""
    for pair in alignment.pairs:
        pair.a = [rows_a[i] for i in pair.a]
        pair.b = [rows_b[i] for i in pair.b]
    alignment.unaligned_a = [rows_a[i] for i in alignment.unaligned_a]
    alignment.unaligned_b = [rows_b[i] for i in alignment.unaligned_b]
    return alignment


def _may_accept(sims: np.ndarray, threshold: float, shortest: int) -> bool:
    """Whether enough sentences overlap for any decision rule of `_accepts`: each needs three
    aligned pairs, or one for a document too short for runs. Most same-language candidates
    of a duplicate-heavy corpus fail this before any matching."""
    hits = sims >= threshold
    most = min(int(hits.any(axis=1).sum()), int(hits.any(axis=0).sum())) if hits.size else 0
    return most >= (1 if shortest < 3 else 3)


def anchor_chain(a: list[frozenset[str]], b: list[frozenset[str]], gap: int = 3) -> int:
    """The longest chain of sentence pairs sharing an anchor, in order on both sides, each
    within `gap` sentences of the previous one: a translated passage keeps its names and
    numbers in order, while two articles on one topic share them scattered."""
    shared = frozenset().union(*a) & frozenset().union(*b) if a and b else frozenset()
    if not shared:
        return 0
    chain: dict[tuple[int, int], int] = {}
    for i, x in enumerate(a):
        mine = x & shared
        if not mine:
            continue
        for j, y in enumerate(b):
            if mine & y:
                chain[i, j] = 1 + max((chain.get((i - di, j - dj), 0)
                                       for di in range(1, gap + 1) for dj in range(1, gap + 1)), default=0)
    return max(chain.values(), default=0)
