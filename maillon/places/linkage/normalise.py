"""Normalised comparison keys of a place (doublons.md §2 and §7, lieux-standard.md §7)."""

import operator
import re
import sys
import unicodedata
from typing import NamedTuple

import phonenumbers

from maillon.places.record import PlaceData

_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")

# La Coop's administrative prefixes, rewritten to one canonical token so « Mairie de Laval »,
# « Commune de Laval » and « Ville de Laval » compare equal.
_PREFIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"^(?:commune|com|mairie|ville|hotel de ville)(?: (?:de la|de l|des|du|de|d))? "
        ),
        "ville ",
    ),
    (
        re.compile(r"^(?:conseil departemental|departement)(?: (?:de la|de l|des|du|de|d))? "),
        "departement ",
    ),
    (re.compile(r"\bcommunaute (?:de communes|com)\b"), "cc"),
    (re.compile(r"\bcommunaute d ?agglomeration\b"), "cagglo"),
    (re.compile(r"^(?:conseil regional|region)(?: (?:de la|de l|des|du|de|d))? "), "region "),
)
_NAME_WORDS = {
    "st": "saint",
    "ste": "sainte",
    "ass": "association",
    "asse": "association",
    "assoc": "association",
    "fed": "federation",
    "feder": "federation",
    "depart": "departementale",
    "amic": "amicale",
    "mdf": "maison de la famille",
    "msap": "france services",
    "mfs": "france services",
    "cyber base": "cyberbase",
}
_ADDRESS_WORDS = {
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "blvd": "boulevard",
    "bld": "boulevard",
    "pl": "place",
    "imp": "impasse",
    "ch": "chemin",
    "che": "chemin",
    "chem": "chemin",
    "sq": "square",
    "rt": "route",
    "rte": "route",
    "res": "residence",
    "vc": "voie communale",
    "zi": "zone industrielle",
    "za": "zone artisanale",
    "st": "saint",
    "ste": "sainte",
    "all": "allee",
    "crs": "cours",
    "fbg": "faubourg",
    "r": "rue",
}
_STOP_WORDS = {"de", "du", "des", "le", "la", "les", "l", "d", "et", "en", "a", "au", "aux"}
_HOUSE_NUMBER = re.compile(r"\b(\d+) ?(?:bis|ter|quater|b|t)\b")

# Service keywords (La Coop): two names carrying different sets describe different services
# that may share a town hall's SIRET and address.
SERVICE_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("epn", "epn"),
    ("espace public numerique", "epn"),
    ("mediatheque", "mediatheque"),
    ("bibliotheque", "mediatheque"),
    ("ccas", "ccas"),
    ("cias", "ccas"),
    ("centre communal d action sociale", "ccas"),
    ("centre social", "centre social"),
    ("centre socioculturel", "centre social"),
    ("cs", "centre social"),
    ("csc", "centre social"),
    ("csi", "centre social"),
    ("csci", "centre social"),
    ("centre socio culturel", "centre social"),
    ("maison de quartier", "maison de quartier"),
    ("maison quartier", "maison de quartier"),
    ("france services", "france services"),
    ("msap", "france services"),
    ("maison de services au public", "france services"),
    ("maison des services au public", "france services"),
    ("mjc", "mjc"),
    ("espace numerique", "epn"),
    ("cyber espace", "epn"),
    ("cyberbase", "epn"),
    ("cyber base", "epn"),
    ("cybercentre", "epn"),
    ("cyber centre", "epn"),
    ("cyberpoint", "epn"),
    ("point cyb", "epn"),
    ("maison departementale des solidarites", "solidarites departement"),
    ("mds", "solidarites departement"),
    ("agence postale", "la poste"),
    ("bureau de poste", "la poste"),
    ("sous prefecture", "prefecture"),
    ("prefecture", "prefecture"),
    ("cpam", "assurance maladie"),
    ("assurance maladie", "assurance maladie"),
    ("carsat", "carsat"),
    ("msa", "msa"),
    ("information jeunesse", "point information"),
    ("info jeunes", "point information"),
    ("pij", "point information"),
    ("ludotheque", "ludotheque"),
    ("service jeunesse", "jeunesse"),
    ("service emploi", "emploi"),
    ("permanence", "permanence"),
    ("hotel de ville", "mairie"),
    ("mairie", "mairie"),
    ("pole emploi", "pole emploi"),
    ("france travail", "pole emploi"),
    ("mission locale", "mission locale"),
    ("point information", "point information"),
    ("point info", "point information"),
    ("fablab", "fablab"),
    ("fab lab", "fablab"),
    ("tiers lieu", "tiers lieu"),
    ("office de tourisme", "office de tourisme"),
    ("ecole", "ecole"),
    ("college", "ecole"),
    ("lycee", "ecole"),
    ("bus", "itinerant"),
    ("itinerant", "itinerant"),
    ("itinerante", "itinerant"),
    ("pimms", "pimms"),
    ("la poste", "la poste"),
    ("caf", "caf"),
)

