"""The exact model, solved by HiGHS (branch and cut) within a time limit.

    maximise    Σ_i w_i y_i
    subject to  y_i ≤ Σ_{j covers i} x_j      for every demand point i
                Σ_j x_j = K
                x_j ∈ {0, 1},  0 ≤ y_i ≤ 1

y may stay continuous: for binary x the best y_i is 1 exactly when i is covered. `reduce`
shrinks the model first without changing its optimum (see there). The heuristic's plan is
passed as a starting solution, so HiGHS never returns worse than it.
"""

from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from maillon.diagnosis.planning.instance import FloatArray, Instance, IntArray

# HiGHS stops when (bound - best) ≤ this fraction of best: 1e-6 of 100,000 people is 0.1 person,
# below the resolution of the weights, so "optimal" means proven optimal.
RELATIVE_GAP = 1e-6


@dataclass(frozen=True)
class MilpResult:
    chosen: tuple[int, ...]
    objective: float  # covered weight of `chosen`, recomputed from the instance
    bound: float  # proven upper bound on the optimum
    is_optimal: bool
    status: str  # HiGHS model status, in its own words
    nodes: int


@dataclass(frozen=True)
class Reduced:
    """The model HiGHS sees: useful demand rows merged, dominated candidates left out."""

    coverage: sparse.csr_matrix  # merged demand x kept candidate
    weights: FloatArray
    candidates: IntArray  # original index of each kept candidate
    best_superset: IntArray  # per original candidate: a kept candidate covering all it covers


def reduce(instance: Instance) -> Reduced:
    """Exact reductions, vectorised.

    - Demand points of zero weight or covered by no candidate cannot change the objective.
    - Demand points covered by exactly the same candidates behave as one point of their summed
      weight (rows are grouped by two random projections of their pattern, plus their size).
    - A candidate whose covered points are a subset of another's is never needed: swapping it
      for the superset never loses weight (ties: the lower index is kept). Applied only when at
      least K candidates remain.
    """
    useful = (instance.weights > 0) & (np.diff(instance.coverage.indptr) > 0)
    a = instance.coverage[np.flatnonzero(useful)].tocsr()
    weights = instance.weights[useful]
    rng = np.random.default_rng(0)
    keys = np.column_stack(
        [
            a @ rng.random(instance.candidate_count),
            a @ rng.random(instance.candidate_count),
            np.diff(a.indptr),
        ]
    )
    _, first, group = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    merged = a[first].tocsr()
    merged_weights: FloatArray = np.bincount(group.ravel(), weights, minlength=len(first)).astype(
        np.float64
    )

    size = np.asarray(merged.sum(axis=0)).ravel()
    overlap = (merged.T @ merged).tocoo()
    i, j = overlap.row, overlap.col
    contains = (i != j) & (overlap.data == size[i]) & ((size[j] > size[i]) | (j < i))
    dominated = np.zeros(instance.candidate_count, dtype=bool)
    dominated[i[contains]] = True
    # The best superset of each candidate: the largest one containing it, lowest index first.
    best_superset = np.arange(instance.candidate_count, dtype=np.int64)
    order = np.lexsort((j[contains], -size[j[contains]]))
    subsets, supersets = i[contains][order], j[contains][order]
    _, first_of = np.unique(subsets, return_index=True)
    best_superset[subsets[first_of]] = supersets[first_of]
    if int((~dominated).sum()) < instance.k:
        dominated[:] = False
        best_superset = np.arange(instance.candidate_count, dtype=np.int64)
    kept = np.flatnonzero(~dominated).astype(np.int64)
    return Reduced(
        coverage=merged[:, kept].tocsr(),
        weights=merged_weights,
        candidates=kept,
        best_superset=best_superset,
    )


def reduced_start(reduced: Reduced, start: tuple[int, ...] | list[int]) -> list[int]:
    """The heuristic's stops in the reduced model: a dropped stop becomes its best superset,
    or any unused kept candidate when that one is already chosen (the count stays K)."""
    position = {int(original): index for index, original in enumerate(reduced.candidates)}
    chosen: list[int] = []
    for stop in start:
        mapped = position.get(int(reduced.best_superset[stop]), -1)
        if mapped >= 0 and mapped not in chosen:
            chosen.append(mapped)
    spare = (index for index in range(len(reduced.candidates)) if index not in chosen)
    while len(chosen) < len(start):
        chosen.append(next(spare))
    return chosen


def solve_milp(
    instance: Instance,
    *,
    time_limit: float,
    start: tuple[int, ...] | list[int] | None = None,
) -> MilpResult:
    reduced = reduce(instance)
    a, weights = reduced.coverage, reduced.weights
    n_candidates, n_demand = a.shape[1], a.shape[0]

    # Columns: x_0 … x_{n-1}, then y_0 … y_{m-1}. Rows: y_i - Σ a_ij x_j ≤ 0, then Σ x_j = K.
    coverage_rows = sparse.hstack(
        [-a, sparse.identity(n_demand, format="csr")], format="csr", dtype=np.float64
    )
    cardinality = sparse.csr_matrix(
        np.concatenate([np.ones(n_candidates), np.zeros(n_demand)])[np.newaxis, :]
    )
    matrix = sparse.vstack([coverage_rows, cardinality], format="csr")
    matrix.eliminate_zeros()

    lp = highspy.HighsLp()
    lp.num_col_ = n_candidates + n_demand
    lp.num_row_ = n_demand + 1
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.concatenate([np.zeros(n_candidates), weights])
    lp.col_lower_ = np.zeros(lp.num_col_)
    lp.col_upper_ = np.ones(lp.num_col_)
    lp.row_lower_ = np.concatenate([np.full(n_demand, -highspy.kHighsInf), [instance.k]])
    lp.row_upper_ = np.concatenate([np.zeros(n_demand), [instance.k]])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = lp.num_col_
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_candidates + [
        highspy.HighsVarType.kContinuous
    ] * n_demand

    highs = highspy.Highs()  # type: ignore[no-untyped-call]  # its __init__ is unannotated
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", RELATIVE_GAP)
    highs.setOptionValue("random_seed", 0)
    highs.passModel(lp)
    if start:
        x = np.zeros(n_candidates)
        x[reduced_start(reduced, start)] = 1.0
        y = np.minimum(np.asarray(a @ x).ravel(), 1.0)
        values = np.concatenate([x, y])
        highs.setSolution(len(values), np.arange(len(values), dtype=np.int32), values)
    highs.run()

    status = highs.getModelStatus()
    info = highs.getInfo()
    chosen: tuple[int, ...] = ()
    if info.primal_solution_status == 2:  # kSolutionStatusFeasible
        solution = np.asarray(highs.getSolution().col_value[:n_candidates])
        picked = reduced.candidates[np.flatnonzero(solution > 0.5)]
        chosen = tuple(int(j) for j in picked)
    if len(chosen) != instance.k and start:
        chosen = tuple(start)
    objective = instance.covered_weight(chosen)
    bound = float(info.mip_dual_bound)
    if not np.isfinite(bound):
        bound = instance.coverable_weight
    return MilpResult(
        chosen=chosen,
        objective=objective,
        bound=max(min(bound, instance.coverable_weight), objective),
        is_optimal=status == highspy.HighsModelStatus.kOptimal,
        status=highs.modelStatusToString(status),
        nodes=int(info.mip_node_count),
    )
