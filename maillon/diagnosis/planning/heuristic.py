"""Greedy selection then swap local search: a good plan in milliseconds.

Coverage is submodular, so greedy alone reaches at least 1 - 1/e of the optimum; the swap
phase (replace one chosen stop by the best outsider while it strictly improves) usually closes
most of the rest. Every step is a sparse matrix-vector product, never a loop over pairs.
"""

from dataclasses import dataclass

import numpy as np

from maillon.diagnosis.planning.instance import FloatArray, Instance, IntArray

# Improvements smaller than this are float noise, not progress (weights are people).
EPSILON = 1e-9


@dataclass(frozen=True)
class HeuristicResult:
    chosen: tuple[int, ...]  # candidate indices, in greedy order after the swaps
    objective: float
    greedy_objective: float
    swaps: int


def greedy(instance: Instance, *, k: int | None = None) -> list[int]:
    """Pick, k times, the candidate covering the most still-uncovered weight (lowest index on
    ties, so the result is reproducible)."""
    count = instance.k if k is None else k
    by_demand = instance.coverage
    by_candidate = by_demand.tocsc()
    gains: FloatArray = np.asarray(by_demand.T @ instance.weights, dtype=np.float64).ravel()
    covered = np.zeros(instance.demand_count, dtype=bool)
    chosen: list[int] = []
    taken = np.zeros(instance.candidate_count, dtype=bool)
    for _ in range(count):
        masked = np.where(taken, -np.inf, gains)
        best = int(np.argmax(masked))
        chosen.append(best)
        taken[best] = True
        rows = by_candidate.indices[by_candidate.indptr[best] : by_candidate.indptr[best + 1]]
        new = rows[~covered[rows]]
        if len(new):
            covered[new] = True
            # The newly covered points no longer count in anybody's gain.
            lost = by_demand[new].T @ instance.weights[new]
            gains -= np.asarray(lost, dtype=np.float64).ravel()
    return chosen


def cover_counts(instance: Instance, chosen: list[int] | tuple[int, ...]) -> IntArray:
    """How many chosen candidates cover each demand point."""
    indicator = np.zeros(instance.candidate_count)
    indicator[list(chosen)] = 1.0
    counts: IntArray = np.rint(instance.coverage @ indicator).astype(np.int64)
    return counts


def local_search(instance: Instance, chosen: list[int], *, max_rounds: int = 1000) -> list[int]:
    """Best-improvement swaps: for each chosen stop, the outsider that gains the most once it
    is removed; apply the best swap of the round while it improves the covered weight."""
    current = list(chosen)
    by_demand = instance.coverage
    by_candidate = by_demand.tocsc()
    weights = instance.weights
    for _ in range(max_rounds):
        counts = cover_counts(instance, current)
        taken = np.zeros(instance.candidate_count, dtype=bool)
        taken[current] = True
        best_delta, best_move = EPSILON, None
        for position, stop in enumerate(current):
            rows = by_candidate.indices[by_candidate.indptr[stop] : by_candidate.indptr[stop + 1]]
            after = counts.copy()
            after[rows] -= 1
            # Weight only this stop covered: what removing it loses.
            loss = float(weights[rows][after[rows] == 0].sum())
            uncovered = np.where(after == 0, weights, 0.0)
            gains = np.asarray(by_demand.T @ uncovered, dtype=np.float64).ravel()
            gains[taken] = -np.inf
            outsider = int(np.argmax(gains))
            delta = float(gains[outsider]) - loss
            if delta > best_delta:
                best_delta, best_move = delta, (position, outsider)
        if best_move is None:
            break
        position, outsider = best_move
        current[position] = outsider
    return current


def greedy_order(instance: Instance, chosen: list[int] | tuple[int, ...]) -> list[int]:
    """The chosen stops re-ordered greedily: each next one adds the most uncovered weight."""
    if not chosen:
        return []
    sub = instance.coverage[:, list(chosen)]
    sub_instance = Instance(
        k=len(chosen),
        demand_ids=instance.demand_ids,
        weights=instance.weights,
        candidate_ids=tuple(instance.candidate_ids[j] for j in chosen),
        coverage=sub.tocsr(),
    )
    return [chosen[j] for j in greedy(sub_instance)]


def solve_heuristic(instance: Instance) -> HeuristicResult:
    first = greedy(instance)
    first_objective = instance.covered_weight(first)
    improved = local_search(instance, first)
    objective = instance.covered_weight(improved)
    if objective < first_objective:  # cannot happen (only improving swaps); stay safe
        improved, objective = first, first_objective
    swaps = len(set(first) - set(improved))
    return HeuristicResult(
        chosen=tuple(greedy_order(instance, improved)),
        objective=objective,
        greedy_objective=first_objective,
        swaps=swaps,
    )
