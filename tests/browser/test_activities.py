"""Recording activity reports in a real Chromium, with the keyboard only; axe on every screen.

Recording writes audit rows, and the journal refuses DELETE (SQLite, PostgreSQL) and a TRUNCATE
of a non-empty table (PostgreSQL): the flush that ends a `transaction=True` test would fail. The
fixture `journal_emptied_afterwards` empties it at teardown, before the flush, the way
docs/adr/0004 foresees a regulatory purge: the triggers are lifted inside one transaction, for
that statement only, then restored. The journey first checks that the journal did get its rows.
"""

import importlib
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.urls import reverse
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from maillon.activities.models import Activity
from maillon.activities.vocabulary import TypeActivite
from maillon.beneficiaries.models import Beneficiary
from maillon.core.models import AuditEvent
from tests.browser.conftest import PageLog
from tests.browser.test_accessibility import assert_clean, check_page
from tests.browser.test_places_professional import log_in
from tests.factories.activities import Teams, build_teams
from tests.factories.beneficiaries import BeneficiaryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRIGGERS = importlib.import_module("maillon.core.migrations.0002_auditevent_append_only_triggers")
NEW_INDIVIDUAL = reverse("activities:create", args=["individuelle"])
NEW_COLLECTIVE = reverse("activities:create", args=["collective"])
LIST = reverse("activities:list")


def _empty_journal() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
            cursor.execute("DELETE FROM core_auditevent")
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
        else:
            forward, backward = TRIGGERS.STATEMENTS["sqlite"]
            for statement in backward:
                cursor.execute(statement)
            cursor.execute("DELETE FROM core_auditevent")
            for statement in forward:
                cursor.execute(statement)


@pytest.fixture
def journal_emptied_afterwards(live_server: LiveServer) -> Iterator[None]:
    # Depends on live_server so that it is torn down first, before the database flush.
    yield
    _empty_journal()


@pytest.fixture
def teams(journal_emptied_afterwards: None) -> Teams:
    teams = build_teams()
    teams.place.structure = teams.a
    teams.place.save()
    return teams


@dataclass
class Keyboard:
    """Presses keys on the page and counts them: the measure of a report's cost."""

    page: Page
    presses: int = 0

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
            self.presses += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.presses += len(text)

    def tab_to(self, selector: str, limit: int = 80) -> None:
        """Tab until the focused element matches `selector` (fails past `limit` presses)."""
        for _ in range(limit):
            if self.page.evaluate(
                "s => document.activeElement && document.activeElement.matches(s)", selector
            ):
                return
            self.press("Tab")
        raise AssertionError(f"{selector} jamais atteint au clavier")

    def skip_to_content(self) -> None:
        self.press("Tab")
        assert self.page.evaluate("document.activeElement.textContent") == "Contenu"
        self.press("Enter")


def _file(teams: Teams, first_name: str, last_name: str) -> Beneficiary:
    return BeneficiaryFactory.create(
        structure=teams.a, created_by=teams.mediator_a, first_name=first_name, last_name=last_name
    )


