"""One typed settings object: every threshold, budget and path a run depends on.

Stages take what they need from it in their constructor (scikit-learn style), so a
run is reproducible from its settings alone and no stage reads global state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from narratrace.ingest.base import ReadOptions
from narratrace.link.verify import LinkThresholds


@dataclass(slots=True)
class Settings:
    db: str = "narratrace.db"
    read: ReadOptions = field(default_factory=ReadOptions)
    batch_size: int = 64
    threads: int = 2
    # Characters of each document the slow multilingual encoder (e5) may read at
    # ingest for languages the fast encoder lacks. e5 runs ~4.4k chars/s on two
    # workers, so 700 chars (the title and lead, where a news article states its
    # story) cost ~0.3 s per such document; the rest is encoded on demand by the
    # stages that need it (translation alignment). On the 1k ingest benchmark, e5 leads
    # of 1,200 chars found no more translations by search than these (60 of 60 in the
    # top 10) and cost ~0.6 docs/s.
    e5_char_budget: int = 700
    # The same for the fast encoder (USE languages): ~12 sentences of a news article.
    # None encodes every sentence at ingest. 1,200 chars ran faster but left the seeds'
    # French articles too little to be labelled and clustered as one narrative.
    use_char_budget: int | None = 1500
    link: LinkThresholds = field(default_factory=LinkThresholds)
