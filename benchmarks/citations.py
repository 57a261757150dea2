"""Citation extraction against hand-labelled attributions in real articles.

Usage: python benchmarks/citations.py [--errors]

Issue 5 asks whether narratrace finds who an article cites, and whether it
flags anonymous sourcing, across languages. `benchmarks/data/citations.jsonl`
points at real texts in `../shared/data` (file + record) and lists, in reading
order, every attribution a reader would mark (see `benchmarks/data/README.md`
for the labelling rules). This script runs `extract_citations` on each text and
prints precision and recall for named and for anonymous sources, per language
and overall. A prediction matches a label of the same class when one string
contains the other (case, accents and punctuation ignored) or both resolve to
the same registry entry; each label and prediction is used at most once (a maximum
matching, not first-fit).
`--errors` lists the misses and false positives, to tune the cue lexicon.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import regex

from narratrace.provenance.citations import Citation, extract_citations
from narratrace.provenance.registry import SourceRegistry

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
LABELS = ROOT / "benchmarks" / "data" / "citations.jsonl"
TARGETS = {"precision": 0.95, "recall": 0.90}
MIN_CONTAINED = 3
_PUNCT = regex.compile(r"[^\p{L}\p{N}]+")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_PUNCT.sub(" ", text).split())


class Texts:
    """The labelled texts, read in place from the shared data folder."""

    def __init__(self) -> None:
        self._csv: dict[str, dict[str, dict[str, str]]] = {}
        self._jsonl: dict[str, dict[str, dict]] = {}

    def get(self, file: str, record: str | None) -> str:
        path = SHARED / file
        if record is None:
            return path.read_text(encoding="utf-8")
        if file.startswith("semeval2022"):
            pair, side = record.rsplit(":", 1)
            return self._rows(path, "pair_id")[pair][f"text_{side}"]
        if file.startswith("semeval2025"):
            return self._rows(path, "id")[record]["text"]
        docid, side = record.rsplit(":", 1)
        return "\n".join(self._docs(path)[docid][f"{side}_segments"])

    def _rows(self, path: Path, key: str) -> dict[str, dict[str, str]]:
        if str(path) not in self._csv:
            csv.field_size_limit(1 << 30)
            with path.open(encoding="utf-8", newline="") as f:
                rows: dict[str, dict[str, str]] = {}
                for row in csv.DictReader(f):
                    rows.setdefault(row[key], row)
            self._csv[str(path)] = rows
        return self._csv[str(path)]

    def _docs(self, path: Path) -> dict[str, dict]:
        if str(path) not in self._jsonl:
            with path.open(encoding="utf-8") as f:
                self._jsonl[str(path)] = {d["docid"]: d for d in map(json.loads, f)}
        return self._jsonl[str(path)]


@dataclass
class Tally:
    matched_gold: int = 0
    gold: int = 0
    matched_pred: int = 0
    pred: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    def precision(self) -> float:
        return self.matched_pred / self.pred if self.pred else 1.0

    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0


def compatible(gold: str, predicted: Citation, registry: SourceRegistry) -> bool:
    a, b = fold(gold), fold(predicted.source)
    short, long_ = sorted((a, b), key=len)
    if short == long_ or (len(short) >= MIN_CONTAINED and short in long_):
        return True
    canonical = registry.resolve(gold)
    return canonical is not None and canonical == predicted.canonical


def match(golds: list[str], preds: list[Citation], registry: SourceRegistry) -> dict[int, int]:
    """A maximum one-to-one matching of labels to predictions (prediction index -> label index).

    First-fit in reading order lets an early label ("Former CIA director") take the
    prediction a later, more specific label needed ("former CIA director David
    Petraeus"), scoring a miss that is an artefact of the order; augmenting paths
    find the largest matching instead.
    """
    edges = [[j for j, p in enumerate(preds) if compatible(g, p, registry)] for g in golds]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(golds)):
        augment(i, set())
    return owner


def score(golds: list[str], preds: list[Citation], registry: SourceRegistry, tally: Tally, where: str) -> None:
    owner = match(golds, preds, registry)
    used = set(owner)
    matched_golds = set(owner.values())
    tally.misses += [f"{where}: {g}" for i, g in enumerate(golds) if i not in matched_golds]
    tally.gold += len(golds)
    tally.matched_gold += len(used)
    tally.pred += len(preds)
    tally.matched_pred += len(used)
    tally.false_positives += [f"{where}: {p.source} [{p.phrase}]" for i, p in enumerate(preds) if i not in used]


def run(show_errors: bool) -> int:
    if not SHARED.is_dir():
        print(f"shared data not found at {SHARED}; nothing to measure", file=sys.stderr)
        return 1
    registry = SourceRegistry.load()
    texts = Texts()
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = texts.get(row["file"], row["record"])
        predicted = extract_citations(text, row["language"], registry)
        where = f"{row['file']}#{row['record']}"
        for anonymous, cls in ((False, "named"), (True, "anonymous")):
            golds = [a["source"] for a in row["attributions"] if a["anonymous"] is anonymous]
            preds = [c for c in predicted if c.anonymous is anonymous]
            for lang in (row["language"], "all"):
                score(golds, preds, registry, tallies[(lang, cls)], where)
    _print(tallies)
    if show_errors:
        for (lang, cls), t in sorted(tallies.items()):
            if lang == "all":
                continue
            for m in t.misses:
                print(f"MISS {lang} {cls}  {m}")
            for fp in t.false_positives:
                print(f"FP   {lang} {cls}  {fp}")
    return 0


def _print(tallies: dict[tuple[str, str], Tally]) -> None:
    languages = sorted({lang for lang, _ in tallies} - {"all"}) + ["all"]
    print(f"{'lang':<5} {'class':<10} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6}")
    for lang in languages:
        for cls in ("named", "anonymous"):
            t = tallies[(lang, cls)]
            print(f"{lang:<5} {cls:<10} {t.gold:>5} {t.pred:>5} {t.precision():>6.3f} {t.recall():>6.3f}")
    print(f"targets: P >= {TARGETS['precision']}, R >= {TARGETS['recall']} for each class overall")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list misses and false positives")
    return run(parser.parse_args().errors)


if __name__ == "__main__":
    sys.exit(main())
