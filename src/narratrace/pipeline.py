"""The list of stages, built from settings, and the batch loop that feeds the store.

A stage is any callable `list[Document] -> list[Document]` with a `name`; it holds
its parameters and loads its models lazily, so the same list runs in the CLI, in
the API and inside a Spark partition.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol

from narratrace.claims.stage import ClaimStage
from narratrace.cluster.run import ClusterPass
from narratrace.enrich.embeddings import EmbeddingStage
from narratrace.enrich.language import LanguageStage
from narratrace.enrich.sentences import SentenceStage
from narratrace.enrich.workers import encoding_seconds
from narratrace.ingest import read_inputs
from narratrace.ingest.base import Rejection
from narratrace.link.fingerprints import FingerprintStage
from narratrace.link.linker import Linker, LinkPass, LinkSummary
from narratrace.model import Document
from narratrace.provenance.stage import CitationStage, registry_with
from narratrace.settings import Settings
from narratrace.store.base import Store


class Stage(Protocol):
    def __call__(self, docs: list[Document]) -> list[Document]: ...


def build_stages(settings: Settings) -> list[tuple[str, Stage]]:
    return [
        ("language", LanguageStage()),
        ("sentences", SentenceStage()),
        ("embeddings", EmbeddingStage(settings.threads, settings.e5_char_budget, settings.use_char_budget)),
        ("fingerprints", FingerprintStage()),
        ("citations", CitationStage()),
        ("claims", ClaimStage()),
    ]


@dataclass
class IngestSummary:
    read: int = 0
    new: int = 0
    duplicates: int = 0
    links: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))


Progress = Callable[[IngestSummary, Document | Rejection], None]


class Pipeline:
    def __init__(self, settings: Settings, stages: list[tuple[str, Stage]] | None = None) -> None:
        self.settings = settings
        self.stages = stages if stages is not None else build_stages(settings)
        self.linker: LinkPass = Linker(settings.link, threads=settings.threads)
        self.clustering = ClusterPass(settings.threads)

    def process(self, docs: list[Document], seconds: dict[str, float]) -> list[Document]:
        for name, stage in self.stages:
            start = time.perf_counter()
            docs = stage(docs)
            seconds[name] += time.perf_counter() - start
        return docs

    def ingest(
        self,
        inputs: Iterable[str],
        store: Store,
        progress: Progress | None = None,
        link_progress: Callable[[LinkSummary], None] | None = None,
    ) -> IngestSummary:
        """Read, skip what is stored, enrich the rest and write each batch in one transaction."""
        return self.ingest_results(read_inputs(inputs, self.settings.read), store, progress, link_progress)

    def ingest_results(
        self,
        results: Iterable[Document | Rejection],
        store: Store,
        progress: Progress | None = None,
        link_progress: Callable[[LinkSummary], None] | None = None,
    ) -> IngestSummary:
        """What the readers yielded (or a Spark job wrote: `spark.load`) through the stages into the
        store, a batch per transaction; then linking and clustering of everything new."""
        summary = IngestSummary()
        imported = store.source_files()
        for _, stage in self.stages:
            if imported and isinstance(stage, CitationStage):
                stage.registry = registry_with(imported)
        # Imported taxonomies label what is ingested after them. Reloaded on each run, since an import may
        # come between two; imported only then, since the classifier's scikit-learn costs a second to load.
        self.stages = [(name, stage) for name, stage in self.stages if name != "taxonomy"]
        if taxonomies := store.taxonomies():
            from narratrace.taxonomy.classifier import from_state
            from narratrace.taxonomy.stage import TaxonomyStage

            classifiers = [from_state(state, self.settings.threads) for _, state in taxonomies]
            self.stages.append(("taxonomy", TaxonomyStage(classifiers)))
        timed = _timed(iter(results), summary.seconds, "read")
        while batch := list(islice(timed, self.settings.batch_size)):
            fresh, repeats = self._fresh(batch, store, summary, progress)
            if fresh:
                fresh = self.process(fresh, summary.seconds)
                start = time.perf_counter()
                store.add_documents(fresh)
                summary.seconds["store"] += time.perf_counter() - start
                summary.new += len(fresh)
            if repeats:
                store.add_origins(repeats)
        start, encoded = time.perf_counter(), sum(encoding_seconds.values())
        summary.links = self.linker.run(store, link_progress).links
        on_demand = sum(encoding_seconds.values()) - encoded
        summary.seconds["link"] += time.perf_counter() - start - on_demand
        summary.seconds["link: encoding on demand"] += on_demand
        start, encoded = time.perf_counter(), sum(encoding_seconds.values())
        self.clustering.run(store)
        bridged = sum(encoding_seconds.values()) - encoded
        summary.seconds["cluster"] += time.perf_counter() - start - bridged
        summary.seconds["cluster: bridge encoding"] += bridged
        return summary

    def _fresh(
        self,
        batch: list[Document | Rejection],
        store: Store,
        summary: IngestSummary,
        progress: Progress | None,
    ) -> tuple[list[Document], list[tuple[str, str]]]:
        """The batch's documents not stored yet, and (origin, id) of those that were."""
        docs = [item for item in batch if isinstance(item, Document)]
        known = store.known(d.id for d in docs)
        fresh: dict[str, Document] = {}
        seen_before: list[tuple[str, str]] = []
        for item in batch:
            if isinstance(item, Rejection):
                summary.rejected.append(item)
            else:
                summary.read += 1
                if item.id in known or item.id in fresh:
                    summary.duplicates += 1
                    seen_before.append((item.origin, item.id))
                else:
                    fresh[item.id] = item
            if progress:
                progress(summary, item)
        rejected = [(r.origin, r.reason) for r in batch if isinstance(r, Rejection)]
        if rejected:
            store.record_rejections(rejected)
        return list(fresh.values()), seen_before


def _timed(items: Iterator, seconds: dict[str, float], name: str) -> Iterator:
    while True:
        start = time.perf_counter()
        try:
            item = next(items)
        except StopIteration:
            return
        finally:
            seconds[name] += time.perf_counter() - start
        yield item
