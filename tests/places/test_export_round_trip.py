"""Round trip: standard export → import into a fresh source changes nothing (Hypothesis)."""

import csv
import dataclasses
import datetime as dt
import io
import pathlib
import tempfile
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from maillon.accounts.typologies import Typologie
from maillon.places.exporting.standard import COLUMNS, write_standard_csv
from maillon.places.importing.service import import_file
from maillon.places.models import Place, SourceRecord
from maillon.places.record import LocationPrecision, PlaceData
from maillon.places.vocabulary import ENUM_FIELDS
from tests.factories.places import create_place
from tests.factories.territory import CommuneFactory, PostalCodeFactory
from tests.places.export_support import HORAIRES, PHONES, WORDS

# Communes created for every example: (code INSEE, name, postal code).
COMMUNES = (("53130", "Laval", "53000"), ("53062", "Changé", "53810"))
# Fields the standard file carries (`id` is the place's public id, the record's external id).
EXPORTED_FIELDS = tuple(name for name in COLUMNS if name != "id")

_words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
_optional_words = st.one_of(st.just(""), _words)


def _codes(field: str) -> st.SearchStrategy[tuple[str, ...]]:
    values = list(ENUM_FIELDS[field].values)
    if field == "modalites_acces":
        values.remove("pas_de_public")  # such places are not published, hence not exported
    return st.lists(st.sampled_from(values), unique=True, max_size=3).map(tuple)


@st.composite
def place_fields(draw: st.DrawFn, index: int) -> dict[str, Any]:
    code_insee, commune, code_postal = draw(st.sampled_from(COMMUNES))
    precision = draw(st.sampled_from(list(LocationPrecision.values)))
    positioned = precision != LocationPrecision.NONE
    # Positions near the communes' centre (48.07, -0.77 in the factory): the importer replaces a
    # position far from its commune by the commune's centre, which would not round-trip.
    latitude = st.floats(min_value=48.03, max_value=48.11, allow_nan=False, allow_infinity=False)
    longitude = st.floats(min_value=-0.81, max_value=-0.73, allow_nan=False, allow_infinity=False)
    fields: dict[str, Any] = {
        "nom": f"{draw(_words)} {index}",
        "date_maj": draw(
            st.dates(
                min_value=dt.date(2015, 1, 1),
                max_value=dt.date(2026, 6, 30),
            )
        ),
        "pivot": draw(st.sampled_from(["", "43493312300029", "W123456789"])),
        "commune": commune,
        "code_postal": code_postal,
        "code_insee": code_insee,
        "adresse": f"{draw(st.integers(1, 300))} {draw(_words)}",
        "complement_adresse": draw(_optional_words),
        "latitude": draw(latitude) if positioned else None,
        "longitude": draw(longitude) if positioned else None,
        "location_precision": precision,
        "typologie": tuple(
            draw(st.lists(st.sampled_from(Typologie.values), unique=True, max_size=2))
        ),
        "telephone": draw(st.sampled_from(("", *PHONES))),
        "courriels": tuple(f"contact{n}@lieu-{index}.fr" for n in range(draw(st.integers(0, 2)))),
        "site_web": tuple(f"https://lieu-{index}.fr/{n}" for n in range(draw(st.integers(0, 2)))),
        "horaires": draw(st.sampled_from(("", *HORAIRES))),
        "presentation_resume": draw(_optional_words),
        "presentation_detail": "\n".join(draw(st.lists(_words, max_size=3))),
        "source": draw(st.sampled_from(["", "Hubik", "Département de la Mayenne, « CD53 »"])),
        "structure_parente": draw(_optional_words),
        "autres_formations_labels": tuple(
            draw(st.lists(st.sampled_from(["QPV", "FRR", "Label et la bête"]), unique=True))
        ),
        "fiche_acces_libre": draw(st.sampled_from(["", "https://acceslibre.beta.gouv.fr/a/1/"])),
        "prise_rdv": draw(st.sampled_from(["", "https://www.rdv-solidarites.fr/"])),
    }
    for field in ENUM_FIELDS:
        fields[field] = draw(_codes(field))
    return fields


@st.composite
def place_batches(draw: st.DrawFn) -> list[dict[str, Any]]:
    size = draw(st.integers(min_value=1, max_value=6))
    return [draw(place_fields(index)) for index in range(size)]


def _export(places: list[Place], directory: pathlib.Path, name: str) -> pathlib.Path:
    path = directory / name
    with path.open("w", encoding="utf-8", newline="") as out:
        write_standard_csv(places, out)
    return path


def _exported(data: PlaceData) -> dict[str, Any]:
    values = {name: getattr(data, name) for name in EXPORTED_FIELDS}
    if not data.has_precise_location():
        values["latitude"] = values["longitude"] = None  # written empty: not a precise position
    return values


class RoundTripTests(TestCase):
    maxDiff = None

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(batch=place_batches())
    def test_importing_an_export_changes_nothing(self, batch: list[dict[str, Any]]) -> None:
        for code_insee, name, code_postal in COMMUNES:
            PostalCodeFactory.create(
                code=code_postal, commune=CommuneFactory.create(code_insee=code_insee, name=name)
            )
        originals = [create_place(source_slug="origine", **fields) for fields in batch]
        with tempfile.TemporaryDirectory() as directory:
            first = _export(originals, pathlib.Path(directory), "export.csv")

            report = import_file(first, source_slug="retour")
            self.assertEqual(report.errors, [])
            self.assertEqual(report.created, len(batch))

            records = {r.external_id: r for r in SourceRecord.objects.filter(source__slug="retour")}
            for original in originals:
                record = records[str(original.public_id)]
                self.assertEqual(_exported(record.place_data), _exported(original.to_data()))

            reimported = [records[str(original.public_id)].place for original in originals]
            second_text = _export(reimported, pathlib.Path(directory), "again.csv").read_bytes()
            ids = {str(r.place.public_id): r.external_id for r in records.values()}
            rows = list(csv.DictReader(io.StringIO(second_text.decode(), newline="")))
            for row in rows:
                row["id"] = ids[row["id"]]
            again = io.StringIO()
            writer = csv.DictWriter(again, fieldnames=COLUMNS, lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(rows)
            self.assertEqual(again.getvalue().encode(), first.read_bytes())

            second = import_file(first, source_slug="retour")
            self.assertEqual((second.created, second.updated), (0, 0))
            self.assertEqual(second.unchanged, len(batch))


def test_the_exported_fields_are_the_standard_minus_the_id() -> None:
    assert len(EXPORTED_FIELDS) == 31
    assert set(EXPORTED_FIELDS) <= {field.name for field in dataclasses.fields(PlaceData)}
