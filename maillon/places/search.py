"""Search of published places: one parser and one engine for the public pages and the JSON API.

`PARAMETERS` is the single definition of the query-string vocabulary: `PlaceFilters.from_query`
parses with it, `PlaceFilters.to_query` writes it back, and the OpenAPI document is generated
from it, so the three cannot drift apart.

Semantics (as on the national map, lieux-standard.md §11.1, without its defects): values of one
filter are OR-ed, different filters are AND-ed; « langues étrangères » matches both of the
standard's qualified values; FRR matches places labelled FRR or the legacy ZRR.

Near me / near a commune: a bounding box is selected in SQL, the exact haversine distance is
computed with numpy. Places with a precise position are sorted by distance; places whose
position is only their commune's centre are kept when that centre is within the radius (or
when they are in the searched commune), get no distance and come after the precise ones.
Places without any position are found only through their commune.
"""

import dataclasses
import datetime as dt
import enum
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
from django.db import connections
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone

from maillon.places.exporting.territories import Territory, parse_territories
from maillon.places.models import Place, PlaceQuerySet
from maillon.places.opening_hours import open_now_strings, weekend_strings
from maillon.places.record import LocationPrecision
from maillon.places.vocabulary import ENUM_FIELDS
from maillon.territory.models import CODE_INSEE_PATTERN, POSTAL_CODE_PATTERN, Commune
from maillon.territory.names import normalize_query

EARTH_RADIUS_M = 6_371_008.8
DEFAULT_RADIUS_KM = 10.0
MAX_RADIUS_KM = 100.0
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
# A postal code may serve dozens of communes (Paris, big rural offices): enough to cover them.
MAX_POSTAL_COMMUNES = 60
MAX_LISTED_COMMUNES = 6000

# Pseudo-code of the « Langues étrangères » option of the national map: it must find places
# declaring either qualified value of the standard (the national map matches neither).
LANGUES_ETRANGERES = "langues_etrangeres"
CODE_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "prise_en_charge_specifique": {
        LANGUES_ETRANGERES: ("langues_anglais", "langues_autres"),
    },
}
ALIAS_LABELS = {LANGUES_ETRANGERES: "Langues étrangères (anglais ou autres)"}

TRUE_WORDS = frozenset({"1", "true", "oui", "on", "vrai"})
FALSE_WORDS = frozenset({"0", "false", "non", "off", "faux", ""})


class Kind(enum.Enum):
    TEXT = "text"
    COMMUNES = "communes"
    NUMBER = "number"
    INTEGER = "integer"
    CODES = "codes"
    FLAG = "flag"
    STRINGS = "strings"
    TERRITORIES = "territories"


@dataclasses.dataclass(frozen=True)
class Parameter:
    """One query-string parameter: how it is parsed, shown and documented."""

    name: str
    label: str  # shown in « Filtres actifs »
    description: str
    kind: Kind
    example: str
    field: str = ""  # the standard's enumerated field, for Kind.CODES
    minimum: float | None = None
    maximum: float | None = None
    default: float | None = None

    @property
    def is_list(self) -> bool:
        return self.kind in {Kind.COMMUNES, Kind.CODES, Kind.STRINGS, Kind.TERRITORIES}

    def choices(self) -> list[tuple[str, str]]:
        """(code, label) accepted by a Kind.CODES parameter, aliases included."""
        if self.kind is not Kind.CODES:
            return []
        enum_class = ENUM_FIELDS[self.field]
        pairs = [(str(value), str(label)) for value, label in enum_class.choices]
        for alias in CODE_ALIASES.get(self.field, {}):
            pairs.append((alias, ALIAS_LABELS[alias]))
        return pairs


def _codes(name: str, label: str, field: str, example: str, what: str) -> Parameter:
    return Parameter(
        name=name,
        label=label,
        description=(
            f"{what} Codes séparés par des virgules ou paramètre répété ; un lieu correspond "
            "s'il a au moins un des codes."
        ),
        kind=Kind.CODES,
        example=example,
        field=field,
    )


