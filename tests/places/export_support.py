"""Generated places for the export tests, and frictionless validation against the shipped schema.

The generator covers every enumerated value, accents, commas, quotes and line breaks in free
text, and empty optional fields, with values an importer keeps as they are (stripped text,
valid phone numbers, URLs and opening hours).
"""

import datetime as dt
import json
import pathlib
import random
from typing import Any

from frictionless import Resource, Schema

from maillon.accounts.typologies import Typologie
from maillon.places.exporting.standard import SCHEMA_PATH
from maillon.places.models import Place
from maillon.places.record import LocationPrecision, PlaceData
from maillon.places.vocabulary import ENUM_FIELDS

EXAMPLE_PATH = SCHEMA_PATH.with_name("exemple-valide.csv")

WORDS = (
    "Médiathèque",
    "Espace",
    "numérique",
    "l'Aulne",
    "« Le Patio »",
    'dit "La Ruche"',
    "Saint-Étienne",
    "cœur",
    "ÉPN",
    "Maison France Services",
    "1, rue des Lilas",
    "Île",
    "garçon",
    "Zoë",
)
HORAIRES = (
    "Mo-Fr 09:00-12:00,14:00-17:00",
    "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00",
    "Tu,Th 14:00-18:00",
    "Mo-Sa 10:00-19:00",
)
PHONES = ("+33243123456", "+33612345678", "+262262123456", "+590590123456")


def text(rng: random.Random, words: int, *, newlines: bool = False) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    joiner = rng.choice([" ", ", ", "\n"] if newlines else [" ", ", "])
    return joiner.join(chosen).strip()


def place_values(
    rng: random.Random, index: int, communes: list[tuple[str, str, str]]
) -> dict[str, Any]:
    """Fields of one generated place; `communes` are (code_insee, name, postal code) triples.

    Place `index` carries the `index`-th member of every enumeration, so any run of at least
    11 places uses every allowed value.
    """
    code_insee, commune, code_postal = communes[index % len(communes)]
    precision = rng.choice(list(LocationPrecision.values))
    has_position = precision != LocationPrecision.NONE
    values: dict[str, Any] = {
        "nom": text(rng, rng.randint(1, 4)) + f" {index}",
        "date_maj": dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2400)),
        "pivot": rng.choice(["", "43493312300029", "W123456789", f"{rng.randrange(10**14):014d}"]),
        "commune": commune,
        "code_postal": code_postal,
        "code_insee": code_insee,
        "adresse": f"{rng.randint(1, 200)} " + text(rng, 2),
        "complement_adresse": rng.choice(["", text(rng, 2)]),
        "latitude": round(rng.uniform(42.0, 51.0), 6) if has_position else None,
        "longitude": round(rng.uniform(-4.5, 8.0), 6) if has_position else None,
        "location_precision": precision,
        "typologie": tuple(rng.sample(Typologie.values, rng.randint(0, 2))),
        "telephone": rng.choice(("", *PHONES)),
        "courriels": tuple(f"contact{n}@lieu-{index}.fr" for n in range(rng.randint(0, 2))),
        "site_web": tuple(f"https://lieu-{index}.fr/page{n}" for n in range(rng.randint(0, 2))),
        "horaires": rng.choice(("", *HORAIRES)),
        "presentation_resume": rng.choice(["", text(rng, 5)])[:280],
        "presentation_detail": rng.choice(["", text(rng, 12, newlines=True)]),
        "source": rng.choice(["", "Hubik", "Conseil départemental, Mayenne"]),
        "structure_parente": rng.choice(["", text(rng, 2)]),
        "autres_formations_labels": tuple(
            rng.sample(["QPV", "Label et la bête", "FRR"], rng.randint(0, 2))
        ),
        "fiche_acces_libre": rng.choice(
            ["", "https://acceslibre.beta.gouv.fr/app/53-laval/a/erp/1/"]
        ),
        "prise_rdv": rng.choice(["", "https://www.rdv-solidarites.fr/"]),
    }
    for field, enum in ENUM_FIELDS.items():
        members = list(enum.values)
        chosen = set(rng.sample(members, rng.randint(0, min(3, len(members)))))
        chosen.add(members[index % len(members)])
        values[field] = tuple(code for code in members if code in chosen)
    return values


def generated_places(
    count: int, *, seed: int = 2026, communes: list[tuple[str, str, str]] | None = None
) -> list[Place]:
    """`count` unsaved places (with their public ids), built the way production builds them."""
    rng = random.Random(seed)
    communes = communes or [("53130", "Laval", "53000"), ("2A004", "Ajaccio", "20000")]
    places: list[Place] = []
    for index in range(count):
        data = PlaceData(**place_values(rng, index, communes))
        place = Place(nom=data.nom, date_maj=data.date_maj)
        place.apply(data)
        places.append(place)
    return places


def validation_errors(path: pathlib.Path) -> list[list[Any]]:
    """Errors of a strict frictionless validation of `path` against the shipped schema."""
    schema = Schema.from_descriptor(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    resource = Resource(path=path.name, basepath=str(path.parent), schema=schema)
    report = resource.validate()
    errors: list[list[Any]] = report.flatten(["rowNumber", "fieldName", "type", "note"])
    return errors
