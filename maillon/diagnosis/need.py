# ruff: noqa: RUF002, RUF003 — age ranges (0–14), × and typographic signs are meant.
"""Need: estimated people at risk of illectronism per commune (docs/diagnostic.md, §« Besoin »).

No public source gives population by age per commune, so the method (option B of
`diagnostic-territorial.md` §3.1) is:

1. the département's age structure (INSEE estimates 2023, five classes) is split into six
   classes: 0–14 and 15–19 take ¾ and ¼ of 0–19 (assumption: five equal years);
2. each commune starts from its département's structure, with the classes outside working age
   (0–14, 60–74, 75+) re-weighted by the commune's share of people outside 15–64 (RP 2021)
   relative to its département's; communes without RP figures keep the département structure;
3. iterative proportional fitting (raking) rescales the table so that every commune sums to its
   population and every département's classes sum to the INSEE structure;
4. people at risk = Σ over the classes 15+ of people × INSEE illectronism rate of the class.

The range: `low` applies the lowest rate published per class (2019 or 2021, 40–59 at the
25–39 rate since rates rise with age) and `high` the highest (2019 rates, 40–59 at the 45–59
rate), each to whichever of the adjusted (B) or uniform (A) age structure gives the lower,
respectively higher, figure. The central figure uses the 2021 rates, whose missing 40–59 rate
is calibrated so that France (hors Mayotte) totals the published 15.4 %.

Usable by other modules: `load_age_table()`, `rates()` and
`people_at_risk(communes) -> AtRisk` (arrays aligned on `CommuneTable.codes`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from maillon.diagnosis.arrays import FloatArray, IntArray
from maillon.diagnosis.tables import CommuneTable

DATA_DIR = Path(__file__).resolve().parent / "data"
AGE_FILE = DATA_DIR / "insee_population_age_departements_2023.csv"

AGE_CLASSES: tuple[str, ...] = ("0_14", "15_19", "20_39", "40_59", "60_74", "75_plus")
AGE_LABELS: dict[str, str] = {
    "0_14": "0 à 14 ans",
    "15_19": "15 à 19 ans",
    "20_39": "20 à 39 ans",
    "40_59": "40 à 59 ans",
    "60_74": "60 à 74 ans",
    "75_plus": "75 ans ou plus",
}
ADULT = np.array([False, True, True, True, True, True])
# Classes whose share follows the commune's share of people outside 15–64 (RP 2021).
OUTSIDE_WORKING_AGE = np.array([True, False, False, False, True, True])
# A commune's re-weighting stays within these bounds: a tiny commune's census share is noisy.
ADJUSTMENT_BOUNDS = (0.25, 4.0)
RAKING_ITERATIONS = 60
RAKING_TOLERANCE = 1e-7

# Published INSEE figures (data/insee_illectronisme_age.csv), in %.
NATIONAL_RATE_2021 = 15.4  # Insee Première n°1953, France hors Mayotte, 15+, logement ordinaire
NATIONAL_RATE_2019 = 16.5  # Insee Première n°1780, France hors Mayotte, 15+ (17 % rounded)
RATES_2021 = {"15_24": 2.0, "25_39": 4.0, "60_74": 24.0, "75_plus": 62.0}
RATES_2019 = {"15_44": 3.0, "45_59": 9.0, "60_74": 27.0, "75_plus": 67.0}
MAYOTTE = "976"

METHOD_LABEL = (
    "Estimation : taux d'illectronisme INSEE 2021 par âge appliqués à une structure par âge "
    "estimée (structure du département INSEE 2023, ajustée par la part des moins de 15 ans et "
    "des 65 ans ou plus de la commune au recensement 2021, puis recalée sur les totaux du "
    "département)."
)
RANGE_LABEL = (
    "Fourchette : taux les plus bas (haut) publiés par l'INSEE pour chaque âge en 2019 et 2021, "
    "appliqués à la structure par âge ajustée ou uniforme du département, la plus basse (haute)."
)


@dataclass(frozen=True)
class AgeTable:
    """INSEE 2023 population of each département in the six classes of `AGE_CLASSES`."""

    codes: list[str]
    names: list[str]
    people: FloatArray  # shape (départements, 6)

    @property
    def shares(self) -> FloatArray:
        totals = self.people.sum(axis=1, keepdims=True)
        result: FloatArray = np.divide(
            self.people, totals, out=np.zeros_like(self.people), where=totals > 0
        )
        return result


@lru_cache(maxsize=4)
def load_age_table(path: Path = AGE_FILE) -> AgeTable:
    codes: list[str] = []
    names: list[str] = []
    people: list[list[float]] = []
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            young = float(row["ensemble_0_19"])
            codes.append(row["code_departement"])
            names.append(row["nom_departement"])
            people.append(
                [
                    young * 0.75,
                    young * 0.25,
                    float(row["ensemble_20_39"]),
                    float(row["ensemble_40_59"]),
                    float(row["ensemble_60_74"]),
                    float(row["ensemble_75_plus"]),
                ]
            )
    return AgeTable(codes=codes, names=names, people=np.array(people, dtype=np.float64))


@dataclass(frozen=True)
class Rates:
    """Illectronism rates (fractions) per class of `AGE_CLASSES`: central, low and high."""

    central: FloatArray
    low: FloatArray
    high: FloatArray
    calibrated_40_59: float  # the central 40–59 rate, in %


def calibrate_40_59(table: AgeTable, others: FloatArray, target_pct: float) -> float:
    """The 40–59 rate (in %) making France hors Mayotte total `target_pct` % of its 15+ people,
    the other classes at `others` (fractions; its 40–59 entry is ignored)."""
    keep = np.array([code != MAYOTTE for code in table.codes])
    people = table.people[keep].sum(axis=0)
    adults = people[ADULT].sum()
    at_risk_without = float((people * others)[ADULT].sum() - people[3] * others[3])
    return float((target_pct / 100 * adults - at_risk_without) / people[3] * 100)


def rates(table: AgeTable | None = None) -> Rates:
    """The three rate scenarios. 15–19 takes the 15–24 rate; 20–39 = ¼ 15–24 + ¾ 25–39 (2021)."""
    table = table or load_age_table()
    r21, r19 = RATES_2021, RATES_2019
    rate_20_39 = 0.25 * r21["15_24"] + 0.75 * r21["25_39"]
    central = np.array([0.0, r21["15_24"], rate_20_39, 0.0, r21["60_74"], r21["75_plus"]]) / 100
    calibrated = calibrate_40_59(table, central, NATIONAL_RATE_2021)
    central[3] = calibrated / 100
    low = (
        np.array(
            [
                0.0,
                min(r21["15_24"], r19["15_44"]),
                min(rate_20_39, r19["15_44"]),
                min(r21["25_39"], r19["45_59"]),
                min(r21["60_74"], r19["60_74"]),
                min(r21["75_plus"], r19["75_plus"]),
            ]
        )
        / 100
    )
    high = (
        np.array(
            [
                0.0,
                max(r21["15_24"], r19["15_44"]),
                max(rate_20_39, r19["15_44"]),
                max(calibrated, r19["45_59"]),
                max(r21["60_74"], r19["60_74"]),
                max(r21["75_plus"], r19["75_plus"]),
            ]
        )
        / 100
    )
    return Rates(central=central, low=low, high=high, calibrated_40_59=calibrated)


def rates_2019(table: AgeTable | None = None) -> FloatArray:
    """The 2019 rates alone (15–44 for 15–19 and 20–39, 45–59 for 40–59): an out-of-sample check
    of the method against the published 2019 national rate."""
    r19 = RATES_2019
    return (
        np.array(
            [0.0, r19["15_44"], r19["15_44"], r19["45_59"], r19["60_74"], r19["75_plus"]],
            dtype=np.float64,
        )
        / 100
    )


def departement_index(communes: CommuneTable, table: AgeTable) -> IntArray:
    """Row of each commune's département in `table`, -1 outside it (overseas collectivities)."""
    position = {code: index for index, code in enumerate(table.codes)}
    return np.array([position.get(code, -1) for code in communes.departements], dtype=np.int64)