def _flag(name: str, label: str, description: str) -> Parameter:
    return Parameter(
        name=name,
        label=label,
        description=f"{description} Valeur 1 (ou true, oui) pour activer le filtre.",
        kind=Kind.FLAG,
        example="1",
    )


PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        name="q",
        label="Commune",
        description=(
            "Nom de commune (« Laval », « saint etienne »), code postal (« 53000 ») ou code "
            "INSEE. Renvoie les lieux de la commune et ceux situés dans le rayon autour de son "
            "centre, du plus proche au plus lointain. Ignoré quand lat et lon sont donnés."
        ),
        kind=Kind.TEXT,
        example="Laval",
    ),
    Parameter(
        name="commune",
        label="Code INSEE",
        description="Lieux situés dans ces communes (codes INSEE), sans élargir au rayon.",
        kind=Kind.COMMUNES,
        example="53130",
    ),
    Parameter(
        name="lat",
        label="Latitude",
        description="Latitude WGS 84 du point de recherche « autour de moi » (avec lon).",
        kind=Kind.NUMBER,
        example="48.0706",
        minimum=-90,
        maximum=90,
    ),
    Parameter(
        name="lon",
        label="Longitude",
        description="Longitude WGS 84 du point de recherche « autour de moi » (avec lat).",
        kind=Kind.NUMBER,
        example="-0.7734",
        minimum=-180,
        maximum=180,
    ),
    Parameter(
        name="rayon",
        label="Rayon (km)",
        description=(
            f"Rayon de recherche en kilomètres autour du point ou de la commune "
            f"(par défaut {DEFAULT_RADIUS_KM:g}, au plus {MAX_RADIUS_KM:g})."
        ),
        kind=Kind.NUMBER,
        example="5",
        minimum=0.1,
        maximum=MAX_RADIUS_KM,
        default=DEFAULT_RADIUS_KM,
    ),
    _codes("services", "Services", "services", "aide_demarches", "Services proposés."),
    _codes(
        "publics",
        "Publics",
        "publics_specifiquement_adresses",
        "seniors",
        "Publics spécifiquement adressés.",
    ),
    _codes(
        "prises_en_charge",
        "Prise en charge spécifique",
        "prise_en_charge_specifique",
        LANGUES_ETRANGERES,
        "Prise en charge de publics avec des besoins spécifiques ; « langues_etrangeres » "
        "trouve l'anglais comme les autres langues.",
    ),
    _codes("frais", "Frais", "frais_a_charge", "gratuit", "Frais à charge."),
    _codes(
        "modalites_acces",
        "Modalités d'accès",
        "modalites_acces",
        "se_presenter",
        "Modalités d'accès au service.",
    ),
    _codes(
        "modalites_accompagnement",
        "Accompagnement",
        "modalites_accompagnement",
        "individuel",
        "Modalités d'accompagnement.",
    ),
    _codes(
        "dispositifs",
        "Dispositifs",
        "dispositif_programmes_nationaux",
        "france_services",
        "Dispositifs et programmes nationaux.",
    ),
    _codes("itinerance", "Itinérance", "itinerance", "itinerant", "Lieu fixe ou itinérant."),
    _codes(
        "formations_labels",
        "Formations et labels",
        "formations_labels",
        "mon_espace_sante",
        "Formations et labels.",
    ),
    _flag(
        "ouvert_maintenant",
        "Ouvert maintenant",
        "Lieux ouverts à l'heure de la requête (heure de Paris) d'après leurs horaires ; les "
        "lieux sans horaires exploitables sont exclus.",
    ),
    _flag(
        "ouvert_week_end",
        "Ouvert le week-end",
        "Lieux ouverts le samedi ou le dimanche qui viennent ; les lieux sans horaires "
        "exploitables sont exclus.",
    ),
    _flag("prise_rdv", "Prise de rendez-vous en ligne", "Lieux ayant un lien de prise de RDV."),
    _flag("qpv", "Quartier prioritaire de la ville (QPV)", "Lieux en quartier prioritaire."),
    _flag(
        "frr",
        "France Ruralités Revitalisation (FRR)",
        "Lieux en zone FRR (y compris les lieux encore étiquetés ZRR).",
    ),
    Parameter(
        name="source",
        label="Source",
        description="Structure collectant la donnée (valeur exacte du champ source).",
        kind=Kind.STRINGS,
        example="Hubik",
    ),
    Parameter(
        name="territoire",
        label="Territoire",
        description=(
            "Département, région, EPCI ou commune : dep:53, reg:52, epci:200083392, com:53130 "
            "(plusieurs séparés par des virgules)."
        ),
        kind=Kind.TERRITORIES,
        example="dep:53",
    ),
    Parameter(
        name="page",
        label="Page",
        description="Numéro de page, à partir de 1.",
        kind=Kind.INTEGER,
        example="2",
        minimum=1,
        default=1,
    ),
    Parameter(
        name="par_page",
        label="Résultats par page",
        description=(
            f"Nombre de lieux par page (par défaut {DEFAULT_PER_PAGE}, au plus {MAX_PER_PAGE})."
        ),
        kind=Kind.INTEGER,
        example="20",
        minimum=1,
        maximum=MAX_PER_PAGE,
        default=DEFAULT_PER_PAGE,
    ),
)
PARAMETERS_BY_NAME = {parameter.name: parameter for parameter in PARAMETERS}
PARAMETER_NAMES = frozenset(PARAMETERS_BY_NAME)
CODE_PARAMETERS = tuple(p for p in PARAMETERS if p.kind is Kind.CODES)
FLAG_PARAMETERS = tuple(p for p in PARAMETERS if p.kind is Kind.FLAG)
# Parameters that only move through results: never shown as an active filter.
_NOT_FILTERS = frozenset({"page", "par_page", "rayon", "lat", "lon"})


