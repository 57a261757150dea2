"""The REST API, one router per resource.

A resource that a later stage brings (stories, narratives, citations, claims...)
adds its module here with the store methods it reads; the app serves it only when
the store offers them, so no route ever answers with invented or empty stand-ins.
"""

from __future__ import annotations

from narratrace.web.api import claims, clusters, documents, ingest, links, search
from narratrace.web.resource import Resource

RESOURCES: list[Resource] = [
    Resource(documents.router, ("documents", "get", "links")),
    Resource(search.router, ("document_vectors", "keyword_search")),
    Resource(links.router, ("links",)),
    Resource(clusters.router, ("clusters", "resolve_cluster", "get", "links")),
    Resource(ingest.router, ("add_documents",)),
    Resource(claims.router, ("documents", "get", "clusters", "resolve_cluster", "cluster_state", "matches")),
    Resource(claims.writes, ("review_match", "matches")),
]
