"""Import of standard files: all or nothing, idempotent, normalised (issue 3, « Import »)."""

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maillon.places.importing.report import ImportReport, write_report_csv
from maillon.places.importing.service import import_file
from maillon.places.models import ImportRun, ImportStatus, Place, SourceRecord
from maillon.places.record import LocationPrecision
from maillon.territory.models import Commune
from tests.factories.accounts import StructureFactory
from tests.factories.territory import CommuneFactory, DepartementFactory, PostalCodeFactory

FIXTURES = Path(__file__).parent / "fixtures" / "import"
V1_COLUMNS = [
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "source",
    "itinerance",
    "structure_parente",
    "date_maj",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "prise_rdv",
]


@pytest.fixture
def laval() -> Commune:
    commune = CommuneFactory.create(
        code_insee="53130", name="Laval", latitude=48.0695, longitude=-0.7708
    )
    PostalCodeFactory.create(code="53000", commune=commune)
    return commune


def row(**fields: str) -> dict[str, str]:
    values = {
        "id": "lieu-1",
        "nom": "Espace public numérique",
        "commune": "Laval",
        "code_postal": "53000",
        "code_insee": "53130",
        "adresse": "1 rue de la Paix",
        "latitude": "48.0706",
        "longitude": "-0.7734",
        "date_maj": "2026-09-01",
        "services": "Aide aux démarches administratives",
    }
    values.update(fields)
    return values


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] = V1_COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for values in rows:
            writer.writerow({column: values.get(column, "") for column in columns})
    return path


def import_rows(
    tmp_path: Path, rows: list[dict[str, str]], *, dry_run: bool = False
) -> ImportReport:
    return import_file(write_csv(tmp_path / "lieux.csv", rows), source_slug="test", dry_run=dry_run)


@pytest.mark.django_db
def test_it_imports_a_standard_file_into_places_and_records(tmp_path: Path, laval: Commune) -> None:
    report = import_file(
        write_csv(tmp_path / "lieux.csv", [row(), row(id="lieu-2", nom="Médiathèque")]),
        source_slug="mayenne",
    )

    assert (report.created, report.updated, report.unchanged, report.retired) == (2, 0, 0, 0)
    assert report.errors == [] and report.applied
    place = Place.objects.get(records__external_id="lieu-1")
    assert place.commune_ref == laval
    assert place.services == ["aide_demarches"]
    assert place.location_precision == LocationPrecision.PRECISE
    assert place.field_provenance["nom"]["source"] == "mayenne"
    assert ImportRun.objects.get().status == ImportStatus.APPLIED


@pytest.mark.django_db
def test_it_refuses_a_malformed_file_writes_nothing_and_names_each_line(laval: Commune) -> None:
    report = import_file(FIXTURES / "malformed.csv", source_slug="test")

    assert not report.applied
    found = {(issue.line, issue.column, issue.value) for issue in report.errors}
    assert (3, "services", "Cours de cuisine") in found
    assert (4, "code_postal", "5300") in found
    assert (5, "id", "ok-1") in found
    assert (6, "date_maj", "le 3 mars") in found
    duplicate = next(issue for issue in report.errors if issue.column == "id")
    assert "lignes 2 et 5" in duplicate.reason
    assert not Place.objects.exists() and not SourceRecord.objects.exists()
    assert ImportRun.objects.get().status == ImportStatus.REFUSED


@pytest.mark.django_db
def test_it_refuses_a_file_not_in_utf8_naming_the_line(laval: Commune) -> None:
    report = import_file(FIXTURES / "latin1.csv", source_slug="test")

    assert [issue.line for issue in report.errors] == [2]
    assert "UTF-8" in report.errors[0].reason
    assert not Place.objects.exists()


@pytest.mark.django_db
def test_it_accepts_a_utf8_file_with_a_byte_order_mark(tmp_path: Path, laval: Commune) -> None:
    path = write_csv(tmp_path / "bom.csv", [row()])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    assert import_file(path, source_slug="test").created == 1


@pytest.mark.django_db
def test_it_reimports_the_same_file_as_a_no_op(tmp_path: Path, laval: Commune) -> None:
    path = write_csv(tmp_path / "lieux.csv", [row(), row(id="lieu-2")])
    import_file(path, source_slug="test")
    before = list(Place.objects.values_list("pk", "updated_at"))

    report = import_file(path, source_slug="test")

    assert (report.created, report.updated, report.unchanged, report.retired) == (0, 0, 2, 0)
    assert "0 créé, 0 mis à jour" in report.summary()
    assert list(Place.objects.values_list("pk", "updated_at")) == before


