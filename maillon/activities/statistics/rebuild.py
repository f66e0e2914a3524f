"""Rebuild the territory roll-ups and the presences from the raw rows, with numpy (ADR 0008).

The raw rows are read once, column by column, then every table is computed with vectorised
sorts and `bincount`s and written in bulk (`COPY` on PostgreSQL). Same figures as the per-row
contributions of `rollups` (a test compares both).
"""

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from django.db import connection, models, transaction

from maillon.activities.generation import writer
from maillon.activities.models import Accompaniment, Activity
from maillon.activities.statistics.models import (
    NO_PREVIOUS_MONTH,
    THEME_COLUMNS,
    TREND_CODES,
    PresenceStat,
    TerritoryDayStat,
    TerritoryMonthStat,
    ThemePresenceStat,
)
from maillon.activities.statistics.rollups import DAY, MONTH, PRESENCE, THEME_PRESENCE, Table
from maillon.activities.vocabulary import AUTONOMIE_STARS, Autonomie, TypeActivite, TypeLieu
from maillon.beneficiaries.models import Beneficiary, Genre, StatutSocial, TrancheAge
from maillon.territory.models import Commune

Array = np.ndarray[Any, Any]
FETCH = 100_000
# Exclusive upper bounds of the age brackets (beneficiaries.models), then 70 and more.
AGE_BOUNDS = np.array([12, 18, 25, 40, 60, 70])
AGE_ORDER = np.array(
    [TrancheAge.values.index(code) for code in TrancheAge.values if code != "non_communique"]
)


