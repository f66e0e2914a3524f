"""Activity reports: `activity_data()` for the services, model factories for raw rows."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import factory
from django.utils import timezone

from maillon.accounts.models import Structure, User
from maillon.activities.models import Activity, Tag
from maillon.activities.participants import AnonymousParticipants
from maillon.activities.services import ActivityData
from maillon.activities.vocabulary import TagScope, Thematique, TypeActivite, TypeLieu
from maillon.places.models import Place
from maillon.places.vocabulary import mask_of
from maillon.territory.models import Commune, Departement, Epci, Zone
from maillon.territory.names import normalize_name
from tests.factories.accounts import MembershipFactory, StructureFactory, UserFactory
from tests.factories.places import create_place
from tests.factories.territory import (
    DepartementFactory,
    EpciFactory,
    RegionFactory,
)

DEFAULT_DATE = dt.date(2026, 10, 5)


def activity_data(structure: Structure, **fields: Any) -> ActivityData:
    """A valid individual session at a distance with an anonymous person; override anything.

    `collective=True` turns it into a workshop with 3 anonymous participants.
    """
    values: dict[str, Any] = {
        "type": TypeActivite.INDIVIDUEL,
        "structure": structure,
        "date": DEFAULT_DATE,
        "duration_minutes": 30,
        "place_kind": TypeLieu.A_DISTANCE,
        "themes": (Thematique.EMAIL,),
    }
    if fields.pop("collective", False):
        values["type"] = TypeActivite.COLLECTIF
        values["workshop_title"] = "Premiers pas sur internet"
        values["anonymous_participants"] = AnonymousParticipants(total=3)
    values.update(fields)
    return ActivityData(**values)


class TagFactory(factory.django.DjangoModelFactory[Tag]):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Étiquette {n}")
    scope = TagScope.STRUCTURE
    owner_structure = factory.SubFactory(StructureFactory)

    class Params:
        personal = factory.Trait(
            scope=TagScope.PERSONAL,
            owner_structure=None,
            owner_user=factory.SubFactory(UserFactory),
        )
        territory = factory.Trait(
            scope=TagScope.TERRITORY,
            owner_structure=None,
            owner_departement=factory.SubFactory(DepartementFactory),
        )


class ActivityFactory(factory.django.DjangoModelFactory[Activity]):
    """A raw row, without accompaniments: for querysets; use the services for real reports."""

    class Meta:
        model = Activity

    type = TypeActivite.INDIVIDUEL
    mediator = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    date = DEFAULT_DATE
    duration_minutes = 30
    place_kind = TypeLieu.A_DISTANCE
    commune = factory.SelfAttribute("structure.commune")
    themes = [Thematique.EMAIL.value]
    themes_mask = factory.LazyAttribute(lambda o: mask_of(Thematique, o.themes))

    class Params:
        collective = factory.Trait(
            type=TypeActivite.COLLECTIF, workshop_title="Atelier", duration_minutes=90
        )
        deleted = factory.Trait(deleted_at=factory.LazyFunction(timezone.now))


@dataclass
class Teams:
    """Structure A (Laval, 53) and structure B (Le Mans, 72), their people, and a place in Laval."""

    laval: Commune
    le_mans: Commune
    a: Structure
    b: Structure
    mediator_a: User
    colleague_a: User
    manager_a: User
    mediator_b: User
    coordinator: User
    administrator: User
    stranger: User
    place: Place


def _commune(code: str, name: str, departement: Departement, epci: Epci) -> Commune:
    """Without CommuneFactory: each of its builds consumes one of its 500 sequence codes
    (53500…53999), which a whole suite on PostgreSQL would otherwise exhaust."""
    return Commune.objects.create(
        code_insee=code,
        name=name,
        search_name=normalize_name(name),
        zone=Zone.METRO,
        departement=departement,
        epci=epci,
        population=1000,
    )


def build_teams() -> Teams:
    laval = _commune("53130", "Laval", DepartementFactory.create(), EpciFactory.create())
    sarthe = DepartementFactory.create(
        code="72", name="Sarthe", region=RegionFactory.create(code="52")
    )
    le_mans = _commune(
        "72181",
        "Le Mans",
        sarthe,
        EpciFactory.create(siren="247200132", name="Le Mans Métropole"),
    )
    a = StructureFactory.create(name="CCAS de Laval", commune=laval)
    b = StructureFactory.create(name="Centre social du Mans", commune=le_mans)
    return Teams(
        laval=laval,
        le_mans=le_mans,
        a=a,
        b=b,
        mediator_a=MembershipFactory.create(mediator=True, structure=a).user,
        colleague_a=MembershipFactory.create(conseiller_numerique=True, structure=a).user,
        manager_a=MembershipFactory.create(manager=True, structure=a).user,
        mediator_b=MembershipFactory.create(mediator=True, structure=b).user,
        coordinator=MembershipFactory.create(coordinator=True).user,  # département 53
        administrator=MembershipFactory.create(administrator=True).user,
        stranger=UserFactory.create(),
        place=create_place(nom="Espace numérique de Laval", code_insee="53130"),
    )