@dataclasses.dataclass(frozen=True)
class ActiveFilter:
    """One value of an applied filter, for « Filtres actifs » (with its removal query)."""

    parameter: str
    label: str
    value: str
    text: str
    remove_query: str


@dataclasses.dataclass(frozen=True)
class PlaceFilters:
    q: str = ""
    commune: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    rayon: float = DEFAULT_RADIUS_KM
    services: tuple[str, ...] = ()
    publics: tuple[str, ...] = ()
    prises_en_charge: tuple[str, ...] = ()
    frais: tuple[str, ...] = ()
    modalites_acces: tuple[str, ...] = ()
    modalites_accompagnement: tuple[str, ...] = ()
    dispositifs: tuple[str, ...] = ()
    itinerance: tuple[str, ...] = ()
    formations_labels: tuple[str, ...] = ()
    ouvert_maintenant: bool = False
    ouvert_week_end: bool = False
    prise_rdv: bool = False
    qpv: bool = False
    frr: bool = False
    source: tuple[str, ...] = ()
    territoire: tuple[Territory, ...] = ()
    page: int = 1
    par_page: int = DEFAULT_PER_PAGE

    @classmethod
    def from_query(
        cls, params: "QueryDict | Mapping[str, str | list[str]]"
    ) -> tuple["PlaceFilters", list[str]]:
        """Filters from a query string; bad values are left out and explained in French."""
        values: dict[str, Any] = {}
        errors: list[str] = []
        for parameter in PARAMETERS:
            raw = _raw_values(params, parameter.name)
            if not raw:
                continue
            value, problems = _parse(parameter, raw)
            errors.extend(problems)
            if value is not None:
                values[parameter.name] = value
        if ("lat" in values) != ("lon" in values):
            values.pop("lat", None)
            values.pop("lon", None)
            errors.append("lat et lon : indiquez les deux coordonnées ensemble.")
        return cls(**values), errors

    @property
    def center_point(self) -> tuple[float, float] | None:
        if self.lat is None or self.lon is None:
            return None
        return (self.lat, self.lon)

    @property
    def needs_hours(self) -> bool:
        return self.ouvert_maintenant or self.ouvert_week_end

    def to_query(self, *, with_page: bool = False) -> list[tuple[str, str]]:
        """Query-string pairs giving these filters back (defaults left out)."""
        pairs: list[tuple[str, str]] = []
        for parameter in PARAMETERS:
            if parameter.name in {"page", "par_page"} and not with_page:
                continue
            text = _format(parameter, getattr(self, parameter.name))
            if text is not None:
                pairs.append((parameter.name, text))
        return pairs

    def query_string(self, *, with_page: bool = False, **changes: Any) -> str:
        """URL-encoded query of these filters with some fields replaced (e.g. page=2)."""
        changed = dataclasses.replace(self, **changes) if changes else self
        query = QueryDict(mutable=True)
        for name, value in changed.to_query(with_page=with_page or "page" in changes):
            query.appendlist(name, value)
        return query.urlencode(safe=",:")

    def active(self) -> list[ActiveFilter]:
        """Every applied filter value, each with the query string that removes it."""
        found: list[ActiveFilter] = []
        for parameter in PARAMETERS:
            if parameter.name in _NOT_FILTERS:
                continue
            value = getattr(self, parameter.name)
            if not value:
                continue
            if parameter.kind in {Kind.TEXT, Kind.FLAG}:
                text = parameter.label if parameter.kind is Kind.FLAG else str(value)
                removed = dataclasses.replace(self, **{parameter.name: _empty(parameter)})
                shown = str(value) if parameter.kind is Kind.TEXT else "1"
                found.append(
                    ActiveFilter(
                        parameter.name,
                        parameter.label,
                        shown,
                        f"{parameter.label} : {text}" if parameter.kind is Kind.TEXT else text,
                        removed.query_string(),
                    )
                )
                continue
            labels = dict(parameter.choices())
            for item in value:
                code = item.kind + ":" + item.code if isinstance(item, Territory) else item
                if isinstance(item, Territory):
                    shown = f"{item.name} ({item.code})"
                else:
                    shown = labels.get(item, item)
                rest: Any = tuple(other for other in value if other != item)
                removed = dataclasses.replace(self, **{parameter.name: rest})
                found.append(
                    ActiveFilter(
                        parameter.name,
                        parameter.label,
                        code,
                        f"{parameter.label} : {shown}",
                        removed.query_string(),
                    )
                )
        return found


