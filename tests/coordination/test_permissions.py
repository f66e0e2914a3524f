"""Who may open each coordination screen: anonymous → login; mediators, managers and strangers
→ 404; another coordinator's activity → 404; the author (coordinator or administrator) → 200."""

import pytest
from django.test import Client
from django.urls import reverse

from maillon.coordination.models import CoordinationActivity
from maillon.coordination.services import record_coordination
from tests.coordination.conftest import Coordinators
from tests.factories.activities import Teams
from tests.factories.coordination import coordination_data

LIST_PAGES = [
    reverse("coordination:list"),
    reverse("coordination:create", args=["animation"]),
    reverse("coordination:create", args=["evenement"]),
    reverse("coordination:create", args=["partenariat"]),
]
ACTIVITY_PAGES = ["coordination:edit", "coordination:duplicate", "coordination:delete"]


@pytest.fixture
def activity(teams: Teams) -> CoordinationActivity:
    return record_coordination(actor=teams.coordinator, data=coordination_data())


def all_pages(activity: CoordinationActivity) -> list[str]:
    return [*LIST_PAGES, *(reverse(name, args=[activity.pk]) for name in ACTIVITY_PAGES)]


def test_anonymous_visitors_are_sent_to_the_login_page(
    client: Client, activity: CoordinationActivity
) -> None:
    for url in all_pages(activity):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"], url


@pytest.mark.parametrize("who", ["mediator_a", "colleague_a", "manager_a", "stranger"])
def test_people_who_do_not_coordinate_get_404_everywhere(
    client: Client, teams: Teams, activity: CoordinationActivity, who: str
) -> None:
    client.force_login(getattr(teams, who))

    for url in all_pages(activity):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("coordination:delete", args=[activity.pk])).status_code == 404
    assert client.post(LIST_PAGES[1], {}).status_code == 404


@pytest.mark.parametrize("who", ["coordinator", "administrator"])
def test_a_coordinator_and_an_administrator_open_the_list_and_the_forms(
    client: Client, teams: Teams, who: str
) -> None:
    client.force_login(getattr(teams, who))

    for url in LIST_PAGES:
        assert client.get(url).status_code == 200, url


def test_the_author_opens_his_activity(
    client: Client, teams: Teams, activity: CoordinationActivity
) -> None:
    client.force_login(teams.coordinator)

    for name in ACTIVITY_PAGES:
        assert client.get(reverse(name, args=[activity.pk])).status_code == 200, name


def test_another_coordinator_or_an_administrator_cannot_touch_it(
    client: Client, coordinators: Coordinators, activity: CoordinationActivity
) -> None:
    for user in (coordinators.other, coordinators.teams.administrator):
        client.force_login(user)
        for name in ACTIVITY_PAGES:
            assert client.get(reverse(name, args=[activity.pk])).status_code == 404, name
        assert client.post(reverse("coordination:delete", args=[activity.pk])).status_code == 404
        edit = reverse("coordination:edit", args=[activity.pk])
        assert client.post(edit, {}).status_code == 404
        listed = client.get(reverse("coordination:list")).context["page"].object_list
        assert activity not in listed
    activity.refresh_from_db()
    assert activity.deleted_at is None


def test_a_deleted_activity_is_gone(
    client: Client, teams: Teams, activity: CoordinationActivity
) -> None:
    client.force_login(teams.coordinator)
    client.post(reverse("coordination:delete", args=[activity.pk]))

    for name in ACTIVITY_PAGES:
        assert client.get(reverse(name, args=[activity.pk])).status_code == 404, name


def test_an_unknown_type_is_404(client: Client, teams: Teams) -> None:
    client.force_login(teams.coordinator)

    assert client.get(reverse("coordination:create", args=["inconnu"])).status_code == 404


def test_the_dashboard_panel_is_for_coordinators_only(client: Client, teams: Teams) -> None:
    client.force_login(teams.mediator_a)

    html = client.get(reverse("accounts:dashboard")).content.decode()

    assert reverse("coordination:list") not in html
