from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from maillon.accounts.management.commands.seed_demo import STRUCTURES
from maillon.accounts.models import Role, User
from maillon.places.management.commands.seed_demo_lieux import PROFILES
from maillon.places.models import Place
from tests.factories.territory import CommuneFactory


@pytest.fixture
def demo(settings: Any, db: None) -> None:
    settings.DEBUG = True
    for code_insee in {row[6] for row in STRUCTURES}:
        CommuneFactory.create(code_insee=code_insee)
    call_command("seed_demo", stdout=StringIO())


def test_each_demo_structure_gets_one_published_place_once(demo: None) -> None:
    call_command("seed_demo_lieux", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo_lieux", stdout=out)

    assert "Rien à faire" in out.getvalue()
    places = Place.objects.published()
    assert places.count() == len(PROFILES)
    assert all(place.structure is not None for place in places)
    assert all(place.location_precision == "commune" for place in places)


def test_the_demo_manager_can_edit_a_demo_place(demo: None) -> None:
    call_command("seed_demo_lieux", stdout=StringIO())
    manager = User.objects.get(memberships__role=Role.MANAGER)

    assert Place.objects.managed_by(manager).exists()


def test_it_refuses_without_debug(settings: Any, db: None) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo_lieux")
