import pytest

from tests.factories.activities import Teams, build_teams


@pytest.fixture
def teams(db: None) -> Teams:
    return build_teams()
