from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from maillon.accounts.management.commands.seed_demo import ACCOUNTS, DEMO_PASSWORD, STRUCTURES
from maillon.accounts.models import Membership, Role, Structure, User
from maillon.core.models import AuditEvent
from tests.accounts.conftest import World
from tests.factories.territory import CommuneFactory


def test_admin_save_is_journaled(client: Client, world: World) -> None:
    admin_user = world.administrator
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    url = reverse("admin:accounts_structure_change", args=[world.structure.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "name": "CCAS de Laval (nouveau nom)",
        "siret": world.structure.siret,
        "rna": "",
        "typologie": world.structure.typologie,
        "address": world.structure.address,
        "postal_code": world.structure.postal_code,
        "commune": world.structure.commune_id,
        "email": "",
        "phone": "",
        "website": "",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.about(world.structure).get()
    assert event.fields == ["name"]
    assert event.actor == admin_user


@pytest.fixture
def mayenne(db: None) -> None:
    for code_insee in {row[6] for row in STRUCTURES}:
        CommuneFactory.create(code_insee=code_insee)


def test_seed_demo_refuses_without_debug(settings: Any, mayenne: None) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_needs_the_territory(settings: Any, db: None) -> None:
    settings.DEBUG = True
    with pytest.raises(CommandError, match="load_territory"):
        call_command("seed_demo")


def test_seed_demo_is_idempotent(settings: Any, mayenne: None) -> None:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert Structure.objects.count() == len(STRUCTURES) == 8
    assert User.objects.count() == len(ACCOUNTS)
    for email, *_ in ACCOUNTS:
        assert email in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    events = AuditEvent.objects.count()

    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Rien à faire" in out.getvalue()
    assert Structure.objects.count() == 8
    assert AuditEvent.objects.count() == events

    admin = User.objects.get(email="admin@demo.maillon.fr")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    coordinator = Membership.objects.get(role=Role.COORDINATOR)
    assert list(coordinator.departements.values_list("code", flat=True)) == ["53"]
    assert Membership.objects.filter(is_conseiller_numerique=True).count() == 1