def _empty(parameter: Parameter) -> Any:
    if parameter.kind is Kind.FLAG:
        return False
    if parameter.kind is Kind.TEXT:
        return ""
    return ()


def _raw_values(params: "QueryDict | Mapping[str, str | list[str]]", name: str) -> list[str]:
    if isinstance(params, QueryDict):
        given: list[str] = params.getlist(name)
    else:
        value = params.get(name)
        if value is None:
            return []
        given = [value] if isinstance(value, str) else list(value)
    return [text.strip() for text in given if text.strip()]


def _split(raw: list[str]) -> list[str]:
    items: list[str] = []
    for text in raw:
        items.extend(part.strip() for part in text.split(",") if part.strip())
    return list(dict.fromkeys(items))


def _parse(parameter: Parameter, raw: list[str]) -> tuple[Any, list[str]]:
    """(value or None, French error messages) for the non-empty raw values of one parameter."""
    name = parameter.name
    if parameter.kind is Kind.TEXT:
        return " ".join(raw)[:200], []
    if parameter.kind in {Kind.NUMBER, Kind.INTEGER}:
        text = raw[-1]
        try:
            number: float = (
                int(text) if parameter.kind is Kind.INTEGER else float(text.replace(",", "."))
            )
        except ValueError:
            kind = "un nombre entier" if parameter.kind is Kind.INTEGER else "un nombre"
            return None, [f"{name} : « {text} » n'est pas {kind}."]
        if not math.isfinite(number):
            return None, [f"{name} : « {text} » n'est pas un nombre."]
        if parameter.minimum is not None and number < parameter.minimum:
            return None, [f"{name} : « {text} » est inférieur au minimum ({parameter.minimum:g})."]
        if parameter.maximum is not None and number > parameter.maximum:
            return None, [f"{name} : « {text} » dépasse le maximum ({parameter.maximum:g})."]
        return number, []
    if parameter.kind is Kind.FLAG:
        text = raw[-1].lower()
        if text in TRUE_WORDS:
            return True, []
        if text in FALSE_WORDS:
            return False, []
        return None, [f"{name} : « {raw[-1]} » n'est pas reconnu (utilisez 1 ou 0)."]
    items = _split(raw)
    if parameter.kind is Kind.STRINGS:
        return tuple(items), []
    if parameter.kind is Kind.COMMUNES:
        codes = [item.upper() for item in items]
        bad = [code for code in codes if not CODE_INSEE_PATTERN.match(code)]
        known = set(
            Commune.objects.filter(code_insee__in=[c for c in codes if c not in bad]).values_list(
                "code_insee", flat=True
            )
        )
        errors = [f"{name} : « {code} » n'est pas un code INSEE valide." for code in bad]
        errors += [
            f"{name} : aucune commune ne porte le code INSEE « {code} »."
            for code in codes
            if code not in bad and code not in known
        ]
        return tuple(code for code in codes if code in known) or None, errors
    if parameter.kind is Kind.TERRITORIES:
        territories: list[Territory] = []
        errors = []
        for item in items:
            try:
                territories.extend(parse_territories(item))
            except ValueError as error:
                errors.append(f"{name} : {error}")
        return tuple(territories) or None, errors
    allowed = dict(parameter.choices())
    codes = [item.lower() for item in items]
    errors = [
        f"{name} : « {code} » n'est pas une valeur connue "
        f"(valeurs possibles : {', '.join(allowed)})."
        for code in codes
        if code not in allowed
    ]
    return tuple(code for code in codes if code in allowed) or None, errors


