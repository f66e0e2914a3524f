"""Potential duplicates in a structure's file (activites-et-beneficiaires.md §4, doublons.md).

Four signals — nom, prénom, téléphone, e-mail — normalised (matching.py); an empty value never
matches. Two files are potential duplicates when at least two signals match. Names also match
when they differ by a typo (rapidfuzz ratio ≥ 80, both non-empty).

No O(n²) self-join: the exact pairs are exactly the files sharing one of the six (signal,
signal) keys, found by grouping; the typo pairs are looked for inside the groups of one exact
signal (at most 50 files, so a very common first name costs nothing). Pairs that a member
declared distinct (`NotDuplicate`) are never proposed again. Conflicts (both birth years, or
both communes, given and different) are shown, never hidden: a person decides.
"""

import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz

from maillon.beneficiaries.matching import email_key, name_key, phone_key
from maillon.beneficiaries.models import Beneficiary, NotDuplicate

SIGNALS: tuple[str, ...] = ("last_name", "first_name", "phone", "email")
SIGNAL_LABELS = {
    "last_name": "Nom",
    "first_name": "Prénom",
    "phone": "Téléphone",
    "email": "E-mail",
}
CONFLICT_LABELS = {"birth_year": "Année de naissance", "commune_id": "Commune"}
FUZZY_NAME_RATIO = 80
FUZZY_BLOCK_LIMIT = 50


@dataclasses.dataclass(frozen=True)
class _Keys:
    pk: int
    signals: dict[str, str]
    others: dict[str, object]


@dataclasses.dataclass(frozen=True)
class DuplicatePair:
    first: Beneficiary
    second: Beneficiary
    signals: tuple[str, ...]
    conflicts: tuple[str, ...]

    @property
    def signal_labels(self) -> list[str]:
        return [SIGNAL_LABELS[name] for name in self.signals]

    @property
    def conflict_labels(self) -> list[str]:
        return [CONFLICT_LABELS[name] for name in self.conflicts]


def candidates(structure_id: int) -> "list[_Keys]":
    rows = (
        Beneficiary.objects.filter(structure_id=structure_id)
        .current()
        .values_list("pk", "last_name", "first_name", "phone", "email", "birth_year", "commune_id")
    )
    return [
        _Keys(
            pk,
            {
                "last_name": name_key(last),
                "first_name": name_key(first),
                "phone": phone_key(phone),
                "email": email_key(email),
            },
            {"birth_year": year, "commune_id": commune},
        )
        for pk, last, first, phone, email, year, commune in rows
    ]


def _matching(a: _Keys, b: _Keys) -> tuple[str, ...]:
    matched = []
    for name in SIGNALS:
        x, y = a.signals[name], b.signals[name]
        if not x or not y:
            continue
        if x == y or (name in ("last_name", "first_name") and fuzz.ratio(x, y) >= FUZZY_NAME_RATIO):
            matched.append(name)
    return tuple(matched)


def _conflicts(a: _Keys, b: _Keys) -> tuple[str, ...]:
    return tuple(
        name
        for name in CONFLICT_LABELS
        if a.others[name] is not None and b.others[name] is not None
        if a.others[name] != b.others[name]
    )


def _candidate_pairs(people: list[_Keys]) -> set[tuple[int, int]]:
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, person in enumerate(people):
        for one, other in itertools.combinations(SIGNALS, 2):
            x, y = person.signals[one], person.signals[other]
            if x and y:
                groups[(one, x, other, y)].append(index)
        for name in SIGNALS:
            if person.signals[name]:
                groups[(name, person.signals[name])].append(index)
    pairs: set[tuple[int, int]] = set()
    for key, members in groups.items():
        if len(key) == 2 and len(members) > FUZZY_BLOCK_LIMIT:
            continue
        pairs.update(itertools.combinations(members, 2))
    return pairs


def _declared_distinct(structure_id: int) -> set[tuple[int, int]]:
    return set(
        NotDuplicate.objects.filter(structure_id=structure_id).values_list("first_id", "second_id")
    )


def find_pairs(structure_id: int, *, involving: int | None = None) -> list[DuplicatePair]:
    """Potential duplicate pairs of the structure's file (of one file if `involving`)."""
    people = candidates(structure_id)
    distinct = _declared_distinct(structure_id)
    found: list[tuple[int, int, tuple[str, ...], tuple[str, ...]]] = []
    for i, j in _candidate_pairs(people):
        a, b = sorted((people[i], people[j]), key=lambda keys: keys.pk)
        if involving is not None and involving not in (a.pk, b.pk):
            continue
        if (a.pk, b.pk) in distinct:
            continue
        signals = _matching(a, b)
        if len(signals) >= 2:
            found.append((a.pk, b.pk, signals, _conflicts(a, b)))
    files = Beneficiary.objects.in_bulk({pk for a, b, _s, _c in found for pk in (a, b)})
    pairs = [
        DuplicatePair(files[a], files[b], signals, conflicts) for a, b, signals, conflicts in found
    ]
    pairs.sort(key=lambda pair: (len(pair.conflicts), -len(pair.signals), pair.first.last_name))
    return pairs


def people_in(pairs: Iterable[DuplicatePair]) -> list[Beneficiary]:
    """Every file shown in these pairs, once (for the journal)."""
    seen: dict[int, Beneficiary] = {}
    for pair in pairs:
        seen.setdefault(pair.first.pk, pair.first)
        seen.setdefault(pair.second.pk, pair.second)
    return list(seen.values())


def declare_distinct(*, structure_id: int, first: int, second: int, by_id: int) -> None:
    """Remember that two files are two people: the pair is never proposed again."""
    low, high = sorted((first, second))
    NotDuplicate.objects.get_or_create(
        structure_id=structure_id, first_id=low, second_id=high, defaults={"decided_by_id": by_id}
    )
