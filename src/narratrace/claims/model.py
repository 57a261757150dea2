"""The claim record: one check-worthy sentence of one document."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


def claim_id(document: str, start: int, end: int) -> str:
    """A claim is its span in its document: the same text ingested again gets the same id."""
    return hashlib.sha256(f"{document}:{start}:{end}".encode()).hexdigest()[:16]


@dataclass(slots=True)
class Claim:
    """A check-worthy sentence. `start`/`end` are character offsets into the document text.

    `evidence` holds each feature's contribution to the score (so the UI can say
    "3 numbers, 2 names, attributed" rather than show a bare number), and once
    grouped, how the claim joined its group.
    """

    document: str
    text: str
    score: float
    start: int
    end: int
    language: str | None = None
    group: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = claim_id(self.document, self.start, self.end)

    def record(self) -> dict[str, Any]:
        """The export shape of `claims` in CLI.md."""
        return {
            "id": self.id,
            "document": self.document,
            "text": self.text,
            "score": self.score,
            "start": self.start,
            "end": self.end,
            "group": self.group,
        }

    def to_dict(self) -> dict[str, Any]:
        return self.record() | {"language": self.language, "evidence": self.evidence}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        return cls(
            document=data["document"],
            text=data["text"],
            score=data["score"],
            start=data["start"],
            end=data["end"],
            language=data.get("language"),
            group=data.get("group"),
            evidence=dict(data.get("evidence") or {}),
            id=data["id"],
        )
