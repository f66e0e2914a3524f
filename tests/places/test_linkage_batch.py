"""The column-wise scorer gives exactly (to the bit) the reference `score_pair` result."""

import itertools
import random

from maillon.places.linkage.batch import score_pairs
from maillon.places.linkage.blocking import candidate_pairs
from maillon.places.linkage.evaluation import load_entries, load_pairs
from maillon.places.linkage.normalise import Entry
from maillon.places.linkage.scoring import score_pair


def check(entries: list[Entry], pairs: list[tuple[int, int]]) -> None:
    table = score_pairs(entries, pairs)
    assert len(table) == len(pairs)
    for k, (a, b) in enumerate(pairs):
        assert table.explain(k) == score_pair(entries[a], entries[b])
        assert table[(a, b)].outcome == table.outcomes[k]


def test_it_scores_the_labelled_pairs_like_the_reference() -> None:
    found = load_entries()
    entries = list(found.values())
    position = {key: i for i, key in enumerate(found)}
    pairs = [(position[p.left], position[p.right]) for p in load_pairs()]
    check(entries, pairs)


def test_it_scores_blocked_and_random_pairs_of_shipped_records_like_the_reference() -> None:
    entries = list(load_entries().values())
    blocked = sorted(candidate_pairs(entries))
    rng = random.Random(3)
    shuffled = rng.sample(list(itertools.combinations(range(len(entries)), 2)), 2000)
    check(entries, blocked + shuffled)


def test_it_accepts_no_pair() -> None:
    table = score_pairs(list(load_entries().values())[:3], [])
    assert (len(table), table.outcomes) == (0, [])
