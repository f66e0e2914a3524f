from dataclasses import dataclass

import pytest

from maillon.accounts.models import Membership, Structure, User
from maillon.territory.models import Commune
from tests.factories.accounts import MembershipFactory, StructureFactory, UserFactory
from tests.factories.territory import (
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    RegionFactory,
)


@dataclass
class World:
    """Two structures in Mayenne (53) and one in Sarthe (72), and one user per role."""

    laval: Commune
    le_mans: Commune
    structure: Structure
    neighbour: Structure
    elsewhere: Structure
    mediator: User
    manager: User
    coordinator: User
    administrator: User
    stranger: User
    mediator_membership: Membership


@pytest.fixture
def world(db: None) -> World:
    laval = CommuneFactory.create(code_insee="53130", name="Laval")
    sarthe = DepartementFactory.create(
        code="72", name="Sarthe", region=RegionFactory.create(code="52")
    )
    le_mans = CommuneFactory.create(
        code_insee="72181",
        name="Le Mans",
        departement=sarthe,
        epci=EpciFactory.create(siren="247200132", name="Le Mans Métropole"),
    )
    structure = StructureFactory.create(name="CCAS de Laval", commune=laval)
    neighbour = StructureFactory.create(name="Médiathèque de Laval", commune=laval)
    elsewhere = StructureFactory.create(name="Centre social du Mans", commune=le_mans)
    mediator_membership = MembershipFactory.create(mediator=True, structure=structure)
    manager = MembershipFactory.create(manager=True, structure=structure).user
    coordinator = MembershipFactory.create(coordinator=True).user  # département 53
    administrator = MembershipFactory.create(administrator=True).user
    return World(
        laval=laval,
        le_mans=le_mans,
        structure=structure,
        neighbour=neighbour,
        elsewhere=elsewhere,
        mediator=mediator_membership.user,
        manager=manager,
        coordinator=coordinator,
        administrator=administrator,
        stranger=UserFactory.create(),
        mediator_membership=mediator_membership,
    )
