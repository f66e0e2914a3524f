"""« Mes jetons d'API » in a real Chromium: axe finds nothing, with active and revoked tokens."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from maillon.accounts.api_tokens import hash_secret
from maillon.accounts.models import ApiToken, TokenScope
from maillon.core.models import AuditEvent
from tests.browser.conftest import PageLog
from tests.browser.test_accessibility import check_page
from tests.browser.test_places_professional import log_in
from tests.factories.accounts import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_my_tokens_page_is_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    mediator = MembershipFactory.create(mediator=True).user
    # Written directly, not through the service: browser tests must not write audit rows.
    for key_id, revoked_at in [("0123456789ab", None), ("ba9876543210", timezone.now())]:
        ApiToken.objects.create(
            user=mediator,
            name="Observatoire",
            scopes=[TokenScope.STATISTIQUES],
            key_id=key_id,
            secret_hash=hash_secret("secret"),
            expires_at=timezone.now() + timedelta(days=30),
            revoked_at=revoked_at,
        )
    log_in(page, live_server, mediator)

    check_page(page, page_log, live_server, reverse("accounts:api_token_list"))
    assert page.locator("main form button").count() == 1
    assert not AuditEvent.objects.exists()
