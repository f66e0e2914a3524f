"""The search engine: published places matching `PlaceFilters`, one page at a time.

Semantics (as on the national map, lieux-standard.md §11.1, without its defects): values of one
filter are OR-ed, different filters are AND-ed; « langues étrangères » matches both of the
standard's qualified values; FRR matches places labelled FRR or the legacy ZRR.

Near me / near a commune: a bounding box is selected in SQL, the exact haversine distance is
computed with numpy. Places with a precise position are sorted by distance; places whose
position is only their commune's centre are kept when that centre is within the radius (or
when they are in the searched commune), get no distance and come after the precise ones.
Places without any position are found only through their commune.
"""

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable

import numpy as np
from django.db import connections
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from maillon.places.exporting.territories import Territory
from maillon.places.models import Place, PlaceQuerySet
from maillon.places.record import LocationPrecision
from maillon.places.search.geometry import bounding_box, haversine_m
from maillon.places.search.hours import HoursFilter
from maillon.places.search.parameters import (
    CODE_PARAMETERS,
    ActiveFilter,
    PlaceFilters,
    expand_codes,
)
from maillon.territory.models import CODE_INSEE_PATTERN, POSTAL_CODE_PATTERN, Commune
from maillon.territory.names import normalize_query

# A postal code may serve dozens of communes (Paris, big rural offices): enough to cover them.
MAX_POSTAL_COMMUNES = 60
MAX_LISTED_COMMUNES = 6000


@dataclasses.dataclass
class SearchResult:
    filters: PlaceFilters
    places: list[Place]
    total: int
    page: int
    per_page: int
    pages: int
    # Metres from the centre, only for places with a precise position.
    distances: dict[int, float] = dataclasses.field(default_factory=dict)
    center: tuple[float, float] | None = None
    center_label: str = ""
    # Communes `q` resolved to (the first one gives the centre).
    communes: list[Commune] = dataclasses.field(default_factory=list)
    # Open at `now`, for every listed place that has opening hours.
    open_now: dict[int, bool] = dataclasses.field(default_factory=dict)
    now: dt.datetime | None = None
    errors: list[str] = dataclasses.field(default_factory=list)

    @property
    def active(self) -> list[ActiveFilter]:
        return self.filters.active()

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _is_unfiltered(filters: PlaceFilters) -> bool:
    return filters == PlaceFilters(page=filters.page, par_page=filters.par_page)


# Columns a listed place needs (the page and the API): everything but the merge bookkeeping.
_DEFERRED = ("field_provenance", "horaires_texte")


def published() -> PlaceQuerySet:
    """The rows of `Place.objects.published()`, written for SQLite so that its planner, which has
    no statistics, does not walk the `place_state` index (nearly every row matches it) instead
    of the position, commune or postal-code indexes that make a search cheap. PostgreSQL plans
    from statistics and estimates the plain condition better than the rewritten one."""
    if connections[Place.objects.db].vendor != "sqlite":
        return Place.objects.published()
    return Place.objects.alias(_merged_into=Coalesce("merged_into_id", Value(0))).filter(
        _merged_into=0, retired_at__isnull=True, is_public=True
    )


def _communes_of(territories: Iterable[Territory]) -> "QuerySet[Commune, str]":
    where = Q()
    for territory in territories:
        where |= {
            "dep": Q(departement_id=territory.code),
            "reg": Q(departement__region_id=territory.code),
            "epci": Q(epci_id=territory.code),
        }.get(territory.kind, Q(code_insee=territory.code))
    return Commune.objects.filter(where).values_list("code_insee", flat=True)


