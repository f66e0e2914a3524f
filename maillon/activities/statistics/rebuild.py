"""Rebuild the territory roll-ups and the presences from the raw rows, with numpy (ADR 0008).

The raw rows are read once, then every table is computed with vectorised sorts and `bincount`s
and written in bulk (`COPY` on PostgreSQL). Same figures as the per-row contributions of
`rollups` (a test compares both).

Reading millions of rows costs about a microsecond per value handed to Python: the database
packs each row's small values into one or two 64-bit integers (enumeration indexes, day number,
bit masks), unpacked here with shifts (`_unpack`).

The autonomy trend of each beneficiary is written to his file where it differs from the stored
one (`_store_trends`: a temporary table joined by one `UPDATE … FROM`).
"""

from collections.abc import Sequence
from itertools import islice
from typing import Any

import numpy as np
from django.db import connection, models, transaction
from django.db.models import BigIntegerField, Case, F, Func, IntegerField, Value, When
from django.db.models.functions import Cast, Coalesce

from maillon.activities.models import Accompaniment, Activity
from maillon.activities.statistics.models import (
    NO_PREVIOUS_MONTH,
    THEME_COLUMNS,
    TREND_CODES,
    ThemePresenceStat,
)
from maillon.activities.statistics.rebuild_rankings import Residences, activity_tables
from maillon.activities.statistics.rebuild_support import (
    Array,
    Territories,
)
from maillon.activities.statistics.rebuild_support import distinct as _distinct
from maillon.activities.statistics.rebuild_support import unpack as _unpack
from maillon.activities.statistics.rebuild_support import write as _write
from maillon.activities.statistics.rollups import (
    ACTIVITY_TABLES,
    BENEFICIARY_TABLES,
    DAY,
    MONTH,
    PRESENCE,
    THEME_PRESENCE,
)
from maillon.activities.vocabulary import AUTONOMIE_STARS, Autonomie, TypeActivite, TypeLieu
from maillon.beneficiaries.models import (
    NO_AUTONOMY_TREND,
    Beneficiary,
    Genre,
    StatutSocial,
    TrancheAge,
)

FETCH = 100_000
# Exclusive upper bounds of the age brackets (beneficiaries.models), then 70 and more.
AGE_BOUNDS = np.array([12, 18, 25, 40, 60, 70])
AGE_ORDER = np.array(
    [TrancheAge.values.index(code) for code in TrancheAge.values if code != "non_communique"]
)


def _integers(query: "models.QuerySet[Any]", width: int) -> Array:
    """An integer query's rows as a (rows, width) matrix, converted chunk by chunk."""
    sql, params = query.query.sql_with_params()
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            chunks.append(np.array(rows, dtype=np.int64))
    return np.concatenate(chunks) if chunks else np.zeros((0, width), dtype=np.int64)


class _EpochDay(Func):
    """Days since 1970-01-01 of a date column."""

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(%(expressions)s - DATE '1970-01-01')"
        return self.as_sql(compiler, connection, template=template, **extra)


def _code(field: str, codes: Sequence[str]) -> Case:
    """1 + the index of the field's value in `codes`, 0 when absent (4 bits: < 16 codes)."""
    assert len(codes) < 15
    return Case(
        *[When(**{field: code}, then=Value(i + 1)) for i, code in enumerate(codes)],
        default=Value(0),
        output_field=BigIntegerField(),
    )


def _pack(*parts: tuple[Any, int]) -> Any:
    """One 64-bit integer from (expression, shift) pairs (bits must not overlap)."""
    total: Any = None
    for expression, shift in parts:
        term: Any = Cast(expression, BigIntegerField())
        if shift:
            term = term * Value(1 << shift, output_field=BigIntegerField())
        total = term if total is None else total + term
    return total


AUTONOMY_STARS = np.array([0, *(AUTONOMIE_STARS[code] for code in Autonomie.values)])


