from dataclasses import dataclass

import pytest

from maillon.accounts.models import User
from tests.factories.accounts import MembershipFactory
from tests.factories.activities import Teams, build_teams


@dataclass
class Coordinators:
    teams: Teams
    coordinator: User  # département 53 (Mayenne), the teams' coordinator
    other: User  # another coordinator, of département 72


@pytest.fixture
def teams(db: None) -> Teams:
    return build_teams()


@pytest.fixture
def coordinators(teams: Teams) -> Coordinators:
    other = MembershipFactory.create(
        coordinator=True, departements=[teams.le_mans.departement]
    ).user
    return Coordinators(teams=teams, coordinator=teams.coordinator, other=other)