def outside_working_age_share(communes: CommuneTable) -> FloatArray:
    """Share of people under 15 or 65 and over, RP 2021 (NaN when unknown)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        share: FloatArray = 1.0 - communes.rp_population_15_64 / communes.rp_population
    share[~np.isfinite(share) | (communes.rp_population <= 0)] = np.nan
    return share


def _group_sums(values: FloatArray, groups: IntArray, count: int) -> FloatArray:
    """Column sums of `values` (n, k) per group (values of groups -1 are dropped)."""
    inside = groups >= 0
    sums = np.zeros((count, values.shape[1]))
    np.add.at(sums, groups[inside], values[inside])
    return sums


def uniform_structure(communes: CommuneTable, table: AgeTable) -> FloatArray:
    """Method A: each commune's population split like its département's (people per class)."""
    groups = departement_index(communes, table)
    shares = np.zeros((len(communes), len(AGE_CLASSES)))
    inside = groups >= 0
    shares[inside] = table.shares[groups[inside]]
    result: FloatArray = communes.population[:, None] * shares
    return result


def adjusted_structure(communes: CommuneTable, table: AgeTable) -> FloatArray:
    """Method B: the département structure re-weighted by the commune's census share of people
    outside 15–64, raked so that communes keep their population and each département its
    INSEE age structure (applied to the sum of its communes' populations)."""
    groups = departement_index(communes, table)
    count = len(table.codes)
    inside = groups >= 0
    population = np.where(inside, communes.population, 0.0)
    outside = outside_working_age_share(communes)
    known = inside & np.isfinite(outside)
    rp_total = np.bincount(groups[known], communes.rp_population[known], minlength=count)
    rp_outside = np.bincount(
        groups[known], (communes.rp_population * outside)[known], minlength=count
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        departement_outside = rp_outside / rp_total
    ratio = np.ones(len(communes))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio[known] = outside[known] / departement_outside[groups[known]]
    ratio = np.clip(np.nan_to_num(ratio, nan=1.0, posinf=1.0), *ADJUSTMENT_BOUNDS)

    uniform = uniform_structure(communes, table)
    seed = uniform * np.where(OUTSIDE_WORKING_AGE[None, :], ratio[:, None], 1.0)
    seed[~inside] = 0.0
    departement_population = np.bincount(groups[inside], population[inside], minlength=count)
    targets = table.shares * departement_population[:, None]
    return rake(seed, population, groups, targets)


def rake(
    seed: FloatArray, row_totals: FloatArray, groups: IntArray, targets: FloatArray
) -> FloatArray:
    """Iterative proportional fitting of `seed` (communes × classes): each row sums to
    `row_totals`, and the rows of each group sum, class by class, to `targets[group]`."""
    table = seed.copy()
    inside = groups >= 0
    safe_groups = np.where(inside, groups, 0)
    for _ in range(RAKING_ITERATIONS):
        sums = _group_sums(table, groups, targets.shape[0])
        factors = np.divide(targets, sums, out=np.ones_like(targets), where=sums > 0)
        table *= np.where(inside[:, None], factors[safe_groups], 1.0)
        rows = table.sum(axis=1)
        table *= np.divide(row_totals, rows, out=np.zeros_like(rows), where=rows > 0)[:, None]
        error = np.abs(_group_sums(table, groups, targets.shape[0]) - targets)
        if float(error.max(initial=0.0)) <= RAKING_TOLERANCE * max(
            float(targets.max(initial=1.0)), 1.0
        ):
            break
    return table


@dataclass(frozen=True)
class AtRisk:
    """People at risk per commune (arrays aligned on `CommuneTable.codes`), all estimates."""

    ages: FloatArray  # estimated people per class of AGE_CLASSES, (communes, 6)
    population_15_plus: FloatArray
    central: FloatArray
    low: FloatArray
    high: FloatArray
    uniform: FloatArray  # method A (département structure unchanged), central rates
    is_estimated: np.ndarray[Any, np.dtype[np.bool_]]  # False for communes outside the tables
    rates: Rates


def people_at_risk(communes: CommuneTable, table: AgeTable | None = None) -> AtRisk:
    """Estimated people at risk of illectronism in every commune, with a low–high range."""
    table = table or load_age_table()
    scenario = rates(table)
    adjusted = adjusted_structure(communes, table)
    uniform = uniform_structure(communes, table)
    central = adjusted @ scenario.central
    by_uniform = uniform @ scenario.central
    low = np.minimum(adjusted @ scenario.low, uniform @ scenario.low)
    high = np.maximum(adjusted @ scenario.high, uniform @ scenario.high)
    return AtRisk(
        ages=adjusted,
        population_15_plus=adjusted[:, ADULT].sum(axis=1),
        central=central,
        low=low,
        high=high,
        uniform=by_uniform,
        is_estimated=departement_index(communes, table) >= 0,
        rates=scenario,
    )
