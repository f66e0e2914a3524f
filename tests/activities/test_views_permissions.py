"""Who may open each recording screen: anonymous → login, strangers → 404, members allowed."""

import pytest
from django.test import Client
from django.urls import reverse

from maillon.activities.models import Activity
from maillon.activities.services import record_activity
from tests.factories.activities import Teams, activity_data

STRUCTURE_PAGES = [
    reverse("activities:list"),
    reverse("activities:create", args=["individuelle"]),
    reverse("activities:create", args=["collective"]),
]
ACTIVITY_PAGES = ["activities:edit", "activities:duplicate", "activities:delete"]


@pytest.fixture
def activity(teams: Teams) -> Activity:
    return record_activity(actor=teams.mediator_a, data=activity_data(teams.a))


def all_pages(activity: Activity) -> list[str]:
    return [*STRUCTURE_PAGES, *(reverse(name, args=[activity.pk]) for name in ACTIVITY_PAGES)]


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, activity: Activity) -> None:
    for url in all_pages(activity):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"], url


@pytest.mark.parametrize("who", ["stranger", "coordinator", "administrator"])
def test_people_without_a_structure_get_404_everywhere(
    client: Client, teams: Teams, activity: Activity, who: str
) -> None:
    client.force_login(getattr(teams, who))

    for url in all_pages(activity):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("activities:delete", args=[activity.pk])).status_code == 404


@pytest.mark.parametrize("who", ["mediator_a", "colleague_a", "manager_a", "mediator_b"])
def test_every_member_of_a_structure_opens_the_list_and_the_new_forms(
    client: Client, teams: Teams, who: str
) -> None:
    client.force_login(getattr(teams, who))

    for url in STRUCTURE_PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["mediator_a", "manager_a"])
def test_the_author_and_the_manager_open_an_activity(
    client: Client, teams: Teams, activity: Activity, who: str
) -> None:
    client.force_login(getattr(teams, who))

    for name in ACTIVITY_PAGES:
        assert client.get(reverse(name, args=[activity.pk])).status_code == 200, name


@pytest.mark.parametrize("who", ["colleague_a", "mediator_b"])
def test_a_colleague_or_another_structure_cannot_touch_someone_elses_activity(
    client: Client, teams: Teams, activity: Activity, who: str
) -> None:
    client.force_login(getattr(teams, who))

    for name in ACTIVITY_PAGES:
        assert client.get(reverse(name, args=[activity.pk])).status_code == 404, name
    assert client.post(reverse("activities:delete", args=[activity.pk])).status_code == 404
    assert client.post(reverse("activities:edit", args=[activity.pk]), {}).status_code == 404
    activity.refresh_from_db()
    assert activity.deleted_at is None
    assert activity not in client.get(reverse("activities:list")).context["page"].object_list


def test_the_manager_deletes_an_activity_of_his_structure(
    client: Client, teams: Teams, activity: Activity
) -> None:
    client.force_login(teams.manager_a)

    client.post(reverse("activities:delete", args=[activity.pk]))

    activity.refresh_from_db()
    assert activity.deleted_at is not None


def test_a_deleted_activity_is_gone(client: Client, teams: Teams, activity: Activity) -> None:
    client.force_login(teams.mediator_a)
    client.post(reverse("activities:delete", args=[activity.pk]))

    for name in ACTIVITY_PAGES:
        assert client.get(reverse(name, args=[activity.pk])).status_code == 404, name


def test_an_unknown_kind_of_form_is_404(client: Client, teams: Teams) -> None:
    client.force_login(teams.mediator_a)

    assert client.get(reverse("activities:create", args=["inconnue"])).status_code == 404


def test_a_followed_beneficiary_of_another_structure_cannot_be_posted(
    client: Client, teams: Teams
) -> None:
    from maillon.beneficiaries.services import BeneficiaryData, create_beneficiary

    other = create_beneficiary(
        actor=teams.mediator_b,
        structure=teams.b,
        data=BeneficiaryData(first_name="Jeanne", last_name="Martin"),
    )
    client.force_login(teams.mediator_a)

    response = client.post(
        reverse("activities:create", args=["individuelle"]),
        {
            "structure": teams.a.pk,
            "date": "2026-10-05",
            "duration": "30",
            "place_kind": "a_distance",
            "themes": ["email"],
            "redirected": "non",
            "anonymous_genre": "non_communique",
            "anonymous_age_bracket": "non_communique",
            "anonymous_statut": "non_communique",
            "beneficiary": other.pk,
        },
    )

    assert "beneficiary" in response.context["form"].errors
    assert "Martin" not in response.content.decode()
    assert not Activity.objects.exists()
