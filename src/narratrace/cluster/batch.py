"""Both levels over a batch of documents, in publication order, copies kept together.

An ingest hands over a batch; placing it oldest first is what makes online
clustering behave like the news did (a story starts with its first report).
Undated documents come last, in the order given: they are compared with every
story, dated or not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from narratrace.cluster.narratives import NarrativeTracker
from narratrace.cluster.online import Assignment
from narratrace.cluster.stories import StoryClusterer
from narratrace.model import Document, Link
from narratrace.store.base import Store

# Documents whose similarities to the groups are computed in one product: a chunk's column per
# group and space (64 x 4 bytes each: 13 MB for 50,000 groups).
CHUNK = 64


def chronological(docs: Sequence[Document]) -> list[Document]:
    def key(doc: Document) -> tuple[bool, str]:
        return doc.published is None, doc.published.value if doc.published else ""

    return sorted(docs, key=key)


def must_link(links: Iterable[Link]) -> dict[str, list[str]]:
    """Both ends of every copy link: the documents each document must share a story with."""
    linked: dict[str, list[str]] = defaultdict(list)
    for link in links:
        linked[link.a].append(link.b)
        linked[link.b].append(link.a)
    return dict(linked)


def place(docs: Sequence[Document], links: dict[str, list[str]], stories: StoryClusterer,
          narratives: NarrativeTracker) -> Iterator[tuple[Document, Assignment, Assignment]]:
    """Each document placed in a story, then a narrative, in publication order: (document, story, narrative).

    Both clusterers prefetch a chunk's similarities at a time (`OnlineClusterer.prefetch`)."""
    ordered = chronological(docs)
    for lo in range(0, len(ordered), CHUNK):
        chunk = ordered[lo : lo + CHUNK]
        stories.prefetch(chunk)
        narratives.engine.prefetch(chunk)
        for doc in chunk:
            story = stories.add(doc, links.get(doc.id, ()))
            yield doc, story, narratives.add(doc, story.group_id)


def cluster(
    docs: Sequence[Document],
    links: dict[str, list[str]] | None = None,
    stories: StoryClusterer | None = None,
    narratives: NarrativeTracker | None = None,
) -> tuple[StoryClusterer, NarrativeTracker]:
    stories = stories if stories is not None else StoryClusterer()
    narratives = narratives if narratives is not None else NarrativeTracker()
    for _ in place(docs, links or {}, stories, narratives):
        pass
    return stories, narratives


def stored_documents(store: Store) -> list[Document]:
    """Stored documents with what clustering reads: their vectors and their fingerprints."""
    prints = {doc_id: fp for doc_id, _, fp in store.fingerprints()}
    docs = list(store.documents())
    for doc in docs:
        doc.vectors = store.vectors_of(doc.id)
        doc.fingerprint = prints.get(doc.id)
    return docs
