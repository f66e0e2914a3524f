"""The query-string vocabulary of the places search: one definition, parsed and written back.

`PARAMETERS` is the single definition: `PlaceFilters.from_query` parses with it,
`PlaceFilters.to_query` writes it back, and the OpenAPI document is generated from it, so the
three cannot drift apart.
"""

import dataclasses
import enum
import math
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import QueryDict

from maillon.places.exporting.territories import Territory, parse_territories
from maillon.places.vocabulary import ENUM_FIELDS
from maillon.territory.models import CODE_INSEE_PATTERN, Commune

DEFAULT_RADIUS_KM = 10.0
MAX_RADIUS_KM = 100.0
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


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
        "Lieux ouverts à l'heure de la requête, à l'heure locale du lieu (outre-mer compris), "
        "d'après leurs horaires ; les lieux sans horaires exploitables sont exclus.",
    ),
    _flag(
        "ouvert_week_end",
        "Ouvert le week-end",
        "Lieux ouverts le samedi ou le dimanche qui viennent (date locale du lieu) ; les lieux "
        "sans horaires exploitables sont exclus.",
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


def expand_codes(field: str, codes: Iterable[str]) -> list[str]:
    """The standard's codes a filter's codes stand for (aliases replaced by their codes)."""
    aliases = CODE_ALIASES.get(field, {})
    expanded: list[str] = []
    for code in codes:
        expanded.extend(aliases.get(code, (code,)))
    return list(dict.fromkeys(expanded))
