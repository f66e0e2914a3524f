"""Read-only lookups across territory levels, for the search page and for other apps."""

import re
from dataclasses import dataclass, field

from maillon.territory.models import Commune, Departement, Epci, Region, rank_by_name

DEPARTEMENT_CODE = re.compile(r"^(?:\d{2}|2[AB]|97\d|98\d)$")


@dataclass(frozen=True)
class TerritoryMatches:
    regions: list[Region] = field(default_factory=list)
    departements: list[Departement] = field(default_factory=list)
    epcis: list[Epci] = field(default_factory=list)
    communes: list[Commune] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.regions or self.departements or self.epcis or self.communes)


def find_territories(text: str, *, limit: int = 20) -> TerritoryMatches:
    """Territories of every level matching what was typed in one box.

    Régions by name; départements by name or code ("53", "2A", "971"); EPCI by name or SIREN;
    communes by name, postal code or code INSEE (see CommuneQuerySet.search). Four queries.
    """
    text = text.strip()
    if not text:
        return TerritoryMatches()
    code = text.upper()
    if DEPARTEMENT_CODE.match(code):
        departements = list(Departement.objects.filter(code=code))
    else:
        departements = list(
            rank_by_name(Departement.objects.all(), text).order_by("name_rank", "code")[:limit]
        )
    return TerritoryMatches(
        regions=list(
            rank_by_name(Region.objects.all(), text).order_by("name_rank", "code")[:limit]
        ),
        departements=departements,
        epcis=list(Epci.objects.search(text)[:limit]),
        communes=list(Commune.objects.search(text).select_related("departement")[:limit]),
    )
