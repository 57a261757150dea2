"""A narrative taxonomy and the labels it gives documents.

A taxonomy has two levels, as published taxonomies do (SemEval-2025 Task 10):
coarse narratives ("URW: Discrediting Ukraine") and fine sub-narratives under
them ("URW: Discrediting Ukraine: Ukraine is associated with nazism"). Labels
are the taxonomy's own strings, so an analyst reads them as published. Each
label may carry descriptions and example sentences: they are what a document
sentence is compared with, and what the evidence shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVELS = ("coarse", "fine")
# The label of a document that carries none of the taxonomy's narratives.
NONE_LABEL = "Other"
SEPARATOR = ": "


def covers(label: str, other: str) -> bool:
    """Whether `other` is `label` or one of its sub-narratives."""
    return other == label or other.startswith(label + SEPARATOR)


@dataclass(slots=True)
class Taxonomy:
    """Coarse labels, fine labels with their coarse parent, and descriptions per label."""

    name: str
    coarse: list[str]
    fine: list[str]
    parent: dict[str, str]
    descriptions: dict[str, list[str]] = field(default_factory=dict)

    def children(self, coarse: str) -> list[str]:
        return [f for f in self.fine if self.parent.get(f) == coarse]

    def descriptions_of(self, label: str) -> list[str]:
        """Descriptions of a label and of its sub-narratives: a coarse narrative is described by its children's."""
        return [text for name, texts in self.descriptions.items() if covers(label, name) for text in texts]

    def other_of(self, coarse: str) -> str:
        """The fine label of a coarse narrative whose sub-narrative is none of the listed ones."""
        return NONE_LABEL if coarse == NONE_LABEL else f"{coarse}{SEPARATOR}{NONE_LABEL}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "coarse": list(self.coarse),
            "fine": list(self.fine),
            "parent": dict(self.parent),
            "descriptions": {k: list(v) for k, v in self.descriptions.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Taxonomy:
        return cls(data["name"], list(data["coarse"]), list(data["fine"]), dict(data["parent"]),
                   {k: list(v) for k, v in data.get("descriptions", {}).items()})


@dataclass(slots=True)
class Label:
    """One narrative of one document, with the sentences that carry it."""

    document: str
    taxonomy: str
    label: str
    level: str
    score: float
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"unknown label level {self.level!r}")

    def record(self) -> dict[str, Any]:
        """The export shape of `labels` in CLI.md."""
        return {
            "document": self.document,
            "taxonomy": self.taxonomy,
            "label": self.label,
            "level": self.level,
            "score": self.score,
            "evidence": self.evidence,
        }


@dataclass(slots=True)
class LabelledArticle:
    """A training article of the taxonomy's own data: its text and gold labels at both levels."""

    id: str
    text: str
    coarse: list[str]
    fine: list[str]
    language: str | None = None
