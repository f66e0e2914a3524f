"""Export of the structure's file: the reference's columns, members only, journaled in bulk."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillon.beneficiaries.exporting import EXPORT_HEADERS
from maillon.beneficiaries.models import Beneficiary, Genre
from maillon.core.models import AuditAction, AuditEvent
from maillon.territory.models import PostalCode
from tests.factories.activities import Teams
from tests.factories.beneficiaries import BeneficiaryFactory


@pytest.fixture
def people(teams: Teams) -> list[Beneficiary]:
    PostalCode.objects.create(code="53000", commune=teams.laval)
    josette = BeneficiaryFactory.create(
        structure=teams.a,
        first_name="Josette",
        last_name="Lebrun",
        birth_year=1950,
        commune=teams.laval,
        phone="+33612345678",
        email="josette@exemple.fr",
        genre=Genre.FEMININ,
        notes="=HYPERLINK(1)",
    )
    marcel = BeneficiaryFactory.create(structure=teams.a, first_name="Marcel", last_name="Petit")
    BeneficiaryFactory.create(structure=teams.b, last_name="Secretnom")
    BeneficiaryFactory.create(structure=teams.a, last_name="Supprimé", deleted=True)
    BeneficiaryFactory.create(structure=teams.a, anonymous=True)
    return [josette, marcel]


def test_the_xlsx_export_has_the_reference_columns_and_the_structures_people(
    client: Client, teams: Teams, people: list[Beneficiary]
) -> None:
    client.force_login(teams.mediator_a)
    response = client.get(reverse("beneficiaries:export_xlsx"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook["Bénéficiaires"].iter_rows(values_only=True))
    workbook.close()
    assert rows[0] == EXPORT_HEADERS
    assert rows[1] == (
        "Lebrun",
        "Josette",
        1950,
        "Laval",
        "53130",
        "53000",
        "+33612345678",
        "josette@exemple.fr",
        "Féminin",
        "70 ans et plus",
        "Non communiqué ou hétérogène",
        0,
        "'=HYPERLINK(1)",
    )
    assert [row[0] for row in rows[1:]] == ["Lebrun", "Petit"]


def test_the_csv_export_and_its_journal(
    client: Client, teams: Teams, people: list[Beneficiary]
) -> None:
    client.force_login(teams.manager_a)
    response = client.get(reverse("beneficiaries:export_csv"))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert tuple(rows[0]) == EXPORT_HEADERS
    assert [row[0] for row in rows[1:]] == ["Lebrun", "Petit"]
    assert "Secretnom" not in text
    reads = AuditEvent.objects.filter(action=AuditAction.READ)
    assert sorted(e.object_id for e in reads) == sorted(str(p.pk) for p in people)
    assert all(e.actor == teams.manager_a and "email" in e.fields for e in reads)


def test_a_member_of_b_exports_b_only_and_cannot_ask_for_a(
    client: Client, teams: Teams, people: list[Beneficiary]
) -> None:
    client.force_login(teams.mediator_b)
    text = client.get(reverse("beneficiaries:export_csv")).content.decode("utf-8-sig")
    assert "Secretnom" in text and "Lebrun" not in text
    url = reverse("beneficiaries:export_csv") + f"?structure={teams.a.pk}"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["coordinator", "administrator", "stranger"])
def test_people_without_a_file_get_404(
    client: Client, teams: Teams, people: list[Beneficiary], who: str
) -> None:
    client.force_login(getattr(teams, who))
    for name in ["export_xlsx", "export_csv"]:
        response = client.get(reverse(f"beneficiaries:{name}"))
        assert response.status_code == 404
        assert b"Lebrun" not in response.content
    assert not AuditEvent.objects.exists()


def test_anonymous_is_sent_to_login(client: Client, people: list[Beneficiary]) -> None:
    response = client.get(reverse("beneficiaries:export_csv"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_list_journals_a_page_in_one_insert(client: Client, teams: Teams) -> None:
    BeneficiaryFactory.create_batch(25, structure=teams.a)
    client.force_login(teams.mediator_a)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("beneficiaries:list"))
    inserts = [q for q in queries.captured_queries if 'INSERT INTO "core_auditevent"' in q["sql"]]
    assert len(inserts) == 1
    assert AuditEvent.objects.filter(action=AuditAction.READ).count() == 25
