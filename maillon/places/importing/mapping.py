"""Declarative mappings: read a producer's own file as rows of the national standard.

A mapping is a TOML file (``maillon/places/mappings/<name>.toml``) in two tables. It describes
*structure and vocabulary* only; the importer normalises and validates the values it yields
(phones, postal codes, dates, communes), exactly as for a file already in the standard.

``[mapping]`` describes the file::

    [mapping]
    name = "Gironde (33), lieux de médiation numérique 2021"
    source_slug = "gironde-33"            # identifies the source from one import to the next
    source_name = "Département de la Gironde"
    format = "csv"                        # "csv" (default) or "json" (a list of objects)
    encoding = "utf-8"                    # default utf-8 (a BOM is accepted)
    delimiter = ","                       # default ","
    skip = [{column = "AFFICHAGE", equals = "INACTIF"}, {column = "NOM", empty = true}]

``[fields]`` gives, for each field of the standard v1.0.2 (``id``, ``nom``, ``services``…), how
to compute it from a row. A spec is a column name, a table, or a list of tables whose values
are put together (duplicates removed). A table has exactly one *source*:

- ``column = "Nom de la structure"`` (a bare string means the same);
- ``columns = ["Services", "Activités"]``: every listed column, each value kept apart;
- ``first = ["adresse", "adresse_full"]``: the first non-empty column;
- ``const = "Département de la Gironde"``;
- ``join = ["num_voie", "type_voie", "nom_voie"]`` with ``sep = " "`` (empty parts skipped);
- ``hash = ["Lieu", "Adresse postale", "Commune"]``: a stable identifier (SHA-1 of the
  normalised values) for producers that give none — never the row number;
- ``days = {Mo = "lundi", Tu = "mardi", …}``: one column per day, converted to OSM
  ``opening_hours`` by ``opening_hours.from_day_columns`` (kept as text when it cannot be).

then optional *transformations*, applied in this order to each value:

- ``strip_html = true``: remove HTML tags and entities (``<li>`` and ``<br>`` become ``; ``);
- ``replace = [["pattern", "replacement"], …]``: regular-expression substitutions;
- ``extract = "pattern"``: keep the first group (or the whole match) of a regular expression;
  no match gives an empty value;
- ``split = [";", ","]``: several values, cut on any of these separators;
- ``part = 0``: after ``split``, keep only the n-th piece (``geolocalisation = "lat,lon"``);
- ``decimal_comma = true``: ``"44,83"`` → ``"44.83"``;
- ``date_formats = ["%d/%m/%Y", "excel"]``: read with the first matching format, write ISO 8601
  (``excel`` = a spreadsheet serial day number, ``mois annee`` = « Décembre 2019 », « juil-22 »,
  read as the first day of that month); a value no format reads is passed on
  unchanged, so that the importer reports it;
- ``choices = [{match = "démarche", value = "Aide aux démarches administratives"}, …]``: map the
  producer's terms to the standard's values. A choice tests ``match`` (substring), ``equals``
  (whole value) or ``regex``, all without case nor accents; every matching choice contributes
  its ``value`` (a text or a list). Terms no choice matches are dropped and counted in
  ``Mapping.unknown_terms`` (``import_lieux --report`` lists them), unless ``keep_unknown = true``;
- ``when = "oui"`` with ``value = …``: a yes/no column — gives ``value`` when the cell equals
  ``when`` (without case nor accents; ``when = "*"`` means any non-empty cell), else nothing;
- ``default = "…"``: the value used when the field would otherwise be empty.

A cell holding only punctuation (« - », « ? ») or a spreadsheet error (« #REF! ») counts as
empty, for fields and for ``skip = [{column = …, empty = true}]``.

Values given to enumerated fields (``services``, ``frais_a_charge``…) are checked against the
standard's labels when the mapping is loaded. The optional ``[coordinates]`` table converts
projected coordinates: ``{x = "x", y = "y", projection = "lambert93", decimal_comma = true}``
fills ``latitude`` and ``longitude`` (WGS84). Columns that already hold a latitude and a
longitude are mapped as plain fields: the mapping says which is which (Gironde's ``Coord. X``
is the latitude).

Every row comes out as ``{field: text}``; multi-valued fields are ``|``-joined with the
standard's labels (or v0.1 labels, which the importer maps). Line numbers are those a person
sees in the file (header = line 1); for JSON, the item's position counted from 1.
"""