def test_a_mediator_records_two_reports_with_the_keyboard_only(
    page: Page, page_log: PageLog, live_server: LiveServer, teams: Teams
) -> None:
    marie = _file(teams, "Marie", "Martin")
    _file(teams, "Paul", "Durand")
    log_in(page, live_server, teams.mediator_a)
    page.goto(live_server.url + NEW_INDIVIDUAL, wait_until="networkidle")

    # A typical individual report: today, the structure's place (proposed), 30 min, one
    # theme, the autonomy reached, the followed person found by the search picker; everything
    # else left to its default.
    keys = Keyboard(page)
    started = time.monotonic()
    keys.skip_to_content()
    keys.tab_to("#id_duration_0")  # nothing recorded yet: no duration to propose
    keys.press("ArrowRight")  # 30 min
    keys.tab_to("#id_themes_0")  # the themes are one Tab stop: arrows move inside
    keys.press("ArrowDown", 5)  # E-mail
    keys.press("Space")
    keys.tab_to("#id_autonomy_0")
    keys.press("ArrowRight", 3)  # Autonome
    keys.tab_to("#id_beneficiary")  # the picker's search field
    keys.type("mar")
    page.wait_for_selector("#selecteur-resultats [data-choisir]")
    assert page.locator("#selecteur-statut").inner_text() == "1 bénéficiaire trouvé."
    keys.press("Tab")  # to the first result
    keys.press("Enter")  # chosen: a chip, and the focus back in the search field
    assert page.locator('#selecteur-choisis input[name="beneficiary"]').input_value() == str(
        marie.pk
    )
    keys.press("Shift+Tab", 2)  # back over the chip's « Retirer » to the orientation radios
    keys.press("Enter")  # implicit submission: the form's first button, « Enregistrer »
    page.wait_for_url(live_server.url + LIST)
    elapsed = time.monotonic() - started
    individual_presses = keys.presses
    print(f"\nCompte rendu individuel : {individual_presses} touches, {elapsed:.1f} s")

    assert "Activité enregistrée" in page.content()
    individual = Activity.objects.get()
    assert (individual.duration_minutes, individual.place_id) == (30, teams.place.pk)
    assert individual.themes == ["email"]
    assert individual.autonomy == "autonome"
    assert individual.accompaniments.get().beneficiary == marie
    assert_clean(page, page_log, live_server, "liste après saisie")

    # From the list, to a workshop with anonymous counters.
    keys = Keyboard(page)
    keys.skip_to_content()
    keys.tab_to(f'main a[href="{NEW_COLLECTIVE}"]')
    keys.press("Enter")
    page.wait_for_url(live_server.url + NEW_COLLECTIVE)
    keys.skip_to_content()
    keys.tab_to("#id_duration_0")
    keys.press("ArrowRight", 4)  # 1 h 30
    keys.tab_to("#id_workshop_title")
    keys.type("Premiers pas sur smartphone")
    keys.tab_to("#id_workshop_level_0")
    keys.press("ArrowRight")  # Débutant
    keys.tab_to("#id_themes_0")
    keys.press("ArrowDown")  # Prendre en main du matériel
    keys.press("Space")
    keys.tab_to("#id_counter_total")
    keys.type("6")
    keys.press("Tab")
    keys.type("2")
    keys.tab_to("#id_genres__feminin")
    keys.type("4")
    keys.tab_to("#id_age_brackets__soixante_dix_plus")
    keys.type("3")
    keys.tab_to("button[type=submit]:not([name])")
    keys.press("Enter")
    page.wait_for_url(live_server.url + LIST)
    print(f"Atelier collectif : {keys.presses} touches")

    workshop = Activity.objects.get(type=TypeActivite.COLLECTIF)
    assert (workshop.duration_minutes, workshop.participants_count) == (90, 6)
    assert workshop.workshop_level == "debutant"
    rows = page.locator("main tbody tr")
    assert rows.count() == 2
    assert "Premiers pas sur smartphone" in rows.first.inner_text()
    # 33 today: 24 without the followed person (40 before each group of checkboxes became
    # one Tab stop): 2 to skip to the content, 1 over the breadcrumb, 3 through the date's
    # day/month/year, one Tab per group, 5 arrows to E-mail, Enter; the picker adds 9: 2 Tabs
    # to it, 3 letters, Tab to the result, Enter, 2 Shift+Tab back to a radio button.
    assert individual_presses <= 35
    assert keys.presses <= 80  # 77 today (96 before), of which 35 typed characters
    assert AuditEvent.objects.filter(object_id__in=[str(individual.pk), str(workshop.pk)]).count()


