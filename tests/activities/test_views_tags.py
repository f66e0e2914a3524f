"""Creating a tag from the activity form (personal, structure, territory, each permission-
checked), and the thématiques' help texts."""

from django.test import Client
from django.urls import reverse

from maillon.activities.models import Activity, Tag
from maillon.activities.vocabulary import TagScope
from maillon.core.models import AuditAction, AuditEvent
from tests.activities.test_views import individual_post, logged
from tests.factories.accounts import MembershipFactory
from tests.factories.activities import Teams

NEW_INDIVIDUAL = reverse("activities:create", args=["individuelle"])


def test_a_mediator_creates_a_personal_tag_while_recording(client: Client, teams: Teams) -> None:
    response = logged(client, teams).post(
        NEW_INDIVIDUAL, individual_post(teams, new_tag_name="Ateliers seniors")
    )

    assert response.status_code == 302
    tag = Tag.objects.get()
    assert (tag.name, tag.scope, tag.owner_user) == (
        "Ateliers seniors",
        TagScope.PERSONAL,
        teams.mediator_a,
    )
    assert list(Activity.objects.get().tags.all()) == [tag]
    assert AuditEvent.objects.filter(object_id=str(tag.pk), action=AuditAction.CREATE).exists()


def test_the_same_name_reuses_the_existing_tag(client: Client, teams: Teams) -> None:
    logged(client, teams)
    client.post(NEW_INDIVIDUAL, individual_post(teams, new_tag_name="Seniors"))
    client.post(NEW_INDIVIDUAL, individual_post(teams, new_tag_name="seniors"))

    assert Tag.objects.count() == 1
    assert Activity.objects.filter(tags__name="Seniors").count() == 2


def test_a_mediator_is_offered_no_scope_and_cannot_post_a_structure_tag(
    client: Client, teams: Teams
) -> None:
    form = logged(client, teams).get(NEW_INDIVIDUAL).context["form"]
    assert form["new_tag_scope"].is_hidden
    assert "new_tag_departement" not in form.fields

    response = client.post(
        NEW_INDIVIDUAL,
        individual_post(teams, new_tag_name="Équipe", new_tag_scope=TagScope.STRUCTURE),
    )

    assert response.status_code == 200
    assert "new_tag_scope" in response.context["form"].errors
    assert not Tag.objects.exists()
    assert not Activity.objects.exists()


def test_a_manager_creates_a_structure_tag(client: Client, teams: Teams) -> None:
    response = logged(client, teams, "manager_a").post(
        NEW_INDIVIDUAL,
        individual_post(teams, new_tag_name="Équipe", new_tag_scope=TagScope.STRUCTURE),
    )

    assert response.status_code == 302
    tag = Tag.objects.get()
    assert (tag.scope, tag.owner_structure) == (TagScope.STRUCTURE, teams.a)


def test_a_manager_of_another_structure_cannot_tag_this_one(client: Client, teams: Teams) -> None:
    MembershipFactory.create(manager=True, structure=teams.b, user=teams.mediator_a)

    response = logged(client, teams).post(
        NEW_INDIVIDUAL,
        individual_post(teams, new_tag_name="Équipe", new_tag_scope=TagScope.STRUCTURE),
    )

    assert response.context["form"].errors["new_tag_name"] == [
        "Vous ne pouvez pas créer une étiquette de cette portée."
    ]
    assert not Tag.objects.exists()


def test_a_territory_tag_needs_a_coordinator_of_the_departement(
    client: Client, teams: Teams
) -> None:
    response = logged(client, teams).post(
        NEW_INDIVIDUAL,
        individual_post(teams, new_tag_name="Mayenne", new_tag_scope=TagScope.TERRITORY),
    )

    assert response.status_code == 200
    assert not Tag.objects.exists()


def test_an_empty_or_too_long_name_is_explained(client: Client, teams: Teams) -> None:
    response = logged(client, teams).post(
        NEW_INDIVIDUAL, individual_post(teams, new_tag_name="x" * 101)
    )

    assert response.context["form"].errors["new_tag_name"]
    assert not Activity.objects.exists()


def test_each_theme_points_to_its_help_text(client: Client, teams: Teams) -> None:
    html = logged(client, teams).get(NEW_INDIVIDUAL).content.decode()

    assert 'aria-describedby="id_themes_5-aide"' in html
    assert 'id="id_themes_5-aide">Choisir &amp; créer une boîte mail' in html
    assert 'id="id_administrative_themes_4-aide">Allocations logement' in html
