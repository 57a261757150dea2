"""Provenance: who a document cites, how, and whether anonymously; and the registry of sources."""

from narratrace.provenance.citations import KINDS, Citation, extract_citations
from narratrace.provenance.hyperlinks import hyperlink_citations
from narratrace.provenance.registry import Source, SourceRegistry

__all__ = ["KINDS", "Citation", "Source", "SourceRegistry", "extract_citations", "hyperlink_citations"]
