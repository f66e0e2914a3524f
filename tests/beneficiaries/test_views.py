"""The beneficiary pages: members of the structure only (anyone else 404, anonymous → login),
list with search and pagination, form with the information notice, page with the trajectory,
access export and erasure — every display of personal data journaled."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillon.activities.vocabulary import Autonomie
from maillon.beneficiaries.models import Beneficiary
from maillon.beneficiaries.views import PAGE_SIZE
from maillon.core.models import AuditAction, AuditEvent
from tests.beneficiaries.helpers import accompany
from tests.factories.accounts import MembershipFactory
from tests.factories.activities import Teams
from tests.factories.beneficiaries import BeneficiaryFactory

MEMBERS = ["mediator_a", "colleague_a", "manager_a"]
OUTSIDERS = ["mediator_b", "coordinator", "administrator", "stranger"]
PAGES = ["detail", "edit", "access", "access_json", "erase"]


@pytest.fixture
def person(teams: Teams) -> Beneficiary:
    return BeneficiaryFactory.create(
        structure=teams.a,
        created_by=teams.mediator_a,
        first_name="Josette",
        last_name="Lebrun",
        birth_year=1950,
        genre="feminin",
    )


def valid_post(**fields: str) -> dict[str, str]:
    values = {
        "first_name": "Marcel",
        "last_name": "Petit",
        "genre": "masculin",
        "statut_social": "retraite",
    }
    values.update(fields)
    return values


def test_anonymous_is_sent_to_login(client: Client, person: Beneficiary) -> None:
    for url in [
        reverse("beneficiaries:list"),
        reverse("beneficiaries:create"),
        *(reverse(f"beneficiaries:{name}", args=[person.pk]) for name in PAGES),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", MEMBERS)
def test_members_of_the_structure_open_every_page(
    client: Client, teams: Teams, person: Beneficiary, who: str
) -> None:
    client.force_login(getattr(teams, who))
    for url in [
        reverse("beneficiaries:list"),
        reverse("beneficiaries:create"),
        *(reverse(f"beneficiaries:{name}", args=[person.pk]) for name in PAGES),
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", OUTSIDERS)
def test_anyone_else_gets_404_on_the_persons_pages(
    client: Client, teams: Teams, person: Beneficiary, who: str
) -> None:
    client.force_login(getattr(teams, who))
    for name in PAGES:
        url = reverse(f"beneficiaries:{name}", args=[person.pk])
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"confirm": "on", **valid_post()}).status_code == 404, url
    person.refresh_from_db()
    assert (person.last_name, person.anonymised_at) == ("Lebrun", None)
    assert not AuditEvent.objects.about(person).exists()


@pytest.mark.parametrize("who", ["coordinator", "administrator", "stranger"])
def test_people_without_a_structure_file_get_404_on_list_and_form(
    client: Client, teams: Teams, who: str
) -> None:
    client.force_login(getattr(teams, who))
    assert client.get(reverse("beneficiaries:list")).status_code == 404
    assert client.get(reverse("beneficiaries:create")).status_code == 404
    assert client.post(reverse("beneficiaries:create"), valid_post()).status_code == 404
    assert not Beneficiary.objects.exists()


def test_the_list_shows_the_structures_people_only_with_their_counts(
    client: Client, teams: Teams, person: Beneficiary
) -> None:
    accompany(person, by=teams.mediator_a, on=dt.date(2026, 5, 1))
    BeneficiaryFactory.create(structure=teams.b, created_by=teams.mediator_b, last_name="Autre")
    BeneficiaryFactory.create(structure=teams.a, anonymous=True)
    BeneficiaryFactory.create(structure=teams.a, last_name="Supprimé", deleted=True)
    client.force_login(teams.mediator_a)

    response = client.get(reverse("beneficiaries:list"))

    body = response.content.decode()
    assert "Lebrun Josette" in body
    assert "Autre" not in body
    assert "Supprimé" not in body
    assert response.context["total"] == 1
    assert response.context["rows"][0][-1] == 1  # accompaniments
    [read] = AuditEvent.objects.about(person).filter(action=AuditAction.READ)
    assert read.fields == ["first_name", "last_name"]


def test_the_list_searches_by_name_and_paginates(client: Client, teams: Teams) -> None:
    BeneficiaryFactory.create_batch(
        PAGE_SIZE + 2, structure=teams.a, created_by=teams.mediator_a, first_name="Ana"
    )
    BeneficiaryFactory.create(structure=teams.a, first_name="Zoé", last_name="Martin")
    client.force_login(teams.mediator_a)

    first = client.get(reverse("beneficiaries:list"))
    second = client.get(reverse("beneficiaries:list"), {"page": 2})
    found = client.get(reverse("beneficiaries:list"), {"q": "ZOE mart"})

    assert len(first.context["rows"]) == PAGE_SIZE
    assert len(second.context["rows"]) == 3
    assert found.context["total"] == 1
    assert "Martin Zoé" in found.content.decode()
    assert "?q=&amp;page=2" in first.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.READ).count() == PAGE_SIZE + 3 + 1


def test_creating_records_the_notice_date_and_the_structure(client: Client, teams: Teams) -> None:
    client.force_login(teams.mediator_a)

    response = client.post(
        reverse("beneficiaries:create"),
        valid_post(notice_given="on", commune="53130", birth_year="1958", email="M@Exemple.fr"),
    )

    person = Beneficiary.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("beneficiaries:detail", args=[person.pk])
    assert person.structure == teams.a
    assert person.created_by == teams.mediator_a
    assert person.information_notice_given_on == timezone.localdate()
    assert person.commune == teams.laval
    assert person.email == "m@exemple.fr"
    assert AuditEvent.objects.about(person).filter(action=AuditAction.CREATE).exists()


def test_a_member_of_two_structures_chooses_one(client: Client, teams: Teams) -> None:
    MembershipFactory.create(mediator=True, structure=teams.b, user=teams.mediator_a)
    client.force_login(teams.mediator_a)

    assert "structure" in client.get(reverse("beneficiaries:create")).context["form"].fields
    client.post(reverse("beneficiaries:create"), valid_post(structure=str(teams.b.pk)))

    assert Beneficiary.objects.get().structure == teams.b


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "obligatoire"),
        ({"last_name": " "}, "last_name", "obligatoire"),
        ({"birth_year": "1899"}, "birth_year", "1900"),
        ({"birth_year": "2999"}, "birth_year", "comprise entre"),
        ({"email": "pas-une-adresse"}, "email", "courriel valide"),
        ({"commune": "99999"}, "commune", "Commune introuvable"),
        ({"phone": "0243000000", "has_no_phone": "on"}, "phone", "pas les deux"),
    ],
)
def test_the_form_explains_each_error_in_french(
    client: Client, teams: Teams, fields: dict[str, str], field: str, message: str
) -> None:
    client.force_login(teams.mediator_a)

    response = client.post(reverse("beneficiaries:create"), valid_post(**fields))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Beneficiary.objects.exists()
    assert response.content.decode().count('aria-invalid="true"') >= 1


def test_editing_keeps_the_first_notice_date_and_unticking_removes_it(
    client: Client, teams: Teams, person: Beneficiary
) -> None:
    Beneficiary.objects.filter(pk=person.pk).update(information_notice_given_on=dt.date(2026, 1, 5))
    client.force_login(teams.colleague_a)
    url = reverse("beneficiaries:edit", args=[person.pk])

    form = client.get(url).context["form"]
    assert form.initial["notice_given"] is True
    assert "05/01/2026" in form.fields["notice_given"].help_text
    client.post(url, valid_post(first_name="Josette", last_name="Lebrun-Morel", notice_given="on"))
    person.refresh_from_db()
    assert (person.last_name, person.information_notice_given_on) == (
        "Lebrun-Morel",
        dt.date(2026, 1, 5),
    )

    client.post(url, valid_post(first_name="Josette", last_name="Lebrun-Morel"))
    person.refresh_from_db()
    assert person.information_notice_given_on is None
    reads = AuditEvent.objects.about(person).filter(action=AuditAction.READ)
    assert reads.count() == 1  # the form shown once


def test_the_page_journals_the_read_and_shows_the_trajectory(
    client: Client, teams: Teams, person: Beneficiary
) -> None:
    accompany(person, by=teams.mediator_a, on=dt.date(2026, 3, 2), autonomy=Autonomie.AUTONOME)
    accompany(
        person,
        by=teams.mediator_a,
        on=dt.date(2026, 2, 2),
        autonomy=Autonomie.ENTIEREMENT_ACCOMPAGNE,
    )
    client.force_login(teams.manager_a)

    response = client.get(reverse("beneficiaries:detail", args=[person.pk]))

    body = response.content.decode()
    assert "Josette Lebrun" in body
    assert "Trajectoire d\u2019autonomie" in body
    assert body.index("02/02/2026") < body.index("02/03/2026")
    assert "1 sur 3 — Avec guidage" in body
    assert "Progression" in body
    read = AuditEvent.objects.about(person).get(action=AuditAction.READ)
    assert read.actor == teams.manager_a


def test_the_access_page_and_json_download_hold_the_persons_data(
    client: Client, teams: Teams, person: Beneficiary
) -> None:
    accompany(person, by=teams.mediator_a, on=dt.date(2026, 3, 2), autonomy=Autonomie.AUTONOME)
    client.force_login(teams.mediator_a)

    page = client.get(reverse("beneficiaries:access", args=[person.pk]))
    download = client.get(reverse("beneficiaries:access_json", args=[person.pk]))

    assert "Lebrun" in page.content.decode()
    assert "02/03/2026" in page.content.decode() or "2026-03-02" in page.content.decode()
    assert download["Content-Type"].startswith("application/json")
    assert "attachment" in download["Content-Disposition"]
    data = json.loads(download.content)
    assert data["beneficiaire"]["last_name"] == "Lebrun"
    assert data["accompagnements"][0]["autonomie"] == "Autonome"
    assert AuditEvent.objects.about(person).filter(action=AuditAction.READ).count() == 4


def test_erasing_asks_for_confirmation_then_leaves_the_file(
    client: Client, teams: Teams, person: Beneficiary
) -> None:
    accompany(person, by=teams.mediator_a, on=dt.date(2026, 3, 2))
    client.force_login(teams.colleague_a)
    url = reverse("beneficiaries:erase", args=[person.pk])

    refused = client.post(url, {})
    assert refused.status_code == 200
    assert "Cochez la case" in refused.content.decode()
    person.refresh_from_db()
    assert person.anonymised_at is None

    response = client.post(url, {"confirm": "on"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert person.last_name == ""
    assert person.accompaniments_count == 1
    # Gone from the list and every page: nothing personal is left to show.
    assert client.get(reverse("beneficiaries:list")).context["total"] == 0
    assert client.get(reverse("beneficiaries:detail", args=[person.pk])).status_code == 404


def test_erasing_needs_a_post(client: Client, teams: Teams, person: Beneficiary) -> None:
    client.force_login(teams.mediator_a)
    client.get(reverse("beneficiaries:erase", args=[person.pk]), {"confirm": "on"})
    person.refresh_from_db()
    assert person.anonymised_at is None


@pytest.mark.parametrize(("who", "shown"), [("mediator_a", True), ("coordinator", False)])
def test_mon_espace_links_members_to_the_file(
    client: Client, teams: Teams, person: Beneficiary, who: str, shown: bool
) -> None:
    client.force_login(getattr(teams, who))
    body = client.get(reverse("accounts:dashboard")).content.decode()
    assert (reverse("beneficiaries:list") in body) is shown


def test_each_page_leads_back_through_its_breadcrumb(
    client: Client, teams: Teams, person: Beneficiary
) -> None:
    client.force_login(teams.mediator_a)
    list_link = f'<a class="fr-breadcrumb__link" href="{reverse("beneficiaries:list")}">'
    page_url = reverse("beneficiaries:detail", args=[person.pk])
    person_link = f'<a class="fr-breadcrumb__link" href="{page_url}">'
    for name, args, parent in [
        ("detail", [person.pk], list_link),
        ("create", [], list_link),
        ("duplicates", [], list_link),
        ("import", [], list_link),
        ("access", [person.pk], person_link),
        ("erase", [person.pk], person_link),
    ]:
        body = client.get(reverse(f"beneficiaries:{name}", args=args)).content.decode()
        assert parent in body, name