def _format(parameter: Parameter, value: Any) -> str | None:
    if parameter.kind is Kind.FLAG:
        return "1" if value else None
    if parameter.kind is Kind.TEXT:
        return value or None
    if parameter.kind in {Kind.NUMBER, Kind.INTEGER}:
        if value is None or value == parameter.default:
            return None
        return f"{value:g}" if isinstance(value, float) else str(value)
    if not value:
        return None
    if parameter.kind is Kind.TERRITORIES:
        return ",".join(f"{item.kind}:{item.code}" for item in value)
    return ",".join(value)


# --- Search engine ---------------------------------------------------------------------------


@dataclasses.dataclass
class SearchResult:
    filters: PlaceFilters
    places: list[Place]
    total: int
    page: int
    per_page: int
    pages: int
    # Metres from the centre, only for places with a precise position.
    distances: dict[int, float] = dataclasses.field(default_factory=dict)
    center: tuple[float, float] | None = None
    center_label: str = ""
    # Communes `q` resolved to (the first one gives the centre).
    communes: list[Commune] = dataclasses.field(default_factory=list)
    # Open at `now`, for every listed place that has opening hours.
    open_now: dict[int, bool] = dataclasses.field(default_factory=dict)
    now: dt.datetime | None = None
    errors: list[str] = dataclasses.field(default_factory=list)

    @property
    def active(self) -> list[ActiveFilter]:
        return self.filters.active()

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _is_unfiltered(filters: PlaceFilters) -> bool:
    return filters == PlaceFilters(page=filters.page, par_page=filters.par_page)


