"""Factories for users, structures and memberships, with one trait per role."""

from typing import Any

import factory

from maillon.accounts.identifiers import luhn_complete
from maillon.accounts.models import Invitation, Membership, Role, Structure, User
from maillon.accounts.typologies import Typologie
from maillon.territory.models import Departement
from tests.factories.territory import CommuneFactory, DepartementFactory

DEFAULT_PASSWORD = "motdepasse-de-test-2026"


def fake_siret(n: int) -> str:
    """A Luhn-valid, fictitious SIRET built from a sequence number."""
    return luhn_complete(f"9{n:012d}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.django.Password(DEFAULT_PASSWORD)


class StructureFactory(factory.django.DjangoModelFactory[Structure]):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    siret = factory.Sequence(fake_siret)
    typologie = Typologie.ASSO
    address = "1 rue de la Paix"
    postal_code = "53000"
    commune = factory.SubFactory(CommuneFactory)


def _set_departements(
    membership: Membership, create: bool, extracted: list[Departement] | None, **kwargs: Any
) -> None:
    if create and membership.role == Role.COORDINATOR:
        membership.departements.set(
            extracted if extracted is not None else [DepartementFactory.create()]
        )


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    role = Role.MEDIATOR

    class Params:
        mediator = factory.Trait(role=Role.MEDIATOR)
        conseiller_numerique = factory.Trait(role=Role.MEDIATOR, is_conseiller_numerique=True)
        manager = factory.Trait(role=Role.MANAGER)
        coordinator = factory.Trait(role=Role.COORDINATOR, structure=None)
        administrator = factory.Trait(role=Role.ADMINISTRATOR, structure=None)

    # A coordinateur covers département 53 unless the test passes departements=[…].
    departements = factory.PostGeneration(_set_departements)


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@exemple.fr")
    structure = factory.SubFactory(StructureFactory)
    role = Role.MEDIATOR
    invited_by = factory.SubFactory(UserFactory)
