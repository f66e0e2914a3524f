"""Clusters of records that describe one place, without pure transitive closure.

Links are automatic merges and human « même lieu » decisions. Two clusters join only when every
member of the smaller one is linked to the larger one's representative or to a majority of its
members, and never when a human said « lieux distincts » about any pair across them (the
do-not-merge list). Human « même lieu » links are applied first and bypass the majority rule.
"""

from collections.abc import Mapping

from maillon.places.linkage.scoring import AUTO_MERGE

DOUBLON = "doublon"
NON_DOUBLON = "non_doublon"
INCERTAIN = "incertain"

Pair = tuple[int, int]


def _ordered(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def build_clusters(
    count: int,
    outcomes: Mapping[Pair, tuple[float, str]],
    decisions: Mapping[Pair, str],
) -> list[list[int]]:
    """Clusters (lists of indexes, smallest first) of `count` records.

    `outcomes` maps scored pairs (i < j) to (score, outcome); `decisions` maps pairs to the
    human decision in force, which overrides the outcome.
    """
    forced = sorted(pair for pair, decision in decisions.items() if decision == DOUBLON)
    forbidden = {pair for pair, decision in decisions.items() if decision == NON_DOUBLON}
    held_back = {pair for pair, decision in decisions.items() if decision == INCERTAIN}
    automatic = sorted(
        (
            (pair, score)
            for pair, (score, outcome) in outcomes.items()
            if outcome == AUTO_MERGE and pair not in decisions
        ),
        key=lambda item: (-item[1], item[0]),
    )
    links: dict[int, set[int]] = {}
    for a, b in forced + [pair for pair, _ in automatic]:
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)

    cluster_of = list(range(count))
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    forbidden_with: dict[int, set[int]] = {}
    for a, b in forbidden:
        forbidden_with.setdefault(a, set()).add(b)
        forbidden_with.setdefault(b, set()).add(a)

    def conflicts(left: list[int], right: list[int]) -> bool:
        other = set(right)
        return any(forbidden_with.get(x, set()) & other for x in left)

    def agrees(small: list[int], large: list[int]) -> bool:
        representative = large[0]
        for x in small:
            linked = links.get(x, set())
            if representative in linked:
                continue
            if 2 * len(linked.intersection(large)) <= len(large):
                return False
        return True

    def join(a: int, b: int, checked: bool) -> None:
        ca, cb = cluster_of[a], cluster_of[b]
        if ca == cb:
            return
        small, large = sorted((members[ca], members[cb]), key=lambda m: (len(m), m[0]))
        if conflicts(small, large) or (checked and not agrees(small, large)):
            return
        keep, gone = cluster_of[large[0]], cluster_of[small[0]]
        merged = sorted(large + small)
        # The representative stays the first member of the larger cluster.
        members[keep] = [large[0]] + [x for x in merged if x != large[0]]
        for x in members.pop(gone):
            cluster_of[x] = keep

    for a, b in forced:
        join(a, b, checked=False)
    for (a, b), _ in automatic:
        if (a, b) in held_back:
            continue
        join(a, b, checked=True)
    return sorted((sorted(group) for group in members.values()), key=lambda group: group[0])
