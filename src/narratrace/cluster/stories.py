"""Stories: one event as many outlets cover it, in any language, over days.

A story is a group of the online engine (`online`) with a time window: documents
are placed in publication (or arrival) order and compared only with the stories
alive around their date. Ids are "s-" plus the first member's id.
"""

from __future__ import annotations

from dataclasses import dataclass

from narratrace.cluster.online import OnlineClusterer, ScoreSettings


@dataclass
class StorySettings(ScoreSettings):
    """Defaults tuned on half the ECB+ topics and half the ITN subjects (benchmarks/clustering.py)."""


class StoryClusterer(OnlineClusterer):
    prefix = "s-"
    settings_type = StorySettings
