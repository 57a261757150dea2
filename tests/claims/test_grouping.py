"""Grouping on the demo corpus (translations and copies known from demo/truth.json), and the
grouper's state: serialisable, incremental, idempotent."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from narratrace.claims import ClaimGrouper, claims_of, extract_claims, records
from narratrace.model import Document

TRUTH = Path(__file__).resolve().parents[2] / "demo" / "truth.json"


def by_truth_id(docs: list[Document]) -> dict[str, Document]:
    """Demo articles by their truth id (A01...), matched on the location each was read from."""
    found = {}
    for article in json.loads(TRUTH.read_text(encoding="utf-8"))["articles"]:
        location = article["location"]
        for d in docs:
            fragment = location.split("#", 1)[1] if "#" in location else None
            if (fragment and d.origin.endswith(fragment)) or (not fragment and d.origin.endswith(location.split("corpus/", 1)[1])):
                found[article["id"]] = d
    return found


def test_translations_share_most_of_their_claims(demo_grouped) -> None:
    docs, _ = demo_grouped
    article = by_truth_id(docs)
    for source, translation in (("A01", "A02"), ("A06", "A10"), ("A17", "A18"), ("A26", "A27"), ("A06", "A09")):
        groups_of_source = {c.group for c in claims_of(article[source])}
        claims = claims_of(article[translation])
        shared = sum(c.group in groups_of_source for c in claims)
        assert shared >= 0.5 * len(claims), (source, translation)


def test_distractors_do_not_join_the_narrative(demo_grouped) -> None:
    docs, _ = demo_grouped
    article = by_truth_id(docs)
    members = defaultdict(set)
    for d in docs:
        for c in claims_of(d):
            members[c.group].add(d.id)
    for distractor in ("A28", "A29", "A30"):
        for c in claims_of(article[distractor]):
            assert members[c.group] == {article[distractor].id}


def test_export_records_have_the_cli_shape(demo_grouped) -> None:
    docs, grouper = demo_grouped
    rows = records(docs)
    assert len(rows) >= 300
    for row in rows:
        assert set(row) == {"id", "document", "text", "score", "start", "end", "group"}
        assert row["group"] in grouper.group_of.values()
    assert len({row["id"] for row in rows}) == len(rows)


def test_state_round_trips_and_grouping_continues_incrementally(demo_claims) -> None:
    docs, _, vectors = demo_claims
    claims = [c for d in docs for c in extract_claims(d)]
    half = len(claims) // 2
    whole = ClaimGrouper()
    whole.add(claims, vectors)
    expected = dict(whole.group_of)

    first = ClaimGrouper()
    first.add(claims[:half], vectors)
    restored = ClaimGrouper.from_dict(json.loads(json.dumps(first.to_dict())))
    restored.add(claims[half:], vectors)
    assert restored.group_of == expected
    for a, b in zip(restored.groups, whole.groups, strict=True):
        assert a.members == b.members
        assert np.allclose(a.centroid("e5-small"), b.centroid("e5-small"), atol=1e-5)

    restored.add(claims, vectors)
    assert restored.group_of == expected
    assert sum(len(g.members) for g in restored.groups) == len(claims)