import csv
import dataclasses
import datetime as dt
import hashlib
import html
import json
import math
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterator
from collections.abc import Mapping as MappingABC
from pathlib import Path
from typing import Any

from maillon.places.opening_hours import from_day_columns
from maillon.places.record import PlaceData
from maillon.places.vocabulary import ENUM_FIELDS, STRICT_V102_LABELS

MAPPINGS_DIR = Path(__file__).resolve().parent.parent / "mappings"

# Fields of the standard v1.0.2 a mapping may fill: the record's, less what the import computes.
_COMPUTED = {"location_precision", "horaires_texte"}
STANDARD_FIELDS = ("id", *(name for name in PlaceData.field_names() if name not in _COMPUTED))
REQUIRED_FIELDS = ("id", "nom", "date_maj")
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
SOURCE_KEYS = ("column", "columns", "first", "const", "join", "hash", "days")
TRANSFORM_KEYS = (
    "sep",
    "strip_html",
    "replace",
    "extract",
    "split",
    "part",
    "decimal_comma",
    "date_formats",
    "choices",
    "keep_unknown",
    "when",
    "value",
    "default",
)
MULTI_SEPARATOR = "|"
# Cells that say nothing: punctuation only (« - », « ? ») or a spreadsheet error (« #REF! »).
NO_TEXT = re.compile(
    r"\s*(?:[\W_]*|#(?:REF!|N/A|VALUE!|DIV/0!|NAME\?|NUM!|NULL!))\s*", re.IGNORECASE
)


class MappingError(Exception):
    """A mapping file that cannot be used, or a file that does not fit its mapping."""


def unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def simplify(text: str) -> str:
    """Lower case, no accents, single spaces, typographic apostrophes made ASCII."""
    return " ".join(unaccented(text).casefold().split())


def _allowed_labels(field: str) -> set[str] | None:
    enum = ENUM_FIELDS.get(field)
    if enum is None:
        return None
    labels = {str(label) for label in enum.labels}
    strict = {STRICT_V102_LABELS[code] for code in enum.values if code in STRICT_V102_LABELS}
    return labels | strict


