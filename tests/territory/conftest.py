"""The real shipped reference data, loaded once for the whole tests/territory package.

Each test still runs in its own transaction (rolled back), so tests that reload changed files
leave the shared data as the package fixture loaded it.
"""

from collections.abc import Iterator

import pytest
from pytest_django.plugin import DjangoDbBlocker

from maillon.territory.models import Commune, Departement, Epci, PostalCode, Region
from maillon.territory.services import LoadReport, load_territory


@pytest.fixture(scope="package", autouse=True)
def territory_first_load(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[LoadReport]:
    with django_db_blocker.unblock():
        report = load_territory()
        yield report
        # Other test packages expect an empty territory.
        for model in (PostalCode, Commune, Epci, Departement, Region):
            model.objects.all().delete()
