# ruff: noqa: RUF003 — age ranges (0–14), × and typographic signs are meant.
"""Column tables of every commune and every place open to the public, read in a few narrow queries.

The diagnosis computes on whole columns (numpy), never row by row: one query per table, with
only the columns it needs, and arrays aligned on the commune order of `CommuneTable.codes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from maillon.diagnosis.arrays import BoolArray, FloatArray, IntArray
from maillon.places.models import Place
from maillon.places.vocabulary import Itinerance, ModaliteAcces, Service, mask_of
from maillon.territory.models import Commune, Departement, Region

_COMMUNE_COLUMNS = (
    "code_insee",
    "name",
    "departement_id",
    "epci_id",
    "population",
    "rp2021_population",
    "rp2021_population_15_64",
    "latitude",
    "longitude",
    "town_hall_latitude",
    "town_hall_longitude",
    "area_km2",
    "density",
    "poverty_rate",
    "median_income",
    "ifn_score",
    "ifn_no_thd_coverage",
    "ifn_no_4g_coverage",
    "ifn_poverty",
    "ifn_over_65",
    "ifn_low_education",
)
IFN_COLUMNS = _COMMUNE_COLUMNS[-6:]


def _floats(values: Sequence[Any]) -> FloatArray:
    """A float column; None becomes NaN."""
    return np.array(values, dtype=np.float64)


@dataclass(frozen=True)
class CommuneTable:
    """Every commune as columns. `lat`/`lon` is where people are taken to live: the town hall,
    else the centroid (NaN when the commune has neither, e.g. the overseas collectivities)."""

    codes: list[str]
    names: list[str]
    departements: list[str]
    regions: list[str]
    epcis: list[str]  # "" outside any EPCI
    population: FloatArray  # population municipale 2023 (0 when unknown)
    rp_population: FloatArray  # RP 2021, NaN when unknown
    rp_population_15_64: FloatArray
    lat: FloatArray
    lon: FloatArray
    area_km2: FloatArray
    density: FloatArray
    poverty_rate: FloatArray  # %, Filosofi 2021, NaN for most small communes
    median_income: FloatArray
    ifn: dict[str, FloatArray]  # IFN 2023 score and components, 0–10

    def __len__(self) -> int:
        return len(self.codes)

    def index_of(self) -> dict[str, int]:
        return {code: index for index, code in enumerate(self.codes)}

    def text_array(self, name: str) -> np.ndarray[Any, np.dtype[np.str_]]:
        """A text column (`codes`, `departements`, `regions`, `epcis`) as a numpy array, built
        once per table: `table.text_array("departements") == "53"` is a territory's mask."""
        arrays: dict[str, np.ndarray[Any, np.dtype[np.str_]]] = self.__dict__.setdefault(
            "_text_arrays", {}
        )
        if name not in arrays:
            arrays[name] = np.array(getattr(self, name), dtype=np.str_)
        return arrays[name]


def load_communes() -> CommuneTable:
    """All communes, ordered by code INSEE."""
    rows = list(Commune.objects.order_by("code_insee").values_list(*_COMMUNE_COLUMNS))
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in _COMMUNE_COLUMNS]
    get = dict(zip(_COMMUNE_COLUMNS, columns, strict=True))
    region_of = dict(Departement.objects.values_list("code", "region_id"))
    lat = _floats(get["town_hall_latitude"])
    lon = _floats(get["town_hall_longitude"])
    missing = np.isnan(lat) | np.isnan(lon)
    lat[missing] = _floats(get["latitude"])[missing]
    lon[missing] = _floats(get["longitude"])[missing]
    departements = [str(code) for code in get["departement_id"]]
    return CommuneTable(
        codes=[str(code) for code in get["code_insee"]],
        names=[str(name) for name in get["name"]],
        departements=departements,
        regions=[region_of.get(code, "") for code in departements],
        epcis=[str(code or "") for code in get["epci_id"]],
        population=np.nan_to_num(_floats(get["population"]), nan=0.0),
        rp_population=_floats(get["rp2021_population"]),
        rp_population_15_64=_floats(get["rp2021_population_15_64"]),
        lat=lat,
        lon=lon,
        area_km2=_floats(get["area_km2"]),
        density=_floats(get["density"]),
        poverty_rate=_floats(get["poverty_rate"]),
        median_income=_floats(get["median_income"]),
        ifn={column: _floats(get[column]) for column in IFN_COLUMNS},
    )


def region_names() -> dict[str, str]:
    return dict(Region.objects.values_list("code", "name"))


def departement_names() -> dict[str, str]:
    return dict(Departement.objects.values_list("code", "name"))


@dataclass(frozen=True)
class PlaceTable:
    """Places open to the public with a position, as columns.

    A place without a position of its own but with a commune stands at that commune's point
    (town hall): it is in the commune, which is all a per-commune diagnosis needs.
    """

    ids: IntArray
    lat: FloatArray
    lon: FloatArray
    commune_index: IntArray  # index into CommuneTable, -1 when the commune is unknown
    services_mask: IntArray
    is_itinerant: BoolArray
    horaires: list[str]

    def __len__(self) -> int:
        return len(self.ids)

    def offering(self, service: str | None) -> BoolArray:
        """Which places offer `service` (a code of the standard), all when None."""
        if not service:
            return np.ones(len(self), dtype=bool)
        return (self.services_mask & mask_of(Service, [service])) > 0


def load_places(communes: CommuneTable) -> PlaceTable:
    """Published places that receive the public (« Ce lieu n'accueille pas de public » is not
    an offer), each at its own position or else at its commune's point."""
    no_public = mask_of(ModaliteAcces, [ModaliteAcces.PAS_DE_PUBLIC])
    itinerant = mask_of(Itinerance, [Itinerance.ITINERANT])
    rows = list(
        Place.objects.published()
        .values_list(
            "pk",
            "latitude",
            "longitude",
            "commune_ref_id",
            "services_mask",
            "itinerance_mask",
            "modalites_acces_mask",
            "horaires",
        )
        .order_by("pk")
    )
    rows = [row for row in rows if not row[6] & no_public]
    index_of = communes.index_of()
    count = len(rows)
    commune_index = np.array([index_of.get(row[3] or "", -1) for row in rows], dtype=np.int64)
    lat = _floats([row[1] for row in rows]) if count else np.zeros(0)
    lon = _floats([row[2] for row in rows]) if count else np.zeros(0)
    without = (np.isnan(lat) | np.isnan(lon)) & (commune_index >= 0)
    lat[without] = communes.lat[commune_index[without]]
    lon[without] = communes.lon[commune_index[without]]
    located = ~(np.isnan(lat) | np.isnan(lon))
    keep = np.flatnonzero(located)
    return PlaceTable(
        ids=np.array([row[0] for row in rows], dtype=np.int64)[keep],
        lat=lat[keep],
        lon=lon[keep],
        commune_index=commune_index[keep],
        services_mask=np.array([row[4] for row in rows], dtype=np.int64)[keep],
        is_itinerant=np.array([bool(row[5] & itinerant) for row in rows], dtype=bool)[keep],
        horaires=[rows[i][7] for i in keep],
    )


def recent_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months, ending today: the period of « activité récente »."""
    end = today or dt.date.today()
    return end - dt.timedelta(days=365), end
