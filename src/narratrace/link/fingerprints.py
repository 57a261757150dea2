"""The fingerprint stage: what the linker needs from each document, computed once at ingest."""

from __future__ import annotations

from narratrace.link.anchors import anchors
from narratrace.link.minhash import signature
from narratrace.model import Document, Fingerprint


def fingerprint_of(doc: Document) -> Fingerprint:
    return Fingerprint(signature(doc.text), anchors(doc))


class FingerprintStage:
    def __call__(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            doc.fingerprint = fingerprint_of(doc)
        return docs