@pytest.mark.django_db
def test_it_updates_changed_rows_only_and_retires_vanished_ones(
    tmp_path: Path, laval: Commune
) -> None:
    import_rows(tmp_path, [row(), row(id="lieu-2"), row(id="lieu-3")])
    unchanged = Place.objects.get(records__external_id="lieu-2")

    report = import_rows(tmp_path, [row(nom="EPN rénové"), row(id="lieu-2")])

    assert (report.created, report.updated, report.unchanged, report.retired) == (0, 1, 1, 1)
    assert Place.objects.get(records__external_id="lieu-1").nom == "EPN rénové"
    assert Place.objects.get(pk=unchanged.pk).updated_at == unchanged.updated_at
    vanished = SourceRecord.objects.get(external_id="lieu-3")
    assert vanished.retired_at is not None
    assert vanished.place.retired_at is not None

    back = import_rows(tmp_path, [row(nom="EPN rénové"), row(id="lieu-2"), row(id="lieu-3")])

    assert (back.created, back.updated) == (0, 1)
    vanished.refresh_from_db()
    assert vanished.retired_at is None and vanished.place.retired_at is None


@pytest.mark.django_db
def test_a_dry_run_counts_like_an_import_and_writes_nothing(tmp_path: Path, laval: Commune) -> None:
    import_rows(tmp_path, [row(), row(id="lieu-2")])

    report = import_rows(tmp_path, [row(nom="Autre nom"), row(id="lieu-3")], dry_run=True)

    assert (report.created, report.updated, report.unchanged, report.retired) == (1, 1, 0, 1)
    assert not report.applied
    assert SourceRecord.objects.count() == 2
    assert Place.objects.get(records__external_id="lieu-1").nom == "Espace public numérique"


@pytest.mark.django_db
def test_it_maps_v01_columns_and_values_to_v1(laval: Commune) -> None:
    report = import_file(FIXTURES / "v01.csv", source_slug="v0")

    assert report.errors == []
    place = Place.objects.get()
    assert place.pivot == ""
    assert place.services == ["outils_quotidien", "aide_demarches", "acces_materiel"]
    assert place.publics_specifiquement_adresses == ["seniors"]
    assert place.prise_en_charge_specifique == [
        "langues_anglais",
        "langues_autres",
        "handicaps_mentaux",
    ]
    assert place.frais_a_charge == ["gratuit"]
    assert place.dispositif_programmes_nationaux == [
        "conseillers_numeriques",
        "point_numerique_caf",
    ]
    assert place.formations_labels == ["fabriques_de_territoire"]
    assert place.autres_formations_labels == ["APTIC", "FRR"]
    assert place.modalites_accompagnement == ["individuel", "atelier_collectif"]
    assert place.courriels == ["contact@epn.fr"]
    assert place.fiche_acces_libre == "https://acceslibre.beta.gouv.fr/app/53/"
    assert place.telephone == "+33243498500"
    assert place.date_maj == dt.date(2023, 7, 11)
    reasons = {(issue.column, issue.reason) for issue in report.warnings}
    assert ("conditions_acces", "valeur v0.1 sans équivalent en v1.0 : ignorée") in reasons
    assert ("courriels", "adresse électronique invalide : ignorée") in reasons


@pytest.mark.django_db
def test_an_unknown_value_in_a_v0_list_is_only_a_warning(tmp_path: Path, laval: Commune) -> None:
    report = import_rows(
        tmp_path, [row(services="Prendre en main un ordinateur;Apprendre la poterie")]
    )

    assert report.errors == [] and report.created == 1
    assert [issue.value for issue in report.warnings] == ["Apprendre la poterie"]


@pytest.mark.django_db
def test_it_normalises_the_known_variants_of_labels(tmp_path: Path, laval: Commune) -> None:
    report = import_rows(
        tmp_path,
        [
            row(
                services="Comprehension du monde numérique | Aide aux démarches administratives",
                formations_labels=(
                    "Étapes numériques(La Poste)|Formé à\u00a0«\u00a0Mon Espace Santé\u00a0»"
                ),
                modalites_acces="Ce lieu n\u2019accueille pas de public",
                prise_en_charge_specifique="Langues étrangères",
                autres_formations_labels="ZRR|QPV",
                typologie="epn|Autre",
            )
        ],
    )

    assert report.errors == []
    place = Place.objects.get()
    assert place.services == ["comprehension", "aide_demarches"]
    assert place.formations_labels == ["etapes_numeriques", "mon_espace_sante"]
    assert place.modalites_acces == ["pas_de_public"] and not place.is_public
    assert place.prise_en_charge_specifique == ["langues_anglais", "langues_autres"]
    assert place.autres_formations_labels == ["FRR", "QPV"]
    assert place.in_frr and place.in_qpv
    assert place.typologie == ["EPN", "Autre"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("02 43 49 85 00", "+33243498500"),
        ("02.43.49.85.00", "+33243498500"),
        ("0033 2 43 49 85 00", "+33243498500"),
        ("+33 (0)2 43 49 85 00", "+33243498500"),
        ("02 43 49 85 00 / 06 12 34 56 78", "+33243498500"),
        ("pas de téléphone ; 06 12 34 56 78", "+33612345678"),
    ],
)
def test_it_writes_phones_in_international_form(
    tmp_path: Path, laval: Commune, raw: str, expected: str
) -> None:
    import_rows(tmp_path, [row(telephone=raw)])

    assert Place.objects.get().telephone == expected


