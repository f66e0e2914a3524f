"""Normalisation of single values (lieux-standard.md §3.2, §7). Each function returns the clean
value, or raises `InvalidValueError` with a French reason."""

import datetime as dt
import math
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from maillon.places.importing.communes import CommuneInfo


class InvalidValueError(ValueError):
    pass


# Several values in one cell of a raw file: `;`, `,`, ` / ` or `|` (lieux-standard.md §7).
_SEPARATORS = re.compile(r"\s*[;,|]\s*|\s+/\s+|\s+(?:ou|et)\s+", re.IGNORECASE)
_URL_SEPARATORS = re.compile(r"\s*[;|]\s*|\s+/\s+|,\s+")
_REMARK = re.compile(r"\((?!0\))[^)]*\)")


def split_contacts(raw: str) -> list[str]:
    """Phones or e-mails of one cell; remarks in parentheses (« (SMS) ») are left out."""
    return [part for part in _SEPARATORS.split(_REMARK.sub(" ", raw).strip()) if part]


# Overseas postal codes and codes INSEE start with 97x/98x: the phone's country follows them.
_OVERSEAS_REGIONS = {
    "971": "GP",
    "972": "MQ",
    "973": "GF",
    "974": "RE",
    "975": "PM",
    "976": "YT",
    "977": "BL",
    "978": "MF",
    "986": "WF",
    "987": "PF",
    "988": "NC",
}
# The schema's phone pattern: these calling codes only, then 6 to 9 digits.
PHONE_PATTERN = re.compile(r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)\d{6,9}$")


def phone_region(code_postal: str, code_insee: str) -> str:
    for code in (code_insee, code_postal):
        if code[:3] in _OVERSEAS_REGIONS:
            return _OVERSEAS_REGIONS[code[:3]]
    return "FR"


def phone(raw: str, region: str) -> str:
    """One number in the schema's E.164-like form (`+33557657539`)."""
    text = raw.strip()
    text = re.sub(r"\(0\)", "", text)
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidValueError("numéro de téléphone illisible") from error
    if not phonenumbers.is_possible_number(number):
        raise InvalidValueError("numéro de téléphone impossible (nombre de chiffres)")
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not PHONE_PATTERN.match(formatted):
        raise InvalidValueError(
            "numéro hors de France et des outre-mer, non accepté par le standard"
        )
    return formatted


_email_validator = EmailValidator()
_url_validator = URLValidator(schemes=["http", "https"])


def email(raw: str) -> str:
    value = raw.strip().removeprefix("mailto:").strip("<>").strip()
    try:
        _email_validator(value)
    except ValidationError as error:
        raise InvalidValueError("adresse électronique invalide") from error
    return value


def split_urls(raw: str) -> list[str]:
    """URLs of one cell. Within a part holding spaces, only the words that look like addresses
    are kept; a part of plain prose stays whole, so that it is reported once."""
    urls: list[str] = []
    for part in _URL_SEPARATORS.split(raw.strip()):
        words = part.split()
        addresses = [word for word in words if "." in word.strip(".") or "://" in word]
        urls.extend(addresses if len(words) > 1 and addresses else [part] if part else [])
    return urls


def url(raw: str) -> str:
    value = raw.strip()
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        value = "https://" + value.removeprefix("//")
    try:
        _url_validator(value)
    except ValidationError as error:
        raise InvalidValueError("adresse web invalide") from error
    return value


def postal_code(raw: str) -> str:
    """Five digits; a code stored as a number upstream (`1000`) gets its leading zero back."""
    value = re.sub(r"\s", "", raw)
    if value.endswith(".0"):  # spreadsheets
        value = value[:-2]
    if re.fullmatch(r"\d{4}", value):
        return "0" + value
    if re.fullmatch(r"\d{5}", value):
        return value
    raise InvalidValueError("le code postal doit avoir 5 chiffres")


_CODE_INSEE = re.compile(r"^(?:\d{2}|2[AB])\d{3}$")


def code_insee(raw: str) -> str:
    value = raw.strip().upper()
    if re.fullmatch(r"\d{4}", value):
        value = "0" + value
    if not _CODE_INSEE.match(value):
        raise InvalidValueError(
            "le code INSEE doit avoir 5 caractères (chiffres, ou 2A/2B pour la Corse)"
        )
    return value


PIVOT_UNKNOWN = "00000000000000"
_PIVOT = re.compile(r"^[a-zA-Z0-9]{9,14}$")


def pivot(raw: str) -> str:
    """SIRET, RNA or RIDET without spaces; "" for the `00000000000000` placeholder."""
    value = re.sub(r"[\s.]", "", raw)
    if not value or set(value) == {"0"}:
        return ""
    if not _PIVOT.match(value):
        raise InvalidValueError("le pivot doit être un SIRET (14 chiffres), un RNA ou un RIDET")
    return value.upper() if value[0] in "wW" else value


def date(raw: str) -> dt.date:
    """ISO date, ISO date-time (`2023-07-11T10:00:00Z`) or French `11/07/2023`."""
    value = raw.strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?", value)
    french = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if french:
            return dt.date(int(french[3]), int(french[2]), int(french[1]))
    except ValueError as error:
        raise InvalidValueError("cette date n'existe pas") from error
    raise InvalidValueError("date illisible : attendu AAAA-MM-JJ (ou JJ/MM/AAAA)")


def coordinate(raw: str) -> float | None:
    value = raw.strip().replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError as error:
        raise InvalidValueError(
            "coordonnée illisible : attendu un nombre décimal (ex. 48.0706)"
        ) from error
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidValueError("coordonnée illisible")
    return number


# Bounding boxes (lat min, lat max, lon min, lon max) of metropolitan France and overseas.
FRANCE_BOXES = (
    (41.2, 51.2, -5.5, 9.8),  # métropole and Corse
    (15.8, 18.2, -63.2, -60.7),  # Guadeloupe, Martinique, Saint-Martin, Saint-Barthélemy
    (2.0, 6.0, -54.8, -51.5),  # Guyane
    (-21.5, -20.8, 55.1, 55.9),  # La Réunion
    (-13.1, -12.5, 44.9, 45.4),  # Mayotte
    (46.7, 47.2, -56.5, -56.0),  # Saint-Pierre-et-Miquelon
    (-23.0, -19.0, 163.0, 169.0),  # Nouvelle-Calédonie (Grande Terre, îles Loyauté)
    (-28.0, -7.0, -155.0, -134.0),  # Polynésie française
    (-14.5, -13.0, -178.5, -176.0),  # Wallis-et-Futuna
)


def in_france(latitude: float, longitude: float) -> bool:
    return any(
        lat_min <= latitude <= lat_max and lon_min <= longitude <= lon_max
        for lat_min, lat_max, lon_min, lon_max in FRANCE_BOXES
    )


EARTH_RADIUS_KM = 6371.0088


def kilometres_from(commune: CommuneInfo, latitude: float, longitude: float) -> float | None:
    """Great-circle distance from the commune's centre (None when the commune has none)."""
    if commune.latitude is None or commune.longitude is None:
        return None
    lat1, lon1 = math.radians(commune.latitude), math.radians(commune.longitude)
    lat2, lon2 = math.radians(latitude), math.radians(longitude)
    half = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(half))


def plausible_radius_km(commune: CommuneInfo) -> float:
    """How far from its commune's centre a place may plausibly be: three times the radius of a
    disc of the commune's area, and never less than 10 km (centres of odd-shaped communes)."""
    area = commune.area_km2 or 0.0
    return max(10.0, 3 * math.sqrt(area / math.pi))
