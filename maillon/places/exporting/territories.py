"""Territory filters written as `dep:53`, `reg:52`, `epci:200083392`, `com:53130`.

Shared by the exports and the public search: a place belongs to a territory through its
commune (`Place.commune_ref`), so places whose commune is unknown are in no territory.
"""

import dataclasses
import re
import unicodedata

from django.db.models import Q

from maillon.territory.models import CODE_INSEE_PATTERN, Commune, Departement, Epci, Region

KINDS = {
    "dep": "département",
    "reg": "région",
    "epci": "EPCI",
    "com": "commune",
}
_PATTERNS = {
    "dep": re.compile(r"^(?:\d{2}|2[AB]|97\d)$"),
    "reg": re.compile(r"^\d{2}$"),
    "epci": re.compile(r"^\d{9}$"),
    "com": CODE_INSEE_PATTERN,
}
_CODE_OF = {
    "dep": "code de département",
    "reg": "code de région",
    "epci": "SIREN d'EPCI (9 chiffres)",
    "com": "code INSEE de commune",
}
_NOBODY = {
    "dep": "aucun département",
    "reg": "aucune région",
    "epci": "aucun EPCI",
    "com": "aucune commune",
}
_EXAMPLES = "dep:53, reg:52, epci:200083392 ou com:53130"


@dataclasses.dataclass(frozen=True)
class Territory:
    kind: str  # a key of KINDS
    code: str
    name: str

    def places_filter(self) -> Q:
        if self.kind == "dep":
            return Q(commune_ref__departement_id=self.code)
        if self.kind == "reg":
            return Q(commune_ref__departement__region_id=self.code)
        if self.kind == "epci":
            return Q(commune_ref__epci_id=self.code)
        return Q(commune_ref_id=self.code)


def _name_of(kind: str, code: str) -> str | None:
    if kind == "dep":
        return Departement.objects.filter(code=code).values_list("name", flat=True).first()
    if kind == "reg":
        return Region.objects.filter(code=code).values_list("name", flat=True).first()
    if kind == "epci":
        return Epci.objects.filter(siren=code).values_list("name", flat=True).first()
    return Commune.objects.filter(code_insee=code).values_list("name", flat=True).first()


def parse_territories(spec: str) -> list[Territory]:
    """Every territory of a comma-separated spec, checked against the reference data.

    Raises ValueError with a French message naming the faulty part.
    """
    territories: list[Territory] = []
    parts = [part.strip() for part in spec.split(",")]
    if not any(parts):
        raise ValueError(f"Territoire vide : indiquez par exemple {_EXAMPLES}.")
    for part in parts:
        if not part:
            raise ValueError(f"Territoire « {spec} » : une valeur est vide entre deux virgules.")
        kind, separator, code = part.partition(":")
        kind = kind.strip().lower()
        code = code.strip().upper()
        if not separator or kind not in KINDS:
            raise ValueError(
                f"Territoire « {part} » non reconnu : utilisez dep:, reg:, epci: ou com: "
                f"suivi d'un code (par exemple {_EXAMPLES})."
            )
        if not _PATTERNS[kind].match(code):
            raise ValueError(
                f"Territoire « {part} » : « {code} » n'est pas un {_CODE_OF[kind]} valide."
            )
        name = _name_of(kind, code)
        if name is None:
            raise ValueError(
                f"Territoire « {part} » : {_NOBODY[kind]} ne porte le code « {code} »."
            )
        territories.append(Territory(kind=kind, code=code, name=name))
    return territories


def parse_territory(spec: str) -> Q:
    """Filter on `Place` for a spec such as `dep:53` or `dep:53,com:49007` (union of the parts)."""
    query = Q()
    for territory in parse_territories(spec):
        query |= territory.places_filter()
    return query


def file_label(territories: list[Territory]) -> str:
    """Territory part of a standard file name: unaccented, no spaces (« BordeauxMetropole »)."""
    if not territories:
        return "France"
    return "-".join(_camel_ascii(territory.name) for territory in territories)


def _camel_ascii(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.split(r"[^A-Za-z0-9]+", ascii_name)
    return "".join(word[:1].upper() + word[1:] for word in words if word)
