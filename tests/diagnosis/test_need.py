# ruff: noqa: RUF003 — age ranges (0–14) and × are meant.
"""People at risk on hand-built communes with known answers, and the calibration on INSEE."""

import csv
import gzip
from pathlib import Path

import numpy as np
import pytest

from maillon.diagnosis.need import (
    NATIONAL_RATE_2021,
    adjusted_structure,
    load_age_table,
    people_at_risk,
    rates,
    rates_2019,
    uniform_structure,
)
from maillon.diagnosis.tables import IFN_COLUMNS, CommuneTable
from tests.diagnosis.conftest import age_table, commune_table

# 1 000 people: 300 aged 0–14, 100 aged 15–19, 200 aged 20–39, 200 aged 40–59, 100, 100.
ONE_DEPARTEMENT = [[300.0, 100.0, 200.0, 200.0, 100.0, 100.0]]


def test_a_commune_shaped_like_its_departement_gets_the_national_calibrated_rate() -> None:
    # With one département, the 40–59 rate is calibrated on it: 15.4 % of its 700 people 15+.
    table = age_table(ONE_DEPARTEMENT)
    communes = commune_table(population=[1000.0])
    result = people_at_risk(communes, table)
    assert result.population_15_plus[0] == pytest.approx(700.0)
    assert result.central[0] == pytest.approx(0.154 * 700)
    assert result.uniform[0] == pytest.approx(0.154 * 700)


def test_the_known_rates_give_the_known_count() -> None:
    table = age_table(ONE_DEPARTEMENT)
    scenario = rates(table)
    # 100 × 2 % + 200 × 3.5 % + 200 × r + 100 × 24 % + 100 × 62 % = 0.154 × 700
    expected_40_59 = (0.154 * 700 - (2 + 7 + 24 + 62)) / 200 * 100
    assert scenario.calibrated_40_59 == pytest.approx(expected_40_59)
    assert list(scenario.central) == pytest.approx(
        [0, 0.02, 0.035, expected_40_59 / 100, 0.24, 0.62]
    )
    low = 100 * 0.02 + 200 * 0.03 + 200 * 0.04 + 100 * 0.24 + 100 * 0.62
    high = 100 * 0.03 + 200 * 0.035 + 200 * 0.09 + 100 * 0.27 + 100 * 0.67
    result = people_at_risk(commune_table(population=[1000.0]), table)
    assert result.low[0] == pytest.approx(low)
    assert result.high[0] == pytest.approx(high)
    assert result.low[0] < result.central[0] < result.high[0]


def test_communes_like_their_departement_keep_its_structure() -> None:
    table = age_table(ONE_DEPARTEMENT)
    communes = commune_table(
        population=[1000.0, 3000.0],
        rp_population=[900.0, 2800.0],
        rp_population_15_64=[540.0, 1680.0],  # both 40 % outside 15–64
    )
    assert adjusted_structure(communes, table) == pytest.approx(uniform_structure(communes, table))


def test_an_older_commune_gets_more_old_people_and_the_totals_stay_exact() -> None:
    table = age_table(ONE_DEPARTEMENT)
    communes = commune_table(
        population=[1000.0, 1000.0],
        rp_population=[1000.0, 1000.0],
        rp_population_15_64=[500.0, 700.0],  # 50 % vs 30 % outside 15–64
    )
    ages = adjusted_structure(communes, table)
    assert ages.sum(axis=1) == pytest.approx([1000.0, 1000.0])
    assert ages.sum(axis=0) == pytest.approx(np.array(ONE_DEPARTEMENT[0]) * 2)
    assert ages[0, 5] > ages[1, 5]  # 75+
    result = people_at_risk(communes, table)
    assert result.central[0] > result.central[1]
    assert result.central.sum() == pytest.approx(result.uniform.sum())


def test_communes_outside_the_age_table_are_not_estimated() -> None:
    communes = commune_table(population=[1000.0, 500.0], departements=["53", "975"])
    result = people_at_risk(communes, age_table(ONE_DEPARTEMENT))
    assert list(result.is_estimated) == [True, False]
    assert result.central[1] == 0


# --- Calibration on the shipped INSEE tables (docs/diagnostic.md, « Calage ») -----------------


def test_the_shipped_table_calibrates_the_40_59_rate_near_the_reference_value() -> None:
    scenario = rates()
    assert 4.5 < scenario.calibrated_40_59 < 6.0  # reference: ≈ 5.2 %
    table = load_age_table()
    keep = np.array([code != "976" for code in table.codes])
    people = table.people[keep].sum(axis=0)
    national = (people * scenario.central)[1:].sum() / people[1:].sum() * 100
    assert national == pytest.approx(NATIONAL_RATE_2021)
    low = (people * scenario.low)[1:].sum() / people[1:].sum() * 100
    high = (people * scenario.high)[1:].sum() / people[1:].sum() * 100
    assert low < NATIONAL_RATE_2021 < high
    # Out of sample: the 2019 rates give about the published 2019 rate (16 to 17 %).
    rate_2019 = (people * rates_2019())[1:].sum() / people[1:].sum() * 100
    assert 15.5 < rate_2019 < 18.5


SHARED_COMMUNES = (
    Path(__file__).resolve().parents[3] / "shared/data/communes/communes_france.csv.gz"
)


def _shared_communes() -> CommuneTable:
    with gzip.open(SHARED_COMMUNES, "rt", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))

    def column(name: str) -> list[float]:
        return [float(row[name]) if row[name] else np.nan for row in rows]

    population = np.nan_to_num(np.array(column("population_municipale")), nan=0.0)
    return CommuneTable(
        codes=[row["code_insee"] for row in rows],
        names=[row["nom"] for row in rows],
        departements=[row["code_departement"] for row in rows],
        regions=[row["code_region"] for row in rows],
        epcis=[row["code_epci"] for row in rows],
        population=population,
        rp_population=np.array(column("rp2021_population")),
        rp_population_15_64=np.array(column("rp2021_pop_15_64")),
        lat=np.array(column("latitude")),
        lon=np.array(column("longitude")),
        area_km2=np.array(column("superficie_km2")),
        density=np.array(column("densite_hab_km2")),
        poverty_rate=np.array(column("filosofi2021_taux_pauvrete")),
        median_income=np.array(column("filosofi2021_niveau_vie_median")),
        ifn={key: np.zeros(len(rows)) for key in IFN_COLUMNS},
    )


@pytest.mark.skipif(not SHARED_COMMUNES.exists(), reason="../shared/data absent")
def test_france_is_estimated_within_the_published_range_and_mayenne_as_the_reference() -> None:
    communes = _shared_communes()
    result = people_at_risk(communes)
    field = np.array([code not in {"976"} for code in communes.departements]) & result.is_estimated
    adults = result.population_15_plus[field].sum()
    assert result.central[field].sum() / adults * 100 == pytest.approx(15.4, abs=0.3)
    assert result.low[field].sum() / adults * 100 < 15.4 < result.high[field].sum() / adults * 100
    mayenne = np.array([code == "53" for code in communes.departements])
    # diagnostic-territorial.md §3.1: Mayenne ≈ 41 583 people (with 40–59 at 5.2 %).
    assert result.central[mayenne].sum() == pytest.approx(41_583, rel=0.02)
