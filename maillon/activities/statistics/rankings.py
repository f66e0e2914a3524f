"""The rankings of §6.2 (ADR 0016): top lieux d'activité, top communes, étiquettes, and where the
beneficiaries live.

Above a département (France, a région, as a territory), communes are too many to rank usefully:
activities and residences are then ranked by département. Personal étiquettes are shown only to
their owner. Three paths give the same figures, as for the other statistics: the monthly
roll-ups for a whole territory over whole months, the daily aggregates, the raw rows (when a
thématique or an étiquette filters).
"""

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet, Sum

from maillon.activities.models import Activity, Tag
from maillon.activities.statistics.filters import Scope, StatisticsFilters, WholeTerritory
from maillon.activities.statistics.models import (
    DailyActivityStat,
    ResidencePresenceStat,
    TerritoryCommuneMonthStat,
    TerritoryMonthStat,
    TerritoryPlaceMonthStat,
    TerritoryTagMonthStat,
)
from maillon.activities.vocabulary import TagScope
from maillon.places.models import Place
from maillon.territory.models import Commune, Departement

TOP = 10
UNKNOWN_RESIDENCE = "Non renseignée"

# (code, label, count), largest first.
Ranked = list[tuple[str, str, int]]


@dataclasses.dataclass
class Rankings:
    places: Ranked = dataclasses.field(default_factory=list)
    communes: Ranked = dataclasses.field(default_factory=list)
    tags: Ranked = dataclasses.field(default_factory=list)
    residences: Ranked = dataclasses.field(default_factory=list)
    by_departement: bool = False


def by_departement(scope: Scope, covered: str) -> bool:
    """Whether the view ranks by département: a territory view of France or a région."""
    return scope.is_territory and covered.partition(":")[0] in ("fr", "reg")


def _top(counts: dict[str, int], keep: Iterable[str] = ()) -> list[tuple[str, int]]:
    """The TOP largest counts (ties by code), then the codes of `keep` present."""
    ranked = sorted(((c, n) for c, n in counts.items() if n and c), key=lambda x: (-x[1], x[0]))
    top = ranked[:TOP]
    return top + [(c, counts[c]) for c in keep if counts.get(c)]


def _place_labels(pks: list[str]) -> dict[str, str]:
    rows = Place.objects.filter(pk__in=[int(pk) for pk in pks]).values_list("pk", "nom", "commune")
    return {str(pk): f"{nom} ({commune})" if commune else nom for pk, nom, commune in rows}


def _territory_labels(codes: Iterable[str], *, departements: bool) -> dict[str, str]:
    wanted = [c for c in codes if c]
    model: Any = Departement if departements else Commune
    rows = model.objects.filter(pk__in=wanted).values_list("pk", "name")
    return {code: f"{name} ({code})" for code, name in rows}


def _labelled(top: list[tuple[str, int]], labels: dict[str, str]) -> Ranked:
    return [(code, labels.get(code, code or UNKNOWN_RESIDENCE), n) for code, n in top]


def _visible_tags(scope: Scope) -> "QuerySet[Tag]":
    """Étiquettes shown by name: structure and territory ones, the viewer's personal ones."""
    return Tag.objects.filter(~Q(scope=TagScope.PERSONAL) | Q(owner_user_id=scope.viewer))


def _tags(counts: dict[int, int], scope: Scope) -> Ranked:
    names = dict(
        _visible_tags(scope).filter(pk__in=list(counts)).values_list("pk", "name").order_by()
    )
    shown = {str(pk): counts[pk] for pk in names}
    return [(code, names[int(code)], n) for code, n in _top(shown)]


def _sums(rows: Any, key: str, weight: str) -> dict[Any, int]:
    return {row[key]: row["n"] for row in rows.values(key).annotate(n=Sum(weight)).order_by()}


def _residences(counts: dict[str, int], *, departements: bool) -> Ranked:
    top = _top(counts, keep=[""])
    return _labelled(top, _territory_labels((c for c, _ in top), departements=departements))


def _ranked(
    places: dict[int, int],
    communes: dict[str, int],
    tags: dict[int, int],
    residences: dict[str, int],
    scope: Scope,
    *,
    departements: bool,
) -> Rankings:
    """The top of each count, labelled: one small query per ranking that has a top."""
    top_places = _top({str(pk): n for pk, n in places.items()})
    top_communes = _top(communes)
    return Rankings(
        places=_labelled(top_places, _place_labels([c for c, _ in top_places])),
        communes=_labelled(
            top_communes,
            _territory_labels((c for c, _ in top_communes), departements=departements),
        ),
        tags=_tags(tags, scope),
        residences=_residences(residences, departements=departements),
        by_departement=departements,
    )


# --- whole territory ------------------------------------------------------------------------


def of_territory(whole: WholeTerritory, scope: Scope) -> Rankings:
    """Rankings of a whole territory over months [first, last]: seven small queries."""
    months = Q(territory=whole.territory, month__gte=whole.first, month__lte=whole.last)
    kind, _, code = whole.territory.partition(":")
    departements = kind in ("fr", "reg")
    rows: Any
    places = _sums(TerritoryPlaceMonthStat.objects.filter(months), "place_id", "accompaniments")
    if departements:
        children = Q(territory__startswith="dep:")
        if kind == "reg":
            keys = Departement.objects.filter(region_id=code).values_list("code", flat=True)
            children = Q(territory__in=[f"dep:{c}" for c in keys])
        rows = TerritoryMonthStat.objects.filter(
            children, month__gte=whole.first, month__lte=whole.last
        )
        communes = {k[4:]: n for k, n in _sums(rows, "territory", "accompaniments").items()}
    else:
        rows = TerritoryCommuneMonthStat.objects.filter(months)
        communes = _sums(rows, "commune_id", "accompaniments")
    tags = _sums(TerritoryTagMonthStat.objects.filter(months), "tag_id", "accompaniments")
    residences = _sums(
        ResidencePresenceStat.objects.filter(months, previous_month__lt=whole.first),
        "residence",
        "beneficiaries",
    )
    return _ranked(places, communes, tags, residences, scope, departements=departements)


# --- daily aggregates or raw rows ------------------------------------------------------------


def of_selection(
    activities: "QuerySet[Activity]",
    scope: Scope,
    filters: StatisticsFilters,
    residences: dict[str, int],
    *,
    departements: bool,
) -> Rankings:
    """Rankings of a selection: `activities` are its raw rows; the daily aggregates answer the
    lieux and communes when no thématique or étiquette filters. `residences` come from the
    people counted by `people.from_raw`."""
    source: Any
    if filters.needs_raw_rows:
        source, weight = activities, "participants_count"
    else:
        source = DailyActivityStat.objects.filter(scope.condition & filters.condition())
        weight = "accompaniments"
    places = _sums(source.filter(place_id__gt=0), "place_id", weight)
    communes = {code: n for code, n in _sums(source, "commune_id", weight).items() if code}
    if departements:
        per_departement: dict[str, int] = defaultdict(int)
        for code, departement in Commune.objects.filter(pk__in=list(communes)).values_list(
            "pk", "departement_id"
        ):
            per_departement[departement] += communes[code]
        communes = dict(per_departement)
    tags = _sums(
        Activity.tags.through.objects.filter(activity__in=activities.values("pk")),
        "tag_id",
        "activity__participants_count",
    )
    return _ranked(places, communes, tags, residences, scope, departements=departements)


__all__ = ["TOP", "UNKNOWN_RESIDENCE", "Rankings", "by_departement", "of_selection", "of_territory"]
