"""Rebuild the ranking tables (ADR 0016) from the raw rows with numpy: accompaniments per
territory and month by lieu, by commune (départements only) and by étiquette, and the presences
by place of residence. Same figures as the per-row contributions of `rollups` (tested)."""

import dataclasses

import numpy as np

from maillon.activities.models import Activity
from maillon.activities.statistics.models import NO_PREVIOUS_MONTH, ResidencePresenceStat
from maillon.activities.statistics.rebuild_support import Array, Territories, group_sum, write
from maillon.activities.statistics.rollups import (
    COMMUNE_MONTH,
    PLACE_MONTH,
    RESIDENCE,
    TAG_MONTH,
    Table,
)


def _per_month(
    territory: Array, month: Array, item: Array, weight: Array
) -> tuple[Array, Array, Array, list[Array]]:
    """(territory ids, months, items, [activities, accompaniments]) summed per distinct key."""
    month0, items = int(month.min(initial=0)), int(item.max(initial=0)) + 1
    span = int(month.max(initial=0)) - month0 + 1
    keys, sums = group_sum(
        (territory * span + (month - month0)) * items + item,
        [np.ones(len(item), dtype=np.int64), weight],
    )
    pair = keys // items
    return pair // span, pair % span + month0, keys % items, sums


def _write_per_month(
    table: Table,
    territories: Territories,
    rows: list[tuple[Array, Array, Array, Array]],
    item_names: Array | None = None,
) -> int:
    """Write (territory ids, months, items, weights) row groups into a (territory, month, item)
    table."""
    ids, months, items, weights = (np.concatenate([r[i] for r in rows]) for i in range(4))
    territory, month, item, sums = _per_month(ids, months, items, weights)
    names = np.array(territories.keys, dtype=object)
    labels = item_names[item].tolist() if item_names is not None else item.tolist()
    return write(
        table,
        [names[territory].tolist(), month.tolist(), labels],
        sums,
    )


def activity_tables(a: dict[str, Array], territories: Territories) -> int:
    """The lieu, commune and étiquette tables from the activities read by `rebuild`."""
    weight = a["weight"]
    placed = a["place"] > 0
    place_rows = []
    for selected, ids in territories.levels(a["commune"], epci=False):
        s = selected & placed
        place_rows.append((ids[s], a["month"][s], a["place"][s], weight[s]))
    rows = _write_per_month(PLACE_MONTH, territories, place_rows)

    departement = territories.dep[a["commune"]]
    located = departement >= 0  # implies a known commune
    codes = np.array([*territories.commune_index, ""], dtype=object)
    commune_rows = [
        (departement[located], a["month"][located], a["commune"][located], weight[located])
    ]
    rows += _write_per_month(COMMUNE_MONTH, territories, commune_rows, codes)

    pairs = np.array(
        Activity.tags.through.objects.order_by().values_list("activity_id", "tag_id"),
        dtype=np.int64,
    ).reshape(-1, 2)
    activity_of = np.full(int(max(a["id"].max(), pairs[:, 0].max(initial=0))) + 1, -1)
    activity_of[a["id"]] = np.arange(len(a["id"]))
    row = activity_of[pairs[:, 0]]
    kept = row >= 0  # étiquettes of deleted activities do not count
    row, tag = row[kept], pairs[:, 1][kept]
    tag_rows = [
        (ids[selected], a["month"][row][selected], tag[selected], weight[row][selected])
        for selected, ids in territories.levels(a["commune"][row], epci=False)
    ]
    return rows + _write_per_month(TAG_MONTH, territories, tag_rows)


@dataclasses.dataclass
class Residences:
    """Presences by place of residence, counted level by level while `rebuild` chains the
    presences (each level reduced at once to its distinct keys, to keep memory low), then
    written at once. Months are counted from `month0` over `span` months."""

    territories: Territories
    person_commune: Array  # commune index of each person (the last index: unknown)
    month0: int
    span: int
    keys: list[Array] = dataclasses.field(default_factory=list)
    counts: list[Array] = dataclasses.field(default_factory=list)

    @property
    def _width(self) -> int:
        return len(self.territories.commune_index) + 1 + len(self.territories.keys)

    def add(
        self, level: int, territory: Array, month: Array, previous: Array, person: Array
    ) -> None:
        """Presences of one level (0 France, 1 région, 2 département; others are skipped)."""
        if level > 2:
            return
        commune = self.person_commune[person]
        unknown = len(self.territories.commune_index)
        if level == 2:
            residence = commune
        else:  # the département's territory id, shifted past the communes
            departement = self.territories.dep[commune]
            residence = np.where(departement >= 0, unknown + 1 + departement, unknown)
        previous_code = np.where(previous == NO_PREVIOUS_MONTH, 0, previous - self.month0 + 1)
        keys, counts = np.unique(
            ((territory * self.span + (month - self.month0)) * (self.span + 1) + previous_code)
            * self._width
            + residence,
            return_counts=True,
        )
        self.keys.append(keys)
        self.counts.append(counts)

    def write(self) -> int:
        if not self.keys:
            ResidencePresenceStat.objects.all().delete()
            return 0
        keys, counts = np.concatenate(self.keys), np.concatenate(self.counts)
        width, span, month0 = self._width, self.span, self.month0
        residence, rest = keys % width, keys // width
        previous_code, rest = rest % (span + 1), rest // (span + 1)
        territory_names = np.array(self.territories.keys, dtype=object)
        residence_names = np.array(
            [
                *self.territories.commune_index,
                "",
                *(key.partition(":")[2] for key in self.territories.keys),
            ],
            dtype=object,
        )
        return write(
            RESIDENCE,
            [
                territory_names[rest // span].tolist(),
                (rest % span + month0).tolist(),
                np.where(
                    previous_code == 0, NO_PREVIOUS_MONTH, previous_code + month0 - 1
                ).tolist(),
                residence_names[residence].tolist(),
            ],
            [counts],
        )


__all__ = ["Residences", "activity_tables"]
