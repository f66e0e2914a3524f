"""Search of published places: one parser and one engine for the public pages and the JSON API.

`parameters` defines the query-string vocabulary (parsed, written back and documented from one
definition), `engine` runs a search, `hours` evaluates the opening-hours filters in each place's
time zone, `geometry` measures distances.
"""

from maillon.places.search.engine import (
    MAX_LISTED_COMMUNES,
    MAX_POSTAL_COMMUNES,
    SearchResult,
    filtered_places,
    open_now_of,
    published,
    search,
)
from maillon.places.search.geometry import EARTH_RADIUS_M, bounding_box, haversine_m
from maillon.places.search.parameters import (
    ALIAS_LABELS,
    CODE_ALIASES,
    CODE_PARAMETERS,
    DEFAULT_PER_PAGE,
    DEFAULT_RADIUS_KM,
    FALSE_WORDS,
    FLAG_PARAMETERS,
    LANGUES_ETRANGERES,
    MAX_PER_PAGE,
    MAX_RADIUS_KM,
    PARAMETER_NAMES,
    PARAMETERS,
    PARAMETERS_BY_NAME,
    TRUE_WORDS,
    ActiveFilter,
    Kind,
    Parameter,
    PlaceFilters,
    expand_codes,
)

__all__ = [
    "ALIAS_LABELS",
    "CODE_ALIASES",
    "CODE_PARAMETERS",
    "DEFAULT_PER_PAGE",
    "DEFAULT_RADIUS_KM",
    "EARTH_RADIUS_M",
    "FALSE_WORDS",
    "FLAG_PARAMETERS",
    "LANGUES_ETRANGERES",
    "MAX_LISTED_COMMUNES",
    "MAX_PER_PAGE",
    "MAX_POSTAL_COMMUNES",
    "MAX_RADIUS_KM",
    "PARAMETERS",
    "PARAMETERS_BY_NAME",
    "PARAMETER_NAMES",
    "TRUE_WORDS",
    "ActiveFilter",
    "Kind",
    "Parameter",
    "PlaceFilters",
    "SearchResult",
    "bounding_box",
    "expand_codes",
    "filtered_places",
    "haversine_m",
    "open_now_of",
    "published",
    "search",
]
