"""The pure linkage pipeline on `Entry` objects: block, score, cluster (no database)."""

import dataclasses
from collections.abc import Sequence

from maillon.places.linkage.blocking import candidate_pairs
from maillon.places.linkage.clustering import Pair, build_clusters
from maillon.places.linkage.normalise import Entry
from maillon.places.linkage.scoring import PairScore, score_pair

Key = tuple[str, str]


def ordered_keys(left: Key, right: Key) -> tuple[Key, Key]:
    return (left, right) if left <= right else (right, left)


@dataclasses.dataclass(frozen=True)
class Linkage:
    """The pure result of linkage over a list of entries (no database)."""

    scores: dict[Pair, PairScore]
    decisions: dict[Pair, str]
    clusters: list[list[int]]


def link(entries: Sequence[Entry], decided: dict[tuple[Key, Key], str]) -> Linkage:
    """Block, score and cluster `entries`; `decided` maps ordered stable key pairs to decisions."""
    index = {entry.key: i for i, entry in enumerate(entries)}
    decisions: dict[Pair, str] = {}
    for (left, right), decision in decided.items():
        if left in index and right in index and left != right:
            a, b = index[left], index[right]
            decisions[(a, b) if a < b else (b, a)] = decision
    pairs = candidate_pairs(entries) | set(decisions)
    scores = {pair: score_pair(entries[pair[0]], entries[pair[1]]) for pair in pairs}
    outcomes = {pair: (value.score, value.outcome) for pair, value in scores.items()}
    clusters = build_clusters(len(entries), outcomes, decisions)
    return Linkage(scores=scores, decisions=decisions, clusters=clusters)
