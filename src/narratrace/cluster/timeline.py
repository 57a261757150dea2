"""A group's life in dates: documents per month per language, and the events of its history.

Events that follow from the dates (birth, growth into a new language, dormancy,
re-emergence) are derived from the (language, date) counts on demand rather than
recorded as documents arrive: documents come out of order (an archive ingested
after this week's news), and a derived history is the same whatever the order.
Merges are recorded where they happen and passed in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from narratrace.cluster.features import day_of


def monthly(timeline: Counter[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """{"2019-08": {"en": 3, "fr": 1}, ...}; a year-precision date counts under its year."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for (language, published), n in timeline.items():
        month = published[:7]
        out[month][language] = out[month].get(language, 0) + n
    return dict(sorted(out.items()))


def events(
    timeline: Counter[tuple[str, str]], recorded: list[dict[str, Any]], dormancy_days: int, today: int | None
) -> list[dict[str, Any]]:
    """Birth, new languages, dormancy and re-emergence by date, with the recorded merges, in date order."""
    dated = sorted(timeline, key=lambda k: (k[1], len(k[1])))
    out: list[dict[str, Any]] = list(recorded)
    if dated:
        born = dated[0][1]
        out.append({"kind": "birth", "date": born, "languages": sorted({lang for lang, d in dated if d == born})})
        firsts: dict[str, str] = {}
        for language, published in dated:
            firsts.setdefault(language, published)
        out += [{"kind": "language", "date": d, "language": lang} for lang, d in firsts.items() if d != born]
    days = sorted({day for _, p in dated if (day := day_of(p)) is not None})
    for before, after in pairwise(days):
        if after - before > dormancy_days:
            out.append({"kind": "dormancy", "date": _iso(before + dormancy_days), "since": _iso(before)})
            out.append({"kind": "re-emergence", "date": _iso(after), "after_days": after - before})
    if days and today is not None and today - days[-1] > dormancy_days:
        out.append({"kind": "dormancy", "date": _iso(days[-1] + dormancy_days), "since": _iso(days[-1])})
    return sorted(out, key=lambda e: (e.get("date") or "9999", e["kind"]))


def _iso(day: int) -> str:
    return (date(1, 1, 1) + timedelta(days=day - 1)).isoformat()
