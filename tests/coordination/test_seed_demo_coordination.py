import pytest
from django.core.management import CommandError, call_command

from maillon.activities.models import Tag
from maillon.coordination.models import CoordinationActivity
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.territory import DepartementFactory


def test_it_seeds_the_demo_coordinator_once(db: None) -> None:
    mayenne = DepartementFactory.create(code="53")
    user = UserFactory.create(email="coordinatrice@demo.maillon.fr")
    MembershipFactory.create(coordinator=True, user=user, departements=[mayenne])

    call_command("seed_demo_coordination")
    call_command("seed_demo_coordination")

    assert CoordinationActivity.objects.filter(coordinator=user).count() == 5
    assert Tag.objects.get().owner_departement == mayenne


def test_it_asks_for_the_demo_accounts_first(db: None) -> None:
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_demo_coordination")