def _activities(territories: Territories) -> dict[str, Array]:
    base = Activity.objects.filter(deleted_at__isnull=True).order_by()
    shape = _pack(
        (_EpochDay("date"), 0),
        (_code("type", TypeActivite.values), 20),
        (_code("place_kind", TypeLieu.values), 24),
        (_code("autonomy", Autonomie.values), 28),
        (F("duration_minutes"), 32),
    )
    counts = _pack(
        (Coalesce("themes_mask", 0), 0),
        (Coalesce("equipment_mask", 0), 32),
        (F("participants_count"), 40),
    )
    query = base.annotate(
        shape=shape, counts=counts, place_key=Coalesce("place_id", 0)
    ).values_list("pk", "shape", "counts", "commune_id", "place_key")
    sql, params = query.query.sql_with_params()
    ids, shapes, totals, communes, places = [], [], [], [], []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            pk, shape_, counts_, commune, place = zip(*rows, strict=True)
            ids.append(np.array(pk, dtype=np.int64))
            places.append(np.array(place, dtype=np.int64))
            shapes.append(np.array(shape_, dtype=np.int64))
            totals.append(np.array(counts_, dtype=np.int64))
            communes.append(territories.of_communes(commune))
    if not ids:
        return {"id": np.zeros(0, dtype=np.int64)}
    shape, counts = np.concatenate(shapes), np.concatenate(totals)
    days = _unpack(shape, 0, 20)
    autonomy = _unpack(shape, 28, 4)
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) + 1970 * 12
    return {
        "id": np.concatenate(ids),
        "day": days,
        "month": months,
        "commune": np.concatenate(communes),
        "place": np.concatenate(places),
        "type": _unpack(shape, 20, 4) - 1,
        "kind": _unpack(shape, 24, 4) - 1,
        "duration": shape >> 32,
        "autonomy": autonomy - 1,
        "rating": AUTONOMY_STARS[autonomy],
        "weight": counts >> 40,
        "themes": _unpack(counts, 0, 32),
        "equipment": _unpack(counts, 32, 8),
    }


def _sums(
    cell: Array, cells: int, weights: Array | None = None, *, of: Array | None = None
) -> Array:
    """Per cell, the number (or the weights' sum) of the rows selected by `of` (all if None)."""
    if of is not None:
        cell = cell[of]
        weights = None if weights is None else weights[of]
    return np.bincount(cell, weights=weights, minlength=cells)


def _rolled_up(
    per_departement: Array, departement_ids: Array, territories: Territories
) -> tuple[Array, Array]:
    """Sums per département (row i: `departement_ids[i]`; the last row: no département,
    counted in France only) rolled up into France, régions and départements:
    (territory ids, rows)."""
    region_of = territories.region_of[departement_ids]
    located = region_of >= 0
    region_ids, region_row = np.unique(region_of[located], return_inverse=True)
    regions = np.zeros((len(region_ids), *per_departement.shape[1:]), dtype=per_departement.dtype)
    np.add.at(regions, region_row, per_departement[:-1][located])
    return (
        np.r_[0, region_ids, departement_ids],
        np.concatenate([per_departement.sum(axis=0, keepdims=True), regions, per_departement[:-1]]),
    )