def _columns(query: "models.QuerySet[Any]", count: int) -> list[list[Any]]:
    """The columns of a `values_list` query, read in chunks straight from the cursor."""
    sql, params = query.query.sql_with_params()
    columns: list[list[Any]] = [[] for _ in range(count)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            for column, values in zip(columns, zip(*rows, strict=True), strict=True):
                column.extend(values)
    return columns


def _integers(query: "models.QuerySet[Any]") -> Array:
    """An integer query's rows as a matrix, converted chunk by chunk (bounded memory)."""
    sql, params = query.query.sql_with_params()
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            chunks.append(np.array(rows, dtype=np.int64))
    return np.concatenate(chunks) if chunks else np.zeros((0, 3), dtype=np.int64)


def _codes(values: Sequence[Any], codes: Sequence[str]) -> Array:
    index = {code: i for i, code in enumerate(codes)}
    return np.array([index.get(v or "", -1) for v in values], dtype=np.int64)


class Territories:
    """Integer ids of the territory keys; for each commune, its fr/reg/dep/epci ids."""

    def __init__(self) -> None:
        self.keys: list[str] = ["fr"]
        self._ids: dict[str, int] = {"fr": 0}
        self.commune_index: dict[str, int] = {}
        levels: list[list[int]] = [[], [], []]
        for code, dep, reg, epci in Commune.objects.values_list(
            "pk", "departement_id", "departement__region_id", "epci_id"
        ).order_by():
            self.commune_index[code] = len(self.commune_index)
            levels[0].append(self._id(f"reg:{reg}") if reg else -1)
            levels[1].append(self._id(f"dep:{dep}") if dep else -1)
            levels[2].append(self._id(f"epci:{epci}") if epci else -1)
        # One row more for "no commune": counted in France only.
        self.reg, self.dep, self.epci = (np.array([*lv, -1], dtype=np.int64) for lv in levels)

    def _id(self, key: str) -> int:
        if key not in self._ids:
            self._ids[key] = len(self.keys)
            self.keys.append(key)
        return self._ids[key]

    def of_communes(self, codes: Sequence[str | None]) -> Array:
        missing = len(self.commune_index)
        return np.array([self.commune_index.get(c or "", missing) for c in codes], dtype=np.int64)

    def levels(self, commune: Array, *, epci: bool) -> Iterator[tuple[Array, Array]]:
        """(row selector, territory id) for France, région, département (and EPCI)."""
        yield np.ones(len(commune), dtype=bool), np.zeros(len(commune), dtype=np.int64)
        for level in (self.reg, self.dep, *((self.epci,) if epci else ())):
            ids = level[commune]
            yield ids >= 0, ids


def _group_sum(keys: Array, weights: Sequence[Array]) -> tuple[Array, list[Array]]:
    """Distinct keys and the sum of each weight column per key."""
    unique, inverse = np.unique(keys, return_inverse=True)
    return unique, [np.bincount(inverse, weights=w, minlength=len(unique)) for w in weights]


def _write(table: Table, key_columns: Sequence[Sequence[Any]], counts: Sequence[Array]) -> int:
    model: Any = table.model
    model.objects.all().delete()
    total = len(key_columns[0])
    values = [list(k) for k in key_columns] + [c.astype(np.int64).tolist() for c in counts]
    next_id = writer.next_id(model)

    def chunk(start: int, stop: int) -> list[list[Any]]:
        return [list(range(next_id + start, next_id + stop))] + [v[start:stop] for v in values]

    writer.insert(model, ["id", *table.keys, *table.counts], total, chunk)
    writer.reset_sequences(model)
    return total


def _activities(territories: Territories) -> dict[str, Array]:
    query = (
        Activity.objects.filter(deleted_at__isnull=True)
        .order_by()
        .values_list(
            "pk",
            "date",
            "commune_id",
            "type",
            "place_kind",
            "duration_minutes",
            "autonomy",
            "participants_count",
            "themes_mask",
            "equipment_mask",
        )
    )
    c = _columns(query, 10)
    days = np.array([str(d) for d in c[1]], dtype="datetime64[D]")
    months = days.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    return {
        "id": np.array(c[0], dtype=np.int64),
        "day": days,
        "month": months,
        "commune": territories.of_communes(c[2]),
        "type": _codes(c[3], TypeActivite.values),
        "kind": _codes(c[4], TypeLieu.values),
        "duration": np.array(c[5], dtype=np.int64),
        "autonomy": _codes(c[6], Autonomie.values),
        "rating": np.array([AUTONOMIE_STARS.get(a, 0) for a in c[6]], dtype=np.int64),
        "weight": np.array(c[7], dtype=np.int64),
        "themes": np.array([m or 0 for m in c[8]], dtype=np.int64),
        "equipment": np.array([m or 0 for m in c[9]], dtype=np.int64),
    }


def _month_and_day_tables(a: dict[str, Array], territories: Territories) -> int:
    n = len(a["id"])
    one = np.ones(n)
    weight = a["weight"].astype(np.float64)
    bucket = np.searchsorted(np.array([30, 60, 120]), a["duration"], side="left")
    individual = a["type"] == TypeActivite.values.index(TypeActivite.INDIVIDUEL)
    columns: list[Array] = [one, weight]
    for t in range(len(TypeActivite.values)):
        columns += [one * (a["type"] == t), weight * (a["type"] == t)]
    columns += [weight * (a["kind"] == k) for k in range(len(TypeLieu.values))]
    columns += [weight * (bucket == b) for b in range(4)]
    columns += [one * (individual & (a["autonomy"] == v)) for v in range(len(Autonomie.values))]
    columns += [weight * ((a["themes"] >> bit) & 1) for bit in range(len(THEME_COLUMNS))]
    columns += [weight * ((a["equipment"] >> bit) & 1) for bit in range(5)]
    day_number = a["day"].astype(np.int64)
    month_keys, day_keys = [], []
    month_counts: list[list[Array]] = []
    day_counts: list[list[Array]] = []
    for selected, ids in territories.levels(a["commune"], epci=False):
        key, sums = _group_sum(
            ids[selected] * 100_000 + a["month"][selected], [c[selected] for c in columns]
        )
        month_keys.append(key)
        month_counts.append(sums)
        key, sums = _group_sum(
            ids[selected] * 1_000_000 + day_number[selected], [one[selected], weight[selected]]
        )
        day_keys.append(key)
        day_counts.append(sums)
    keys = np.concatenate(month_keys)
    names = np.array(territories.keys, dtype=object)
    rows = _write(
        MONTH,
        [names[keys // 100_000].tolist(), (keys % 100_000).tolist()],
        [np.concatenate([s[i] for s in month_counts]) for i in range(len(columns))],
    )
    keys = np.concatenate(day_keys)
    dates = (keys % 1_000_000).astype("datetime64[D]").astype(object)
    rows += _write(
        DAY,
        [names[keys // 1_000_000].tolist(), list(dates)],
        [np.concatenate([s[i] for s in day_counts]) for i in range(2)],
    )
    return rows


def _trend(b: Array, day: Array, activity: Array, rating: Array, people: int) -> Array:
    """Index in TREND_CODES of each beneficiary (first vs latest rated session)."""
    rated = rating > 0
    order = np.lexsort((activity[rated], day[rated], b[rated]))
    rb, rr = b[rated][order], rating[rated][order]
    trend = np.full(people, TREND_CODES.index("pas_assez_de_donnees"), dtype=np.int64)
    if len(rb) == 0:
        return trend
    starts = np.flatnonzero(np.r_[True, rb[1:] != rb[:-1]])
    ends = np.r_[starts[1:], len(rb)] - 1
    first, latest, count = rr[starts], rr[ends], ends - starts + 1
    verdict = np.where(
        latest > first,
        TREND_CODES.index("progression"),
        np.where(latest < first, TREND_CODES.index("recul"), TREND_CODES.index("stable")),
    )
    enough = count >= 2
    trend[rb[starts][enough]] = verdict[enough]
    return trend


def _chain(key: Array, month: Array) -> tuple[Array, Array, Array]:
    """Distinct (key, month) pairs sorted, with the previous month of the same key."""
    combined = np.unique(key * 100_000 + month)
    k, m = combined // 100_000, combined % 100_000
    previous = np.r_[NO_PREVIOUS_MONTH, m[:-1]]
    previous[np.r_[True, k[1:] != k[:-1]]] = NO_PREVIOUS_MONTH
    return k, m, previous


def _presences(a: dict[str, Array], territories: Territories) -> int:
    acc = _integers(
        Accompaniment.objects.filter(activity__deleted_at__isnull=True)
        .order_by()
        .values_list("activity_id", "beneficiary_id", "is_first")
    ).T
    people = _columns(
        Beneficiary.objects.order_by().values_list(
            "pk", "is_anonymous", "genre", "statut_social", "birth_year", "age_bracket"
        ),
        6,
    )
    person_ids = np.array(people[0], dtype=np.int64)
    person_of = np.full(int(person_ids.max(initial=0)) + 1, -1, dtype=np.int64)
    person_of[person_ids] = np.arange(len(person_ids))
    activity_of = np.full(int(a["id"].max(initial=0)) + 1, -1, dtype=np.int64)
    activity_of[a["id"]] = np.arange(len(a["id"]))
    row, b, is_first = activity_of[acc[0]], person_of[acc[1]], acc[2]
    month, day, commune = a["month"][row], a["day"][row].astype(np.int64), a["commune"][row]
    followed = ~np.array(people[1], dtype=bool)
    genre = _codes(people[2], Genre.values)
    statut = _codes(people[3], StatutSocial.values)
    birth = np.array([y if y is not None else -1 for y in people[4]], dtype=np.int64)
    declared = _codes([v or TrancheAge.NON_COMMUNIQUE for v in people[5]], TrancheAge.values)
    trend = _trend(b, day, a["id"][row], a["rating"][row], len(person_ids))
    month0 = int(month.min(initial=0))

    # Presences: distinct (territory, beneficiary, month), with firsts summed.
    presence_keys, presence_counts = [], []
    n_people = max(len(person_ids), 1)
    for selected, ids in territories.levels(commune, epci=True):
        tb = ids[selected] * n_people + b[selected]
        unique, inverse = np.unique(tb * 100_000 + (month[selected] - month0), return_inverse=True)
        firsts = np.bincount(inverse, weights=is_first[selected], minlength=len(unique))
        k, m = unique // 100_000, unique % 100_000 + month0
        previous = np.r_[NO_PREVIOUS_MONTH, m[:-1]]
        previous[np.r_[True, k[1:] != k[:-1]]] = NO_PREVIOUS_MONTH
        territory, person = k // n_people, k % n_people
        age = m // 12 - birth[person]
        bracket = np.where(
            birth[person] >= 0,
            AGE_ORDER[np.searchsorted(AGE_BOUNDS, age, side="right")],
            declared[person],
        )
        f = followed[person]
        weights = [np.ones(len(m)), f * 1.0, ~f * 1.0]
        weights += [genre[person] == g for g in range(len(Genre.values))]
        weights += [statut[person] == s for s in range(len(StatutSocial.values))]
        weights += [bracket == t for t in range(len(TrancheAge.values))]
        weights += [f & (trend[person] == t) for t in range(len(TREND_CODES))]
        weights.append(firsts)
        # Group the presences by (territory, month, previous month).
        previous_code = np.where(previous == NO_PREVIOUS_MONTH, 0, previous - month0 + 1)
        key = (territory * 100_000 + (m - month0)) * 100_001 + previous_code
        keys, sums = _group_sum(key, [np.asarray(w, dtype=np.float64) for w in weights])
        presence_keys.append(keys)
        presence_counts.append(sums)
    keys = np.concatenate(presence_keys)
    names = np.array(territories.keys, dtype=object)
    pair, previous = keys // 100_001, keys % 100_001 + month0 - 1
    previous[previous < month0] = NO_PREVIOUS_MONTH
    rows = _write(
        PRESENCE,
        [
            names[pair // 100_000].tolist(),
            (pair % 100_000 + month0).tolist(),
            previous.tolist(),
        ],
        [np.concatenate([s[i] for s in presence_counts]) for i in range(len(presence_counts[0]))],
    )

    # Presences of followed people per thématique (France, région, département).
    theme_keys, theme_counts = [], []
    fb = followed[b]
    themes = a["themes"][row]
    for selected, ids in territories.levels(commune, epci=False):
        for bit in range(len(THEME_COLUMNS)):
            s = selected & fb & ((themes >> bit) & 1).astype(bool)
            if not s.any():
                continue
            k, m, previous = _chain(ids[s] * n_people + b[s], month[s] - month0)
            territory, person = k // n_people, k % n_people
            weights = [np.ones(len(m))]
            weights += [(trend[person] == t) * 1.0 for t in range(len(TREND_CODES))]
            key = ((territory * 64 + bit) * 100_000 + m) * 100_001 + (previous + 1)
            keys_, sums = _group_sum(key, weights)
            theme_keys.append(keys_)
            theme_counts.append(sums)
    if theme_keys:
        keys = np.concatenate(theme_keys)
        pair, previous = keys // 100_001, keys % 100_001 - 1
        m = pair % 100_000
        territory_bit = pair // 100_000
        rows += _write(
            THEME_PRESENCE,
            [
                names[territory_bit // 64].tolist(),
                (territory_bit % 64).tolist(),
                (m + month0).tolist(),
                np.where(previous >= 0, previous + month0, NO_PREVIOUS_MONTH).tolist(),
            ],
            [np.concatenate([s[i] for s in theme_counts]) for i in range(1 + len(TREND_CODES))],
        )
    else:
        ThemePresenceStat.objects.all().delete()
    return rows


@transaction.atomic
def rebuild_rollups() -> int:
    """Recompute the territory tables and the presences; return the number of rows written."""
    territories = Territories()
    activities = _activities(territories)
    if len(activities["id"]) == 0:
        for model in (TerritoryMonthStat, TerritoryDayStat, PresenceStat, ThemePresenceStat):
            model.objects.all().delete()
        return 0
    return _month_and_day_tables(activities, territories) + _presences(activities, territories)


__all__ = ["rebuild_rollups"]
