# ruff: noqa: RUF001 — typographic apostrophes are part of the French texts checked.
"""The recording screens: defaults, errors next to their fields, duplicate, edit, delete."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillon.activities.models import Activity
from maillon.activities.participants import AnonymousParticipants, anonymous_participants_of
from maillon.activities.services import record_activity
from maillon.activities.vocabulary import Thematique, TypeActivite, TypeLieu
from maillon.beneficiaries.models import Genre
from tests.factories.activities import Teams, activity_data

NEW_INDIVIDUAL = reverse("activities:create", args=["individuelle"])
NEW_COLLECTIVE = reverse("activities:create", args=["collective"])


def individual_post(teams: Teams, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "structure": teams.a.pk,
        "date": timezone.localdate().isoformat(),
        "duration": "30",
        "place_kind": TypeLieu.A_DISTANCE,
        "themes": [Thematique.EMAIL],
        "redirected": "non",
        "anonymous_genre": Genre.NON_COMMUNIQUE,
        "anonymous_age_bracket": "non_communique",
        "anonymous_statut": "non_communique",
    }
    values.update(fields)
    return {key: value for key, value in values.items() if value is not None}


def logged(client: Client, teams: Teams, who: str = "mediator_a") -> Client:
    client.force_login(getattr(teams, who))
    return client


def test_the_new_form_is_prefilled_with_today_and_the_last_place_and_duration(
    client: Client, teams: Teams
) -> None:
    teams.place.structure = teams.a
    teams.place.save()
    record_activity(
        actor=teams.mediator_a,
        data=activity_data(
            teams.a, duration_minutes=45, place_kind=TypeLieu.LIEU_ACTIVITE, place=teams.place
        ),
    )

    form = logged(client, teams).get(NEW_INDIVIDUAL).context["form"]

    assert form.initial["date"] == timezone.localdate()
    assert form.initial["duration"] == "45"
    assert form.initial["place_kind"] == TypeLieu.LIEU_ACTIVITE
    assert form.initial["place"] == teams.place.pk


def test_without_history_the_form_proposes_the_structures_first_published_place(
    client: Client, teams: Teams
) -> None:
    teams.place.structure = teams.a
    teams.place.save()

    response = logged(client, teams).get(NEW_INDIVIDUAL)

    assert response.context["form"].initial["place"] == teams.place.pk
    assert "Espace numérique de Laval" in response.content.decode()


def test_a_custom_last_duration_comes_back_as_hours_and_minutes(
    client: Client, teams: Teams
) -> None:
    record_activity(actor=teams.mediator_a, data=activity_data(teams.a, duration_minutes=100))

    initial = logged(client, teams).get(NEW_INDIVIDUAL).context["form"].initial

    assert (initial["duration"], initial["duration_hours"]) == ("personnaliser", 1)
    assert initial["duration_extra_minutes"] == 40


def test_it_records_an_individual_report_and_goes_back_to_the_list(
    client: Client, teams: Teams
) -> None:
    response = logged(client, teams).post(
        NEW_INDIVIDUAL, individual_post(teams, already_accompanied="on"), follow=True
    )

    activity = Activity.objects.get()
    assert activity.type == TypeActivite.INDIVIDUEL
    assert activity.mediator == teams.mediator_a
    assert response.redirect_chain[-1][0] == reverse("activities:list")
    assert response.content.decode().count("Activité enregistrée") == 1  # shown once
    assert activity.accompaniments.get().beneficiary.was_already_accompanied


def test_save_and_another_comes_back_to_a_new_form(client: Client, teams: Teams) -> None:
    response = logged(client, teams).post(NEW_INDIVIDUAL, individual_post(teams, ensuite="autre"))

    assert response.status_code == 302
    assert response["Location"] == NEW_INDIVIDUAL


def test_it_records_a_workshop_with_anonymous_counters(client: Client, teams: Teams) -> None:
    data = individual_post(
        teams,
        workshop_title="Premiers pas",
        workshop_level="debutant",
        counter_total="5",
        counter_already="2",
        genres__feminin="3",
        age_brackets__soixante_dix_plus="4",
        statuts__retraite="4",
    )
    response = logged(client, teams).post(NEW_COLLECTIVE, data)

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.participants_count == 5
    assert anonymous_participants_of(activity) == AnonymousParticipants(
        total=5,
        already_accompanied=2,
        genres={"feminin": 3},
        age_brackets={"soixante_dix_plus": 4},
        statuts={"retraite": 4},
    )


def test_service_errors_are_shown_next_to_their_fields_and_summarised(
    client: Client, teams: Teams
) -> None:
    data = individual_post(
        teams,
        themes=[Thematique.EMAIL],
        administrative_themes=[Thematique.LOGEMENT],
        place_kind=TypeLieu.DOMICILE,
        date=(timezone.localdate() + dt.timedelta(days=2)).isoformat(),
    )
    response = logged(client, teams).post(NEW_INDIVIDUAL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert not Activity.objects.exists()
    form = response.context["form"]
    assert form.errors["date"] == ["La date ne peut pas être dans le futur."]
    assert "Aide aux démarches administratives" in form.errors["themes"][0]
    assert form.errors["commune"] == ["Veuillez renseigner la commune du lieu d’accompagnement."]
    assert 'href="#id_date"' in html
    assert 'href="#id_themes_0"' in html
    assert "Le formulaire contient 3 erreurs" in html


def test_an_unknown_or_ambiguous_commune_is_explained(client: Client, teams: Teams) -> None:
    data = individual_post(teams, place_kind=TypeLieu.DOMICILE, commune="Atlantide")
    response = logged(client, teams).post(NEW_INDIVIDUAL, data)

    assert response.context["form"].errors["commune"] == [
        "Aucune commune ne correspond à « Atlantide »."
    ]


def test_a_commune_is_found_by_name(client: Client, teams: Teams) -> None:
    data = individual_post(teams, place_kind=TypeLieu.DOMICILE, commune="laval")
    logged(client, teams).post(NEW_INDIVIDUAL, data)

    assert Activity.objects.get().commune == teams.laval


def test_a_custom_duration_needs_hours_or_minutes(client: Client, teams: Teams) -> None:
    response = logged(client, teams).post(
        NEW_INDIVIDUAL, individual_post(teams, duration="personnaliser")
    )

    assert "duration_hours" in response.context["form"].errors
    ok = logged(client, teams).post(
        NEW_INDIVIDUAL,
        individual_post(
            teams, duration="personnaliser", duration_hours="1", duration_extra_minutes="5"
        ),
    )
    assert ok.status_code == 302
    assert Activity.objects.get().duration_minutes == 65


def test_a_workshop_without_participant_is_refused(client: Client, teams: Teams) -> None:
    response = logged(client, teams).post(
        NEW_COLLECTIVE, individual_post(teams, workshop_title="Atelier")
    )

    assert response.context["form"].errors["participants"] == [
        "Veuillez renseigner au moins un participant."
    ]


def test_duplicate_prefills_a_new_form_dated_today(client: Client, teams: Teams) -> None:
    source = record_activity(
        actor=teams.mediator_a,
        data=activity_data(teams.a, collective=True, duration_minutes=90, notes="Rappel"),
    )

    response = logged(client, teams).get(reverse("activities:duplicate", args=[source.pk]))

    initial = response.context["form"].initial
    assert initial["date"] == timezone.localdate()
    assert initial["duration"] == "90"
    assert initial["counter_total"] == 3
    assert initial["notes"] == "Rappel"
    assert response.context["action"] == NEW_COLLECTIVE


def test_edit_updates_the_activity(client: Client, teams: Teams) -> None:
    activity = record_activity(actor=teams.mediator_a, data=activity_data(teams.a))
    url = reverse("activities:edit", args=[activity.pk])

    form = logged(client, teams).get(url).context["form"]
    assert form.initial["date"] == activity.date
    response = client.post(url, individual_post(teams, duration="60", notes="Revu"))

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.duration_minutes, activity.notes) == (60, "Revu")
    assert Activity.objects.count() == 1


def test_delete_asks_then_deletes_softly(client: Client, teams: Teams) -> None:
    activity = record_activity(actor=teams.mediator_a, data=activity_data(teams.a))
    url = reverse("activities:delete", args=[activity.pk])

    assert "Supprimer cette activité" in logged(client, teams).get(url).content.decode()
    assert Activity.objects.active().count() == 1
    client.post(url)

    activity.refresh_from_db()
    assert activity.deleted_at is not None
    assert (
        reverse("activities:edit", args=[activity.pk])
        not in client.get(reverse("activities:list")).content.decode()
    )


def test_the_list_shows_a_managers_structure_newest_first(client: Client, teams: Teams) -> None:
    record_activity(actor=teams.mediator_a, data=activity_data(teams.a, date=dt.date(2026, 1, 5)))
    record_activity(actor=teams.colleague_a, data=activity_data(teams.a, date=dt.date(2026, 3, 5)))
    record_activity(actor=teams.mediator_b, data=activity_data(teams.b))

    manager_rows = logged(client, teams, "manager_a").get(reverse("activities:list"))
    mediator_rows = logged(Client(), teams).get(reverse("activities:list"))

    assert [row["date"] for row in manager_rows.context["rows"]] == [
        dt.date(2026, 3, 5),
        dt.date(2026, 1, 5),
    ]
    assert [row["date"] for row in mediator_rows.context["rows"]] == [dt.date(2026, 1, 5)]


def test_the_dashboard_offers_recording_to_mediators(client: Client, teams: Teams) -> None:
    record_activity(actor=teams.mediator_a, data=activity_data(teams.a))

    html = logged(client, teams).get(reverse("accounts:dashboard")).content.decode()

    assert "Saisir un accompagnement individuel" in html
    assert "Mes activités" in html


def test_the_dashboard_has_no_activities_panel_for_a_coordinator(
    client: Client, teams: Teams
) -> None:
    html = logged(client, teams, "coordinator").get(reverse("accounts:dashboard")).content.decode()

    assert "Saisir un atelier collectif" not in html


@pytest.mark.parametrize(
    ("who", "scope"),
    [
        ("mediator_a", "mes activités"),
        ("manager_a", "ma structure"),
        ("coordinator", "mon territoire"),
        ("administrator", "national"),
    ],
)
def test_mon_espace_links_the_statistics_of_ones_scope(
    client: Client, teams: Teams, who: str, scope: str
) -> None:
    html = logged(client, teams, who).get(reverse("accounts:dashboard")).content.decode()

    assert reverse("statistics:dashboard") in html
    assert f"Périmètre : {scope}." in html


def test_mon_espace_offers_no_statistics_to_someone_without_a_role(
    client: Client, teams: Teams
) -> None:
    html = logged(client, teams, "stranger").get(reverse("accounts:dashboard")).content.decode()

    assert reverse("statistics:dashboard") not in html