@pytest.mark.django_db
def test_it_gives_overseas_phones_their_own_country_code(tmp_path: Path) -> None:
    reunion = DepartementFactory.create(code="974", name="La Réunion")
    saint_denis = CommuneFactory.create(
        code_insee="97411",
        name="Saint-Denis",
        departement=reunion,
        latitude=-20.88,
        longitude=55.45,
    )
    PostalCodeFactory.create(code="97400", commune=saint_denis)

    import_rows(
        tmp_path,
        [
            row(
                commune="Saint-Denis",
                code_postal="97400",
                code_insee="97411",
                latitude="-20.8821",
                longitude="55.4507",
                telephone="0262 12 34 56",
            )
        ],
    )

    assert Place.objects.get().telephone == "+262262123456"


@pytest.mark.django_db
def test_it_restores_the_leading_zero_of_a_postal_code(tmp_path: Path) -> None:
    ain = DepartementFactory.create(code="01", name="Ain")
    bourg = CommuneFactory.create(code_insee="01053", name="Bourg-en-Bresse", departement=ain)
    PostalCodeFactory.create(code="01000", commune=bourg)

    report = import_rows(
        tmp_path, [row(commune="Bourg-en-Bresse", code_postal="1000", code_insee="1053")]
    )

    assert report.errors == []
    place = Place.objects.get()
    assert (place.code_postal, place.commune_ref_id) == ("01000", "01053")


@pytest.mark.django_db
def test_it_cleans_pivots_emails_and_urls(tmp_path: Path, laval: Commune) -> None:
    import_rows(
        tmp_path,
        [
            row(
                pivot="434 933 123 00029",
                courriels="a@epn.fr|b@epn.fr",
                site_web="www.epn.fr|https://facebook.com/epn",
            ),
            row(id="lieu-2", pivot="00000000000000"),
        ],
    )

    first = Place.objects.get(records__external_id="lieu-1")
    assert first.pivot == "43493312300029"
    assert first.courriels == ["a@epn.fr", "b@epn.fr"]
    assert first.site_web == ["https://www.epn.fr", "https://facebook.com/epn"]
    assert Place.objects.get(records__external_id="lieu-2").pivot == ""


@pytest.mark.django_db
def test_it_truncates_a_long_summary_with_a_warning(tmp_path: Path, laval: Commune) -> None:
    report = import_rows(tmp_path, [row(presentation_resume="x" * 300)])

    assert len(Place.objects.get().presentation_resume) == 280
    assert [issue.column for issue in report.warnings] == ["presentation_resume"]


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["2023-07-11", "2023-07-11T10:00:00Z", "11/07/2023"])
def test_it_reads_dates_in_iso_and_french_forms(tmp_path: Path, laval: Commune, raw: str) -> None:
    import_rows(tmp_path, [row(date_maj=raw)])

    assert Place.objects.get().date_maj == dt.date(2023, 7, 11)


@pytest.mark.django_db
def test_it_converts_free_text_hours_and_keeps_the_rest_as_text(
    tmp_path: Path, laval: Commune
) -> None:
    report = import_rows(
        tmp_path,
        [
            row(horaires="Mo-Fr 09:00-12:00,14:00-17:00"),
            row(id="lieu-2", horaires="le mardi quand il fait beau"),
        ],
    )

    assert Place.objects.get(records__external_id="lieu-1").horaires == (
        "Mo-Fr 09:00-12:00,14:00-17:00"
    )
    kept = Place.objects.get(records__external_id="lieu-2")
    assert (kept.horaires, kept.horaires_texte) == ("", "le mardi quand il fait beau")
    assert any(issue.column == "horaires" for issue in report.warnings)


