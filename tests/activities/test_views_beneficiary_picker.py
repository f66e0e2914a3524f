"""The beneficiary search picker of the activity forms (ADR 0015): who may search, what comes
back, what the journal gets, what is saved, and the fallback without JavaScript."""

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillon.activities.beneficiary_search import MAX_RESULTS, SHOWN_FIELDS
from maillon.activities.models import Activity
from maillon.activities.services import record_activity
from maillon.activities.vocabulary import TypeActivite
from maillon.beneficiaries.models import Beneficiary
from maillon.core.models import AuditAction, AuditEvent
from tests.activities.test_views import NEW_COLLECTIVE, NEW_INDIVIDUAL, individual_post, logged
from tests.factories.activities import Teams, activity_data
from tests.factories.beneficiaries import BeneficiaryFactory

SEARCH = reverse("activities:beneficiary_search")


def person(teams: Teams, structure: str = "a", **fields: Any) -> Beneficiary:
    owner = getattr(teams, structure)
    author = teams.mediator_a if structure == "a" else teams.mediator_b
    return BeneficiaryFactory.create(structure=owner, created_by=author, **fields)


def reads(*people: Beneficiary) -> list[str]:
    """The READ rows of the journal about these people, as sorted identifiers."""
    return sorted(
        AuditEvent.objects.filter(
            action=AuditAction.READ, object_id__in=[str(p.pk) for p in people]
        ).values_list("object_id", flat=True)
    )


def collective_post(teams: Teams, **fields: Any) -> dict[str, Any]:
    return individual_post(teams, workshop_title="Atelier", **fields)


# Who may search ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, teams: Teams) -> None:
    response = client.get(SEARCH, {"q": "Martin", "structure": str(teams.a.pk)})

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["mediator_b", "coordinator", "administrator", "stranger"])
def test_only_members_of_the_structure_may_search_its_file(
    client: Client, teams: Teams, who: str
) -> None:
    martin = person(teams, last_name="Martin")

    response = logged(client, teams, who).get(SEARCH, {"q": "Martin", "structure": str(teams.a.pk)})

    assert response.status_code == 404
    assert "Martin" not in response.content.decode()
    assert reads(martin) == []


@pytest.mark.parametrize("who", ["mediator_a", "colleague_a", "manager_a"])
def test_every_member_of_the_structure_searches_its_file(
    client: Client, teams: Teams, who: str
) -> None:
    martin = person(teams, last_name="Martin")

    response = logged(client, teams, who).get(SEARCH, {"q": "mart", "structure": str(teams.a.pk)})

    assert response.status_code == 200
    assert f'data-choisir="{martin.pk}"' in response.content.decode()


@pytest.mark.parametrize("structure", ["", "abc", "999999"])
def test_a_missing_or_unknown_structure_is_a_404(
    client: Client, teams: Teams, structure: str
) -> None:
    response = logged(client, teams).get(SEARCH, {"q": "Martin", "structure": str(structure)})

    assert response.status_code == 404


# What comes back -----------------------------------------------------------------------------


def test_results_come_only_from_the_chosen_structures_current_identified_files(
    client: Client, teams: Teams
) -> None:
    mine = person(teams, last_name="Martin")
    other = person(teams, "b", last_name="Martin")
    deleted = person(teams, last_name="Martin", deleted=True)
    merged = person(teams, last_name="Martin", merged_into=mine)
    erased = person(teams, last_name="Martin", anonymised_at=timezone.now())
    unrelated = person(teams, last_name="Durand")

    body = logged(client, teams).get(SEARCH, {"q": "martin", "structure": str(teams.a.pk)})
    html = body.content.decode()

    assert f'data-choisir="{mine.pk}"' in html
    for hidden in (other, deleted, merged, erased, unrelated):
        assert f'data-choisir="{hidden.pk}"' not in html
    assert "1 bénéficiaire trouvé." in html


def test_people_are_found_by_first_name_phone_or_email(client: Client, teams: Teams) -> None:
    marie = person(
        teams, first_name="Marie", last_name="Curie", phone="+33 2 43 00 11 22", email="mc@ex.fr"
    )
    logged(client, teams)

    for query in ["marie cur", "02 43 00 11 22", "0243001122", "mc@ex"]:
        html = client.get(SEARCH, {"q": query, "structure": str(teams.a.pk)}).content.decode()
        assert f'data-choisir="{marie.pk}"' in html, query


@pytest.mark.parametrize("query", ["helene", "HÉLÈNE", "Hélène dupre", "DUPRÉ h"])
def test_accents_and_case_do_not_matter(client: Client, teams: Teams, query: str) -> None:
    helene = person(teams, first_name="Hélène", last_name="Dupré")
    person(teams, first_name="Hélio", last_name="Durand")

    html = logged(client, teams).get(SEARCH, {"q": query, "structure": str(teams.a.pk)})

    assert f'data-choisir="{helene.pk}"' in html.content.decode()
    assert "1 bénéficiaire trouvé." in html.content.decode()


