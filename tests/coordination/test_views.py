# ruff: noqa: RUF001 — typographic apostrophes are part of the French texts checked.
"""The coordinateur's screens: recording each type, errors, filters, duplicate, edit, delete,
and a tag created from the form."""

from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillon.activities.models import Tag
from maillon.activities.vocabulary import TagScope
from maillon.coordination.models import CoordinationActivity
from maillon.coordination.services import record_coordination
from maillon.coordination.vocabulary import TypeActiviteCoordination
from tests.factories.activities import Teams
from tests.factories.coordination import coordination_data

LIST = reverse("coordination:list")


def new(kind: str) -> str:
    return reverse("coordination:create", args=[kind])


def logged(client: Client, teams: Teams) -> Client:
    client.force_login(teams.coordinator)
    return client


def animation_post(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "date": timezone.localdate().isoformat(),
        "duration": "120",
        "animation_type": "comite",
        "initiative": "demande",
        "mediators_count": "6",
        "structures_count": "3",
        "animation_themes": ["reseau", "rh"],
        "notes": "Comité de pilotage du schéma départemental",
    }
    values.update(fields)
    return {key: value for key, value in values.items() if value is not None}


def test_an_animation_is_recorded_from_the_form(client: Client, teams: Teams) -> None:
    response = logged(client, teams).post(new("animation"), animation_post(), follow=True)

    activity = CoordinationActivity.objects.get()
    assert response.redirect_chain[-1][0] == LIST
    assert response.content.decode().count("Activité de coordination enregistrée") == 1
    assert (activity.type, activity.duration_minutes) == ("animation", 120)
    assert activity.animation_themes == ["reseau", "rh"]
    assert (activity.mediators_count, activity.structures_count) == (6, 3)


def test_an_event_and_a_partnership_are_recorded(client: Client, teams: Teams) -> None:
    today = timezone.localdate().isoformat()
    logged(client, teams)
    client.post(
        new("evenement"),
        {
            "date": today,
            "name": "NEC local de Laval",
            "event_type": "nec_local",
            "participants_count": "85",
            "organisers": ["ma_structure", "autre"],
            "organiser_other": "Médiathèque",
            "territorial_level": "departemental",
        },
    )
    client.post(
        new("partenariat"),
        {
            "date": today,
            "partnership_natures": ["subvention"],
            "partner_1_name": "Conseil départemental",
            "partner_1_type": "departement",
            "partner_3_name": "Fondation Orange",
            "partner_3_type": "autre",
            "partner_3_type_other": "Fondation d’entreprise",
        },
    )

    event = CoordinationActivity.objects.get(type="evenement")
    assert (event.participants_count, event.organiser_other) == (85, "Médiathèque")
    assert event.territorial_level == "departemental"
    partnership = CoordinationActivity.objects.get(type="partenariat")
    assert partnership.partner_structures == [
        {"name": "Conseil départemental", "type": "departement", "type_other": ""},
        {"name": "Fondation Orange", "type": "autre", "type_other": "Fondation d’entreprise"},
    ]


def test_errors_are_shown_next_to_their_fields_and_summarised(client: Client, teams: Teams) -> None:
    response = logged(client, teams).post(
        new("animation"), animation_post(mediators_count="", structures_count="")
    )

    html = response.content.decode()
    form = response.context["form"]
    assert form.errors["mediators_count"] == [
        "Veuillez renseigner au moins un médiateur, une structure ou un autre acteur"
    ]
    assert 'href="#id_mediators_count"' in html
    assert "Le formulaire contient 1 erreur" in html
    assert not CoordinationActivity.objects.exists()


def test_a_partner_error_lands_on_its_line(client: Client, teams: Teams) -> None:
    response = logged(client, teams).post(
        new("partenariat"),
        {
            "date": timezone.localdate().isoformat(),
            "partnership_natures": ["rdv_elu"],
            "partner_1_name": "Mairie de Laval",
            "partner_1_type": "commune",
            "partner_2_type": "hub",
        },
    )

    assert response.context["form"].errors["partner_2_name"] == [
        "Structure partenaire 2 : veuillez renseigner son nom."
    ]


