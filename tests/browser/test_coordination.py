"""The coordination screens in Chromium: axe on the list, the statistics (with their filters
valid and not) and the three forms (empty and in error), and an animation recorded with the
keyboard only."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from maillon.coordination.models import CoordinationActivity
from tests.browser.conftest import PageLog
from tests.browser.test_accessibility import assert_clean, check_page
from tests.browser.test_activities import Keyboard, journal_emptied_afterwards
from tests.browser.test_places_professional import log_in
from tests.factories.activities import Teams, build_teams

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["journal_emptied_afterwards"]  # a fixture: recording writes to the journal

LIST = reverse("coordination:list")
STATISTICS = reverse("coordination:statistics")
FORMS = [
    reverse("coordination:create", args=[kind])
    for kind in ("animation", "evenement", "partenariat")
]


@pytest.fixture
def teams(journal_emptied_afterwards: None) -> Teams:
    return build_teams()


def test_the_coordination_screens_are_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer, teams: Teams
) -> None:
    # A raw row (no journal) so that the list shows its table with actions.
    CoordinationActivity.objects.create(
        type="evenement",
        coordinator=teams.coordinator,
        date=timezone.localdate(),
        name="NEC local",
        event_type="nec_local",
        participants_count=40,
        organisers=["hub"],
    )
    log_in(page, live_server, teams.coordinator)

    for path in [LIST, STATISTICS, f"{STATISTICS}?du=hier&types=evenement", *FORMS]:
        page_log.requests.clear()
        check_page(page, page_log, live_server, path)

    for path in FORMS:
        page.goto(live_server.url + path, wait_until="networkidle")
        page.locator("main button[type=submit]:not([name])").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("#erreurs").is_visible(), path
        assert page.evaluate("document.activeElement.id") == "erreurs"
        assert_clean(page, page_log, live_server, f"{path} en erreur")
    assert CoordinationActivity.objects.count() == 1


def test_a_coordinator_records_an_animation_with_the_keyboard_only(
    page: Page, live_server: LiveServer, teams: Teams
) -> None:
    log_in(page, live_server, teams.coordinator)
    page.goto(live_server.url + FORMS[0], wait_until="networkidle")

    keys = Keyboard(page)
    keys.skip_to_content()
    keys.tab_to("#id_duration_0")
    keys.press("ArrowRight", 3)  # 1 h
    keys.tab_to("#id_animation_type_0")
    keys.press("ArrowDown", 4)  # Réunion de coordination
    keys.tab_to("#id_mediators_count")
    keys.type("12")
    keys.tab_to("#id_animation_themes_0")
    keys.press("ArrowDown")  # Maillage territorial
    keys.press("Space")
    keys.tab_to("button[type=submit]:not([name])")
    keys.press("Enter")
    page.wait_for_url(live_server.url + LIST)
    print(f"\nAnimation : {keys.presses} touches")

    activity = CoordinationActivity.objects.get()
    assert (activity.duration_minutes, activity.animation_type) == (60, "reunion_coordination")
    assert (activity.mediators_count, activity.animation_themes) == (12, ["reseau"])
