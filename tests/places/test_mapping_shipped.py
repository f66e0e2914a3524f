"""manage.py import_shipped_lieux: imports the manifest's files through the ordinary import."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from maillon.places.management.commands.import_shipped_lieux import shipped_files
from maillon.places.models import CandidatePair, Source, SourceRecord
from tests.factories.territory import CommuneFactory, DepartementFactory, RegionFactory


def charente_bus_communes() -> None:
    """The communes of the Charente bus stops, read from the file (not the real 34,969)."""
    import csv

    region = RegionFactory.create(code="75", name="Nouvelle-Aquitaine")
    departement = DepartementFactory.create(code="16", name="Charente", region=region)
    shipped = next(f for f in shipped_files() if f.source_slug == "bus-france-services-charente")
    with shipped.path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            CommuneFactory.create(
                code_insee=row["code_insee"],
                name=row["commune"],
                departement=departement,
                epci=None,
            )


@pytest.mark.django_db
def test_it_imports_a_shipped_file_once_and_then_changes_nothing() -> None:
    charente_bus_communes()
    out = StringIO()
    call_command("import_shipped_lieux", "--only", "bus-france-services-charente", stdout=out)
    expected = "bus-france-services-charente_16_brut.csv (bus-france-services-charente) : "
    assert expected + "12 lieux lus : 12 créés" in out.getvalue()
    source = Source.objects.get(slug="bus-france-services-charente")
    assert (source.name, source.priority, source.mapping) == (
        "Bus France Services de Charente (Emmaüs Ruffec)",
        30,
        "bus-france-services-charente",
    )
    assert SourceRecord.objects.filter(source=source).count() == 12

    out = StringIO()
    call_command("import_shipped_lieux", "--only", "bus-france-services-charente", stdout=out)
    assert "0 créé, 0 mis à jour, 12 inchangés, 0 retiré" in out.getvalue()


@pytest.mark.django_db
def test_it_links_the_imported_records_afterwards() -> None:
    charente_bus_communes()
    out = StringIO()

    call_command("import_shipped_lieux", "--only", "bus-france-services-charente", stdout=out)

    assert "Rapprochement : " in out.getvalue()
    assert CandidatePair.objects.exists()


@pytest.mark.django_db
def test_it_refuses_an_unknown_source() -> None:
    with pytest.raises(
        CommandError, match=r"Source\(s\) inconnue\(s\) : inconnue \(connues : .*gironde-33"
    ):
        call_command("import_shipped_lieux", "--only", "inconnue", stdout=StringIO())
