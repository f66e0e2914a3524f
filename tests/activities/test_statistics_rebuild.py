"""`rebuild_statistics` (numpy, bulk writes) gives the tables the raw rows give, row by row."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from maillon.activities.generation import generate
from maillon.activities.models import Activity
from maillon.activities.statistics import aggregates, rollups
from maillon.territory.models import Commune, Zone
from maillon.territory.names import normalize_name
from tests.factories.territory import DepartementFactory, EpciFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(db: None) -> None:
    """Two départements of one région, their communes in two EPCI and one without."""
    region = RegionFactory.create(code="52")
    epcis = [EpciFactory.create(siren=f"20000000{n}") for n in range(2)]
    for code, name in (("53", "Mayenne"), ("72", "Sarthe")):
        departement = DepartementFactory.create(code=code, name=name, region=region)
        for n in range(1, 7):
            Commune.objects.create(
                code_insee=f"{code}{n:03d}",
                name=f"Commune {code}-{n}",
                search_name=normalize_name(f"Commune {code}-{n}"),
                zone=Zone.METRO,
                departement=departement,
                epci=epcis[n % 2] if n < 6 else None,
                population=1000 * n,
            )


def _assert_rebuilt_equal_raw() -> None:
    call_command("rebuild_statistics", verbosity=0)
    assert aggregates.stored() == aggregates.recount_from_raw()
    raw = rollups.recount_from_raw()
    for table in rollups.ALL_TABLES:
        assert rollups.stored(table) == raw[table], table.model.__name__
    assert rollups.stored_trends() == rollups.trends_from_raw()


def test_rebuild_after_generation_equals_the_raw_rows(communes: None) -> None:
    generate(count=1500, seed=5)
    _assert_rebuilt_equal_raw()
    # Deleted activities leave every table; a second generation adds to the first.
    doomed = list(Activity.objects.order_by("pk").values_list("pk", flat=True)[::7])
    Activity.objects.filter(pk__in=doomed).update(deleted_at=timezone.now())
    generate(count=300, seed=6, rebuild_indexes=False)
    _assert_rebuilt_equal_raw()
    assert Activity.objects.filter(date__lt=dt.date(2025, 1, 1)).exists()
