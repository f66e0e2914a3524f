"""Resolve a row's commune against the territory tables, preloaded once per import.

Loading ~35,000 communes and postal codes into dicts costs a few hundred milliseconds and saves
three queries per row.
"""

import dataclasses
import functools
import re
from collections import defaultdict

from rapidfuzz import fuzz

from maillon.places.importing import former_communes
from maillon.territory.models import Commune, PostalCode
from maillon.territory.names import normalize_query


@dataclasses.dataclass(frozen=True)
class CommuneInfo:
    code_insee: str
    name: str
    latitude: float | None
    longitude: float | None
    area_km2: float | None = None


@dataclasses.dataclass(frozen=True)
class Resolution:
    commune: CommuneInfo | None
    # French notes for the report: how the commune was found when it took a detour.
    warnings: tuple[str, ...] = ()
    error: str = ""
    # The row's commune name belongs to another commune (a geocoder's homonym): use ours.
    overrides_name: bool = False


def _department(code: str) -> str:
    """Département of a code INSEE or a postal code (Corse counted as one: 20, 2A, 2B)."""
    if code.startswith(("97", "98")):
        return code[:3]
    return "20" if code[:2] in {"2A", "2B"} else code[:2]


_CEDEX = re.compile(r"\bcedex\b.*$")
FUZZY_THRESHOLD = 85


@functools.lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """A commune name compared without spaces: "Saint-Donat-sur-lHerbasse" finds
    "Saint-Donat-sur-l'Herbasse"; "Annecy Cedex 03" finds Annecy."""
    return _CEDEX.sub("", normalize_query(name)).replace(" ", "")


class CommuneIndex:
    def __init__(self) -> None:
        self.communes: dict[str, CommuneInfo] = {
            code: CommuneInfo(code, name, latitude, longitude, area)
            for code, name, latitude, longitude, area in Commune.objects.values_list(
                "code_insee", "name", "latitude", "longitude", "area_km2"
            )
        }
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for code, search_name in Commune.objects.values_list("code_insee", "search_name"):
            # search_name is already normalised (and official names hold no "St" to expand).
            self.by_name[search_name.replace(" ", "")].append(code)
        self.postal_codes: dict[str, list[str]] = defaultdict(list)
        self.postal_codes_of: dict[str, list[str]] = defaultdict(list)
        for postal, code in PostalCode.objects.order_by("code").values_list("code", "commune_id"):
            self.postal_codes[postal].append(code)
            self.postal_codes_of[code].append(postal)
        self.former_codes: dict[str, str] = {}
        self.former_names: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for old_code, old_name, current in former_communes.load():
            if current not in self.communes:
                continue
            if old_code not in self.communes:
                self.former_codes.setdefault(old_code, current)
            self.former_names[name_key(old_name)].append((old_code, current))

    def resolve(self, *, code_insee: str, name: str, postal_code: str) -> Resolution:
        """The current commune of a row, trying in turn its code INSEE, a former code, its
        postal code (with the name to choose between communes sharing it), its current name,
        then a former name; the département of the postal code breaks ties between names."""
        notes: list[str] = []
        if code_insee:
            if code_insee in self.communes:
                if postal_code in self.postal_codes and _department(postal_code) != _department(
                    code_insee
                ):
                    # Some files carry a homonym's code (Mont-Dore 63236 for Le Mont-Dore, NC).
                    department = _department(postal_code)
                    in_department = [c for c in self.communes if _department(c) == department]
                    other = self._closest(name, in_department)
                    sharing = self.postal_codes[postal_code]
                    if not other and len(sharing) == 1:
                        # A geocoder's homonym (44 place Gambetta, 53100 → Bordeaux): the
                        # producer's own postal code names a single commune.
                        other = sharing[0]
                    if other:
                        commune = self.communes[other]
                        return Resolution(
                            commune,
                            (
                                f"code INSEE {code_insee} d'un autre département que le code "
                                f"postal : commune retenue {commune.name} ({commune.code_insee})",
                            ),
                            overrides_name=True,
                        )
                return Resolution(self.communes[code_insee])
            if code_insee in self.former_codes:
                current = self.communes[self.former_codes[code_insee]]
                return Resolution(
                    current,
                    (
                        f"code INSEE d'une ancienne commune, remplacé par celui de "
                        f"{current.name} ({current.code_insee})",
                    ),
                )
            notes.append(f"code INSEE {code_insee} inconnu")
        key = name_key(name)
        department = _department(postal_code) if postal_code else ""
        sharing = self.postal_codes.get(postal_code, []) if postal_code else []
        if sharing:
            if len(sharing) == 1:
                return self._found(sharing[0], notes)
            named = [code for code in self.by_name.get(key, []) if code in sharing]
            if len(named) == 1:
                return self._found(named[0], notes)
            former = [
                current for _, current in self.former_names.get(key, []) if current in sharing
            ]
            if len(set(former)) == 1:
                return self._found(
                    former[0], notes, "ancienne commune, rattachée à sa commune nouvelle"
                )
            fuzzy = self._closest(name, sharing)
            if fuzzy:
                return self._found(fuzzy, notes, "nom reconnu approximativement")
        if key:
            named = self.by_name.get(key, [])
            if department:
                named = [code for code in named if _department(code) == department] or named
            if len(named) == 1:
                return self._found(named[0], notes)
            former = list(
                {
                    current
                    for old_code, current in self.former_names.get(key, [])
                    if not department or _department(old_code) == department
                }
            )
            if len(former) == 1:
                return self._found(
                    former[0], notes, "ancienne commune, rattachée à sa commune nouvelle"
                )
        if code_insee:
            return Resolution(
                None,
                error="code INSEE inconnu, et ni le code postal ni le nom "
                "de la commune ne permettent de la trouver",
            )
        return Resolution(
            None,
            (
                "commune introuvable (ni code INSEE, ni code postal et nom "
                "reconnus) : le lieu n'est rattaché à aucune commune",
            ),
        )

    def _closest(self, name: str, codes: list[str]) -> str:
        """The only commune among `codes` whose name is close to `name` ("" if none or several)."""
        text = _CEDEX.sub("", normalize_query(name))
        scores = sorted(
            (fuzz.token_set_ratio(text, normalize_query(self.communes[code].name)), code)
            for code in codes
        )
        if not scores or scores[-1][0] < FUZZY_THRESHOLD:
            return ""
        if len(scores) > 1 and scores[-2][0] >= FUZZY_THRESHOLD:
            return ""
        return scores[-1][1]

    def _found(self, code: str, notes: list[str], how: str = "") -> Resolution:
        """`notes` and `how` become warnings only when something was off (an unknown code, a
        former commune); finding a commune by postal code and name is the normal case."""
        commune = self.communes[code]
        if notes or how:
            notes = [
                *notes,
                f"{how or 'commune retrouvée'} : {commune.name} ({commune.code_insee})",
            ]
        return Resolution(commune, tuple(notes))