@pytest.mark.django_db
def test_it_takes_the_commune_position_when_coordinates_are_missing(
    tmp_path: Path, laval: Commune
) -> None:
    report = import_rows(tmp_path, [row(latitude="", longitude="")])

    place = Place.objects.get()
    assert (place.latitude, place.longitude) == (48.0695, -0.7708)
    assert place.location_precision == LocationPrecision.COMMUNE
    assert not SourceRecord.objects.get().place_data.has_precise_location()
    assert any("approximative" in issue.reason for issue in report.warnings)


@pytest.mark.django_db
def test_it_puts_swapped_coordinates_back_in_order(tmp_path: Path, laval: Commune) -> None:
    report = import_rows(tmp_path, [row(latitude="-0.7734", longitude="48.0706")])

    place = Place.objects.get()
    assert (place.latitude, place.longitude) == (48.0706, -0.7734)
    assert any("inversées" in issue.reason for issue in report.warnings)


@pytest.mark.django_db
def test_it_refuses_coordinates_that_are_not_numbers(tmp_path: Path, laval: Commune) -> None:
    report = import_rows(tmp_path, [row(latitude="48°04'N")])

    assert [(issue.column, issue.value) for issue in report.errors] == [("latitude", "48°04'N")]


@pytest.mark.django_db
def test_it_resolves_merged_communes_by_old_code_or_old_name(tmp_path: Path) -> None:
    charente = DepartementFactory.create(code="16", name="Charente")
    bellevigne = CommuneFactory.create(code_insee="16204", name="Bellevigne", departement=charente)
    PostalCodeFactory.create(code="16120", commune=bellevigne)

    report = import_rows(
        tmp_path,
        [
            row(commune="Éraville", code_postal="16120", code_insee="16129"),
            row(id="lieu-2", commune="Éraville", code_postal="", code_insee=""),
        ],
    )

    assert report.errors == []
    assert set(Place.objects.values_list("commune_ref_id", flat=True)) == {"16204"}
    assert sum("Bellevigne" in issue.reason for issue in report.warnings) == 2


@pytest.mark.django_db
def test_an_unknown_code_insee_is_an_error_only_when_nothing_else_finds_the_commune(
    tmp_path: Path, laval: Commune
) -> None:
    report = import_rows(
        tmp_path,
        [
            row(code_insee="53999"),
            row(id="lieu-2", code_insee="53998", code_postal="", commune="Atlantide"),
        ],
    )

    assert [(issue.line, issue.column) for issue in report.errors] == [(3, "code_insee")]
    assert any(issue.line == 2 and "53999" in issue.reason for issue in report.warnings)


@pytest.mark.django_db
def test_it_links_a_place_to_the_structure_with_its_siret(tmp_path: Path, laval: Commune) -> None:
    structure = StructureFactory.create(siret="43493312300029")

    import_rows(tmp_path, [row(pivot="43493312300029")])

    assert Place.objects.get().structure == structure


@pytest.mark.django_db
def test_the_command_prints_a_french_summary_and_fails_on_errors(
    tmp_path: Path, laval: Commune, capsys: pytest.CaptureFixture[str]
) -> None:
    report_path = tmp_path / "rapport.csv"
    with pytest.raises(CommandError):
        call_command("import_lieux", str(FIXTURES / "malformed.csv"), report=str(report_path))

    out = capsys.readouterr().out
    assert "5 lieux lus" in out
    assert "ligne 4, colonne code_postal, valeur « 5300 » : le code postal doit avoir" in out
    with report_path.open(encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle))
    assert {line["niveau"] for line in lines} == {"erreur"}
    assert list(lines[0]) == ["niveau", "ligne", "colonne", "valeur", "motif"]


@pytest.mark.django_db
def test_the_report_csv_lists_warnings_after_errors(tmp_path: Path, laval: Commune) -> None:
    report = import_rows(tmp_path, [row(latitude="", longitude="")])
    path = tmp_path / "rapport.csv"

    write_report_csv(report, path)

    assert path.read_text(encoding="utf-8").splitlines()[1].startswith("avertissement,2,latitude")


@pytest.mark.django_db
def test_it_lists_every_line_with_a_wrong_number_of_fields(tmp_path: Path, laval: Commune) -> None:
    path = write_csv(tmp_path / "lieux.csv", [row(), row(id="lieu-2"), row(id="lieu-3")])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] += ",en trop"
    lines[3] = lines[3].rsplit(",", 2)[0]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = import_file(path, source_slug="test")

    assert [issue.line for issue in report.errors] == [2, 4]
    assert not Place.objects.exists()
