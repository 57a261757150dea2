"""The server-rendered UI, one router per page family; readable with JavaScript off.

Like the API, each page family is listed with the store methods it reads and is
served only when the store offers them.
"""

from __future__ import annotations

from narratrace.web.pages import clusters, documents, home, search
from narratrace.web.resource import Resource

RESOURCES: list[Resource] = [
    Resource(home.router, ("count", "stats", "documents")),
    Resource(documents.router, ("get", "links")),
    Resource(search.router, ("document_vectors", "keyword_search")),
    Resource(clusters.router, ("clusters", "resolve_cluster", "get", "links")),
]