def _month_and_day_tables(a: dict[str, Array], territories: Territories) -> int:
    """Activities summed per (département, month) and (département, day) in one pass each
    (a `bincount` per column), then rolled up into régions and France."""
    departement_ids = np.unique(territories.dep[territories.dep >= 0])
    departements = len(departement_ids) + 1  # the last: no département
    row_of = np.full(len(territories.keys), departements - 1, dtype=np.int64)
    row_of[departement_ids] = np.arange(len(departement_ids))
    departement = np.where(territories.dep >= 0, row_of[territories.dep], departements - 1)[
        a["commune"]
    ]
    month0 = int(a["month"].min())
    months = int(a["month"].max()) - month0 + 1
    cell, cells = departement * months + (a["month"] - month0), departements * months
    weight = a["weight"].astype(np.float64)
    bucket = np.searchsorted(np.array([30, 60, 120]), a["duration"], side="left")
    individual = a["type"] == TypeActivite.values.index(TypeActivite.INDIVIDUEL)
    columns: list[Array] = [_sums(cell, cells), _sums(cell, cells, weight)]
    for t in range(len(TypeActivite.values)):
        of_type = a["type"] == t
        columns += [_sums(cell, cells, of=of_type), _sums(cell, cells, weight, of=of_type)]
    columns += [_sums(cell, cells, weight, of=a["kind"] == k) for k in range(len(TypeLieu.values))]
    columns += [_sums(cell, cells, weight, of=bucket == b) for b in range(4)]
    columns += [
        _sums(cell, cells, of=individual & (a["autonomy"] == v))
        for v in range(len(Autonomie.values))
    ]
    columns += [
        _sums(cell, cells, weight, of=((a["themes"] >> bit) & 1) == 1)
        for bit in range(len(THEME_COLUMNS))
    ]
    columns += [
        _sums(cell, cells, weight, of=((a["equipment"] >> bit) & 1) == 1) for bit in range(5)
    ]
    per_departement = np.stack(columns, axis=-1).reshape(departements, months, len(columns))
    ids, sums = _rolled_up(per_departement.astype(np.int64), departement_ids, territories)
    territory, month = np.nonzero(sums[:, :, 0])
    names = np.array(territories.keys, dtype=object)
    rows = _write(
        MONTH,
        [names[ids[territory]].tolist(), (month + month0).tolist()],
        [sums[territory, month, i] for i in range(len(columns))],
    )
    day0 = int(a["day"].min())
    days = int(a["day"].max()) - day0 + 1
    cell, cells = departement * days + (a["day"] - day0), departements * days
    per_day = np.stack([_sums(cell, cells), _sums(cell, cells, weight)], axis=-1)
    ids, sums = _rolled_up(
        per_day.reshape(departements, days, 2).astype(np.int64), departement_ids, territories
    )
    territory, day = np.nonzero(sums[:, :, 0])
    dates = (day + day0).astype("datetime64[D]").astype(object)
    rows += _write(
        DAY,
        [names[ids[territory]].tolist(), list(dates)],
        [sums[territory, day, i] for i in range(2)],
    )
    return rows


def _per_category(group: Array, groups: int, category: Array, width: int) -> list[Array]:
    """Per group, one column per category value in [0, width) (others are not counted)."""
    known = (category >= 0) & (category < width)
    counts = np.bincount(group[known] * width + category[known], minlength=groups * width)
    return list(counts.reshape(groups, width).T)


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


