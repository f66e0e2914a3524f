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
    laval = CommuneFactory(code_insee="53130", name="Laval")
    sarthe = DepartementFactory(code="72", name="Sarthe", region=RegionFactory(code="52"))
    le_mans = CommuneFactory(
        code_insee="72181",
        name="Le Mans",
        departement=sarthe,
        epci=EpciFactory(siren="247200132", name="Le Mans Métropole"),
    )
    structure = StructureFactory(name="CCAS de Laval", commune=laval)
    neighbour = StructureFactory(name="Médiathèque de Laval", commune=laval)
    elsewhere = StructureFactory(name="Centre social du Mans", commune=le_mans)
    mediator_membership = MembershipFactory(mediator=True, structure=structure)
    manager = MembershipFactory(manager=True, structure=structure).user
    coordinator = MembershipFactory(coordinator=True).user  # département 53
    administrator = MembershipFactory(administrator=True).user
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
        stranger=UserFactory(),
        mediator_membership=mediator_membership,
    )
