"""Import, duplicates and merge pages in a real Chromium: axe finds nothing, keyboard included.

As in test_beneficiaries.py, the data is built with the ORM and the journal writers used by
these pages are swapped for a list: a live-server test must leave no audit row (ADR 0004).
"""

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from maillon.core.models import AuditAction, AuditEvent
from tests.beneficiaries.spreadsheets import row, xlsx
from tests.browser.conftest import PageLog
from tests.browser.test_accessibility import assert_clean, check_page
from tests.browser.test_places_professional import log_in
from tests.factories.accounts import MembershipFactory, StructureFactory
from tests.factories.beneficiaries import BeneficiaryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _swap_journal(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    journaled: list[dict[str, Any]] = []

    def remember(**event: Any) -> None:
        journaled.append(event)

    def remember_many(**events: Any) -> int:
        targets = list(events.pop("targets"))
        journaled.extend({**events, "target": target} for target in targets)
        return len(targets)

    for module in ("beneficiaries.views", "beneficiaries.duplicate_views"):
        monkeypatch.setattr(f"maillon.{module}.record_many", remember_many)
    monkeypatch.setattr("maillon.beneficiaries.services.record", remember)
    monkeypatch.setattr("maillon.beneficiaries.importing.service.record_many", remember_many)
    return journaled


def test_the_import_pages_are_accessible(
    page: Page,
    page_log: PageLog,
    live_server: LiveServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    journaled = _swap_journal(monkeypatch)
    structure = StructureFactory.create()
    mediator = MembershipFactory.create(mediator=True, structure=structure).user
    log_in(page, live_server, mediator)
    check_page(page, page_log, live_server, reverse("beneficiaries:import"))

    # The upload with the keyboard only, then the analysis with its errors.
    spreadsheet = tmp_path / "beneficiaires.xlsx"
    spreadsheet.write_bytes(
        xlsx([row(insee="", commune="", postal=""), row(nom="", genre="Z", insee="99999")])
    )
    page.set_input_files("input[name=file]", str(spreadsheet))
    page.focus("input[name=file]")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/import/" in url and url.rstrip("/").count("-") >= 4)
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("alert").count() >= 1
    # In the list above the table, then in the row (which names the line already).
    assert page.get_by_text("Ligne 3, colonne « nom » : Le nom est obligatoire").count() == 1
    assert page.get_by_text("nom : Le nom est obligatoire", exact=True).count() == 1
    region = page.get_by_role(
        "region", name="Lignes du fichier, avec leur résultat et leurs erreurs"
    )
    assert region.get_attribute("tabindex") == "0"  # the wide table scrolls with the keyboard
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_role("button", name="Importer les bénéficiaires").count() == 0
    page_log.requests.clear()
    assert_clean(page, page_log, live_server, "analyse en erreur")
    assert not AuditEvent.objects.exists()
    assert journaled == []


def test_the_duplicates_and_merge_pages_are_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    journaled = _swap_journal(monkeypatch)
    structure = StructureFactory.create()
    mediator = MembershipFactory.create(mediator=True, structure=structure).user
    first = BeneficiaryFactory.create(
        structure=structure,
        created_by=mediator,
        first_name="Josette",
        last_name="Lebrun",
        birth_year=1950,
    )
    second = BeneficiaryFactory.create(
        structure=structure,
        created_by=mediator,
        first_name="Josette",
        last_name="Lebrun",
        birth_year=1951,
        phone="+33612345678",
    )
    log_in(page, live_server, mediator)
    for path in [
        reverse("beneficiaries:duplicates"),
        reverse("beneficiaries:detail", args=[first.pk]),
        reverse("beneficiary_merge:merge", args=[first.pk, second.pk]),
    ]:
        page_log.requests.clear()
        check_page(page, page_log, live_server, path)
    # Two choices for the kept file, two for the birth year.
    assert page.get_by_role("radio").count() == 4
    assert {event["action"] for event in journaled} == {AuditAction.READ}
    assert not AuditEvent.objects.exists()
