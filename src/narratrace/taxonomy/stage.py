"""The pipeline stage that labels documents with a taxonomy, and narrative-level labels.

Labels go to `doc.meta["labels"]` as export records (CLI.md `labels`), so they travel
with the document through any store as they are. A narrative (a cluster of
documents) carries the labels a fair share of its documents carry: a narrative
mutates as it travels, and a label on one document in five is part of its story.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from narratrace.model import Document
from narratrace.taxonomy.classifier import TaxonomyClassifier
from narratrace.taxonomy.model import NONE_LABEL, Label

META_KEY = "labels"
# A narrative carries a label when at least this share of its labelled documents do.
NARRATIVE_SHARE = 0.2


class TaxonomyStage:
    """Labels each document with a fitted classifier (one per imported taxonomy)."""

    def __init__(self, classifiers: Sequence[TaxonomyClassifier]) -> None:
        self.classifiers = list(classifiers)

    def __call__(self, docs: list[Document]) -> list[Document]:
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for classifier in self.classifiers:
            for doc, labels in zip(docs, classifier.predict(docs), strict=True):
                found[doc.id].extend(label.record() for label in labels)
        for doc in docs:
            doc.meta[META_KEY] = found[doc.id]
        return docs


def labels_of(doc: Document) -> list[Label]:
    return [Label(**record) for record in doc.meta.get(META_KEY, [])]


def narrative_labels(narrative: str, labels: Sequence[Label], share: float = NARRATIVE_SHARE) -> list[Label]:
    """Labels of a narrative from its documents' labels: those on at least `share` of the labelled
    documents, scored by that share, the evidence naming the documents. "Other" only when the
    narrative carries no narrative of the taxonomy."""
    documents = {label.document for label in labels}
    carriers: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for label in labels:
        carriers[(label.taxonomy, label.label, label.level)].add(label.document)
    found = [
        Label(narrative, taxonomy, name, level, round(len(docs) / len(documents), 3),
              [{"document": d} for d in sorted(docs)])
        for (taxonomy, name, level), docs in sorted(carriers.items())
        if len(docs) >= share * len(documents)
    ]
    named = [label for label in found if label.label != NONE_LABEL]
    return named or found