UNKNOWN_PIVOT = "00000000000000"
_SEPARATORS = re.compile(r"[\s.\-()]")
_METROPOLITAN = re.compile(r"^(?:\+33|0033|0)([1-9]\d{8})$")
_OVERSEAS_PREFIXES = {
    "262",
    "263",
    "269",
    "590",
    "594",
    "596",
    "639",
    "690",
    "691",
    "692",
    "693",
    "694",
    "696",
    "697",
}


# Every combining mark, dropped by one C-level `str.translate` instead of a per-character test.
_COMBINING = {code: None for code in range(sys.maxunicode + 1) if unicodedata.combining(chr(code))}


def fold(text: str) -> str:
    """Lower case, no accents, only `[a-z0-9 ]`, single spaces."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    if not text.isascii():
        text = text.translate(_COMBINING)
    text = _NON_ALNUM.sub(" ", text.lower())
    return " ".join(text.split())


def _word_pattern(words: dict[str, str]) -> re.Pattern[str]:
    alternatives = sorted(words, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(word) for word in alternatives) + r")\b")


_NAME_PATTERN = _word_pattern(_NAME_WORDS)
_ADDRESS_PATTERN = _word_pattern(_ADDRESS_WORDS)


def _replace_words(text: str, words: dict[str, str]) -> str:
    pattern = _NAME_PATTERN if words is _NAME_WORDS else _ADDRESS_PATTERN
    return pattern.sub(lambda match: words[match.group(1)], text)


def _drop_stop_words(text: str) -> str:
    return " ".join(word for word in text.split() if word not in _STOP_WORDS)


# Words without which no `_PREFIXES` pattern can match: most names skip the five substitutions.
_PREFIX_HINTS = ("com", "mairie", "ville", "hotel", "conseil", "departement", "region")


def _name_key_of_folded(text: str) -> str:
    text = _replace_words(text, _NAME_WORDS)
    if text.startswith(_PREFIX_HINTS) or "communaute" in text:
        for pattern, canonical in _PREFIXES:
            text = pattern.sub(canonical, text)
    return _drop_stop_words(text)


def name_key(name: str) -> str:
    return _name_key_of_folded(fold(name))


# Keywords by their first word: a name is only tested against those whose first word it holds.
_KEYWORDS_BY_FIRST_WORD: dict[str, list[tuple[str, str]]] = {}
for _keyword, _tag in SERVICE_KEYWORDS:
    _KEYWORDS_BY_FIRST_WORD.setdefault(_keyword.split()[0], []).append((f" {_keyword} ", _tag))


def _keywords_of_folded(folded: str, key: str) -> frozenset[str]:
    text = f" {folded} "
    tags = {
        tag
        for word in set(folded.split())
        for keyword, tag in _KEYWORDS_BY_FIRST_WORD.get(word, ())
        if keyword in text
    }
    if key.startswith("ville "):
        tags.add("mairie")  # « Commune de X », « Ville de X » name the town hall too
    return frozenset(tags)


def service_keywords(name: str, key: str | None = None) -> frozenset[str]:
    folded = fold(name)
    return _keywords_of_folded(folded, _name_key_of_folded(folded) if key is None else key)


def address_key(address: str) -> str:
    text = _replace_words(fold(address), _ADDRESS_WORDS)
    text = _HOUSE_NUMBER.sub(r"\1", text)
    return _drop_stop_words(text)


def phone_key(phone: str) -> str:
    """E.164 digits (`+33557657539`), or "" when the number cannot be read."""
    if not phone.strip():
        return ""
    text = phone.split(";")[0].split(",")[0].split(" / ")[0]
    # Fast path for metropolitan numbers; overseas ones need phonenumbers' own region rules.
    metropolitan = _METROPOLITAN.match(_SEPARATORS.sub("", text))
    if metropolitan and metropolitan.group(1)[:3] not in _OVERSEAS_PREFIXES:
        return f"+33{metropolitan.group(1)}"
    try:
        parsed = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        digits = re.sub(r"\D", "", text)
        return digits if len(digits) >= 9 else ""
    if not phonenumbers.is_possible_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def siret_key(pivot: str) -> str:
    """14-digit SIRET, or "" (RNA, RIDET, placeholder and malformed values are not SIRETs)."""
    if not pivot:
        return ""
    digits = "".join(pivot.split())
    if len(digits) != 14 or not digits.isdigit() or digits == UNKNOWN_PIVOT:
        return ""
    return digits


def department_of(code_insee: str, code_postal: str) -> str:
    code = code_insee or code_postal
    if len(code) < 2:
        return ""
    if code.startswith("97") or code.startswith("98"):
        return code[:3]
    if code_insee.startswith("2A") or code_insee.startswith("2B"):
        return "20"
    return code[:2]


class Entry(NamedTuple):
    """One source record as linkage sees it: its stable key and its normalised features.

    A named tuple: tens of thousands are built per run, a frozen dataclass costs four times
    more to create.
    """

    pk: int
    source: str
    external_id: str
    name: str
    name_key: str
    name_sorted: str
    name_tokens: frozenset[str]
    keywords: frozenset[str]
    address: str
    address_key: str
    commune_key: str
    code_insee: str
    code_postal: str
    department: str
    latitude: float | None  # only precise positions; commune centroids are not evidence
    longitude: float | None
    siret: str
    phone: str
    emails: frozenset[str]
    typologie: frozenset[str]

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.external_id)

    @property
    def siren(self) -> str:
        return self.siret[:9]

    @property
    def is_located(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def bigrams(self) -> frozenset[str]:
        """Of the name key; computed on demand (the batch scorer reads the keys directly)."""
        return bigrams(self.name_key)

    @property
    def address_bigrams(self) -> frozenset[str]:
        return bigrams(self.address_key) if self.address_key else frozenset()


def bigrams(text: str) -> frozenset[str]:
    compact = f" {text} "
    return frozenset(map(operator.add, compact, compact[1:]))


def entry_of(pk: int, source: str, external_id: str, data: PlaceData) -> Entry:
    folded = fold(data.nom)
    key = _name_key_of_folded(folded)
    address = address_key(data.adresse)
    precise = data.has_precise_location()
    return Entry(
        pk=pk,
        source=source,
        external_id=external_id,
        name=data.nom,
        name_key=key,
        name_sorted=" ".join(sorted(key.split())),
        name_tokens=frozenset(key.split()),
        keywords=_keywords_of_folded(folded, key),
        address=data.adresse,
        address_key=address,
        commune_key=fold(data.commune),
        code_insee=data.code_insee,
        code_postal=data.code_postal,
        department=department_of(data.code_insee, data.code_postal),
        latitude=data.latitude if precise else None,
        longitude=data.longitude if precise else None,
        siret=siret_key(data.pivot),
        phone=phone_key(data.telephone),
        emails=frozenset(email.strip().lower() for email in data.courriels if email.strip()),
        typologie=frozenset(data.typologie),
    )