@dataclasses.dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]
    contains: str = ""
    equals: str | None = None
    pattern: re.Pattern[str] | None = None

    def matches(self, simple: str) -> bool:
        if self.pattern is not None:
            return self.pattern.search(simple) is not None
        if self.equals is not None:
            return simple == self.equals
        return self.contains in simple


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    """One way of computing a field from a row (see the module docstring)."""

    field: str
    kind: str
    args: tuple[str, ...] = ()
    days: tuple[tuple[str, str], ...] = ()
    sep: str = " "
    strip_html: bool = False
    replacements: tuple[tuple[re.Pattern[str], str], ...] = ()
    extract: re.Pattern[str] | None = None
    separators: tuple[str, ...] = ()
    part: int | None = None
    decimal_comma: bool = False
    date_formats: tuple[str, ...] = ()
    choices: tuple[Choice, ...] | None = None
    keep_unknown: bool = False
    when: str | None = None
    when_value: tuple[str, ...] = ()
    default: tuple[str, ...] = ()

    def columns(self) -> tuple[str, ...]:
        if self.kind in {"column", "columns", "first", "join", "hash"}:
            return self.args
        if self.kind == "days":
            return tuple(column for _, column in self.days)
        return ()

    def raw_values(self, row: MappingABC[str, str]) -> list[str]:
        if self.kind == "const":
            return [self.args[0]]
        if self.kind == "column":
            return [row[self.args[0]]]
        if self.kind == "columns":
            return [row[column] for column in self.args]
        if self.kind == "first":
            return [next((row[c] for c in self.args if row[c].strip()), "")]
        if self.kind == "join":
            parts = [row[column].strip() for column in self.args]
            return [self.sep.join(part for part in parts if part)]
        if self.kind == "hash":
            key = "\x1f".join(simplify(row[column]) for column in self.args)
            return [hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:16]]
        return [opening_hours_of({day: self._cleaned(row[column]) for day, column in self.days})]

    def _cleaned(self, value: str) -> str:
        if self.strip_html:
            value = without_html(value)
        for pattern, replacement in self.replacements:
            value = pattern.sub(replacement, value)
        return "" if NO_TEXT.fullmatch(value) else value.strip()

    def values(self, row: MappingABC[str, str], unknown: Counter[tuple[str, str]]) -> list[str]:
        results: list[str] = []
        for raw in self.raw_values(row):
            results.extend(self._transform(raw, unknown))
        return results

    def _transform(self, value: str, unknown: Counter[tuple[str, str]]) -> list[str]:
        if self.kind != "days":
            value = self._cleaned(value)
        if self.extract is not None:
            found = self.extract.search(value)
            value = "" if found is None else (found.group(1) if found.groups() else found.group())
        pieces = split_on(value, self.separators) if self.separators else [value]
        if self.part is not None:
            pieces = pieces[self.part : self.part + 1]
        results: list[str] = []
        for piece in pieces:
            piece = "\n".join(" ".join(line.split()) for line in piece.strip().splitlines())
            if not piece:
                continue
            if self.decimal_comma:
                piece = piece.replace(",", ".")
            if self.date_formats:
                piece = parse_date(piece, self.date_formats)
            if self.when is not None:
                simple = simplify(piece)
                if self.when == "*" or simple == self.when:
                    results.extend(self.when_value)
                continue
            if self.choices is not None:
                results.extend(self._choose(piece, unknown))
                continue
            results.append(piece)
        return results

    def _choose(self, term: str, unknown: Counter[tuple[str, str]]) -> list[str]:
        assert self.choices is not None
        simple = simplify(term)
        matching = [choice for choice in self.choices if choice.matches(simple)]
        if matching:
            return [value for choice in matching for value in choice.values]
        if self.keep_unknown:
            return [term]
        unknown[(self.field, term)] += 1
        return []


@dataclasses.dataclass(frozen=True)
class Projection:
    x: str
    y: str
    decimal_comma: bool = False

    def latitude_longitude(self, row: MappingABC[str, str]) -> tuple[str, str]:
        x_text, y_text = row[self.x].strip(), row[self.y].strip()
        if self.decimal_comma:
            x_text, y_text = x_text.replace(",", "."), y_text.replace(",", ".")
        try:
            x, y = float(x_text), float(y_text)
        except ValueError:
            return "", ""
        latitude, longitude = lambert93_to_wgs84(x, y)
        return f"{latitude:.6f}", f"{longitude:.6f}"


