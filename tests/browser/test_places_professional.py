"""The professionals' pages about places in a real Chromium: axe finds nothing, no third party.

Coordinators (dashboard, places to refresh, duplicates to review, error reports) and structure
managers (their places, the editing form with its weekly timetable)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from maillon.accounts.models import User
from maillon.core.models import AuditEvent
from maillon.places.models import CandidatePair, ErrorReport, Outcome
from tests.browser.conftest import PageLog
from tests.browser.test_accessibility import check_page
from tests.factories.accounts import DEFAULT_PASSWORD, MembershipFactory, StructureFactory
from tests.factories.places import create_place
from tests.factories.territory import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, live_server: LiveServer, user: User) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "connexion" not in url)


def test_the_coordinators_pages_are_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    laval = CommuneFactory.create(code_insee="53130", name="Laval")
    epn = create_place(nom="EPN de Laval", code_insee=laval.code_insee, external_id="a")
    twin = create_place(nom="Espace public numérique Laval", code_insee=laval.code_insee)
    pair = CandidatePair.objects.create(
        record_a=epn.records.get(),
        record_b=twin.records.get(),
        score=0.8,
        signals={"nom": {"score": 0.8, "weight": 0.4}},
        outcome=Outcome.REVIEW,
    )
    report = ErrorReport.objects.create(
        place=epn, categories=["horaires"], message="Fermé le lundi"
    )
    coordinator = MembershipFactory.create(coordinator=True).user
    log_in(page, live_server, coordinator)

    for path in [
        reverse("accounts:dashboard"),
        reverse("places:to_refresh"),
        reverse("places:review_list"),
        reverse("places:review_detail", args=[pair.pk]),
        reverse("places:reports"),
        reverse("places:report_detail", args=[report.pk]),
    ]:
        page_log.requests.clear()
        check_page(page, page_log, live_server, path)
    assert not AuditEvent.objects.exists()


def test_the_managers_pages_are_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    laval = CommuneFactory.create(code_insee="53130", name="Laval")
    structure = StructureFactory.create(commune=laval)
    place = create_place(nom="CCAS de Laval", code_insee=laval.code_insee)
    place.structure = structure
    place.save()
    manager = MembershipFactory.create(manager=True, structure=structure).user
    log_in(page, live_server, manager)

    for path in [
        reverse("accounts:dashboard"),
        reverse("places:my_places"),
        reverse("places:edit", args=[place.public_id]),
    ]:
        page_log.requests.clear()
        check_page(page, page_log, live_server, path)
    assert not AuditEvent.objects.exists()
