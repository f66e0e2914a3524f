"""Distinct beneficiaries, their categories and their autonomy progression (ADR 0008).

Two paths give the same figures: the presences (`PresenceStat`, `ThemePresenceStat`) when the
selection is a whole territory over whole months, the raw accompaniments otherwise. The tranche
d'âge of a person is the one of the year of his first accompaniment in the selection (his
birth year, else the bracket declared for an anonymous person). The autonomy trend of a
followed person compares his first and latest rated individual sessions, all time
(`maillon.beneficiaries.trajectory`): the presences carry it, and the raw path reads it from
his file (`Beneficiary.autonomy_trend`, kept by `rollups.store_trends`); the thématiques are
those of his accompaniments in the selection; the territories are the children of the selected
territory.
"""

import dataclasses
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Func, IntegerField, Q, QuerySet, Sum

from maillon.activities.models import Activity
from maillon.activities.statistics.models import (
    PRESENCE_COUNT_COLUMNS,
    TREND_CODES,
    TREND_COLUMNS,
    PresenceStat,
    ThemePresenceStat,
)
from maillon.activities.statistics.sums import column_sums
from maillon.activities.vocabulary import Thematique
from maillon.beneficiaries.models import TrancheAge, tranche_age_of
from maillon.territory.models import Commune, Departement, Epci, Region

# Enumeration members' codes, read once: `Choices.values` rebuilds its list on every access.
THEME_CODES: tuple[str, ...] = tuple(Thematique.values)


@dataclasses.dataclass
class People:
    followed: int = 0
    anonymous: int = 0
    new: int = 0
    genre: dict[str, int] = dataclasses.field(default_factory=lambda: defaultdict(int))
    statut: dict[str, int] = dataclasses.field(default_factory=lambda: defaultdict(int))
    tranche: dict[str, int] = dataclasses.field(default_factory=lambda: defaultdict(int))
    trend: dict[str, int] = dataclasses.field(default_factory=lambda: defaultdict(int))
    by_territory: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)
    by_theme: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)
    # (code, label) of the children of the selected territory, in display order.
    children: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    children_title: str = ""
    # Distinct people per place of residence (commune or département code, "" when unknown):
    # filled by `from_raw` only (the whole-territory path reads `rankings.of_territory`).
    residence: dict[str, int] = dataclasses.field(default_factory=lambda: defaultdict(int))


def children_of(territory: str) -> tuple[str, list[tuple[str, str]]]:
    """The level below a territory and its members (territory keys, names): one query."""
    kind, _, code = territory.partition(":")
    rows: Any
    if kind == "fr":
        rows = Region.objects.order_by("code").values_list("code", "name")
        return "Régions", [(f"reg:{c}", n) for c, n in rows]
    if kind == "reg":
        rows = (
            Departement.objects.filter(region_id=code).order_by("code").values_list("code", "name")
        )
        return "Départements", [(f"dep:{c}", n) for c, n in rows]
    if kind == "dep":
        rows = (
            Epci.objects.filter(communes__departement_id=code)
            .distinct()
            .order_by("name")
            .values_list("siren", "name")
        )
        return "EPCI (ensemble de leurs communes)", [(f"epci:{c}", n) for c, n in rows]
    return "", []


# --- from the presences ---------------------------------------------------------------------


def from_presences(territory: str, first: int, last: int) -> People:
    """Distinct people of a whole territory over months [first, last]: four queries."""
    new_only = Q(previous_month__lt=first)
    window = Q(month__gte=first, month__lte=last)
    sums = column_sums(
        PresenceStat,
        PRESENCE_COUNT_COLUMNS,
        where="territory = %s AND month >= %s AND month <= %s",
        params=(territory, first, last),
        conditional=[c for c in PRESENCE_COUNT_COLUMNS if c != "firsts"],
        condition="previous_month < %s",
        condition_params=(first,),
    )
    people = People(followed=sums["followed"], anonymous=sums["anonymous"], new=sums["firsts"])
    for column, value in sums.items():
        prefix, _, code = column.partition("_")
        target = {"genre": people.genre, "statut": people.statut, "age": people.tranche}
        if prefix in target:
            target[prefix][code] = value
    for code, column in zip(TREND_CODES, TREND_COLUMNS, strict=True):
        people.trend[code] = sums[column]
    people.children_title, people.children = children_of(territory)
    keys = [key for key, _name in people.children]
    for row in (
        PresenceStat.objects.filter(window, new_only, territory__in=keys)
        .values("territory")
        .annotate(**{c: Sum(c) for c in TREND_COLUMNS})
        .order_by()
    ):
        people.by_territory[row["territory"]] = _trends(row)
    for row in (
        ThemePresenceStat.objects.filter(window, new_only, territory=territory)
        .values("theme")
        .annotate(**{c: Sum(c) for c in TREND_COLUMNS})
        .order_by()
    ):
        people.by_theme[THEME_CODES[row["theme"]]] = _trends(row)
    return people


