# ruff: noqa: RUF002, RUF003 — age ranges (0–14) and × are meant.
"""Helpers for the diagnosis tests: column tables built by hand, without a database."""

from typing import Any

import numpy as np

from maillon.diagnosis.need import AgeTable
from maillon.diagnosis.tables import IFN_COLUMNS, CommuneTable


def commune_table(**columns: Any) -> CommuneTable:
    """Communes of département 53 unless told; every numeric column may be given as a list."""
    count = len(columns["population"])

    def floats(name: str, default: float = np.nan) -> Any:
        return np.array(columns.get(name, [default] * count), dtype=np.float64)

    return CommuneTable(
        codes=columns.get("codes", [f"53{i:03d}" for i in range(count)]),
        names=columns.get("names", [f"Commune {i}" for i in range(count)]),
        departements=columns.get("departements", ["53"] * count),
        regions=columns.get("regions", ["52"] * count),
        epcis=columns.get("epcis", [""] * count),
        population=floats("population", 0.0),
        rp_population=floats("rp_population"),
        rp_population_15_64=floats("rp_population_15_64"),
        lat=floats("lat", 48.0),
        lon=floats("lon", -0.7),
        area_km2=floats("area_km2"),
        density=floats("density"),
        poverty_rate=floats("poverty_rate"),
        median_income=floats("median_income"),
        ifn={column: floats(column) for column in IFN_COLUMNS},
    )


def age_table(people: list[list[float]], codes: list[str] | None = None) -> AgeTable:
    """Départements with people per class 0–14, 15–19, 20–39, 40–59, 60–74, 75+."""
    codes = codes or ["53"]
    return AgeTable(codes=codes, names=codes, people=np.array(people, dtype=np.float64))
