"""Public pages of the territory reference data: search, région, département, EPCI, commune."""

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, F, FloatField, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from maillon.core.formats import french_number
from maillon.territory.lookups import find_territories
from maillon.territory.models import (
    IFN_COMPONENTS,
    Commune,
    Departement,
    Epci,
    EpciKind,
    IfnScores,
    Region,
    Zone,
)

COMMUNES_PER_PAGE = 100
UNKNOWN = "non disponible"
IFN_FIELDS = ["ifn_score", *IFN_COMPONENTS]

Figure = dict[str, str]
Cell = Any


def _number(value: float | None, decimals: int = 0, unit: str = "") -> str:
    return UNKNOWN if value is None else french_number(value, decimals, unit)


def _figure(label: str, value: str, note: str = "") -> Figure:
    return {"label": label, "value": value, "note": note}


def _density(population: int | None, area_km2: float | None) -> float | None:
    if population is None or not area_km2:
        return None
    return population / area_km2


def _share(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return 100 * part / whole


def _annotation(row: object, name: str) -> Any:
    """A value added by QuerySet.annotate(), which the type checker cannot see."""
    return getattr(row, name)


def _link(text: str, url_name: str, code: str) -> dict[str, str]:
    return {"text": text, "url": reverse(url_name, args=[code])}


def _commune_totals(communes: QuerySet[Commune]) -> dict[str, Any]:
    """Sums over communes in one query; IFN as means weighted by municipal population."""
    has_ifn = Q(ifn_score__isnull=False, population__isnull=False)
    has_rp = Q(rp2021_active_15_64__isnull=False, rp2021_unemployed_15_64__isnull=False)
    # Aggregate aliases must differ from field names, hence the "total_" prefix.
    weighted = {
        f"total_{name}": Sum(F(name) * F("population"), filter=has_ifn, output_field=FloatField())
        for name in IFN_FIELDS
    }
    sums = communes.aggregate(
        total_communes=Count("pk"),
        total_epcis=Count("epci", distinct=True),
        total_population=Sum("population"),
        total_ifn_weight=Sum("population", filter=has_ifn),
        total_active=Sum("rp2021_active_15_64", filter=has_rp),
        total_unemployed=Sum("rp2021_unemployed_15_64", filter=has_rp),
        **weighted,
    )
    weight = sums["total_ifn_weight"]
    totals = {
        "commune_count": sums["total_communes"],
        "epci_count": sums["total_epcis"],
        "population": sums["total_population"],
        "active": sums["total_active"],
        "unemployed": sums["total_unemployed"],
    }
    for name in IFN_FIELDS:
        weighted_sum = sums[f"total_{name}"]
        totals[name] = weighted_sum / weight if weight and weighted_sum is not None else None
    return totals


def _ifn_figures(scores: dict[str, float | None], note: str) -> list[Figure]:
    figures = [_figure("Indice de fragilité numérique", _number(scores["ifn_score"], 1), note)]
    figures += [_figure(label, _number(scores[name], 1)) for name, label in IFN_COMPONENTS.items()]
    return figures


def _own_ifn(territory: IfnScores) -> dict[str, float | None]:
    return {name: getattr(territory, name) for name in IFN_FIELDS}


def _unemployment_figure(unemployed: int | None, active: int | None) -> Figure:
    return _figure(
        "Part de chômeurs parmi les actifs de 15 à 64 ans",
        _number(_share(unemployed, active), 1, "%"),
        "Recensement 2021",
    )


def _commune_rows(communes: Iterable[Commune], *, with_departement: bool) -> list[list[Cell]]:
    rows = []
    for commune in communes:
        row: list[Cell] = [
            _link(commune.name, "territory:commune", commune.code_insee),
            commune.code_insee,
        ]
        if with_departement:
            row.append(commune.departement.code)
        else:
            row.append(
                _link(commune.epci.name, "territory:epci", commune.epci.siren)
                if commune.epci
                else UNKNOWN
            )
        row += [
            _number(commune.population),
            _number(commune.density, 1),
            _number(commune.ifn_score, 1),
        ]
        rows.append(row)
    return rows


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    matches = find_territories(query) if query else None
    regions = list(Region.objects.order_by("search_name"))
    return render(
        request,
        "territory/search.html",
        {
            "query": query,
            "matches": matches,
            "regions": [region for region in regions if region.zone != Zone.COM],
            "collectivities": [region for region in regions if region.zone == Zone.COM],
        },
    )


def region(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region, code=code)
    totals = _commune_totals(Commune.objects.filter(departement__region=region))
    departements = region.departements.annotate(commune_count=Count("communes")).order_by("code")
    figures = [
        _figure("Population municipale", _number(region.population), "Populations légales 2023"),
        _figure("Superficie", _number(region.area_km2, 0, "km²")),
        _figure("Densité", _number(_density(region.population, region.area_km2), 1, "hab./km²")),
        _figure("Départements", _number(len(departements))),
        _figure("Communes", _number(totals["commune_count"])),
        _figure("EPCI à fiscalité propre", _number(totals["epci_count"])),
        _unemployment_figure(totals["unemployed"], totals["active"]),
    ]
    rows = [
        [
            departement.code,
            _link(departement.name, "territory:departement", departement.code),
            _number(departement.population),
            _number(departement.area_km2, 0),
            _number(_density(departement.population, departement.area_km2), 1),
            _number(_annotation(departement, "commune_count")),
        ]
        for departement in departements
    ]
    return render(
        request,
        "territory/region.html",
        {
            "region": region,
            "figures": figures,
            "ifn_figures": _ifn_figures(totals, "Moyenne des communes pondérée par la population"),
            "breadcrumb_links": [{"text": "Territoires", "url": reverse("territory:search")}],
            "departement_headers": [
                "Code",
                "Département",
                "Population municipale",
                "Superficie (km²)",
                "Densité (hab./km²)",
                "Communes",
            ],
            "departement_rows": rows,
            "numeric_columns": [2, 3, 4, 5],
        },
    )


def departement(request: HttpRequest, code: str) -> HttpResponse:
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code)
    communes = departement.communes.all()
    totals = _commune_totals(communes)
    epcis = (
        Epci.objects.filter(communes__departement=departement)
        .annotate(communes_here=Count("communes"))
        .order_by(F("population").desc(), "name")
    )
    page = Paginator(communes.select_related("epci").by_population(), COMMUNES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    figures = [
        _figure(
            "Population municipale", _number(departement.population), "Populations légales 2023"
        ),
        _figure("Superficie", _number(departement.area_km2, 0, "km²")),
        _figure(
            "Densité",
            _number(_density(departement.population, departement.area_km2), 1, "hab./km²"),
        ),
        _figure("Communes", _number(totals["commune_count"])),
        _figure("EPCI à fiscalité propre", _number(totals["epci_count"])),
        _unemployment_figure(totals["unemployed"], totals["active"]),
    ]
    epci_rows = [
        [
            _link(epci.name, "territory:epci", epci.siren),
            EpciKind(epci.kind).label,
            _number(_annotation(epci, "communes_here")),
            _number(epci.population),
            _number(epci.ifn_score, 1),
        ]
        for epci in epcis
    ]
    return render(
        request,
        "territory/departement.html",
        {
            "departement": departement,
            "figures": figures,
            "ifn_figures": _ifn_figures(totals, "Moyenne des communes pondérée par la population"),
            "breadcrumb_links": [
                {"text": "Territoires", "url": reverse("territory:search")},
                _link(departement.region.name, "territory:region", departement.region.code),
            ],
            "epci_headers": [
                "EPCI",
                "Nature",
                "Communes dans le département",
                "Population municipale (tout l'EPCI)",
                "Indice de fragilité numérique",
            ],
            "epci_rows": epci_rows,
            "epci_numeric": [2, 3, 4],
            "page": page,
            "commune_headers": [
                "Commune",
                "Code INSEE",
                "EPCI",
                "Population municipale",
                "Densité (hab./km²)",
                "Indice de fragilité numérique",
            ],
            "commune_rows": _commune_rows(page.object_list, with_departement=False),
            "commune_numeric": [3, 4, 5],
        },
    )


def epci(request: HttpRequest, siren: str) -> HttpResponse:
    epci = get_object_or_404(Epci, siren=siren)
    communes = list(epci.communes.select_related("departement__region").by_population())
    area = sum(commune.area_km2 or 0 for commune in communes) or None
    active = sum(commune.rp2021_active_15_64 or 0 for commune in communes)
    unemployed = sum(commune.rp2021_unemployed_15_64 or 0 for commune in communes)
    figures = [
        _figure("Population municipale", _number(epci.population), "Populations légales 2023"),
        _figure("Superficie", _number(area, 0, "km²"), "Somme des communes membres"),
        _figure("Densité", _number(_density(epci.population, area), 1, "hab./km²")),
        _figure("Communes membres", _number(len(communes))),
        _figure("Nature juridique", EpciKind(epci.kind).label),
        _unemployment_figure(unemployed or None, active or None),
    ]
    # The EPCI's place in the breadcrumb: the département of its most populated commune.
    main_departement = communes[0].departement if communes else None
    breadcrumb_links = [{"text": "Territoires", "url": reverse("territory:search")}]
    if main_departement:
        breadcrumb_links += [
            _link(main_departement.region.name, "territory:region", main_departement.region.code),
            _link(main_departement.name, "territory:departement", main_departement.code),
        ]
    return render(
        request,
        "territory/epci.html",
        {
            "epci": epci,
            "figures": figures,
            "ifn_figures": _ifn_figures(_own_ifn(epci), "Indice 2023 calculé pour l'EPCI"),
            "breadcrumb_links": breadcrumb_links,
            "commune_headers": [
                "Commune",
                "Code INSEE",
                "Département",
                "Population municipale",
                "Densité (hab./km²)",
                "Indice de fragilité numérique",
            ],
            "commune_rows": _commune_rows(communes, with_departement=True),
            "commune_numeric": [3, 4, 5],
        },
    )


def commune(request: HttpRequest, code_insee: str) -> HttpResponse:
    commune = get_object_or_404(
        Commune.objects.select_related("departement__region", "epci"), code_insee=code_insee
    )
    postal_codes = list(commune.postal_codes.values_list("code", flat=True))
    figures = [
        _figure("Population municipale", _number(commune.population), "Populations légales 2023"),
        _figure("Superficie", _number(commune.area_km2, 2, "km²")),
        _figure("Densité", _number(commune.density, 1, "hab./km²")),
        _figure(
            "Niveau de vie médian", _number(commune.median_income, 0, "€ par an"), "Filosofi 2021"
        ),
        _figure("Taux de pauvreté", _number(commune.poverty_rate, 1, "%"), "Filosofi 2021"),
        _figure(
            "Part des prestations sociales dans le revenu",
            _number(commune.social_benefits_share, 1, "%"),
            "Filosofi 2021",
        ),
        _figure("Ménages", _number(commune.rp2021_households), "Recensement 2021"),
        _unemployment_figure(commune.rp2021_unemployed_15_64, commune.rp2021_active_15_64),
    ]
    departement = commune.departement
    return render(
        request,
        "territory/commune.html",
        {
            "commune": commune,
            "figures": figures,
            "ifn_figures": _ifn_figures(_own_ifn(commune), "Indice 2023 de la commune"),
            "postal_codes": postal_codes,
            "breadcrumb_links": [
                {"text": "Territoires", "url": reverse("territory:search")},
                _link(departement.region.name, "territory:region", departement.region.code),
                _link(departement.name, "territory:departement", departement.code),
            ],
            "centroid": _coordinates(commune.latitude, commune.longitude),
            "town_hall": _coordinates(commune.town_hall_latitude, commune.town_hall_longitude),
        },
    )


def _coordinates(latitude: float | None, longitude: float | None) -> str:
    if latitude is None or longitude is None:
        return UNKNOWN
    return f"latitude {_number(latitude, 5)}, longitude {_number(longitude, 5)}"
