# ruff: noqa: RUF001, RUF002 — the multiplication sign is meant in the figures.
"""Speed and proof of the aller-vers planning (maximal covering, HiGHS after the heuristic).

    .venv/bin/python bench/planning_speed.py

No database. Two families of instances, each solved from scratch (coverage, heuristic, MILP):

1. Mayenne: its 240 real communes from the shipped reference file (town hall, else centroid;
   density class of each commune for the travel time), every commune both a demand point and a
   candidate town hall; weight = population × 16.6 % (the département's estimated rate,
   diagnostic-territorial.md §3.1), with no fixed place removed: the hardest case. K = 8,
   M = 20 is the target (proven optimal under 1 s); neighbours are printed for context.
2. Synthetic: 5,000 demand points and 900 candidate sites in a 220 km × 220 km square (a large
   département), half of the points in 60 towns, log-normal populations, density classes from
   the local point density; M = 20, several K. Target: within 1 % of optimal in under 10 s.

Prints, per instance: coverage pairs, seconds (coverage, heuristic, MILP, total), covered
weight, proven bound, gap, status. Single-threaded (HiGHS's branch and bound runs on one core).
"""

import csv
import gzip
import sys
import time

import numpy as np
from support import ROOT, load_average, machine

from maillon.diagnosis.planning import travel
from maillon.diagnosis.planning.coverage import coverage_pairs
from maillon.diagnosis.planning.instance import FloatArray, Instance, IntArray, make_instance
from maillon.diagnosis.planning.solve import plan

COMMUNES_FILE = ROOT / "maillon" / "territory" / "data" / "communes_france.csv.gz"
MAYENNE_RATE = 0.166
TIME_LIMIT = 9.0


def build(
    lat: FloatArray,
    lon: FloatArray,
    density: FloatArray,
    weights: FloatArray,
    candidate_lat: FloatArray,
    candidate_lon: FloatArray,
    *,
    k: int,
    minutes: float,
) -> tuple[Instance, float]:
    started = time.perf_counter()

    def pair_minutes(rows: IntArray, _columns: IntArray, km: FloatArray) -> FloatArray:
        return travel.minutes(km, density[rows])

    pairs = coverage_pairs(
        lat,
        lon,
        candidate_lat,
        candidate_lon,
        threshold_minutes=minutes,
        max_radius_km=travel.max_radius_km(minutes),
        minutes=pair_minutes,
    )
    instance = make_instance(
        k=k,
        demand_ids=[str(i) for i in range(len(lat))],
        weights=weights,
        candidate_ids=[f"s{j}" for j in range(len(candidate_lat))],
        pairs=pairs,
    )
    return instance, time.perf_counter() - started


def report(label: str, instance: Instance, coverage_seconds: float) -> tuple[float, float, bool]:
    started = time.perf_counter()
    result = plan(instance, time_limit=TIME_LIMIT)
    total = coverage_seconds + (time.perf_counter() - started)
    print(
        f"{label:<34} {instance.coverage.nnz:>8} {coverage_seconds:>6.3f} "
        f"{result.heuristic_seconds:>6.3f} {result.milp_seconds:>6.3f} {total:>6.3f} "
        f"{result.covered:>10.0f} {result.bound:>10.0f} {result.gap:>8.4%} "
        f"{result.heuristic_covered:>10.0f}  "
        f"{'optimal prouvé' if result.is_optimal else result.solver_status}"
    )
    return total, result.gap, result.is_optimal


def header() -> None:
    print(
        f"{'instance':<34} {'paires':>8} {'couv.':>6} {'heur.':>6} {'milp':>6} {'total':>6} "
        f"{'couverts':>10} {'borne':>10} {'écart':>8} {'heuristiq.':>10}  statut"
    )