# Columns a listed place needs (the page and the API): everything but the merge bookkeeping.
_DEFERRED = ("field_provenance", "horaires_texte")


def published() -> PlaceQuerySet:
    """The rows of `Place.objects.published()`, written for SQLite so that its planner, which has
    no statistics, does not walk the `place_state` index (nearly every row matches it) instead
    of the position, commune or postal-code indexes that make a search cheap. PostgreSQL plans
    from statistics and estimates the plain condition better than the rewritten one."""
    if connections[Place.objects.db].vendor != "sqlite":
        return Place.objects.published()
    return Place.objects.alias(_merged_into=Coalesce("merged_into_id", Value(0))).filter(
        _merged_into=0, retired_at__isnull=True, is_public=True
    )


def _communes_of(territories: Iterable[Territory]) -> "QuerySet[Commune, str]":
    where = Q()
    for territory in territories:
        where |= {
            "dep": Q(departement_id=territory.code),
            "reg": Q(departement__region_id=territory.code),
            "epci": Q(epci_id=territory.code),
        }.get(territory.kind, Q(code_insee=territory.code))
    return Commune.objects.filter(where).values_list("code_insee", flat=True)


def filtered_places(filters: PlaceFilters) -> PlaceQuerySet:
    """Published places matching every filter but the position (q, lat/lon, rayon) and the
    opening hours ones (evaluated on the fetched rows: see `_hours_match`)."""
    places = published()
    for parameter in CODE_PARAMETERS:
        codes = getattr(filters, parameter.name)
        if codes:
            places = places.with_any(parameter.field, _expand(parameter.field, codes))
    if filters.commune:
        places = places.filter(commune_ref_id__in=filters.commune)
    if filters.prise_rdv:
        places = places.exclude(prise_rdv="")
    if filters.qpv:
        places = places.filter(in_qpv=True)
    if filters.frr:
        places = places.filter(in_frr=True)
    if filters.source:
        places = places.filter(source__in=filters.source)
    if filters.territoire:
        # The communes' codes, not a join: the places' commune index does the work. A literal
        # list plans best; past a few régions a subquery keeps clear of parameter limits.
        communes = _communes_of(filters.territoire)
        codes = list(communes[: MAX_LISTED_COMMUNES + 1])
        places = places.filter(
            commune_ref_id__in=codes if len(codes) <= MAX_LISTED_COMMUNES else communes
        )
    return places


def _hours_match(filters: PlaceFilters, strings: Iterable[str], now: dt.datetime) -> set[str]:
    """The distinct `horaires` strings satisfying the open-now / weekend filters.

    Each distinct string is evaluated once; places without valid hours never match (as on the
    national map)."""
    matching = {text for text in strings if text}
    if filters.ouvert_maintenant:
        matching = set(open_now_strings(matching, now))
    if filters.ouvert_week_end:
        matching = set(weekend_strings(matching, now.date()))
    return matching


def _expand(field: str, codes: Iterable[str]) -> list[str]:
    aliases = CODE_ALIASES.get(field, {})
    expanded: list[str] = []
    for code in codes:
        expanded.extend(aliases.get(code, (code,)))
    return list(dict.fromkeys(expanded))


