"""One row of strings (standard v1 or v0.1 column names) → `PlaceData`, errors and warnings.

Errors are what would make the place wrong or unidentifiable (a bad date, a postal code that
is not one, an unknown value in a v1 list); warnings are what was repaired or left out on the
way (an invalid e-mail dropped, a v0.1 value with no v1 equivalent, hours kept as text).
See docs/lieux.md « Import ».
"""

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import CharField

from maillon.accounts.typologies import Typologie
from maillon.places.importing import labels, values
from maillon.places.importing.communes import CommuneIndex
from maillon.places.importing.report import Issue
from maillon.places.models import Place
from maillon.places.opening_hours import to_osm
from maillon.places.record import LocationPrecision, PlaceData

# v0.1 column → v1 field, for the columns that were only renamed (lieux-standard.md §4.3).
V0_RENAMED = {
    "courriel": "courriels",
    "labels_autres": "autres_formations_labels",
    "accessibilite": "fiche_acces_libre",
}
IGNORED_COLUMNS = {"cle_ban", "id"}
TEXT_FIELDS = (
    "nom",
    "adresse",
    "complement_adresse",
    "presentation_detail",
    "source",
    "structure_parente",
    "fiche_acces_libre",
    "prise_rdv",
)
RESUME_MAX = 280
_TYPOLOGIES = {code.upper(): code for code in Typologie.values}
KNOWN_COLUMNS = (
    set(PlaceData.field_names())
    | set(V0_RENAMED)
    | set(labels.ENUM_COLUMNS)
    | IGNORED_COLUMNS
    | {"telephone", "horaires"}
)


MAX_LENGTHS: dict[str, int] = {
    field.name: field.max_length
    for field in Place._meta.get_fields()
    if isinstance(field, CharField) and field.max_length and field.name in PlaceData.field_names()
}


@dataclasses.dataclass
class Normalized:
    line: int
    external_id: str
    data: PlaceData | None
    raw: dict[str, str]
    errors: list[Issue] = dataclasses.field(default_factory=list)
    warnings: list[Issue] = dataclasses.field(default_factory=list)


