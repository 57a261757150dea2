"""Documents of the seeds and of the demo corpus after the project's own pipeline stages, and claim stages over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from narratrace.claims import Claim, ClaimGrouper, ClaimStage, extract_claims
from narratrace.claims.vectors import ClaimVectors, claim_vectors
from narratrace.ingest import read_inputs
from narratrace.model import Document
from narratrace.pipeline import build_stages
from narratrace.settings import Settings

DEMO = Path(__file__).resolve().parents[2] / "demo" / "corpus"


def enriched(path: Path) -> list[Document]:
    docs = [d for d in read_inputs([str(path)]) if isinstance(d, Document)]
    for _, stage in build_stages(Settings()):
        docs = stage(docs)
    return docs


@pytest.fixture(scope="session")
def seed_docs(seeds: Path) -> dict[str, Document]:
    """The seeds by number ("000"), with their claims grouped."""
    docs = enriched(seeds)
    ClaimStage(ClaimGrouper())(docs)
    return {Path(d.origin).name[:3]: d for d in docs}


@pytest.fixture(scope="session")
def demo_claims() -> tuple[list[Document], list[Claim], dict[str, ClaimVectors]]:
    """The demo corpus, its claims and their vectors (encoded once: e5 is the slow part)."""
    docs = enriched(DEMO)
    claims = [c for d in docs for c in extract_claims(d)]
    return docs, claims, claim_vectors(docs, claims)


@pytest.fixture(scope="session")
def demo_grouped(demo_claims) -> tuple[list[Document], ClaimGrouper]:
    """The demo corpus with its claims grouped and stored on each document, as `ClaimStage` does."""
    docs, claims, vectors = demo_claims
    grouper = ClaimGrouper()
    grouper.add(claims, vectors)
    for doc in docs:
        doc.meta["claims"] = [c.to_dict() for c in claims if c.document == doc.id]
    return docs, grouper