def test_the_list_filters_by_type_date_and_tag(client: Client, teams: Teams) -> None:
    tag = Tag.objects.create(name="Schéma", scope=TagScope.PERSONAL, owner_user=teams.coordinator)
    animation = record_coordination(actor=teams.coordinator, data=coordination_data(tags=(tag,)))
    event = record_coordination(
        actor=teams.coordinator, data=coordination_data(TypeActiviteCoordination.EVENEMENT)
    )
    logged(client, teams)

    def listed(**query: str) -> set[int]:
        page = client.get(LIST, query).context["page"]
        return {activity.pk for activity in page.object_list}

    assert listed() == {animation.pk, event.pk}
    assert listed(type="evenement") == {event.pk}
    assert listed(etiquette=str(tag.pk)) == {animation.pk}
    assert listed(du="2030-01-01") == set()
    assert listed(au="not-a-date") == {animation.pk, event.pk}


def test_duplicate_prefills_a_new_form_dated_today(client: Client, teams: Teams) -> None:
    source = record_coordination(actor=teams.coordinator, data=coordination_data())

    response = logged(client, teams).get(reverse("coordination:duplicate", args=[source.pk]))

    form = response.context["form"]
    assert form.initial["date"] == timezone.localdate()
    assert form.initial["animation_type"] == source.animation_type
    assert form.initial["duration"] == "90"
    assert response.context["action"] == new("animation")


def test_edit_changes_the_activity(client: Client, teams: Teams) -> None:
    activity = record_coordination(actor=teams.coordinator, data=coordination_data())

    response = logged(client, teams).post(
        reverse("coordination:edit", args=[activity.pk]), animation_post(duration="45")
    )

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.duration_minutes == 45


def test_delete_asks_then_deletes_softly(client: Client, teams: Teams) -> None:
    activity = record_coordination(actor=teams.coordinator, data=coordination_data())
    url = reverse("coordination:delete", args=[activity.pk])

    assert "Supprimer cette activité" in logged(client, teams).get(url).content.decode()
    client.post(url)

    activity.refresh_from_db()
    assert activity.deleted_at is not None
    assert client.get(LIST).context["page"].paginator.count == 0


def test_a_territory_tag_is_created_from_the_form(client: Client, teams: Teams) -> None:
    response = logged(client, teams).post(
        new("animation"),
        animation_post(new_tag_name="  Schéma  départemental ", new_tag_scope="territory"),
    )

    assert response.status_code == 302
    tag = Tag.objects.get()
    assert (tag.name, tag.scope) == ("Schéma départemental", TagScope.TERRITORY)
    assert tag.owner_departement == teams.laval.departement
    assert list(CoordinationActivity.objects.get().tags.all()) == [tag]


def test_a_refused_activity_does_not_leave_its_new_tag(client: Client, teams: Teams) -> None:
    response = logged(client, teams).post(
        new("animation"), animation_post(animation_type="", new_tag_name="Orpheline")
    )

    assert response.status_code == 200
    assert not Tag.objects.exists()


def test_the_dashboard_offers_the_coordination_panel(client: Client, teams: Teams) -> None:
    record_coordination(actor=teams.coordinator, data=coordination_data())

    html = logged(client, teams).get(reverse("accounts:dashboard")).content.decode()

    assert "Activités de coordination" in html
    assert new("partenariat") in html


def test_the_pages_keep_the_filters(client: Client, teams: Teams) -> None:
    CoordinationActivity.objects.bulk_create(
        CoordinationActivity(
            type="evenement",
            coordinator=teams.coordinator,
            date=timezone.localdate(),
            event_type="nec_local",
            participants_count=10,
            organisers=["hub"],
        )
        for _ in range(26)
    )

    html = logged(client, teams).get(LIST, {"type": "evenement"}).content.decode()

    assert 'href="?type=evenement&amp;page=2"' in html
