"""Aliases learned from translations: names that keep facing each other across aligned sentences.

When a French article and its English original are aligned sentence by
sentence, "EI" in the French sentence and "ISIS" in the English one face each
other again and again, while no other name does. That is evidence the data
file never had to spell out. `propose_aliases` counts, over the aligned pairs,
the names on each side that the other side did not already match (same
canonical id), pairs those that keep co-occurring, and returns each proposal
with its counts and the pairs that showed it, so a person can check it before
`apply_aliases` writes it into the gazetteer.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from narratrace.provenance.entities import Entity, extract_entities
from narratrace.provenance.gazetteer import Gazetteer
from narratrace.provenance.transliterate import name_key

MIN_COUNT = 2
# Dice coefficient 2·together / (seen on the source side + seen on the target side): how exclusively they co-occur.
MIN_DICE = 0.6
LEARNED_PREFIX = "learned:"


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """One aligned sentence (or segment) pair of a translation."""

    source: str
    target: str


@dataclass(frozen=True, slots=True)
class AliasProposal:
    """Two names that face each other across aligned pairs, with the evidence.

    `count` is the number of pairs where both were found and neither matched
    the other side; `source_seen`/`target_seen` how many pairs each was found
    in at all; `pairs` the indices of the pairs that showed them together.
    """

    source_name: str
    source_id: str
    target_name: str
    target_id: str
    count: int
    source_seen: int
    target_seen: int
    pairs: tuple[int, ...]

    @property
    def dice(self) -> float:
        return 2 * self.count / (self.source_seen + self.target_seen)


def propose_aliases(pairs: Iterable[AlignedPair], source_language: str | None, target_language: str | None,
                    gazetteer: Gazetteer, min_count: int = MIN_COUNT, min_dice: float = MIN_DICE) -> list[AliasProposal]:
    """Alias pairs supported by at least `min_count` aligned pairs, strongest evidence first.

    Each name is proposed with at most one partner (its most frequent), and
    two gazetteer entities are never merged: "Russia" and "Moscow" co-occur
    without being one entity.
    """
    together: dict[tuple[str, str], list[int]] = defaultdict(list)
    seen = (Counter[str](), Counter[str]())
    written = (defaultdict[str, Counter[str]](Counter), defaultdict[str, Counter[str]](Counter))
    known: set[str] = set()
    for index, pair in enumerate(pairs):
        sides = (_by_id(extract_entities(pair.source, source_language, gazetteer)),
                 _by_id(extract_entities(pair.target, target_language, gazetteer)))
        for side, entities in enumerate(sides):
            seen[side].update(entities.keys())
            for entity_id, entity in entities.items():
                written[side][entity_id][entity.name] += 1
                if entity.known:
                    known.add(entity_id)
        for source_id in sides[0].keys() - sides[1].keys():
            for target_id in sides[1].keys() - sides[0].keys():
                together[source_id, target_id].append(index)
    proposals = [
        AliasProposal(written[0][s].most_common(1)[0][0], s, written[1][t].most_common(1)[0][0], t,
                      len(indices), seen[0][s], seen[1][t], tuple(indices))
        for (s, t), indices in together.items()
        if len(indices) >= min_count and not (s in known and t in known)
    ]
    proposals = [p for p in proposals if p.dice >= min_dice]
    return _one_partner_each(sorted(proposals, key=lambda p: (-p.count, -p.dice, p.source_id, p.target_id)))


def apply_aliases(gazetteer: Gazetteer, proposals: Iterable[AliasProposal]) -> int:
    """Write proposals into the gazetteer; returns how many were applied.

    A name facing a gazetteer entity becomes one of its aliases; two unknown
    names become a new entity with both.
    """
    applied = 0
    for proposal in proposals:
        if proposal.source_id in gazetteer:
            gazetteer.add_alias(proposal.source_id, proposal.target_name)
        elif proposal.target_id in gazetteer:
            gazetteer.add_alias(proposal.target_id, proposal.source_name)
        else:
            entity_id = LEARNED_PREFIX + name_key([proposal.source_name])
            gazetteer.add_alias(entity_id, proposal.source_name)
            gazetteer.add_alias(entity_id, proposal.target_name)
        applied += 1
    return applied


def _by_id(entities: list[Entity]) -> dict[str, Entity]:
    return {e.canonical_id: e for e in entities}


def _one_partner_each(ranked: list[AliasProposal]) -> list[AliasProposal]:
    taken_source: set[str] = set()
    taken_target: set[str] = set()
    kept = []
    for proposal in ranked:
        if proposal.source_id in taken_source or proposal.target_id in taken_target:
            continue
        taken_source.add(proposal.source_id)
        taken_target.add(proposal.target_id)
        kept.append(proposal)
    return kept