def test_a_query_under_two_characters_lists_nobody_and_reads_nothing(
    client: Client, teams: Teams
) -> None:
    people = [person(teams, last_name=f"M{i}") for i in range(3)]

    html = logged(client, teams).get(SEARCH, {"q": " M ", "structure": str(teams.a.pk)})

    assert "Tapez au moins 2 caractères" in html.content.decode()
    assert "data-choisir" not in html.content.decode()
    assert reads(*people) == []


def test_at_most_ten_people_are_shown_and_only_they_are_journaled_in_one_insert(
    client: Client, teams: Teams
) -> None:
    people = [person(teams, last_name=f"Martin{i:02d}") for i in range(MAX_RESULTS + 2)]
    logged(client, teams)

    with CaptureQueriesContext(connection) as queries:
        html = client.get(SEARCH, {"q": "martin", "structure": str(teams.a.pk)}).content.decode()

    shown = people[:MAX_RESULTS]
    assert html.count("data-choisir=") == MAX_RESULTS
    assert "précisez la recherche" in html
    inserts = [q for q in queries.captured_queries if "INSERT" in q["sql"].upper()]
    assert len(inserts) == 1 and "core_auditevent" in inserts[0]["sql"]
    assert reads(*people) == sorted(str(p.pk) for p in shown)
    event = AuditEvent.objects.get(object_id=str(shown[0].pk))
    assert (event.actor, event.structure_id) == (teams.mediator_a, teams.a.pk)
    assert event.fields == sorted(SHOWN_FIELDS)


def test_the_new_forms_never_list_the_structures_file(client: Client, teams: Teams) -> None:
    people = [person(teams, last_name=f"Zorglub{i}") for i in range(5)]
    logged(client, teams)

    for url in (NEW_INDIVIDUAL, NEW_COLLECTIVE):
        html = client.get(url).content.decode()
        assert "Zorglub" not in html, url
        assert "Rechercher un bénéficiaire suivi (nom, prénom, téléphone ou e-mail)" in html
    assert reads(*people) == []


# What is saved -------------------------------------------------------------------------------


def test_the_chosen_person_is_saved_on_an_individual_report(client: Client, teams: Teams) -> None:
    marie = person(teams)

    response = logged(client, teams).post(
        NEW_INDIVIDUAL, individual_post(teams, beneficiary=marie.pk)
    )

    assert response.status_code == 302
    assert Activity.objects.get().accompaniments.get().beneficiary == marie


def test_the_chosen_people_are_saved_on_a_workshop(client: Client, teams: Teams) -> None:
    marie, paul = person(teams), person(teams)

    response = logged(client, teams).post(
        NEW_COLLECTIVE, collective_post(teams, participants=[marie.pk, paul.pk])
    )

    assert response.status_code == 302
    followed = {a.beneficiary for a in Activity.objects.get().accompaniments.all()}
    assert followed == {marie, paul}


def test_someone_of_another_structure_cannot_be_posted(client: Client, teams: Teams) -> None:
    stranger = person(teams, "b")

    response = logged(client, teams).post(
        NEW_INDIVIDUAL, individual_post(teams, beneficiary=stranger.pk)
    )

    assert response.status_code == 200
    assert "beneficiary" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_edit_and_duplicate_show_the_reports_people_and_journal_it(
    client: Client, teams: Teams
) -> None:
    marie, paul = person(teams, first_name="Marie"), person(teams, first_name="Paul")
    individual = record_activity(
        actor=teams.mediator_a, data=activity_data(teams.a, beneficiary=marie)
    )
    workshop = record_activity(
        actor=teams.mediator_a,
        data=activity_data(teams.a, collective=True, participants=(marie, paul)),
    )
    logged(client, teams)
    before = len(reads(marie, paul))

    edit = client.get(reverse("activities:edit", args=[individual.pk])).content.decode()
    copy = client.get(reverse("activities:duplicate", args=[workshop.pk])).content.decode()

    assert f'name="beneficiary" value="{marie.pk}"' in edit
    assert f"Marie {marie.last_name}" in edit
    for someone in (marie, paul):
        assert f'name="participants" value="{someone.pk}"' in copy
    assert len(reads(marie, paul)) == before + 3


def test_editing_keeps_the_people_posted_back(client: Client, teams: Teams) -> None:
    marie, paul = person(teams), person(teams)
    workshop = record_activity(
        actor=teams.mediator_a,
        data=activity_data(teams.a, collective=True, participants=(marie, paul)),
    )

    response = logged(client, teams).post(
        reverse("activities:edit", args=[workshop.pk]),
        collective_post(teams, participants=[marie.pk, paul.pk], notes="Revu"),
    )

    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.notes == "Revu"
    assert {a.beneficiary for a in workshop.accompaniments.all()} == {marie, paul}
    assert workshop.type == TypeActivite.COLLECTIF


# Without JavaScript --------------------------------------------------------------------------


