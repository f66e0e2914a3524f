"""The beneficiary pages in a real Chromium: axe finds nothing on the list, the page with its
trajectory, the form (also with its errors), the access and erasure pages.

These pages journal every read of personal data, and a live-server test must not write audit
rows (docs/adr/0004: the append-only journal cannot be emptied after a non-transactional test).
The data is therefore built with the ORM directly (no service that journals), and the journal
writer used by the pages is swapped for a list for the duration of the test: the test then
checks the pages did ask to journal their reads, and that the journal table stayed empty.
"""

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from maillon.activities.models import Accompaniment
from maillon.activities.vocabulary import Autonomie, Thematique
from maillon.core.models import AuditAction, AuditEvent
from tests.browser.conftest import PageLog
from tests.browser.test_accessibility import assert_clean, check_page
from tests.browser.test_places_professional import log_in
from tests.factories.accounts import MembershipFactory, StructureFactory
from tests.factories.activities import ActivityFactory
from tests.factories.beneficiaries import BeneficiaryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_beneficiary_pages_are_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    journaled: list[dict[str, Any]] = []

    def remember(**event: Any) -> None:
        journaled.append(event)

    def remember_many(**events: Any) -> int:
        targets = list(events.pop("targets"))
        journaled.extend({**events, "target": target} for target in targets)
        return len(targets)

    monkeypatch.setattr("maillon.beneficiaries.views.record_many", remember_many)
    monkeypatch.setattr("maillon.beneficiaries.services.record", remember)
    monkeypatch.setattr("maillon.beneficiaries.rights.record", remember)
    structure = StructureFactory.create()
    mediator = MembershipFactory.create(mediator=True, structure=structure).user
    person = BeneficiaryFactory.create(
        structure=structure, created_by=mediator, with_contact=True, first_name="Josette"
    )
    BeneficiaryFactory.create_batch(3, structure=structure, created_by=mediator)
    for day, autonomy in [(2, Autonomie.ENTIEREMENT_ACCOMPAGNE), (9, Autonomie.AUTONOME)]:
        activity = ActivityFactory.create(
            structure=structure,
            mediator=mediator,
            date=dt.date(2026, 3, day),
            autonomy=autonomy,
            themes=[Thematique.EMAIL.value, Thematique.BUREAUTIQUE.value],
        )
        Accompaniment.objects.create(activity=activity, beneficiary=person)
    log_in(page, live_server, mediator)

    for path in [
        reverse("beneficiaries:list"),
        reverse("beneficiaries:detail", args=[person.pk]),
        reverse("beneficiaries:create"),
        reverse("beneficiaries:edit", args=[person.pk]),
        reverse("beneficiaries:access", args=[person.pk]),
        reverse("beneficiaries:erase", args=[person.pk]),
    ]:
        page_log.requests.clear()
        check_page(page, page_log, live_server, path)
    assert page.locator("h1").count() == 1

    # The form with its errors, reached with the keyboard only.
    page_log.requests.clear()
    page.goto(live_server.url + reverse("beneficiaries:create"))
    page.focus("input[name=first_name]")
    page.keyboard.type("Marcel")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator("[aria-invalid=true]").count() >= 1
    assert_clean(page, page_log, live_server, "formulaire en erreur")

    page.goto(live_server.url + reverse("beneficiaries:detail", args=[person.pk]))
    assert page.get_by_role("table").locator("tbody tr").count() == 2
    assert page.get_by_text("Progression").count() == 1
    assert {event["action"] for event in journaled} == {AuditAction.READ}
    assert not AuditEvent.objects.exists()
