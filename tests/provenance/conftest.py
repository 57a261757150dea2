from __future__ import annotations

import pytest

from narratrace.provenance import Citation, SourceRegistry, extract_citations


@pytest.fixture(scope="session")
def registry() -> SourceRegistry:
    return SourceRegistry.load()


@pytest.fixture(scope="session")
def cite(registry: SourceRegistry):
    def run(text: str, language: str | None) -> list[Citation]:
        return extract_citations(text, language, registry)
    return run
