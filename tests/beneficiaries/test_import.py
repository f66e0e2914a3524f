# ruff: noqa: RUF001 — typographic apostrophes in French messages.
"""Import of beneficiaries: every rule named by row and column, analysis before commit,
all-or-nothing, idempotent, journaled, members of the structure only."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillon.beneficiaries.importing import service
from maillon.beneficiaries.importing.analysis import Status, analyse, parse_genre
from maillon.beneficiaries.importing.reading import FileError, read_file
from maillon.beneficiaries.models import Beneficiary, Genre, PendingImport
from maillon.core.models import AuditAction, AuditEvent
from maillon.territory.models import PostalCode
from tests.beneficiaries.spreadsheets import HEADER, Cell, csv_text, row, xlsx
from tests.factories.activities import Teams
from tests.factories.beneficiaries import BeneficiaryFactory

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def laval_postal(teams: Teams) -> None:
    PostalCode.objects.create(code="53000", commune=teams.laval)


def errors_of(content: bytes, teams: Teams, name: str = "f.xlsx") -> list[str]:
    analysis = analyse(read_file(name, content), structure=teams.a, today=TODAY)
    return [error.describe() for error in analysis.errors]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"nom": ""}, "Ligne 2, colonne « nom » : Le nom est obligatoire"),
        ({"prenom": None}, "Ligne 2, colonne « prénom » : Le prénom est obligatoire"),
        (
            {"postal": "72000"},
            "Ligne 2, colonne « commune code postal », valeur « 72000 » : "
            "Le code postal de la commune ne correspond pas",
        ),
        (
            {"commune": "Le Mans"},
            "Ligne 2, colonne « commune nom », valeur « Le Mans » : "
            "Le nom de la commune ne correspond pas",
        ),
        (
            {"insee": "99999"},
            "Ligne 2, colonne « commune code INSEE », valeur « 99999 » : Code commune non trouvé",
        ),
        (
            {"genre": "X"},
            "Ligne 2, colonne « genre », valeur « X » : "
            "Genre invalide : F (féminin), M (masculin) ou N (non communiqué)",
        ),
        (
            {"annee": 1850},
            "Ligne 2, colonne « année de naissance », valeur « 1850 » : "
            "L’année de naissance doit être un nombre entre 1900 et 2026",
        ),
        (
            {"annee": "vers 1950"},
            "Ligne 2, colonne « année de naissance », valeur « vers 1950 » : "
            "L’année de naissance doit être un nombre entre 1900 et 2026",
        ),
        (
            {"telephone": "12"},
            "Ligne 2, colonne « numéro de téléphone », valeur « 12 » : "
            "Le numéro de téléphone n’est pas valide",
        ),
        (
            {"email": "josette@"},
            "Ligne 2, colonne « e-mail », valeur « josette@ » : L’adresse e-mail n’est pas valide",
        ),
    ],
)
def test_each_rule_names_its_row_and_column(
    teams: Teams, laval_postal: None, cells: dict[str, Cell], expected: str
) -> None:
    assert errors_of(xlsx([row(), row(**cells)]), teams) == [expected.replace("Ligne 2", "Ligne 3")]


def test_a_valid_file_is_clean_and_reads_spreadsheet_numbers(
    teams: Teams, laval_postal: None
) -> None:
    # Excel turned the phone, the code INSEE and the postal code into numbers.
    content = xlsx([row(telephone=612345678, insee=53130, postal=53000.0, annee=1950.0)])
    analysis = analyse(read_file("f.xlsx", content), structure=teams.a, today=TODAY)
    assert analysis.errors == []
    [data] = analysis.to_create
    assert (data.phone, data.commune, data.birth_year) == ("+33612345678", teams.laval, 1950)
    assert data.genre == Genre.FEMININ


@pytest.mark.parametrize(
    ("text", "genre"),
    [
        ("Féminin", Genre.FEMININ),
        ("f", Genre.FEMININ),
        ("Masculin", Genre.MASCULIN),
        ("non communiqué", Genre.NON_COMMUNIQUE),
        ("", Genre.NON_COMMUNIQUE),
        ("homme", None),
    ],
)
def test_genre_is_read_from_its_first_letter(text: str, genre: str | None) -> None:
    assert parse_genre(text) == genre


def test_a_csv_with_semicolons_and_without_commune_is_read(teams: Teams) -> None:
    content = csv_text([["Petit", "Marcel", "", "", "", "", "", "", "M", "note"]])
    analysis = analyse(read_file("f.csv", content), structure=teams.a, today=TODAY)
    assert analysis.errors == []
    assert analysis.to_create[0].genre == Genre.MASCULIN


def test_a_file_without_the_name_columns_is_refused_whole() -> None:
    with pytest.raises(FileError, match="Ligne 1 \\(en-tête\\) : colonne « nom » et « prénom »"):
        read_file("f.xlsx", xlsx([["x"]], header=["a", "b"]))
    with pytest.raises(FileError, match="Format non reconnu"):
        read_file("f.pdf", b"%PDF")
    with pytest.raises(FileError, match="pas un classeur XLSX lisible"):
        read_file("f.xlsx", b"PK\x03\x04 broken")


def test_a_workbook_with_several_sheets_needs_the_beneficiaires_one() -> None:
    workbook = openpyxl.Workbook()
    workbook.create_sheet("Autre")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(FileError, match="feuille « Bénéficiaires »"):
        read_file("f.xlsx", buffer.getvalue())


def deposit(teams: Teams, content: bytes, name: str = "f.xlsx") -> PendingImport:
    return service.deposit(actor=teams.mediator_a, structure=teams.a, name=name, content=content)


def test_one_bad_row_and_nothing_is_created(teams: Teams, laval_postal: None) -> None:
    pending = deposit(teams, xlsx([row(), row(nom="Petit", prenom=""), row(nom="Blanc")]))
    with pytest.raises(service.ImportRefusedError):
        service.commit(actor=teams.mediator_a, pending=pending)
    assert not Beneficiary.objects.exists()
    assert not AuditEvent.objects.exists()


def test_commit_creates_everyone_journals_and_forgets_the_file(
    teams: Teams, laval_postal: None
) -> None:
    pending = deposit(teams, xlsx([row(), row(nom="Blanc", prenom="Paul", telephone="")]))
    result = service.commit(actor=teams.mediator_a, pending=pending)
    assert (result.created, result.skipped) == (2, 0)
    people = list(Beneficiary.objects.order_by("last_name"))
    assert [p.last_name for p in people] == ["Blanc", "Lebrun"]
    assert all(p.imported_at is not None and p.structure == teams.a for p in people)
    assert all(p.created_by == teams.mediator_a for p in people)
    events = AuditEvent.objects.filter(action=AuditAction.CREATE)
    assert sorted(e.object_id for e in events) == sorted(str(p.pk) for p in people)
    assert all("imported_at" in e.fields and e.structure_id == teams.a.pk for e in events)
    assert not PendingImport.objects.exists()


def test_imported_people_are_found_whatever_the_accents(teams: Teams, laval_postal: None) -> None:
    pending = deposit(teams, xlsx([row(nom="Dupré", prenom="Hélène", email="H.Dupre@exemple.fr")]))
    service.commit(actor=teams.mediator_a, pending=pending)
    assert Beneficiary.objects.get().search_key == "helene dupre h.dupre@exemple.fr"


def test_importing_the_same_file_twice_creates_nobody_the_second_time(
    teams: Teams, laval_postal: None
) -> None:
    content = xlsx([row(), row(nom="Blanc", prenom="Paul"), row(nom="BLANC", prenom="paul")])
    first = service.commit(actor=teams.mediator_a, pending=deposit(teams, content))
    assert (first.created, first.skipped) == (2, 1)  # the third row repeats the second
    second_pending = deposit(teams, content)
    analysis = service.analyse_pending(second_pending)
    assert [r.status for r in analysis.rows] == [Status.KNOWN, Status.KNOWN, Status.KNOWN]
    second = service.commit(actor=teams.mediator_a, pending=second_pending)
    assert (second.created, second.skipped) == (0, 3)
    assert Beneficiary.objects.count() == 2


def test_a_person_of_another_structure_is_not_known(teams: Teams, laval_postal: None) -> None:
    BeneficiaryFactory.create(structure=teams.b, last_name="Lebrun", first_name="Josette")
    analysis = service.analyse_pending(
        deposit(
            teams, xlsx([row(telephone="", email="", annee="", insee="", commune="", postal="")])
        )
    )
    assert [r.status for r in analysis.rows] == [Status.NEW]


def test_a_pending_import_expires_after_an_hour(teams: Teams) -> None:
    pending = deposit(teams, xlsx([row()]))
    assert service.purge_expired_imports(timezone.now()) == 0
    assert service.purge_expired_imports(timezone.now() + dt.timedelta(minutes=61)) == 1
    assert not PendingImport.objects.filter(pk=pending.pk).exists()


# Views ---------------------------------------------------------------------------------------


def upload(client: Client, content: bytes, name: str = "beneficiaires.xlsx") -> str:
    response = client.post(
        reverse("beneficiaries:import"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def test_the_analysis_page_shows_every_row_and_error_then_refuses_to_commit(
    client: Client, teams: Teams, laval_postal: None
) -> None:
    client.force_login(teams.mediator_a)
    analysis_url = upload(client, xlsx([row(), row(nom="", genre="Z")]))
    body = client.get(analysis_url).content.decode()
    assert "Ligne 3, colonne « nom » : Le nom est obligatoire" in body
    assert (
        "Ligne 3, colonne « genre », valeur « Z » : "
        "Genre invalide : F (féminin), M (masculin) ou N (non communiqué)" in body
    )
    assert "Importer les bénéficiaires" not in body
    pk = analysis_url.rstrip("/").rsplit("/", 1)[-1]
    response = client.post(reverse("beneficiaries:import_commit", args=[pk]))
    assert response.status_code == 422
    assert not Beneficiary.objects.exists()


def test_the_analysis_then_the_commit(client: Client, teams: Teams, laval_postal: None) -> None:
    client.force_login(teams.manager_a)
    analysis_url = upload(
        client,
        csv_text([["Petit", "Marcel", "1960", "", "53130", "Laval", "53000", "", "M", ""]]),
        "b.csv",
    )
    body = client.get(analysis_url).content.decode()
    assert "Importer les bénéficiaires" in body and "À créer" in body
    pk = analysis_url.rstrip("/").rsplit("/", 1)[-1]
    response = client.post(reverse("beneficiaries:import_commit", args=[pk]))
    assert response.status_code == 302
    assert Beneficiary.objects.get().last_name == "Petit"
    # A second click finds nothing to import.
    assert client.post(reverse("beneficiaries:import_commit", args=[pk])).status_code == 404


def test_an_unreadable_file_is_explained_on_the_form(client: Client, teams: Teams) -> None:
    client.force_login(teams.mediator_a)
    response = client.post(
        reverse("beneficiaries:import"), {"file": SimpleUploadedFile("a.xlsx", b"nope")}
    )
    assert response.status_code == 200
    assert (
        "Format non reconnu" in response.content.decode()
        or "XLSX lisible" in response.content.decode()
    )


@pytest.mark.parametrize(
    "who", ["mediator_b", "colleague_a", "coordinator", "administrator", "stranger"]
)
def test_nobody_else_sees_or_commits_someones_analysis(
    client: Client, teams: Teams, who: str
) -> None:
    pending = deposit(teams, xlsx([row(nom="Secretnom")]))
    client.force_login(getattr(teams, who))
    for url in [
        reverse("beneficiaries:import_analysis", args=[pending.pk]),
        reverse("beneficiaries:import_commit", args=[pending.pk]),
    ]:
        response = client.post(url) if url.endswith("valider/") else client.get(url)
        assert response.status_code == 404
        assert "Secretnom" not in response.content.decode()
    assert not Beneficiary.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "administrator", "stranger"])
def test_people_without_a_file_get_404_on_the_import_pages(
    client: Client, teams: Teams, who: str
) -> None:
    client.force_login(getattr(teams, who))
    assert client.get(reverse("beneficiaries:import")).status_code == 404
    assert client.get(reverse("beneficiaries:import_template")).status_code == 404
    response = client.post(
        reverse("beneficiaries:import"), {"file": SimpleUploadedFile("a.xlsx", xlsx([row()]))}
    )
    assert response.status_code == 404
    assert not PendingImport.objects.exists()


def test_anonymous_is_sent_to_login(client: Client, teams: Teams) -> None:
    for url in [reverse("beneficiaries:import"), reverse("beneficiaries:import_template")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_template_has_the_reference_columns(client: Client, teams: Teams) -> None:
    client.force_login(teams.mediator_a)
    response = client.get(reverse("beneficiaries:import_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = workbook["Bénéficiaires"]
    first = next(sheet.iter_rows(values_only=True))
    assert tuple(first) == HEADER
    workbook.close()