def mayenne() -> tuple[float, bool]:
    rows = []
    with gzip.open(COMMUNES_FILE, "rt", encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["code_departement"] == "53":
                rows.append(row)

    def column(name: str, fallback: str = "") -> FloatArray:
        values = [float(row[name] or (row[fallback] if fallback else "") or "nan") for row in rows]
        return np.array(values, dtype=np.float64)

    lat = column("latitude_mairie", "latitude")
    lon = column("longitude_mairie", "longitude")
    density = column("densite_hab_km2")
    weights = np.rint(np.nan_to_num(column("population_municipale")) * MAYENNE_RATE)
    print(f"\nMayenne : {len(rows)} communes, {weights.sum():.0f} personnes en risque (poids)")
    header()
    target = (0.0, False)
    for k, minutes in ((8, 20), (4, 20), (12, 20), (8, 15), (8, 30)):
        instance, seconds = build(lat, lon, density, weights, lat, lon, k=k, minutes=minutes)
        total, _, optimal = report(f"K = {k}, M = {minutes} min", instance, seconds)
        if (k, minutes) == (8, 20):
            target = (total, optimal)
    return target


def synthetic(seed: int = 2026) -> list[tuple[int, float, float]]:
    rng = np.random.default_rng(seed)
    side_km, demand, candidates = 220.0, 5000, 900
    towns = rng.uniform(0, side_km, (60, 2))
    clustered = towns[rng.integers(0, 60, demand // 2)] + rng.normal(0, 6, (demand // 2, 2))
    spread = rng.uniform(0, side_km, (demand - demand // 2, 2))
    points = np.clip(np.vstack([clustered, spread]), 0, side_km)
    sites = points[rng.choice(demand, candidates, replace=False)] + rng.normal(0, 1, (900, 2))
    # Local density of points → density class: towns are denser (slower) than the countryside.
    population = np.rint(rng.lognormal(5.5, 1.2, demand))
    counts = np.histogram2d(points[:, 0], points[:, 1], bins=22, range=[[0, side_km]] * 2)[0]
    cell = np.minimum((points // 10).astype(int), 21)
    density = counts[cell[:, 0], cell[:, 1]] * population.mean() / 100.0
    # Kilometres to degrees around 47° N.
    lat0, lon0 = 47.0, 2.0
    km_per_degree_lon = 111.195 * np.cos(np.radians(lat0))
    lat, lon = lat0 + points[:, 1] / 111.195, lon0 + points[:, 0] / km_per_degree_lon
    s_lat, s_lon = lat0 + sites[:, 1] / 111.195, lon0 + sites[:, 0] / km_per_degree_lon
    weights = np.rint(population * 0.16)
    print(
        f"\nSynthétique : {demand} points de demande, {candidates} sites candidats, "
        f"{side_km:.0f} km × {side_km:.0f} km, {weights.sum():.0f} personnes (poids)"
    )
    header()
    results = []
    for k in (10, 25, 50, 100):
        instance, seconds = build(lat, lon, density, weights, s_lat, s_lon, k=k, minutes=20)
        total, gap, _ = report(f"K = {k}, M = 20 min", instance, seconds)
        results.append((k, total, gap))
    return results


def main() -> None:
    print(f"Machine : {machine()} ; charge {load_average()}")
    print(f"Python {sys.version.split()[0]} ; limite de temps HiGHS {TIME_LIMIT:g} s")
    seconds, optimal = mayenne()
    results = synthetic()
    print("\nCibles :")
    print(
        f"- Mayenne K = 8, M = 20 prouvé optimal en moins de 1 s : "
        f"{'oui' if optimal and seconds < 1 else 'NON'} ({seconds:.3f} s)"
    )
    for k, total, gap in results:
        ok = gap <= 0.01 and total < 10
        print(
            f"- 5 000 × 900, K = {k}, à moins de 1 % de l'optimum en moins de 10 s : "
            f"{'oui' if ok else 'NON'} ({total:.2f} s, écart prouvé {gap:.3%})"
        )


if __name__ == "__main__":
    main()
