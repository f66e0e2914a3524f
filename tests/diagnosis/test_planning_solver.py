"""The covering solvers against brute-force enumeration on small random instances."""

import itertools
import json

import numpy as np
import pytest

from maillon.diagnosis.planning.coverage import coverage_pairs, pairs_within
from maillon.diagnosis.planning.heuristic import greedy, local_search, solve_heuristic
from maillon.diagnosis.planning.instance import (
    Instance,
    InstanceError,
    instance_from_json,
    make_instance,
)
from maillon.diagnosis.planning.milp import reduce, solve_milp
from maillon.diagnosis.planning.solve import plan


def random_instance(seed: int, *, demand: int = 25, candidates: int = 10, k: int = 3) -> Instance:
    """Points in a unit square; a candidate covers the demand points within a random radius."""
    rng = np.random.default_rng(seed)
    points = rng.random((demand, 2))
    sites = rng.random((candidates, 2))
    radius = rng.uniform(0.15, 0.35)
    distances = np.hypot(*(points[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    return make_instance(
        k=k,
        demand_ids=[f"d{i}" for i in range(demand)],
        weights=rng.integers(0, 200, demand).astype(float),
        candidate_ids=[f"c{j}" for j in range(candidates)],
        pairs=np.argwhere(distances <= radius),
    )


def brute_force(instance: Instance) -> float:
    return max(
        instance.covered_weight(chosen)
        for chosen in itertools.combinations(range(instance.candidate_count), instance.k)
    )


@pytest.mark.parametrize("seed", range(25))
def test_milp_finds_the_enumerated_optimum(seed: int) -> None:
    instance = random_instance(seed, k=1 + seed % 4)
    optimum = brute_force(instance)

    result = solve_milp(instance, time_limit=10)

    assert result.is_optimal
    assert len(result.chosen) == instance.k
    assert result.objective == pytest.approx(optimum)
    assert result.bound == pytest.approx(optimum, rel=1e-6)


@pytest.mark.parametrize("seed", range(25))
def test_heuristic_is_never_better_than_the_proven_optimum(seed: int) -> None:
    instance = random_instance(100 + seed, demand=30, candidates=12, k=1 + seed % 5)
    optimum = brute_force(instance)

    heuristic = solve_heuristic(instance)
    planned = plan(instance, time_limit=10)

    assert heuristic.objective <= optimum + 1e-9
    assert heuristic.greedy_objective <= heuristic.objective + 1e-9
    assert planned.is_optimal
    assert planned.covered == pytest.approx(optimum)
    assert planned.gap == 0.0
    assert len(set(planned.chosen)) == instance.k


def test_greedy_and_swaps_reach_the_optimum_of_an_easy_instance() -> None:
    # Three separate clusters: the best stop of each cluster is an obvious choice.
    pairs = [(0, 0), (1, 0), (2, 1), (3, 2), (4, 2), (5, 2), (4, 3)]
    instance = make_instance(
        k=3,
        demand_ids=["a", "b", "c", "d", "e", "f"],
        weights=[10, 10, 5, 7, 7, 7],
        candidate_ids=["s0", "s1", "s2", "s3"],
        pairs=pairs,
    )

    heuristic = solve_heuristic(instance)

    assert heuristic.objective == brute_force(instance) == 46
    assert set(heuristic.chosen) == {0, 1, 2}


def test_local_search_repairs_a_greedy_trap() -> None:
    # Greedy takes the big middle site (weight 12), then one side; the optimum is both sides.
    instance = make_instance(
        k=2,
        demand_ids=["left", "middle-left", "middle-right", "right"],
        weights=[5, 6, 6, 5],
        candidate_ids=["middle", "west", "east"],
        pairs=[(1, 0), (2, 0), (0, 1), (1, 1), (2, 2), (3, 2)],
    )

    first = greedy(instance)
    improved = local_search(instance, first)

    assert first[0] == 0
    assert instance.covered_weight(first) == 17
    assert sorted(improved) == [1, 2]
    assert instance.covered_weight(improved) == 22 == brute_force(instance)


def test_plan_reports_marginal_gains_in_greedy_order() -> None:
    instance = make_instance(
        k=2,
        demand_ids=["a", "b", "c"],
        weights=[10, 4, 3],
        candidate_ids=["x", "y", "z"],
        pairs=[(0, 0), (1, 0), (1, 1), (2, 1), (2, 2)],
    )

    planned = plan(instance, time_limit=5)

    assert planned.covered == 17
    assert [instance.candidate_ids[j] for j in planned.chosen] == ["x", "y"]
    assert [stop.reach for stop in planned.stops] == [14, 7]
    assert [stop.marginal_gain for stop in planned.stops] == [14, 3]
    assert sum(stop.marginal_gain for stop in planned.stops) == planned.covered


def test_everything_coverable_is_optimal_without_the_milp() -> None:
    instance = make_instance(
        k=1, demand_ids=["a"], weights=[3], candidate_ids=["x", "y"], pairs=[(0, 1)]
    )

    planned = plan(instance)

    assert planned.is_optimal and planned.milp_seconds == 0.0
    assert planned.chosen == (1,)


def test_a_time_limit_reached_still_returns_a_plan_with_an_honest_gap() -> None:
    instance = random_instance(7, demand=400, candidates=150, k=12)

    planned = plan(instance, time_limit=0.001)

    assert len(planned.chosen) == 12
    assert planned.covered <= planned.bound + 1e-9
    assert 0.0 <= planned.gap <= 1.0
    assert planned.covered >= planned.heuristic_covered


def test_a_failing_exact_solver_leaves_the_heuristics_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = random_instance(7, demand=60, candidates=20, k=4)

    def broken(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr("maillon.diagnosis.planning.solve.solve_milp", broken)
    planned = plan(instance)

    assert planned.method == "heuristique" and len(planned.chosen) == 4
    assert planned.covered == planned.heuristic_covered
    assert "échec" in planned.solver_status
    if not planned.is_optimal:  # unproven: the bound is everything coverable
        assert planned.bound == pytest.approx(instance.coverable_weight)


def test_instance_json_has_the_exchange_schema_and_reads_back() -> None:
    instance = random_instance(3)

    data = json.loads(json.dumps(instance.to_json()))

    assert set(data) == {"k", "demand", "candidates", "coverage"}
    assert data["k"] == 3
    assert all(set(row) == {"id", "weight"} for row in data["demand"])
    assert all(set(row) == {"id"} for row in data["candidates"])
    assert all(len(pair) == 2 for pair in data["coverage"])
    assert all(isinstance(row["weight"], int) for row in data["demand"])
    again = instance_from_json(data)
    assert again.demand_ids == instance.demand_ids
    assert (again.coverage != instance.coverage).nnz == 0
    assert np.array_equal(again.weights, instance.weights)


def test_bad_instances_are_refused_in_french() -> None:
    with pytest.raises(InstanceError, match="seulement 2 sites candidats"):
        make_instance(k=3, demand_ids=["a"], weights=[1], candidate_ids=["x", "y"], pairs=[])
    with pytest.raises(InstanceError, match="positifs"):
        make_instance(k=1, demand_ids=["a"], weights=[-1], candidate_ids=["x"], pairs=[])
    with pytest.raises(InstanceError, match="inexistant"):
        make_instance(k=1, demand_ids=["a"], weights=[1], candidate_ids=["x"], pairs=[(0, 4)])
    with pytest.raises(InstanceError, match="champ manquant"):
        instance_from_json({"k": 1, "demand": []})


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return float(2 * 6371.0088 * np.arcsin(np.sqrt(h)))


def test_coverage_pairs_equal_a_direct_computation_over_every_pair() -> None:
    rng = np.random.default_rng(11)
    d_lat, d_lon = rng.uniform(47.6, 48.6, 300), rng.uniform(-1.2, 0.0, 300)
    c_lat, c_lon = rng.uniform(47.6, 48.6, 80), rng.uniform(-1.2, 0.0, 80)
    speed = rng.choice([20.0, 35.0, 50.0, 60.0], 300)  # per demand point, km/h

    def minutes(rows: np.ndarray, _columns: np.ndarray, km: np.ndarray) -> np.ndarray:
        result: np.ndarray = km * 1.3 / speed[rows] * 60
        return result

    pairs = coverage_pairs(
        d_lat,
        d_lon,
        c_lat,
        c_lon,
        threshold_minutes=20,
        max_radius_km=20 / 60 * 60 / 1.3,
        minutes=minutes,
    )

    expected = sorted(
        (i, j)
        for i in range(300)
        for j in range(80)
        if haversine(d_lat[i], d_lon[i], c_lat[j], c_lon[j]) * 1.3 / speed[i] * 60 <= 20
    )
    assert [tuple(pair) for pair in pairs.tolist()] == expected
    assert len(expected) > 300  # the test means something


def test_pairs_within_keeps_a_site_standing_on_the_demand_point() -> None:
    here = np.array([48.07]), np.array([-0.77])

    demand, candidate, km = pairs_within(*here, *here, radius_km=1.0)

    assert demand.tolist() == [0] and candidate.tolist() == [0]
    assert km[0] == pytest.approx(0.0, abs=1e-6)


def test_the_milp_merges_twin_demand_points_and_drops_dominated_sites() -> None:
    # a and b are covered by the same sites; site 0 covers a subset of what site 1 covers.
    instance = make_instance(
        k=1,
        demand_ids=["a", "b", "c", "d"],
        weights=[4, 6, 5, 0],
        candidate_ids=["small", "big", "other"],
        pairs=[(0, 0), (0, 1), (1, 0), (1, 1), (2, 1), (2, 2), (3, 2)],
    )

    reduced = reduce(instance)
    result = solve_milp(instance, time_limit=5, start=[0])

    assert reduced.coverage.shape == (2, 1)  # {a, b} merged, c; only "big" kept
    assert sorted(reduced.weights.tolist()) == [5, 10]
    assert reduced.candidates.tolist() == [1]
    assert result.chosen == (1,)
    assert result.objective == 15 and result.is_optimal