def filtered_places(filters: PlaceFilters) -> PlaceQuerySet:
    """Published places matching every filter but the position (q, lat/lon, rayon) and the
    opening hours ones (evaluated in each place's time zone: see `hours`)."""
    places = published()
    for parameter in CODE_PARAMETERS:
        codes = getattr(filters, parameter.name)
        if codes:
            places = places.with_any(parameter.field, expand_codes(parameter.field, codes))
    if filters.commune:
        places = places.filter(commune_ref_id__in=filters.commune)
    if filters.prise_rdv:
        places = places.exclude(prise_rdv="")
    if filters.qpv:
        places = places.filter(in_qpv=True)
    if filters.frr:
        places = places.filter(in_frr=True)
    if filters.source:
        places = places.filter(source__in=filters.source)
    if filters.territoire:
        # The communes' codes, not a join: the places' commune index does the work. A literal
        # list plans best; past a few régions a subquery keeps clear of parameter limits.
        communes = _communes_of(filters.territoire)
        codes = list(communes[: MAX_LISTED_COMMUNES + 1])
        places = places.filter(
            commune_ref_id__in=codes if len(codes) <= MAX_LISTED_COMMUNES else communes
        )
    return places


def search(
    filters: PlaceFilters, *, now: dt.datetime | None = None, paginate: bool = True
) -> SearchResult:
    """Published places matching `filters`: one page (or all of them with paginate=False).

    Ordered by distance when there is a centre (lat/lon, or the commune found by `q`), else by
    name. A handful of queries whatever the number of places.
    """
    now = timezone.localtime(now or timezone.now())
    places = filtered_places(filters)
    errors: list[str] = []
    center = filters.center_point
    center_label = ""
    communes: list[Commune] = []
    area_codes: frozenset[str] = frozenset()
    postal_code = ""
    if center is None and filters.q:
        communes = _resolve(filters.q)
        if not communes:
            errors.append(f"q : aucune commune ne correspond à « {filters.q} ».")
            return _empty_result(filters, errors, now)
        first = communes[0]
        center = _commune_center(first)
        center_label = f"{first.name} ({first.code_insee})"
        area_codes = frozenset(commune.code_insee for commune in communes)
        if POSTAL_CODE_PATTERN.match(filters.q):
            postal_code = filters.q
        if center is None:
            places = places.filter(
                Q(commune_ref_id__in=area_codes)
                | (Q(code_postal=postal_code) if postal_code else Q(pk__in=[]))
            )
    elif center is not None:
        center_label = "Autour de votre position"

    hours = (
        HoursFilter(open_now=filters.ouvert_maintenant, weekend=filters.ouvert_week_end, now=now)
        if filters.needs_hours
        else None
    )
    distances: dict[int, float] = {}
    start = (filters.page - 1) * filters.par_page
    if _is_unfiltered(filters):
        # Everything: the count reads the narrow state index only, then one page.
        total = places.count()
        listed = places.order_by("nom", "pk").defer(*_DEFERRED)
        if paginate:
            listed = listed[start : start + filters.par_page]
        result_places = list(listed) if total > start or not paginate else []
    else:
        if center is None:
            if hours is not None:
                # Distinct strings first (a pass over the narrow hours index on PostgreSQL),
                # then only the places matching in their own zone are sorted by name.
                strings = places.order_by().values_list("horaires", flat=True).distinct()
                places = places.filter(hours.condition(strings))
            # One pass: the ordered keys give the total and the page.
            ordered = list(places.order_by("nom", "pk").values_list("pk", flat=True))
        else:
            ordered, distances = _near(
                places, center, filters.rayon * 1000, area_codes, postal_code, hours
            )
        total = len(ordered)
        if paginate:
            ordered = ordered[start : start + filters.par_page]
        by_pk = Place.objects.defer(*_DEFERRED).in_bulk(ordered)
        result_places = [by_pk[pk] for pk in ordered]
        shown = set(ordered)
        distances = {pk: metres for pk, metres in distances.items() if pk in shown}
    pages = _pages(total, filters.par_page)
    return SearchResult(
        filters=filters,
        places=result_places,
        total=total,
        page=filters.page,
        per_page=filters.par_page,
        pages=pages,
        distances=distances,
        center=center,
        center_label=center_label,
        communes=communes,
        open_now=open_now_of(result_places, now),
        now=now,
        errors=errors,
    )


