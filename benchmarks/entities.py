"""Cross-lingual entity agreement on the segment-aligned WMT21 translations.

Usage: python benchmarks/entities.py [--errors N] [--learned]

Issue 5 asks that an entity named on one side of a translation be found, under
the same canonical id, on the other side. Each document is read whole, one
segment a line, as the pipeline would read it; then, for each aligned segment
pair of `../shared/data/wmt21-parallel/*.jsonl` (src_segments[i] <->
ref_segments[i]), every distinct canonical id found on either side counts once
for that side; it agrees when the other side's segment has the same id. Entities come from
`extract_entities`, so gazetteer entities and capitalised spans outside the
gazetteer (keyed by transliteration) are both counted, false positives included:
a German common noun taken for a name, with no counterpart in French, counts
against the score.

`--learned` adds the aliases `propose_aliases` learns from the *other* documents
of the same language pair (two folds by document), to show what linked
translations teach without scoring a document on aliases learned from itself.
`--errors N` prints N disagreements per language pair, to tune the lexicon.
"""

from __future__ import annotations

import argparse
import json
import sys
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from narratrace.provenance.aliases import AlignedPair, apply_aliases, propose_aliases
from narratrace.provenance.entities import Entity, extract_entities
from narratrace.provenance.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[1]
WMT = ROOT.parent / "shared" / "data" / "wmt21-parallel"
TARGET = 0.90
FOLDS = 2


@dataclass
class Tally:
    """Entities considered and agreeing, split by whether the gazetteer resolved them."""

    considered: Counter[str] = field(default_factory=Counter)
    agreed: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, mine: list[Entity], theirs: list[Entity], segment: str) -> None:
        other = {e.canonical_id for e in theirs}
        for entity in {e.canonical_id: e for e in mine}.values():
            kind = "gazetteer" if entity.known else "capitalised"
            self.considered[kind] += 1
            if entity.canonical_id in other:
                self.agreed[kind] += 1
            else:
                self.misses.append((entity.name, entity.canonical_id, segment))

    def rate(self, kind: str | None = None) -> float:
        considered = sum(self.considered.values()) if kind is None else self.considered[kind]
        agreed = sum(self.agreed.values()) if kind is None else self.agreed[kind]
        return agreed / considered if considered else 0.0

    def merge(self, other: Tally) -> None:
        self.considered.update(other.considered)
        self.agreed.update(other.agreed)


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def score_pair(docs: list[dict], gazetteer: Gazetteer, learned: bool) -> tuple[Tally, int]:
    """Agreement over every aligned segment of one language pair's documents, and how many aliases were learned."""
    tally = Tally()
    learned_count = 0
    pairs = {d["docid"]: _aligned(d) for d in docs}
    folds = {fold: gazetteer for fold in range(FOLDS)}
    if learned:
        for fold in range(FOLDS):
            folds[fold] = Gazetteer(gazetteer)
            others = [p for i, d in enumerate(docs) if i % FOLDS != fold for p in pairs[d["docid"]]]
            proposals = propose_aliases(others, docs[0]["src_lang"], docs[0]["tgt_lang"], gazetteer)
            learned_count += apply_aliases(folds[fold], proposals)
    for index, doc in enumerate(docs):
        gaz = folds[index % FOLDS]
        sources = per_segment(doc["src_segments"], doc["src_lang"], gaz)
        targets = per_segment(doc["ref_segments"], doc["tgt_lang"], gaz)
        for pair, src, tgt in zip(pairs[doc["docid"]], sources, targets, strict=True):
            tally.add(src, tgt, pair.source)
            tally.add(tgt, src, pair.target)
    return tally, learned_count


def per_segment(segments: list[str], language: str, gazetteer: Gazetteer) -> list[list[Entity]]:
    """Entities of the whole document (one segment a line, as the pipeline sees it), handed back per segment."""
    text = "\n".join(segments)
    ends = list(accumulate(len(s) + 1 for s in segments))
    found: list[list[Entity]] = [[] for _ in segments]
    for entity in extract_entities(text, language, gazetteer):
        found[bisect_right(ends, entity.start)].append(entity)
    return found


def _aligned(doc: dict) -> list[AlignedPair]:
    return [AlignedPair(s, t) for s, t in zip(doc["src_segments"], doc["ref_segments"], strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="disagreements to print per language pair")
    parser.add_argument("--learned", action="store_true", help="add aliases learned from the other documents")
    args = parser.parse_args()
    if not WMT.is_dir():
        print(f"{WMT} absent: the shared benchmark data lives beside the checkout", file=sys.stderr)
        return 1
    gazetteer = Gazetteer.load()
    total = Tally()
    print(f"{'pair':8} {'segments':>8} {'entities':>8} {'agreed':>7} {'rate':>6} {'gazetteer':>14} {'capitalised':>14}"
          + (f" {'learned':>7}" if args.learned else ""))
    for path in sorted(WMT.glob("*.jsonl")):
        docs = load(path)
        tally, learned = score_pair(docs, gazetteer, args.learned)
        total.merge(tally)
        name = f"{docs[0]['src_lang']}-{docs[0]['tgt_lang']}"
        print(_row(name, sum(len(d["src_segments"]) for d in docs), tally)
              + (f" {learned:>7}" if args.learned else ""))
        for entity, canonical, segment in tally.misses[: args.errors]:
            print(f"    {entity!r} {canonical} | {segment[:110]}")
    print(_row("overall", None, total))
    print(f"target >= {TARGET:.2f}: {'met' if total.rate() >= TARGET else 'not met'}")
    return 0


def _row(name: str, segments: int | None, tally: Tally) -> str:
    parts = [f"{kind[:3]} {tally.rate(kind):.3f}/{tally.considered[kind]:<5}" for kind in ("gazetteer", "capitalised")]
    seg = "" if segments is None else str(segments)
    return (f"{name:8} {seg:>8} {sum(tally.considered.values()):>8} {sum(tally.agreed.values()):>7} "
            f"{tally.rate():>6.3f} {parts[0]:>14} {parts[1]:>14}")


if __name__ == "__main__":
    sys.exit(main())
