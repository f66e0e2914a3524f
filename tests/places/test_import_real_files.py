"""The three shipped standard files import (warnings allowed, no error), then re-import as a
no-op. Skipped when the shared data folder is absent (it is not part of the repository)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from pytest_django.plugin import DjangoDbBlocker

from maillon.places.importing.service import import_file
from maillon.places.models import Place
from maillon.territory.models import Commune, Departement, Epci, PostalCode, Region
from maillon.territory.services import load_territory

DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "lieux-mediation"
STANDARD_FILES = {
    "hinaura_auvergne-rhone-alpes_2021_standard.csv": 687,
    "charente_16_2023_standard.csv": 188,
    "nouvelle-caledonie_2023_standard.csv": 90,
}

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="données partagées absentes")


@pytest.fixture(scope="module", autouse=True)
def territory(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        load_territory()
        yield
        # Other test modules expect an empty territory.
        for model in (PostalCode, Commune, Epci, Departement, Region):
            model.objects.all().delete()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "rows"), list(STANDARD_FILES.items()))
def test_it_imports_each_shipped_standard_file(name: str, rows: int) -> None:
    report = import_file(DATA / name, source_slug=name.split("_")[0])
    print(f"\n{name} : {report.summary()}")

    assert report.errors == []
    assert (report.rows, report.created) == (rows, rows)
    assert Place.objects.current().count() == rows
    assert Place.objects.filter(commune_ref__isnull=False).count() == rows

    again = import_file(DATA / name, source_slug=name.split("_")[0])

    assert (again.created, again.updated, again.unchanged, again.retired) == (0, 0, rows, 0)