def open_now_of(places: list[Place], now: dt.datetime) -> dict[int, bool]:
    """{place pk: open at `now`} for the places that have opening hours."""
    hours = HoursFilter(open_now=True, weekend=False, now=timezone.localtime(now))
    return {
        place.pk: hours.matches(place.horaires, place.commune_ref_id)
        for place in places
        if place.horaires
    }


def _empty_result(filters: PlaceFilters, errors: list[str], now: dt.datetime) -> SearchResult:
    return SearchResult(
        filters=filters,
        places=[],
        total=0,
        page=filters.page,
        per_page=filters.par_page,
        pages=1,
        now=now,
        errors=errors,
    )


def _pages(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


def _resolve(text: str) -> list[Commune]:
    """Communes meant by what was typed: the best match for a name, every commune of a postal
    code."""
    columns = (
        "code_insee",
        "name",
        "latitude",
        "longitude",
        "town_hall_latitude",
        "town_hall_longitude",
    )
    code = text.strip().upper()
    if POSTAL_CODE_PATTERN.match(code) or CODE_INSEE_PATTERN.match(code):
        # Direct index lookups: cheaper than the ranked search's OR on every commune.
        by_postal_code = Commune.objects.with_postal_code(code).by_population().only(*columns)
        return list(by_postal_code[:MAX_POSTAL_COMMUNES]) or list(
            Commune.objects.by_code_insee(code).only(*columns)
        )
    found = Commune.objects.search(text).only(*columns)
    # An exact name is the usual case and uses the name index; the ranked search scans.
    exact = list(
        Commune.objects.filter(search_name=normalize_query(text)).by_population().only(*columns)[:1]
    )
    return exact or list(found[:1])


def _commune_center(commune: Commune) -> tuple[float, float] | None:
    # The town hall is where "the centre" of a commune is for its inhabitants.
    if commune.town_hall_latitude is not None and commune.town_hall_longitude is not None:
        return (commune.town_hall_latitude, commune.town_hall_longitude)
    if commune.latitude is not None and commune.longitude is not None:
        return (commune.latitude, commune.longitude)
    return None


def _near(
    places: PlaceQuerySet,
    center: tuple[float, float],
    radius_m: float,
    area_codes: frozenset[str],
    postal_code: str,
    hours: HoursFilter | None = None,
) -> tuple[list[int], dict[int, float]]:
    """Pks within the radius or in the searched communes, precise ones first by distance.

    An approximate place is stored at its commune's centre (the import puts it there), so the
    stored point is used for every place and no join is needed; a place without any point is
    found only through its commune.
    """
    south, north, west, east = bounding_box(center, radius_m)
    where = Q(latitude__range=(south, north), longitude__range=(west, east))
    if area_codes:
        where |= Q(commune_ref_id__in=area_codes)
    if postal_code:
        where |= Q(code_postal=postal_code)
    rows = list(
        places.filter(where)
        .order_by()
        .values_list(
            "pk",
            "latitude",
            "longitude",
            "location_precision",
            "commune_ref_id",
            "code_postal",
            "horaires",
        )
    )
    if hours is not None:
        rows = [row for row in rows if hours.matches(row[6], row[4])]
    if not rows:
        return [], {}
    pks = np.array([row[0] for row in rows], dtype=np.int64)
    precise = np.array(
        [row[3] == LocationPrecision.PRECISE and row[1] is not None for row in rows], dtype=bool
    )
    lat = np.array([math.nan if row[1] is None else row[1] for row in rows], dtype=np.float64)
    lon = np.array([math.nan if row[2] is None else row[2] for row in rows], dtype=np.float64)
    distance = haversine_m(lat, lon, center)
    distance = np.where(np.isnan(distance), np.inf, distance)
    in_area = np.array(
        [row[4] in area_codes or (bool(postal_code) and row[5] == postal_code) for row in rows],
        dtype=bool,
    )
    keep = (distance <= radius_m) | in_area
    order = np.lexsort((pks, distance, ~precise))
    order = order[keep[order]]
    ordered = [int(pk) for pk in pks[order]]
    distances = {
        int(pks[i]): float(distance[i]) for i in order if precise[i] and np.isfinite(distance[i])
    }
    return ordered, distances