def search(
    filters: PlaceFilters, *, now: dt.datetime | None = None, paginate: bool = True
) -> SearchResult:
    """Published places matching `filters`: one page (or all of them with paginate=False).

    Ordered by distance when there is a centre (lat/lon, or the commune found by `q`), else by
    name. A handful of queries whatever the number of places.
    """
    now = timezone.localtime(now or timezone.now())
    places = filtered_places(filters)
    errors: list[str] = []
    center = filters.center_point
    center_label = ""
    communes: list[Commune] = []
    area_codes: frozenset[str] = frozenset()
    postal_code = ""
    if center is None and filters.q:
        communes = _resolve(filters.q)
        if not communes:
            errors.append(f"q : aucune commune ne correspond à « {filters.q} ».")
            return _empty_result(filters, errors, now)
        first = communes[0]
        center = _commune_center(first)
        center_label = f"{first.name} ({first.code_insee})"
        area_codes = frozenset(commune.code_insee for commune in communes)
        if POSTAL_CODE_PATTERN.match(filters.q):
            postal_code = filters.q
        if center is None:
            places = places.filter(
                Q(commune_ref_id__in=area_codes)
                | (Q(code_postal=postal_code) if postal_code else Q(pk__in=[]))
            )
    elif center is not None:
        center_label = "Autour de votre position"

    distances: dict[int, float] = {}
    start = (filters.page - 1) * filters.par_page
    if _is_unfiltered(filters):
        # Everything: the count reads the narrow state index only, then one page.
        total = places.count()
        listed = places.order_by("nom", "pk").defer(*_DEFERRED)
        if paginate:
            listed = listed[start : start + filters.par_page]
        result_places = list(listed) if total > start or not paginate else []
    else:
        if center is None:
            if filters.needs_hours:
                # Distinct strings first (a short unsorted pass), so that only matching rows
                # are sorted by name.
                strings = places.order_by().values_list("horaires", flat=True).distinct()
                matching = _hours_match(filters, set(strings), now)
                places = places.filter(horaires__in=sorted(matching))
            # One pass: the ordered keys give the total and the page.
            ordered = list(places.order_by("nom", "pk").values_list("pk", flat=True))
        else:
            hours = (
                (lambda strings: _hours_match(filters, strings, now))
                if filters.needs_hours
                else None
            )
            ordered, distances = _near(
                places, center, filters.rayon * 1000, area_codes, postal_code, hours
            )
        total = len(ordered)
        if paginate:
            ordered = ordered[start : start + filters.par_page]
        by_pk = Place.objects.defer(*_DEFERRED).in_bulk(ordered)
        result_places = [by_pk[pk] for pk in ordered]
        shown = set(ordered)
        distances = {pk: metres for pk, metres in distances.items() if pk in shown}
    pages = _pages(total, filters.par_page)
    return SearchResult(
        filters=filters,
        places=result_places,
        total=total,
        page=filters.page,
        per_page=filters.par_page,
        pages=pages,
        distances=distances,
        center=center,
        center_label=center_label,
        communes=communes,
        open_now=open_now_of(result_places, now),
        now=now,
        errors=errors,
    )


def open_now_of(places: list[Place], now: dt.datetime) -> dict[int, bool]:
    """{place pk: open at `now`} for the places that have opening hours."""
    strings = {place.horaires for place in places if place.horaires}
    if not strings:
        return {}
    opened = set(open_now_strings(strings, timezone.localtime(now)))
    return {place.pk: place.horaires in opened for place in places if place.horaires}


def _empty_result(filters: PlaceFilters, errors: list[str], now: dt.datetime) -> SearchResult:
    return SearchResult(
        filters=filters,
        places=[],
        total=0,
        page=filters.page,
        per_page=filters.par_page,
        pages=1,
        now=now,
        errors=errors,
    )