def test_the_activity_screens_are_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer, teams: Teams
) -> None:
    log_in(page, live_server, teams.mediator_a)

    for path in [LIST, NEW_INDIVIDUAL, NEW_COLLECTIVE]:
        page_log.requests.clear()
        check_page(page, page_log, live_server, path)

    for path in [NEW_INDIVIDUAL, NEW_COLLECTIVE]:
        page.goto(live_server.url + path, wait_until="networkidle")
        page.locator("label[for=id_place_kind_1]").click()  # À domicile, without a commune
        page.locator("main button[type=submit]:not([name])").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("#erreurs").is_visible(), path
        assert page.evaluate("document.activeElement.id") == "erreurs"
        assert_clean(page, page_log, live_server, f"{path} en erreur")
    assert not Activity.objects.exists()
    # Counters take a quarter of the row; shrunk to their content, « Masculin » broke in two.
    width = page.locator("#id_genres__masculin").bounding_box()
    assert width is not None and width["width"] > 150


def test_the_beneficiary_picker_is_accessible_with_results_and_chips(
    page: Page, page_log: PageLog, live_server: LiveServer, teams: Teams
) -> None:
    for number in range(3):
        _file(teams, f"Prénom{number}", "Martin")
    log_in(page, live_server, teams.mediator_a)

    for path in [NEW_INDIVIDUAL, NEW_COLLECTIVE]:
        page.goto(live_server.url + path, wait_until="networkidle")
        assert not page.locator("[data-rechercher]").is_visible()  # typing searches
        page.locator("#selecteur-beneficiaires input[name=q]").fill("martin")
        page.wait_for_selector("#selecteur-resultats [data-choisir]")
        assert page.locator("#selecteur-statut").inner_text() == "3 bénéficiaires trouvés."
        assert_clean(page, page_log, live_server, f"{path} avec résultats")
        page.locator("[data-choisir]").first.click()
        assert page.locator("#selecteur-choisis li").count() == 1
        assert not page.locator("#selecteur-vide").is_visible()
        assert_clean(page, page_log, live_server, f"{path} avec un choix")
        page.locator("#selecteur-choisis [data-retirer]").click()
        assert page.locator("#selecteur-choisis li").count() == 0
        assert page.locator("#selecteur-vide").is_visible()

        # The fallback without JavaScript posts the form back with the results as inputs.
        page.locator("#selecteur-beneficiaires input[name=q]").fill("martin")
        page.evaluate(
            "const b = document.querySelector('[data-rechercher] button'); b.type = 'submit';"
            "document.getElementById('formulaire-activite').requestSubmit(b)"
        )
        page.wait_for_selector("#selecteur-resultats-legende")
        assert page.locator("#selecteur-resultats input").count() == 3
        assert_clean(page, page_log, live_server, f"{path} recherche sans script")
    assert not Activity.objects.exists()


def test_the_administrative_themes_wait_for_the_administrative_help(
    page: Page, live_server: LiveServer, teams: Teams
) -> None:
    log_in(page, live_server, teams.mediator_a)
    page.goto(live_server.url + NEW_INDIVIDUAL, wait_until="networkidle")
    group = page.locator("#id_administrative_themes_0")

    assert group.is_disabled()
    page.locator("label[for=id_themes_18]").click()
    assert group.is_enabled()
    assert page.locator("#id_procedure_name").is_enabled()


def test_the_themes_explain_themselves_without_hover(
    page: Page, live_server: LiveServer, teams: Teams
) -> None:
    log_in(page, live_server, teams.mediator_a)
    page.goto(live_server.url + NEW_INDIVIDUAL, wait_until="networkidle")

    hint_id = page.locator("#id_themes_5").get_attribute("aria-describedby")
    assert hint_id == "id_themes_5-aide"
    hint = page.locator(f"#{hint_id}")
    assert hint.is_visible()
    assert "Choisir & créer une boîte mail" in hint.inner_text()
    # One Tab stop per group: only one box of the themes is in the Tab order.
    in_tab_order = page.locator('input[name="themes"]:not([tabindex="-1"])')
    assert in_tab_order.count() == 1
