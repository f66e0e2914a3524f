"""The covering problem as plain arrays, and its JSON exchange format.

`coverage` is a sparse demand x candidate matrix of ones: entry (i, j) exists when candidate j
is within the travel-time threshold of demand point i. The JSON written by `to_json` lets any
other solver check a plan: `{"k", "demand": [{"id", "weight"}], "candidates": [{"id"}],
"coverage": [[demand_index, candidate_index], …]}`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class InstanceError(ValueError):
    """An instance that cannot be solved; the message is French and names the problem."""


@dataclass(frozen=True)
class Instance:
    k: int
    demand_ids: tuple[str, ...]
    weights: FloatArray
    candidate_ids: tuple[str, ...]
    coverage: sparse.csr_matrix  # demand x candidate, ones

    @property
    def demand_count(self) -> int:
        return len(self.demand_ids)

    @property
    def candidate_count(self) -> int:
        return len(self.candidate_ids)

    @property
    def coverable_weight(self) -> float:
        """Weight of the demand points that at least one candidate covers: an upper bound."""
        reached = np.diff(self.coverage.indptr) > 0
        return float(self.weights[reached].sum())

    def covered_weight(self, chosen: Sequence[int]) -> float:
        """Total weight of the demand points covered by at least one of the chosen candidates."""
        if not len(chosen):
            return 0.0
        hits = self.coverage[:, np.asarray(chosen, dtype=np.int64)].sum(axis=1)
        return float(self.weights[np.asarray(hits).ravel() > 0].sum())

    def pairs(self) -> IntArray:
        """The coverage as (demand index, candidate index) rows, sorted."""
        matrix = self.coverage.tocoo()
        rows = np.column_stack([matrix.row, matrix.col]).astype(np.int64)
        order = np.lexsort((rows[:, 1], rows[:, 0]))
        result: IntArray = rows[order]
        return result

    def to_json(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "demand": [
                {"id": identifier, "weight": as_number(weight)}
                for identifier, weight in zip(self.demand_ids, self.weights, strict=True)
            ],
            "candidates": [{"id": identifier} for identifier in self.candidate_ids],
            "coverage": self.pairs().tolist(),
        }


def as_number(value: float) -> int | float:
    """Whole weights are written as integers, so that checkers compare exact sums."""
    number = float(value)
    return int(number) if number.is_integer() else number


def make_instance(
    *,
    k: int,
    demand_ids: Sequence[str],
    weights: Sequence[float] | FloatArray,
    candidate_ids: Sequence[str],
    pairs: IntArray | Sequence[Sequence[int]],
) -> Instance:
    """Check and assemble an instance from (demand index, candidate index) pairs."""
    weight_array = np.asarray(weights, dtype=np.float64)
    if len(weight_array) != len(demand_ids):
        raise InstanceError("Il faut un poids par point de demande.")
    if len(weight_array) and (
        not np.all(np.isfinite(weight_array)) or float(weight_array.min()) < 0
    ):
        raise InstanceError("Les poids des points de demande doivent être positifs ou nuls.")
    if len(set(candidate_ids)) != len(candidate_ids):
        raise InstanceError("Deux sites candidats ont le même identifiant.")
    if len(set(demand_ids)) != len(demand_ids):
        raise InstanceError("Deux points de demande ont le même identifiant.")
    if k < 1:
        raise InstanceError("Le nombre d'arrêts doit être au moins 1.")
    if k > len(candidate_ids):
        raise InstanceError(
            f"{k} arrêts demandés, mais seulement {len(candidate_ids)} sites candidats."
        )
    pair_array = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if len(pair_array) and (
        pair_array[:, 0].min() < 0
        or pair_array[:, 0].max() >= len(demand_ids)
        or pair_array[:, 1].min() < 0
        or pair_array[:, 1].max() >= len(candidate_ids)
    ):
        raise InstanceError("Une paire de couverture désigne un point ou un site inexistant.")
    coverage = sparse.csr_matrix(
        (np.ones(len(pair_array)), (pair_array[:, 0], pair_array[:, 1])),
        shape=(len(demand_ids), len(candidate_ids)),
    )
    coverage.sum_duplicates()
    coverage.data[:] = 1.0
    return Instance(
        k=k,
        demand_ids=tuple(demand_ids),
        weights=weight_array,
        candidate_ids=tuple(candidate_ids),
        coverage=coverage,
    )


def instance_from_json(data: dict[str, Any]) -> Instance:
    """Read back what `Instance.to_json` wrote (or what another tool wrote in that format)."""
    try:
        return make_instance(
            k=int(data["k"]),
            demand_ids=[str(row["id"]) for row in data["demand"]],
            weights=[float(row["weight"]) for row in data["demand"]],
            candidate_ids=[str(row["id"]) for row in data["candidates"]],
            pairs=data["coverage"],
        )
    except (KeyError, TypeError) as error:
        raise InstanceError(
            f"Instance illisible : champ manquant ou mal formé ({error})."
        ) from None
