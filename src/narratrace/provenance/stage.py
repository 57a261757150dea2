"""The pipeline stage that finds each document's citations."""

from __future__ import annotations

from narratrace.model import Document
from narratrace.provenance.citations import extract_citations
from narratrace.provenance.registry import SourceRegistry


class CitationStage:
    """Extracts attributions in the document's language, resolved against the registry.

    The registry is the packaged one plus the files imported into the store
    (`narratrace sources import`), handed over by whoever opens the store.
    """

    def __init__(self, registry: SourceRegistry | None = None) -> None:
        self.registry = registry

    def __call__(self, docs: list[Document]) -> list[Document]:
        if self.registry is None:
            self.registry = SourceRegistry.load()
        for doc in docs:
            doc.citations = extract_citations(doc.text, doc.language, self.registry)
        return docs


def registry_with(files: list[tuple[str, bool, str]]) -> SourceRegistry:
    """The packaged registry extended by imported files, in import order."""
    registry = SourceRegistry.load()
    for _, csv_format, content in files:
        registry.import_text(content, csv_format=csv_format)
    return registry