def _presences(a: dict[str, Array], territories: Territories) -> int:
    # Accompaniments of deleted activities are dropped below (their activity has no row).
    acc = _integers(
        Accompaniment.objects.order_by().values_list(
            "activity_id",
            _pack(
                (Case(When(is_first=True, then=1), default=0, output_field=BigIntegerField()), 0),
                (F("beneficiary_id"), 1),
            ),
        ),
        2,
    ).T
    declared_code = Case(
        When(age_bracket__isnull=True, then=Value(1 + TrancheAge.values.index("non_communique"))),
        When(age_bracket="", then=Value(1 + TrancheAge.values.index("non_communique"))),
        default=_code("age_bracket", TrancheAge.values),
        output_field=BigIntegerField(),
    )
    people = _integers(
        Beneficiary.objects.order_by().values_list(
            "pk",
            _pack(
                (
                    Case(
                        When(is_anonymous=True, then=1), default=0, output_field=BigIntegerField()
                    ),
                    0,
                ),
                (_code("genre", Genre.values), 4),
                (_code("statut_social", StatutSocial.values), 8),
                (declared_code, 12),
                (Coalesce(F("birth_year") + 1, 0), 16),
                (_code("autonomy_trend", TREND_CODES), 32),
            ),
        ),
        2,
    ).T
    person_ids = people[0]
    residence_of = dict(
        Beneficiary.objects.filter(commune__isnull=False).values_list("pk", "commune_id")
    )
    person_of = np.full(int(person_ids.max(initial=0)) + 1, -1, dtype=np.int64)
    person_of[person_ids] = np.arange(len(person_ids))
    activity_of = np.full(int(max(a["id"].max(initial=0), acc[0].max(initial=0))) + 1, -1)
    activity_of[a["id"]] = np.arange(len(a["id"]))
    row = activity_of[acc[0]]
    kept = row >= 0
    row, b, is_first = row[kept], person_of[acc[1][kept] >> 1], acc[1][kept] & 1
    month, day, commune = a["month"][row], a["day"][row], a["commune"][row]
    followed = _unpack(people[1], 0, 1) == 0
    genre = _unpack(people[1], 4, 4) - 1
    statut = _unpack(people[1], 8, 4) - 1
    declared = _unpack(people[1], 12, 4) - 1
    birth = _unpack(people[1], 16, 16) - 1
    trend = _trend(b, day, a["id"][row], a["rating"][row], len(person_ids))
    changed = trend != _unpack(people[1], 32, 4) - 1
    _store_trends(person_ids[changed], trend[changed])
    month0 = int(month.min(initial=0))

    # Presences: distinct (territory, beneficiary, month), with their first accompaniments.
    presence_keys, presence_counts = [], []
    n_people = max(len(person_ids), 1)
    span = int(month.max(initial=0)) - month0 + 1
    residences = Residences(
        territories,
        territories.of_communes([residence_of.get(pk) for pk in person_ids.tolist()]),
        month0,
        span,
    )
    del residence_of
    for level, (selected, ids) in enumerate(territories.levels(commune, epci=True)):
        key = (ids[selected] * n_people + b[selected]) * span + (month[selected] - month0)
        k = _distinct(key)
        firsts_at, firsts = np.unique(key[is_first[selected] == 1], return_counts=True)
        first_count = np.zeros(len(k), dtype=np.int64)
        first_count[np.searchsorted(k, firsts_at)] = firsts
        tb, m = k // span, k % span + month0
        previous = np.r_[NO_PREVIOUS_MONTH, m[:-1]]
        previous[np.r_[True, tb[1:] != tb[:-1]]] = NO_PREVIOUS_MONTH
        territory, person = tb // n_people, tb % n_people
        age = m // 12 - birth[person]
        bracket = np.where(
            birth[person] >= 0,
            AGE_ORDER[np.searchsorted(AGE_BOUNDS, age, side="right")],
            declared[person],
        )
        residences.add(level, territory, m, previous, person)
        f = followed[person]
        # Group the presences by (territory, month, previous month); each category counted
        # with one bincount over (group, category).
        previous_code = np.where(previous == NO_PREVIOUS_MONTH, 0, previous - month0 + 1)
        keys, group = np.unique(
            (territory * span + (m - month0)) * (span + 1) + previous_code, return_inverse=True
        )
        groups = len(keys)

        sums = [np.bincount(group, minlength=groups)]
        for category, width in (
            (np.where(f, 0, 1), 2),
            (genre[person], len(Genre.values)),
            (statut[person], len(StatutSocial.values)),
            (bracket, len(TrancheAge.values)),
            (np.where(f, trend[person], -1), len(TREND_CODES)),
        ):
            sums += _per_category(group, groups, category, width)
        sums.append(np.bincount(group, weights=first_count, minlength=groups).astype(np.int64))
        presence_keys.append(keys)
        presence_counts.append(sums)
    residence_rows = residences.write()
    keys = np.concatenate(presence_keys)
    names = np.array(territories.keys, dtype=object)
    pair, previous = keys // (span + 1), keys % (span + 1) + month0 - 1
    previous[previous < month0] = NO_PREVIOUS_MONTH
    rows = _write(
        PRESENCE,
        [
            names[pair // span].tolist(),
            (pair % span + month0).tolist(),
            previous.tolist(),
        ],
        [np.concatenate([s[i] for s in presence_counts]) for i in range(len(presence_counts[0]))],
    )

    # Presences of followed people per thématique (France, région, département): one
    # (accompaniment, thématique) pair per bit set, then the same chaining for all at once.
    themes = a["themes"][row]
    candidates = np.flatnonzero(followed[b] & (themes != 0))
    pair_rows, pair_bits = [], []
    for bit in range(len(THEME_COLUMNS)):
        hit = candidates[((themes[candidates] >> bit) & 1) == 1]
        pair_rows.append(hit)
        pair_bits.append(np.full(len(hit), bit, dtype=np.int64))
    pair_row, pair_bit = np.concatenate(pair_rows), np.concatenate(pair_bits)
    pair_month = month[pair_row] - month0
    span = int(pair_month.max(initial=0)) + 1
    trends = len(TREND_CODES)
    theme_keys, theme_counts = [], []
    for selected, ids in territories.levels(commune[pair_row], epci=False):
        group = (ids[selected] * 64 + pair_bit[selected]) * n_people + b[pair_row[selected]]
        distinct = _distinct(group * span + pair_month[selected])
        g, m = distinct // span, distinct % span
        previous = np.r_[-1, m[:-1]]
        previous[np.r_[True, g[1:] != g[:-1]]] = -1
        territory_bit, person = g // n_people, g % n_people
        key = ((territory_bit * span + m) * (span + 1) + previous + 1) * trends + trend[person]
        keys_, counts_ = np.unique(key, return_counts=True)
        cell = keys_ // trends
        starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
        matrix = np.zeros((len(starts), trends), dtype=np.int64)
        matrix[np.cumsum(np.r_[True, cell[1:] != cell[:-1]]) - 1, keys_ % trends] = counts_
        theme_keys.append(cell[starts])
        theme_counts.append(np.column_stack([matrix.sum(axis=1), matrix]))
    keys = np.concatenate(theme_keys) if theme_keys else np.zeros(0, dtype=np.int64)
    if len(keys):
        counts = np.concatenate(theme_counts)
        pair, previous = keys // (span + 1), keys % (span + 1) - 1
        m, territory_bit = pair % span, pair // span
        rows += _write(
            THEME_PRESENCE,
            [
                names[territory_bit // 64].tolist(),
                (territory_bit % 64).tolist(),
                (m + month0).tolist(),
                np.where(previous >= 0, previous + month0, NO_PREVIOUS_MONTH).tolist(),
            ],
            [counts[:, i] for i in range(1 + trends)],
        )
    else:
        ThemePresenceStat.objects.all().delete()
    return rows + residence_rows


TREND_TABLE = "statistics_rebuilt_trend"


def _store_trends(pks: Array, trends: Array) -> None:
    """Set these beneficiaries' `autonomy_trend` (indexes in TREND_CODES): the pairs go into a
    temporary table (`COPY` on PostgreSQL), then one `UPDATE … FROM` joins it."""
    if len(pks) == 0:
        return
    target = connection.ops.quote_name(Beneficiary._meta.db_table)
    rows = iter(
        zip(pks.tolist(), np.array(TREND_CODES, dtype=object)[trends].tolist(), strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {TREND_TABLE} (id bigint PRIMARY KEY, trend varchar(25))"
        )
        try:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
                with raw.copy(f"COPY {TREND_TABLE} (id, trend) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                while batch := list(islice(rows, FETCH)):
                    cursor.executemany(f"INSERT INTO {TREND_TABLE} VALUES (%s, %s)", batch)  # noqa: S608 — constant name
            cursor.execute(
                f"UPDATE {target} SET autonomy_trend = t.trend FROM {TREND_TABLE} AS t "  # noqa: S608 — names from the model
                f"WHERE {target}.id = t.id"
            )
        finally:
            cursor.execute(f"DROP TABLE {TREND_TABLE}")


@transaction.atomic
def rebuild_rollups() -> int:
    """Recompute the territory tables and the presences; return the number of rows written."""
    territories = Territories()
    activities = _activities(territories)
    if len(activities["id"]) == 0:
        for table in (*ACTIVITY_TABLES[1:], *BENEFICIARY_TABLES):
            model: Any = table.model
            model.objects.all().delete()
        Beneficiary.objects.exclude(autonomy_trend=NO_AUTONOMY_TREND).update(
            autonomy_trend=NO_AUTONOMY_TREND
        )
        return 0
    return (
        _month_and_day_tables(activities, territories)
        + activity_tables(activities, territories)
        + _presences(activities, territories)
    )


__all__ = ["rebuild_rollups"]
