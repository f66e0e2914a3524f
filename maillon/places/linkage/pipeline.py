"""The pure linkage pipeline on `Entry` objects: block, score, cluster (no database)."""

import contextlib
import dataclasses
import gc
import time
from collections.abc import Collection, Iterable, Iterator, Sequence

from maillon.places.linkage.batch import ScoreTable, score_pairs
from maillon.places.linkage.blocking import candidate_pairs
from maillon.places.linkage.clustering import Pair, build_clusters
from maillon.places.linkage.normalise import Entry, entry_of
from maillon.places.record import PlaceData

Key = tuple[str, str]


def ordered_keys(left: Key, right: Key) -> tuple[Key, Key]:
    return (left, right) if left <= right else (right, left)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Linkage allocates hundreds of thousands of small acyclic objects: the cyclic garbage
    collector would rescan them all many times over for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def entries_of(rows: Iterable[tuple[int, str, str, PlaceData]]) -> list[Entry]:
    """Normalise many records at once: (pk, source slug, external id, data) each."""
    with paused_gc():
        return [entry_of(pk, source, external_id, data) for pk, source, external_id, data in rows]


@dataclasses.dataclass(frozen=True)
class Linkage:
    """The pure result of linkage over a list of entries (no database)."""

    scores: ScoreTable
    decisions: dict[Pair, str]
    clusters: list[list[int]]
    # Seconds spent in each step: « blocage », « score », « groupes ».
    timings: dict[str, float] = dataclasses.field(default_factory=dict)


def link(
    entries: Sequence[Entry],
    decided: dict[tuple[Key, Key], str],
    pairs: Collection[Pair] | None = None,
) -> Linkage:
    """Block, score and cluster `entries`; `decided` maps ordered stable key pairs to decisions.

    `pairs` (i < j) replaces blocking: a re-link around a decision re-scores the pairs a full
    run found, since blocks of a few records would not be split like those of the whole base.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with paused_gc():
        index = {entry.key: i for i, entry in enumerate(entries)}
        decisions: dict[Pair, str] = {}
        for (left, right), decision in decided.items():
            if left in index and right in index and left != right:
                a, b = index[left], index[right]
                decisions[(a, b) if a < b else (b, a)] = decision
        found = candidate_pairs(entries) if pairs is None else set(pairs)
        ordered = sorted(found | set(decisions))
        timings["blocage"] = time.perf_counter() - started
        scores = score_pairs(entries, ordered)
        timings["score"] = time.perf_counter() - started - timings["blocage"]
        outcomes = {pair: (score, outcome) for pair, score, outcome in scores.brief()}
        clusters = build_clusters(len(entries), outcomes, decisions)
        timings["groupes"] = time.perf_counter() - started - timings["blocage"] - timings["score"]
    return Linkage(scores=scores, decisions=decisions, clusters=clusters, timings=timings)