@dataclasses.dataclass
class Mapping:
    """A loaded mapping file. `read` turns a producer file into standard rows."""

    name: str
    source_slug: str
    source_name: str
    path: Path
    format: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    fields: dict[str, tuple[FieldSpec, ...]] = dataclasses.field(default_factory=dict)
    skip_rules: tuple[dict[str, Any], ...] = ()
    projection: Projection | None = None
    # Filled by `read`: terms no choice matched, and rows left out by `ignorer`.
    unknown_terms: Counter[tuple[str, str]] = dataclasses.field(default_factory=Counter)
    skipped_lines: list[int] = dataclasses.field(default_factory=list)

    def columns(self) -> set[str]:
        used = {
            column for specs in self.fields.values() for spec in specs for column in spec.columns()
        }
        used |= {rule["column"] for rule in self.skip_rules}
        if self.projection is not None:
            used |= {self.projection.x, self.projection.y}
        return used

    def read(self, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (line number, row keyed by standard field names) for every kept row."""
        self.unknown_terms = Counter()
        self.skipped_lines = []
        for line, raw in self._raw_rows(Path(path)):
            if self._skips(raw):
                self.skipped_lines.append(line)
                continue
            yield line, self.convert(raw)

    def convert(self, raw: MappingABC[str, str]) -> dict[str, str]:
        row: dict[str, str] = {}
        if self.projection is not None:
            row["latitude"], row["longitude"] = self.projection.latitude_longitude(raw)
        for field, specs in self.fields.items():
            values: list[str] = []
            for spec in specs:
                for value in spec.values(raw, self.unknown_terms):
                    if value not in values:
                        values.append(value)
            if not values:
                values = [v for spec in specs for v in spec.default][:]
            row[field] = MULTI_SEPARATOR.join(values)
        return row

    def _skips(self, raw: MappingABC[str, str]) -> bool:
        for rule in self.skip_rules:
            cell = simplify(raw[rule["column"]])
            if rule.get("empty") and NO_TEXT.fullmatch(cell):
                return True
            if "equals" in rule and cell == simplify(str(rule["equals"])):
                return True
        return False

    def _raw_rows(self, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
        text = decode(path, self.encoding)
        if self.format == "json":
            yield from self._json_rows(text, path)
            return
        reader = csv.reader(text.splitlines(keepends=True), delimiter=self.delimiter)
        header = next(reader, None)
        if header is None:
            raise MappingError(f"Le fichier {path.name} est vide.")
        header = [name.strip() for name in header]
        self._check_columns(header, path)
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            padded = cells + [""] * (len(header) - len(cells))
            yield line, dict(zip(header, padded, strict=False))

    def _json_rows(self, text: str, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
        try:
            items = json.loads(text)
        except json.JSONDecodeError as error:
            raise MappingError(
                f"{path.name} n'est pas un JSON valide (ligne {error.lineno})."
            ) from error
        if isinstance(items, dict):
            items = next((value for value in items.values() if isinstance(value, list)), [])
        if not isinstance(items, list):
            raise MappingError(f"{path.name} doit contenir une liste d'objets.")
        header = sorted({key for item in items if isinstance(item, dict) for key in item})
        self._check_columns(header, path)
        for index, item in enumerate(items, start=1):
            if isinstance(item, dict):
                yield index, {column: as_text(item.get(column)) for column in header}

    def _check_columns(self, header: list[str], path: Path) -> None:
        missing = sorted(self.columns() - set(header))
        if missing:
            raise MappingError(
                f"Colonnes absentes de {path.name} pour la correspondance « {self.name} » : "
                + ", ".join(f"« {column} »" for column in missing)
            )


def decode(path: Path, encoding: str) -> str:
    data = path.read_bytes()
    codec = "utf-8-sig" if encoding.replace("_", "-").lower() in {"utf-8", "utf8"} else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise MappingError(
            f"{path.name}, ligne {line} : octets illisibles en {encoding} "
            "(le fichier n'a pas l'encodage déclaré par la correspondance)."
        ) from error


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


HTML_BREAKS = re.compile(r"<\s*(br|/li|/p|/div)\s*/?\s*>", re.IGNORECASE)
HTML_TAGS = re.compile(r"<[^>]*>")


def without_html(value: str) -> str:
    text = HTML_TAGS.sub(" ", HTML_BREAKS.sub("; ", value))
    parts = [" ".join(part.split()).strip(" -") for part in html.unescape(text).split(";")]
    return "; ".join(part for part in parts if part)


def split_on(value: str, separators: tuple[str, ...]) -> list[str]:
    pattern = "|".join(re.escape(separator) for separator in separators)
    return re.split(pattern, value)


EXCEL_EPOCH = dt.date(1899, 12, 30)
FRENCH_MONTHS = {
    "janv": 1,
    "fevr": 2,
    "mars": 3,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juil": 7,
    "aout": 8,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTH_YEAR = re.compile(r"([a-z]+)\.?[\s/-]*(\d{4}|\d{2})")


def month_year(value: str) -> dt.date | None:
    """« Décembre 2019 », « juil-22 », « Novembre 20 » → the first day of that month."""
    found = MONTH_YEAR.fullmatch(simplify(value))
    if found is None:
        return None
    name, year = found.groups()
    month = next(
        (number for prefix, number in FRENCH_MONTHS.items() if name.startswith(prefix)), None
    )
    if month is None or not (prefix_ok := name[:3] in {p[:3] for p in FRENCH_MONTHS}):
        return None
    del prefix_ok
    return dt.date(int(year) + (2000 if len(year) == 2 else 0), month, 1)


def parse_date(value: str, formats: tuple[str, ...]) -> str:
    for date_format in formats:
        if date_format == "mois annee":
            found = month_year(value)
            if found is not None:
                return found.isoformat()
            continue
        if date_format == "excel":
            if value.isdigit() and 20000 < int(value) < 80000:
                return (EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
            continue
        try:
            return dt.datetime.strptime(value, date_format).date().isoformat()
        except ValueError:
            continue
    return value


def opening_hours_of(days: dict[str, str]) -> str:
    """OSM opening_hours from one column per day; the days as text when it cannot be converted."""
    conversion = from_day_columns(days)
    return conversion.osm or conversion.text


def lambert93_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """Inverse Lambert-93 (EPSG:2154) on the GRS80 ellipsoid; WGS84 is taken as equal to RGF93."""
    e = 0.0818191910428158
    n = 0.7256077650532670
    c = 11754255.426096
    xs, ys = 700000.0, 12655612.049876
    lon0 = math.radians(3.0)
    dx, dy = x - xs, y - ys
    radius = math.hypot(dx, dy)
    gamma = math.atan2(dx, -dy)
    longitude = lon0 + gamma / n
    iso_latitude = -math.log(abs(radius / c)) / n
    latitude = 2 * math.atan(math.exp(iso_latitude)) - math.pi / 2
    for _ in range(20):
        sin_lat = math.sin(latitude)
        following = (
            2
            * math.atan(((1 + e * sin_lat) / (1 - e * sin_lat)) ** (e / 2) * math.exp(iso_latitude))
            - math.pi / 2
        )
        if abs(following - latitude) < 1e-12:
            latitude = following
            break
        latitude = following
    return math.degrees(latitude), math.degrees(longitude)


# --- Loading and checking a mapping file -------------------------------------------------------


def load_mapping(name_or_path: str | Path) -> Mapping:
    """Load a mapping by name (``maillon/places/mappings/<name>.toml``) or by file path."""
    text = str(name_or_path)
    candidate = Path(text)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in text:
        path = candidate
    else:
        path = MAPPINGS_DIR / f"{text}.toml"
    if not path.is_file():
        known = ", ".join(available_mappings()) or "aucune"
        raise MappingError(f"Correspondance introuvable : « {text} » (disponibles : {known}).")
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{path.name} n'est pas un fichier TOML valide : {error}.") from error
    return parse_mapping(document, path)


def available_mappings() -> list[str]:
    return sorted(path.stem for path in MAPPINGS_DIR.glob("*.toml"))


def parse_mapping(document: dict[str, Any], path: Path) -> Mapping:
    where = path.name
    unknown_tables = set(document) - {"mapping", "fields", "coordinates"}
    if unknown_tables:
        raise MappingError(f"{where} : table(s) inconnue(s) {_names(unknown_tables)}.")
    header = _table(document.get("mapping"), f"{where} : la table [mapping] manque.")
    allowed = {
        "name",
        "source_slug",
        "source_name",
        "format",
        "encoding",
        "delimiter",
        "skip",
        "description",
    }
    _refuse_unknown(header, allowed, f"{where}, [mapping]")
    for key in ("name", "source_slug", "source_name"):
        if not isinstance(header.get(key), str) or not header[key].strip():
            raise MappingError(f"{where}, [mapping] : « {key} » est obligatoire (texte non vide).")
    file_format = header.get("format", "csv")
    if file_format not in {"csv", "json"}:
        raise MappingError(f"{where}, [mapping] : format « {file_format} » inconnu (csv ou json).")
    encoding = str(header.get("encoding", "utf-8"))
    try:
        "".encode(encoding)
    except LookupError as error:
        raise MappingError(f"{where}, [mapping] : encodage « {encoding} » inconnu.") from error
    delimiter = str(header.get("delimiter", ","))
    if len(delimiter) != 1:
        raise MappingError(f"{where}, [mapping] : « delimiter » doit être un seul caractère.")
    skip_rules = tuple(_skip_rule(rule, where) for rule in header.get("skip", []))

    fields_table = _table(document.get("fields"), f"{where} : la table [fields] manque.")
    fields: dict[str, tuple[FieldSpec, ...]] = {}
    for field, spec in fields_table.items():
        if field not in STANDARD_FIELDS:
            raise MappingError(f"{where} : « {field} » n'est pas un champ du standard v1.0.2.")
        items = spec if isinstance(spec, list) else [spec]
        if not items:
            raise MappingError(f"{where}, champ « {field} » : liste vide.")
        fields[field] = tuple(_field_spec(field, item, where) for item in items)
    projection = None
    if "coordinates" in document:
        projection = _projection(document["coordinates"], where)
        if {"latitude", "longitude"} & set(fields):
            raise MappingError(
                f"{where} : [coordinates] et les champs latitude/longitude s'excluent."
            )
    missing = [field for field in REQUIRED_FIELDS if field not in fields]
    if missing:
        raise MappingError(
            f"{where} : champ(s) obligatoire(s) sans correspondance : {', '.join(missing)}."
        )
    return Mapping(
        name=header["name"],
        source_slug=header["source_slug"],
        source_name=header["source_name"],
        path=path,
        format=file_format,
        encoding=encoding,
        delimiter=delimiter,
        fields=fields,
        skip_rules=skip_rules,
        projection=projection,
    )


def _field_spec(field: str, item: Any, where: str) -> FieldSpec:
    where = f"{where}, champ « {field} »"
    if isinstance(item, str):
        item = {"column": item}
    if not isinstance(item, dict):
        raise MappingError(f"{where} : un nom de colonne ou une table est attendu.")
    _refuse_unknown(item, set(SOURCE_KEYS) | set(TRANSFORM_KEYS), where)
    sources = [key for key in SOURCE_KEYS if key in item]
    if len(sources) != 1:
        raise MappingError(
            f"{where} : indiquer exactement une source parmi {', '.join(SOURCE_KEYS)} "
            f"(trouvé : {', '.join(sources) or 'aucune'})."
        )
    kind = sources[0]
    spec: dict[str, Any] = {"field": field, "kind": kind}
    source = item[kind]
    if kind in {"column", "const"}:
        spec["args"] = (_text(source, where, kind),)
    elif kind == "days":
        if not isinstance(source, dict) or not source or set(source) - set(DAYS):
            raise MappingError(
                f"{where} : « days » associe des jours {'/'.join(DAYS)} à des colonnes."
            )
        spec["days"] = tuple((day, _text(source[day], where, day)) for day in DAYS if day in source)
    else:
        if not isinstance(source, list) or not source:
            raise MappingError(f"{where} : « {kind} » attend une liste non vide de colonnes.")
        spec["args"] = tuple(_text(column, where, kind) for column in source)
    if "sep" in item:
        spec["sep"] = _text(item["sep"], where, "sep", allow_empty=True)
    spec["strip_html"] = _flag(item, "strip_html", where)
    spec["decimal_comma"] = _flag(item, "decimal_comma", where)
    spec["keep_unknown"] = _flag(item, "keep_unknown", where)
    if "replace" in item:
        pairs = item["replace"]
        if not isinstance(pairs, list) or not all(
            isinstance(p, list) and len(p) == 2 for p in pairs
        ):
            raise MappingError(
                f"{where} : « replace » attend une liste de paires [motif, remplacement]."
            )
        spec["replacements"] = tuple(
            (_regex(p[0], where), _text(p[1], where, "replace", True)) for p in pairs
        )
    if "extract" in item:
        spec["extract"] = _regex(item["extract"], where)
    if "split" in item:
        separators = item["split"]
        separators = [separators] if isinstance(separators, str) else separators
        if not isinstance(separators, list) or not separators:
            raise MappingError(
                f"{where} : « split » attend un séparateur ou une liste de séparateurs."
            )
        spec["separators"] = tuple(_text(s, where, "split") for s in separators)
    if "part" in item:
        if not isinstance(item["part"], int) or "split" not in item:
            raise MappingError(f"{where} : « part » est un entier et suppose « split ».")
        spec["part"] = item["part"]
    if "date_formats" in item:
        formats = item["date_formats"]
        if not isinstance(formats, list) or not formats:
            raise MappingError(
                f'{where} : « date_formats » attend une liste de formats (ex. "%d/%m/%Y", "excel").'
            )
        spec["date_formats"] = tuple(_text(f, where, "date_formats") for f in formats)
    allowed = _allowed_labels(field)
    if "choices" in item:
        if "when" in item:
            raise MappingError(f"{where} : « choices » et « when » s'excluent.")
        spec["choices"] = tuple(
            _choice(choice, field, allowed, where) for choice in _list(item["choices"], where)
        )
    if "when" in item:
        if "value" not in item:
            raise MappingError(f"{where} : « when » suppose « value ».")
        spec["when"] = simplify(_text(item["when"], where, "when"))
        spec["when_value"] = _labels(item["value"], field, allowed, where)
    elif "value" in item:
        raise MappingError(
            f"{where} : « value » ne s'emploie qu'avec « when » ou dans « choices »."
        )
    if "default" in item:
        spec["default"] = _labels(item["default"], field, allowed, where)
    return FieldSpec(**spec)


def _choice(choice: Any, field: str, allowed: set[str] | None, where: str) -> Choice:
    if not isinstance(choice, dict):
        raise MappingError(
            f"{where} : chaque choix est une table {{match|equals|regex = …, value = …}}."
        )
    _refuse_unknown(choice, {"match", "equals", "regex", "value"}, f"{where}, choix")
    tests = [key for key in ("match", "equals", "regex") if key in choice]
    if len(tests) != 1 or "value" not in choice:
        raise MappingError(
            f"{where} : chaque choix a un seul test (match, equals ou regex) et une « value »."
        )
    values = _labels(choice["value"], field, allowed, where)
    test = tests[0]
    pattern = _text(choice[test], where, test)
    if test == "regex":
        return Choice(values=values, pattern=_regex(unaccented(pattern), where, re.IGNORECASE))
    if test == "equals":
        return Choice(values=values, equals=simplify(pattern))
    return Choice(values=values, contains=simplify(pattern))


def _labels(value: Any, field: str, allowed: set[str] | None, where: str) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise MappingError(f"{where} : une valeur est un texte ou une liste de textes.")
    if allowed is not None:
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise MappingError(
                f"{where} : {_names(wrong)} n'est pas une valeur du standard pour « {field} »."
            )
    return tuple(values)


def _skip_rule(rule: Any, where: str) -> dict[str, Any]:
    if not isinstance(rule, dict) or not isinstance(rule.get("column"), str):
        raise MappingError(
            f"{where}, ignorer : chaque règle est {{colonne = …, egal = … | vide = true}}."
        )
    _refuse_unknown(rule, {"column", "equals", "empty"}, f"{where}, ignorer")
    if ("equals" in rule) == ("empty" in rule):
        raise MappingError(f"{where}, ignorer : indiquer « equals » ou « empty ».")
    return rule


def _projection(table: Any, where: str) -> Projection:
    table = _table(table, f"{where} : [coordinates] doit être une table.")
    _refuse_unknown(table, {"x", "y", "projection", "decimal_comma"}, f"{where}, [coordinates]")
    if table.get("projection") != "lambert93":
        raise MappingError(
            f"{where}, [coordinates] : seule la projection « lambert93 » est connue."
        )
    return Projection(
        x=_text(table.get("x"), where, "x"),
        y=_text(table.get("y"), where, "y"),
        decimal_comma=_flag(table, "decimal_comma", where),
    )


def _table(value: Any, message: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MappingError(message)
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise MappingError(f"{where} : une liste non vide est attendue.")
    return value


def _text(value: Any, where: str, key: str, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not value and not allow_empty):
        raise MappingError(f"{where} : « {key} » attend un texte non vide.")
    return value


def _flag(item: dict[str, Any], key: str, where: str) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise MappingError(f"{where} : « {key} » vaut true ou false.")
    return value


def _regex(pattern: Any, where: str, flags: int = 0) -> re.Pattern[str]:
    text = _text(pattern, where, "motif")
    try:
        return re.compile(text, flags)
    except re.error as error:
        raise MappingError(
            f"{where} : expression régulière invalide « {text} » ({error})."
        ) from error


def _refuse_unknown(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise MappingError(f"{where} : clé(s) inconnue(s) {_names(unknown)}.")


def _names(names: Any) -> str:
    return ", ".join(f"« {name} »" for name in sorted(names))