class RowNormalizer:
    """Turns rows into places. `strict`: an unknown value in a v1 list is an error (standard
    files) rather than a warning (mapped producer files, whose mapping already chose values)."""

    def __init__(self, communes: CommuneIndex, *, strict: bool = True) -> None:
        self.communes = communes
        self.strict = strict

    def normalize(self, line: int, raw: dict[str, str]) -> Normalized:
        row = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
        result = Normalized(line, row.get("id", ""), None, raw)
        fields: dict[str, Any] = {}

        def error(column: str, value: str, reason: str) -> None:
            result.errors.append(Issue(line, column, value, reason))

        def warn(column: str, value: str, reason: str) -> None:
            result.warnings.append(Issue(line, column, value, reason))

        if not result.external_id:
            result.external_id = f"ligne-{line}"
            warn("id", "", f"identifiant absent : « {result.external_id} » utilisé")

        for old, new in V0_RENAMED.items():
            if row.get(old) and not row.get(new):
                row[new] = row[old]
        for field in TEXT_FIELDS:
            fields[field] = row.get(field, "")
        fields["nom"] = " ".join(fields["nom"].split())
        if not fields["nom"]:
            error("nom", "", "le nom du lieu est obligatoire")

        raw_date = row.get("date_maj", "")
        date_maj: dt.date | None = None
        if not raw_date:
            error("date_maj", "", "la date de mise à jour est obligatoire")
        else:
            try:
                date_maj = values.date(raw_date)
            except values.InvalidValueError as invalid:
                error("date_maj", raw_date, str(invalid))

        try:
            fields["pivot"] = values.pivot(row.get("pivot", ""))
        except values.InvalidValueError as invalid:
            fields["pivot"] = ""
            warn("pivot", row["pivot"], f"{invalid} : pivot ignoré")

        self._territory(row, fields, error, warn)
        self._contacts(row, fields, warn)
        self._enums(row, fields, error, warn)
        self._hours(row, fields, warn)

        resume = " ".join(row.get("presentation_resume", "").split())
        if len(resume) > RESUME_MAX:
            warn(
                "presentation_resume",
                resume[:40] + "…",
                f"présentation résumée de {len(resume)} caractères, tronquée à {RESUME_MAX}",
            )
            resume = resume[: RESUME_MAX - 1].rstrip() + "…"
        fields["presentation_resume"] = resume

        self._fit_columns(fields, warn)
        if result.errors or date_maj is None:
            return result
        result.data = PlaceData(date_maj=date_maj, **fields)
        return result

    def _territory(
        self, row: dict[str, str], fields: dict[str, Any], error: Any, warn: Any
    ) -> None:
        postal = ""
        if row.get("code_postal"):
            try:
                postal = values.postal_code(row["code_postal"])
            except values.InvalidValueError as invalid:
                error("code_postal", row["code_postal"], str(invalid))
        code = ""
        if row.get("code_insee"):
            try:
                code = values.code_insee(row["code_insee"])
            except values.InvalidValueError as invalid:
                warn("code_insee", row["code_insee"], f"{invalid} : code ignoré")
        name = " ".join(row.get("commune", "").split())
        found = self.communes.resolve(code_insee=code, name=name, postal_code=postal)
        column = "code_insee" if code else "commune"
        value = row.get("code_insee", "") if code else name
        if found.error:
            error("code_insee", row.get("code_insee", ""), found.error)
        for note in found.warnings:
            warn(column, value, note)
        commune = found.commune
        if commune is not None:
            sharing = self.communes.postal_codes_of.get(commune.code_insee, [])
            if (
                postal
                and postal != row["code_postal"].strip()
                and sharing
                and postal not in sharing
            ):
                # A leading zero lost upstream is only restored when the result fits.
                error("code_postal", row["code_postal"], "le code postal doit avoir 5 chiffres")
            elif postal and sharing and postal not in sharing:
                warn(
                    "code_postal",
                    postal,
                    f"code postal différent de ceux de {commune.name} ({', '.join(sharing)})",
                )
            if not postal and sharing:
                postal = sharing[0]
                warn("code_postal", "", f"code postal absent : {postal}, celui de la commune")
            if not name or found.overrides_name:
                name = commune.name
        elif not name:
            error("commune", "", "la commune est obligatoire")
        fields["code_postal"] = postal
        fields["code_insee"] = commune.code_insee if commune else ""
        fields["commune"] = name

        latitude = longitude = None
        parsed: dict[str, float | None] = {}
        for axis in ("latitude", "longitude"):
            try:
                parsed[axis] = values.coordinate(row.get(axis, ""))
            except values.InvalidValueError as invalid:
                error(axis, row[axis], str(invalid))
                parsed[axis] = None
        latitude, longitude = parsed["latitude"], parsed["longitude"]
        if (latitude is None) != (longitude is None):
            warn("latitude", row.get("latitude", ""), "une seule coordonnée donnée : ignorée")
            latitude = longitude = None
        if latitude is not None and longitude is not None:
            shown = f"{latitude}, {longitude}"
            if values.in_france(latitude, longitude):
                pass
            elif values.in_france(longitude, latitude):
                warn("latitude", shown, "latitude et longitude inversées : remises dans l'ordre")
                latitude, longitude = longitude, latitude
            else:
                warn("latitude", shown, "position hors de France : ignorée")
                latitude = longitude = None
        if latitude is not None and longitude is not None and commune is not None:
            away = values.kilometres_from(commune, latitude, longitude)
            if away is not None and away > values.plausible_radius_km(commune):
                warn(
                    "latitude",
                    f"{latitude}, {longitude}",
                    f"position à {away:.0f} km de {commune.name} : remplacée par le centre de "
                    "la commune, position approximative",
                )
                latitude = longitude = None
        if latitude is not None:
            fields["latitude"], fields["longitude"] = latitude, longitude
            fields["location_precision"] = LocationPrecision.PRECISE.value
        elif commune is not None and commune.latitude is not None:
            fields["latitude"], fields["longitude"] = commune.latitude, commune.longitude
            fields["location_precision"] = LocationPrecision.COMMUNE.value
            warn(
                "latitude",
                "",
                f"position absente : centre de {commune.name}, position approximative",
            )
        else:
            fields["latitude"] = fields["longitude"] = None
            fields["location_precision"] = LocationPrecision.NONE.value

    def _contacts(self, row: dict[str, str], fields: dict[str, Any], warn: Any) -> None:
        region = values.phone_region(fields["code_postal"], fields["code_insee"])
        fields["telephone"] = ""
        raw_phone = row.get("telephone", "")
        for part in values.split_contacts(raw_phone):
            try:
                fields["telephone"] = values.phone(part, region)
                break
            except values.InvalidValueError as invalid:
                warn("telephone", part, f"{invalid} : ignoré")

        fields["courriels"] = _valid_distinct(
            values.split_contacts(row.get("courriels", "")), values.email, "courriels", warn
        )
        fields["site_web"] = _valid_distinct(
            values.split_urls(row.get("site_web", "")), values.url, "site_web", warn
        )

    def _enums(self, row: dict[str, str], fields: dict[str, Any], error: Any, warn: Any) -> None:
        codes: dict[str, list[str]] = {}
        others: list[str] = []
        for column in labels.ENUM_COLUMNS:
            raw = row.get(column, "")
            if not raw:
                continue
            resolved = labels.resolve(column, raw)
            for field, found in resolved.codes.items():
                target = codes.setdefault(field, [])
                target.extend(code for code in found if code not in target)
            others.extend(resolved.other_labels)
            for value in resolved.dropped:
                warn(column, value, "valeur v0.1 sans équivalent en v1.0 : ignorée")
            for value in resolved.unknown:
                if self.strict and not resolved.is_v0:
                    error(column, value, "valeur inconnue du standard pour ce champ")
                else:
                    warn(column, value, "valeur inconnue : ignorée")
        for field in labels.V1_LABELS:
            fields[field] = tuple(codes.get(field, ()))

        for value in labels.split_list(row.get("autres_formations_labels", "")):
            label = "FRR" if value.upper() in {"ZRR", "FRR"} else value
            if label not in others:
                others.append(label)
        fields["autres_formations_labels"] = tuple(others)

        typologies: list[str] = []
        for value in labels.split_list(row.get("typologie", "")):
            code = _TYPOLOGIES.get(value.upper())
            if code is None:
                warn("typologie", value, "code de typologie inconnu : ignoré")
            elif code not in typologies:
                typologies.append(code)
        fields["typologie"] = tuple(typologies)

    def _fit_columns(self, fields: dict[str, Any], warn: Any) -> None:
        """Values longer than their column (PostgreSQL refuses them) are cut, and reported."""
        if len(fields["horaires"]) > MAX_LENGTHS["horaires"]:
            warn("horaires", fields["horaires"][:40] + "…", "horaires trop longs : gardés en texte")
            fields["horaires_texte"], fields["horaires"] = fields["horaires"], ""
        for field, limit in MAX_LENGTHS.items():
            value = fields.get(field)
            if isinstance(value, str) and len(value) > limit:
                warn(field, value[:40] + "…", f"texte de {len(value)} caractères, coupé à {limit}")
                fields[field] = value[:limit]

    def _hours(self, row: dict[str, str], fields: dict[str, Any], warn: Any) -> None:
        text = row.get("horaires", "")
        fields["horaires"] = fields["horaires_texte"] = ""
        if not text:
            return
        conversion = to_osm(text)
        fields["horaires"] = conversion.osm
        fields["horaires_texte"] = conversion.text
        for note in conversion.warnings:
            warn("horaires", text, note)
        if conversion.text and not conversion.warnings:
            warn("horaires", text, "horaires non convertis : gardés en texte")


def _valid_distinct(
    parts: Iterable[str], clean: Callable[[str], str], column: str, warn: Any
) -> tuple[str, ...]:
    """The valid parts, cleaned, each once in first-seen order; a warning per invalid one."""
    kept: list[str] = []
    for part in parts:
        try:
            value = clean(part)
        except values.InvalidValueError as invalid:
            warn(column, part, f"{invalid} : ignorée")
            continue
        if value not in kept:
            kept.append(value)
    return tuple(kept)
