"""What the numpy rebuilds share (rebuild.py, rebuild_rankings.py): territory ids of the
communes, sorting helpers and the bulk writer."""

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from maillon.activities.generation import writer
from maillon.activities.statistics.rollups import Table
from maillon.territory.models import Commune

Array = np.ndarray[Any, Any]


def unpack(packed: Array, shift: int, bits: int) -> Array:
    return (packed >> shift) & ((1 << bits) - 1)


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
        # The région id of each département id (-1 for other ids).
        self.region_of = np.full(len(self.keys), -1, dtype=np.int64)
        located = self.dep >= 0
        self.region_of[self.dep[located]] = self.reg[located]

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


def distinct(values: Array) -> Array:
    """Sorted distinct values (a sort: faster than `np.unique`'s hash table on millions)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def group_sum(keys: Array, weights: Sequence[Array]) -> tuple[Array, list[Array]]:
    """Distinct keys and the sum of each weight column per key."""
    unique, inverse = np.unique(keys, return_inverse=True)
    return unique, [np.bincount(inverse, weights=w, minlength=len(unique)) for w in weights]


def write(table: Table, key_columns: Sequence[Sequence[Any]], counts: Sequence[Array]) -> int:
    model: Any = table.model
    total = len(key_columns[0])
    values = [list(k) for k in key_columns] + [c.astype(np.int64).tolist() for c in counts]
    next_id = writer.next_id(model)

    def chunk(start: int, stop: int) -> list[list[Any]]:
        return [list(range(next_id + start, next_id + stop))] + [v[start:stop] for v in values]

    with writer.indexes_rebuilt_after(model):
        model.objects.all().delete()
        writer.insert(model, ["id", *table.keys, *table.counts], total, chunk)
    writer.reset_sequences(model)
    return total


__all__ = ["Array", "Territories", "distinct", "group_sum", "unpack", "write"]