def _pages(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


def _resolve(text: str) -> list[Commune]:
    """Communes meant by what was typed: the best match for a name, every commune of a postal
    code."""
    columns = (
        "code_insee",
        "name",
        "latitude",
        "longitude",
        "town_hall_latitude",
        "town_hall_longitude",
    )
    code = text.strip().upper()
    if POSTAL_CODE_PATTERN.match(code) or CODE_INSEE_PATTERN.match(code):
        # Direct index lookups: cheaper than the ranked search's OR on every commune.
        by_postal_code = Commune.objects.with_postal_code(code).by_population().only(*columns)
        return list(by_postal_code[:MAX_POSTAL_COMMUNES]) or list(
            Commune.objects.by_code_insee(code).only(*columns)
        )
    found = Commune.objects.search(text).only(*columns)
    # An exact name is the usual case and uses the name index; the ranked search scans.
    exact = list(
        Commune.objects.filter(search_name=normalize_query(text)).by_population().only(*columns)[:1]
    )
    return exact or list(found[:1])


def _commune_center(commune: Commune) -> tuple[float, float] | None:
    # The town hall is where "the centre" of a commune is for its inhabitants.
    if commune.town_hall_latitude is not None and commune.town_hall_longitude is not None:
        return (commune.town_hall_latitude, commune.town_hall_longitude)
    if commune.latitude is not None and commune.longitude is not None:
        return (commune.latitude, commune.longitude)
    return None


def bounding_box(center: tuple[float, float], radius_m: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) in degrees enclosing the circle, slightly widened."""
    lat, lon = center
    dlat = math.degrees(radius_m / EARTH_RADIUS_M) * 1.01
    dlon = dlat / max(math.cos(math.radians(min(abs(lat) + dlat, 89.0))), 0.01)
    return (lat - dlat, lat + dlat, lon - dlon, lon + dlon)


def haversine_m(
    lat: "np.ndarray[Any, np.dtype[np.float64]]",
    lon: "np.ndarray[Any, np.dtype[np.float64]]",
    center: tuple[float, float],
) -> "np.ndarray[Any, np.dtype[np.float64]]":
    lat1, lon1 = np.radians(center[0]), np.radians(center[1])
    lat2, lon2 = np.radians(lat), np.radians(lon)
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    result: np.ndarray[Any, np.dtype[np.float64]] = (
        2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    )
    return result


def _near(
    places: PlaceQuerySet,
    center: tuple[float, float],
    radius_m: float,
    area_codes: frozenset[str],
    postal_code: str,
    hours: "Callable[[set[str]], set[str]] | None" = None,
) -> tuple[list[int], dict[int, float]]:
    """Pks within the radius or in the searched communes, precise ones first by distance.

    An approximate place is stored at its commune's centre (the import puts it there), so the
    stored point is used for every place and no join is needed; a place without any point is
    found only through its commune.
    """
    south, north, west, east = bounding_box(center, radius_m)
    where = Q(latitude__range=(south, north), longitude__range=(west, east))
    if area_codes:
        where |= Q(commune_ref_id__in=area_codes)
    if postal_code:
        where |= Q(code_postal=postal_code)
    rows = list(
        places.filter(where)
        .order_by()
        .values_list(
            "pk",
            "latitude",
            "longitude",
            "location_precision",
            "commune_ref_id",
            "code_postal",
            "horaires",
        )
    )
    if hours is not None:
        matching = hours({row[6] for row in rows})
        rows = [row for row in rows if row[6] in matching]
    if not rows:
        return [], {}
    pks = np.array([row[0] for row in rows], dtype=np.int64)
    precise = np.array(
        [row[3] == LocationPrecision.PRECISE and row[1] is not None for row in rows], dtype=bool
    )
    lat = np.array([math.nan if row[1] is None else row[1] for row in rows], dtype=np.float64)
    lon = np.array([math.nan if row[2] is None else row[2] for row in rows], dtype=np.float64)
    distance = haversine_m(lat, lon, center)
    distance = np.where(np.isnan(distance), np.inf, distance)
    in_area = np.array(
        [row[4] in area_codes or (bool(postal_code) and row[5] == postal_code) for row in rows],
        dtype=bool,
    )
    keep = (distance <= radius_m) | in_area
    order = np.lexsort((pks, distance, ~precise))
    order = order[keep[order]]
    ordered = [int(pk) for pk in pks[order]]
    distances = {
        int(pks[i]): float(distance[i]) for i in order if precise[i] and np.isfinite(distance[i])
    }
    return ordered, distances
