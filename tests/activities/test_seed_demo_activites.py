from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from maillon.accounts.management.commands.seed_demo import STRUCTURES
from maillon.accounts.models import Role, User
from maillon.activities.generation import EMAIL_DOMAIN
from maillon.activities.management.commands.seed_demo_activites import PEOPLE, WORKSHOPS
from maillon.activities.models import Activity
from maillon.activities.vocabulary import TypeActivite
from maillon.beneficiaries.models import Beneficiary
from maillon.beneficiaries.trajectory import Verdict, trajectory_of
from tests.factories.territory import CommuneFactory


@pytest.fixture
def demo(settings: Any, db: None) -> None:
    settings.DEBUG = True
    for code_insee in {row[6] for row in STRUCTURES}:
        CommuneFactory.create(code_insee=code_insee)
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_lieux", stdout=StringIO())


def test_each_demo_mediator_gets_reports_once(demo: None) -> None:
    call_command("seed_demo_activites", "--sans-volume", stdout=StringIO())
    activities = Activity.objects.count()
    out = StringIO()
    call_command("seed_demo_activites", "--sans-volume", stdout=out)

    assert "déjà présentes" in out.getvalue()
    assert Activity.objects.count() == activities
    mediators = User.objects.filter(memberships__role=Role.MEDIATOR).distinct()
    assert mediators.count() == 2
    for mediator in mediators:
        mine = Activity.objects.filter(mediator=mediator)
        assert mine.filter(type=TypeActivite.COLLECTIF).count() == len(WORKSHOPS)
        assert mine.filter(type=TypeActivite.INDIVIDUEL).count() > len(PEOPLE)
    followed = Beneficiary.objects.filter(is_anonymous=False)
    assert followed.count() == 2 * len(PEOPLE)


def test_followed_people_show_a_rising_autonomy(demo: None) -> None:
    call_command("seed_demo_activites", "--sans-volume", stdout=StringIO())

    person = Beneficiary.objects.filter(is_anonymous=False).order_by("pk")[3]
    trajectory = trajectory_of(person)
    assert len(trajectory.rated) >= 3
    assert trajectory.first_level is not None and trajectory.latest_level is not None
    assert trajectory.latest_level > trajectory.first_level
    assert trajectory.verdict == Verdict.PROGRESSION


def test_the_generated_volume_is_not_made_twice(demo: None) -> None:
    User.objects.create_user(email=f"mediateur.7.1@{EMAIL_DOMAIN}", password=None)
    call_command("seed_demo_activites", "--sans-volume", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo_activites", stdout=out)

    assert "déjà généré" in out.getvalue()


def test_it_refuses_without_debug(settings: Any, db: None) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo_activites")