def test_searching_without_javascript_keeps_the_typed_values_and_saves_nothing(
    client: Client, teams: Teams
) -> None:
    marie = person(teams, first_name="Marie", last_name="Martin")

    response = logged(client, teams).post(
        NEW_INDIVIDUAL,
        individual_post(
            teams, duration="90", notes="À revoir", q="mart", rechercher_beneficiaire="oui"
        ),
    )

    assert response.status_code == 200
    assert not Activity.objects.exists()
    form = response.context["form"]
    assert not form.is_bound
    assert (form.initial["duration"], form.initial["notes"]) == ("90", "À revoir")
    html = response.content.decode()
    assert f'type="radio" id="selecteur-resultat-{marie.pk}" name="beneficiary_found"' in html
    assert "1 bénéficiaire trouvé." in html
    assert "Erreurs" not in html
    assert reads(marie) == [str(marie.pk)]


def test_a_result_ticked_without_javascript_is_saved(client: Client, teams: Teams) -> None:
    former, marie = person(teams), person(teams)

    response = logged(client, teams).post(
        NEW_INDIVIDUAL, individual_post(teams, beneficiary=former.pk, beneficiary_found=marie.pk)
    )

    assert response.status_code == 302
    assert Activity.objects.get().accompaniments.get().beneficiary == marie


def test_a_form_in_error_keeps_the_chosen_person_as_a_chip(client: Client, teams: Teams) -> None:
    marie = person(teams)

    response = logged(client, teams).post(
        NEW_INDIVIDUAL, individual_post(teams, themes=None, beneficiary_found=marie.pk)
    )

    assert response.context["form"].errors["themes"]
    assert f'name="beneficiary" value="{marie.pk}"' in response.content.decode()


def test_a_workshop_adds_the_ticked_results_to_its_chips_without_javascript(
    client: Client, teams: Teams
) -> None:
    marie, paul = person(teams, last_name="Martin"), person(teams, last_name="Martinez")
    logged(client, teams)

    searched = client.post(
        NEW_COLLECTIVE,
        collective_post(teams, participants=[marie.pk], q="martin", rechercher_beneficiaire="1"),
    ).content.decode()
    assert f'name="participants" value="{marie.pk}"' in searched  # chip
    assert f'type="checkbox" id="selecteur-resultat-{paul.pk}" name="participants"' in searched
    assert f'id="selecteur-resultat-{marie.pk}"' not in searched  # already chosen

    saved = client.post(NEW_COLLECTIVE, collective_post(teams, participants=[marie.pk, paul.pk]))
    assert saved.status_code == 302
    assert {a.beneficiary for a in Activity.objects.get().accompaniments.all()} == {marie, paul}


def test_removing_a_person_without_javascript_keeps_the_others(
    client: Client, teams: Teams
) -> None:
    marie, paul = person(teams), person(teams)

    response = logged(client, teams).post(
        NEW_COLLECTIVE,
        collective_post(teams, participants=[marie.pk, paul.pk], retirer_beneficiaire=marie.pk),
    )

    assert not Activity.objects.exists()
    html = response.content.decode()
    assert f'name="participants" value="{paul.pk}"' in html
    assert f'name="participants" value="{marie.pk}"' not in html


def test_a_search_without_javascript_never_reaches_another_structure(
    client: Client, teams: Teams
) -> None:
    other = person(teams, "b", last_name="Martin")

    response = logged(client, teams).post(
        NEW_INDIVIDUAL,
        individual_post(teams, structure=teams.b.pk, q="martin", rechercher_beneficiaire="oui"),
    )

    assert f"selecteur-resultat-{other.pk}" not in response.content.decode()
    assert reads(other) == []


# From a beneficiary's page -------------------------------------------------------------------


def test_a_beneficiarys_page_opens_the_individual_form_with_the_person_chosen(
    client: Client, teams: Teams
) -> None:
    marie = person(teams, first_name="Marie")
    page = logged(client, teams).get(reverse("beneficiaries:detail", args=[marie.pk]))
    link = f"{NEW_INDIVIDUAL}?beneficiaire={marie.pk}"
    assert f'href="{link}"' in page.content.decode()
    assert "Enregistrer un accompagnement pour cette personne" in page.content.decode()
    before = len(reads(marie))

    form = client.get(link)

    assert form.context["form"].initial["beneficiary"] == marie.pk
    assert f'name="beneficiary" value="{marie.pk}"' in form.content.decode()
    assert len(reads(marie)) == before + 1


def test_preselecting_someone_of_another_structure_is_a_404(client: Client, teams: Teams) -> None:
    other = person(teams, "b")

    response = logged(client, teams).get(f"{NEW_INDIVIDUAL}?beneficiaire={other.pk}")

    assert response.status_code == 404
    assert reads(other) == []


# Import wording ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("to_create", "expected"),
    [(0, "0 bénéficiaire à créer"), (1, "1 bénéficiaire à créer"), (2, "2 bénéficiaires à créer")],
)
def test_the_import_analysis_counts_in_good_french(to_create: int, expected: str) -> None:
    pending = SimpleNamespace(file_name="f.csv", structure=SimpleNamespace(name="CCAS"), pk=None)
    html = render_to_string(
        "beneficiaries/import_analysis.html",
        {
            "pending": pending,
            "rows": [],
            "to_create": to_create,
            "known": 0,
            "repeated": 0,
            "errors": ["x"],
        },
    )

    assert expected in html
    assert "0 ligne lue pour CCAS" in html
    assert "0 répétée dans" in html