def _trends(row: dict[str, Any]) -> dict[str, int]:
    return {code: row[c] for code, c in zip(TREND_CODES, TREND_COLUMNS, strict=True)}


# --- from the raw rows ----------------------------------------------------------------------

# The column of a commune naming its territory one level below the selected one.
_CHILD_COLUMN = {
    "fr": ("departement__region_id", "reg"),
    "reg": ("departement_id", "dep"),
    "dep": ("epci_id", "epci"),
}


def _children_of_communes(codes: set[str], kind: str) -> dict[str, str]:
    """The child territory key ("reg:…", "dep:…", "epci:…") of each commune: one small query
    instead of joining the communes to every row."""
    if kind not in _CHILD_COLUMN or not codes:
        return {}
    column, child_kind = _CHILD_COLUMN[kind]
    rows = Commune.objects.filter(pk__in=codes).values_list("pk", column)
    return {code: f"{child_kind}:{child}" for code, child in rows if child}


class _Year(Func):
    """The year of a date as an integer, without a per-row Python function on SQLite."""

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(substr(%(expressions)s, 1, 4) AS integer)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "EXTRACT(YEAR FROM %(expressions)s)::integer"
        return self.as_sql(compiler, connection, template=template, **extra)


def from_raw(
    activities: "QuerySet[Activity]",
    territory: str,
    *,
    with_new: bool,
    residence_by_departement: bool = False,
) -> People:
    """Distinct people of the selected activities: one query, aggregated in Python.

    The rows are read with the database cursor: every value is an integer, a string or None
    (booleans as 0/1 on SQLite), so Django's per-value converters are not needed; they cost
    more than the query on a structure's thousands of accompaniments."""
    kind = territory.partition(":")[0]
    # From the activities to their accompaniments (a LEFT JOIN: an activity without any gives
    # a row without beneficiary, skipped below): each activity row is read once, where going
    # from the accompaniments read it a second time by primary key.
    query = (
        activities.annotate(year=_Year("date"))
        .values_list(
            "accompaniments__beneficiary_id",
            "year",
            "commune_id",
            "themes_mask",
            "accompaniments__is_first",
            "accompaniments__beneficiary__is_anonymous",
            "accompaniments__beneficiary__genre",
            "accompaniments__beneficiary__statut_social",
            "accompaniments__beneficiary__birth_year",
            "accompaniments__beneficiary__age_bracket",
            "accompaniments__beneficiary__autonomy_trend",
            "accompaniments__beneficiary__commune__departement_id"
            if residence_by_departement
            else "accompaniments__beneficiary__commune_id",
        )
        .order_by()
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    people = People()
    first_year: dict[int, int] = {}
    attributes: dict[int, tuple[Any, ...]] = {}
    themes: dict[int, int] = defaultdict(int)
    children: dict[int, set[str]] = defaultdict(set)
    new = 0
    for row in rows:
        pk, year, child, mask = row[0], row[1], row[2], row[3]
        if pk is None:
            continue
        if year < first_year.get(pk, 10_000):
            first_year[pk] = year
        attributes[pk] = row
        if mask:
            themes[pk] |= mask
        if child:
            children[pk].add(child)
        new += row[4]
    people.new = int(new)
    if not with_new:
        people.new = 0
    residences = people.residence
    trends: dict[int, str] = {}
    for pk, row in attributes.items():
        is_anonymous, genre, statut, birth_year, declared, trend, lives_in = row[5:]
        trends[pk] = trend
        residences[lives_in or ""] += 1
        if is_anonymous:
            people.anonymous += 1
        else:
            people.followed += 1
        people.genre[genre] += 1
        people.statut[statut] += 1
        bracket = (
            tranche_age_of(birth_year, year=first_year[pk])
            if birth_year is not None
            else TrancheAge(declared or TrancheAge.NON_COMMUNIQUE)
        )
        people.tranche[bracket] += 1
    followed = [pk for pk, a in attributes.items() if not a[5]]
    people.children_title, people.children = children_of(territory)
    child_of = _children_of_communes({c for pk in followed for c in children.get(pk, ())}, kind)
    by_territory: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TREND_CODES, 0))
    by_theme: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TREND_CODES, 0))
    for pk in followed:
        trend = trends[pk]
        people.trend[trend] += 1
        for child in {child_of[c] for c in children.get(pk, ()) if c in child_of}:
            by_territory[child][trend] += 1
        mask = themes.get(pk, 0)
        while mask:
            lowest = mask & -mask
            by_theme[THEME_CODES[lowest.bit_length() - 1]][trend] += 1
            mask ^= lowest
    people.by_territory, people.by_theme = dict(by_territory), dict(by_theme)
    return people


__all__ = ["People", "children_of", "from_presences", "from_raw"]
