"""Who took part in an activity: collective counters, anonymous rows and first accompaniments.

Counters → anonymous beneficiaries follows La Coop (activites-et-beneficiaires.md §1.10), first
accompaniments §1.11. Both keep the pre-computed counts equal to the raw rows.
"""

import dataclasses
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping

from maillon.activities.models import Accompaniment, Activity
from maillon.beneficiaries.models import Beneficiary, Genre, StatutSocial, TrancheAge


@dataclasses.dataclass(frozen=True)
class AnonymousParticipants:
    """A collective session's counters for the participants not identified by name.

    The three mappings give the filled categories only (code → count); « non communiqué » of
    each dimension is what remains of `total`.
    """

    total: int = 0
    already_accompanied: int = 0
    genres: Mapping[str, int] = dataclasses.field(default_factory=dict)
    age_brackets: Mapping[str, int] = dataclasses.field(default_factory=dict)
    statuts: Mapping[str, int] = dataclasses.field(default_factory=dict)

    def normalised(self) -> "AnonymousParticipants":
        """Same counters without zero entries, to compare two sets of counters."""
        return AnonymousParticipants(
            total=self.total,
            already_accompanied=self.already_accompanied,
            genres={code: n for code, n in sorted(self.genres.items()) if n},
            age_brackets={code: n for code, n in sorted(self.age_brackets.items()) if n},
            statuts={code: n for code, n in sorted(self.statuts.items()) if n},
        )


# Dimension → (Beneficiary field, its enumeration's filled categories).
DIMENSIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "genres": ("genre", tuple(c for c in Genre.values if c != Genre.NON_COMMUNIQUE)),
    "age_brackets": (
        "age_bracket",
        tuple(c for c in TrancheAge.values if c != TrancheAge.NON_COMMUNIQUE),
    ),
    "statuts": (
        "statut_social",
        tuple(c for c in StatutSocial.values if c != StatutSocial.NON_COMMUNIQUE),
    ),
}
NON_COMMUNIQUE = "non_communique"


def expand(counters: AnonymousParticipants, rng: random.Random) -> list[dict[str, object]]:
    """One attribute set per anonymous participant (§1.10).

    For each row and each dimension, the categories are shuffled and the first one whose
    remaining counter is positive is taken and decremented, else « non communiqué ». The first
    `already_accompanied` rows are the already accompanied ones. Since every partial sum is at
    most the total, the generated rows reproduce the counters exactly; no combination is real.
    """
    remaining = {name: dict(getattr(counters, name)) for name in DIMENSIONS}
    rows: list[dict[str, object]] = []
    for index in range(counters.total):
        row: dict[str, object] = {"was_already_accompanied": index < counters.already_accompanied}
        for name, (field, categories) in DIMENSIONS.items():
            shuffled = list(categories)
            rng.shuffle(shuffled)
            row[field] = NON_COMMUNIQUE
            for code in shuffled:
                if remaining[name].get(code, 0) > 0:
                    remaining[name][code] -= 1
                    row[field] = code
                    break
        rows.append(row)
    return rows


def anonymous_participants_of(activity: Activity) -> AnonymousParticipants:
    """The counters that generated an activity's anonymous rows (what an edit form shows)."""
    rows: list[dict[str, object]] = [
        dict(row)
        for row in Beneficiary.objects.filter(
            accompaniments__activity=activity, is_randomly_attributed=True
        ).values("genre", "age_bracket", "statut_social", "was_already_accompanied")
    ]
    counts: dict[str, dict[str, int]] = {name: defaultdict(int) for name in DIMENSIONS}
    for row in rows:
        for name, (field, _categories) in DIMENSIONS.items():
            if row[field] != NON_COMMUNIQUE:
                counts[name][str(row[field])] += 1
    return AnonymousParticipants(
        total=len(rows),
        already_accompanied=sum(1 for row in rows if row["was_already_accompanied"]),
        genres=dict(counts["genres"]),
        age_brackets=dict(counts["age_brackets"]),
        statuts=dict(counts["statuts"]),
    ).normalised()


def refresh_counts(*, activity_ids: Iterable[int], beneficiary_ids: Iterable[int]) -> None:
    """Recompute `participants_count`, `accompaniments_count` and first accompaniments.

    The first accompaniment of a beneficiary is the one on the earliest non-deleted activity
    (date, then recording order), unless the person was already accompanied before (§1.11).
    """
    for activity_id in set(activity_ids):
        Activity.objects.filter(pk=activity_id).update(
            participants_count=Accompaniment.objects.filter(activity_id=activity_id).count()
        )
    ids = set(beneficiary_ids)
    if not ids:
        return
    rows = (
        Accompaniment.objects.filter(beneficiary_id__in=ids)
        .order_by("activity__date", "activity__created_at", "activity_id")
        .values_list("pk", "beneficiary_id", "is_first", "activity__deleted_at")
    )
    per_beneficiary: dict[int, list[tuple[int, bool, bool]]] = defaultdict(list)
    for pk, beneficiary_id, is_first, deleted_at in rows:
        per_beneficiary[beneficiary_id].append((pk, is_first, deleted_at is None))
    beneficiaries = list(
        Beneficiary.objects.filter(pk__in=ids).only(
            "pk", "was_already_accompanied", "accompaniments_count"
        )
    )
    changed_accompaniments: list[Accompaniment] = []
    changed_beneficiaries: list[Beneficiary] = []
    for beneficiary in beneficiaries:
        active = [pk for pk, _first, is_active in per_beneficiary[beneficiary.pk] if is_active]
        first_pk = active[0] if active and not beneficiary.was_already_accompanied else None
        for pk, is_first, _active in per_beneficiary[beneficiary.pk]:
            if is_first != (pk == first_pk):
                changed_accompaniments.append(Accompaniment(pk=pk, is_first=pk == first_pk))
        if beneficiary.accompaniments_count != len(active):
            beneficiary.accompaniments_count = len(active)
            changed_beneficiaries.append(beneficiary)
    Accompaniment.objects.bulk_update(changed_accompaniments, ["is_first"], batch_size=500)
    Beneficiary.objects.bulk_update(changed_beneficiaries, ["accompaniments_count"], batch_size=500)
