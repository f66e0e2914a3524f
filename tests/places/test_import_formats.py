"""The other formats: standard v0.1 JSON, data·inclusion structures, producer files through a
declarative mapping. They end up in the same normaliser as a standard CSV."""

import datetime as dt
from pathlib import Path

import pytest

from maillon.places.importing.readers import Format
from maillon.places.importing.service import import_file
from maillon.places.models import Place, SourceKind
from maillon.territory.models import Commune
from tests.factories.territory import CommuneFactory, PostalCodeFactory

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture
def laval() -> Commune:
    commune = CommuneFactory.create(code_insee="53130", name="Laval")
    PostalCodeFactory.create(code="53000", commune=commune)
    return commune


@pytest.mark.django_db
def test_it_imports_a_standard_v01_json_file(laval: Commune) -> None:
    report = import_file(FIXTURES / "standard-v01.json", source_slug="json")

    assert report.format == Format.STANDARD_JSON
    assert (report.errors, report.created) == ([], 2)
    first = Place.objects.get(records__external_id="j1")
    assert first.services == ["outils_quotidien", "loisirs_creations"]
    assert first.frais_a_charge == ["payant"]
    second = Place.objects.get(records__external_id="j2")
    assert second.services == ["acces_materiel"]
    assert second.date_maj == dt.date(2022, 10, 3)


@pytest.mark.django_db
def test_it_imports_data_inclusion_structures(laval: Commune) -> None:
    report = import_file(FIXTURES / "data-inclusion-structures.json")

    assert report.format == Format.DATA_INCLUSION
    assert report.source.kind == SourceKind.DATA_INCLUSION
    assert (report.errors, report.created) == ([], 1)
    place = Place.objects.get(records__external_id="epn-1")
    assert place.pivot == "43493312300029"
    assert place.courriels == ["epn@laval.fr"]
    assert place.horaires.startswith("Mo-Fr 08:30-12:30; PH ")
    assert place.presentation_detail.startswith("Un lieu pour apprendre")
    assert place.dispositif_programmes_nationaux == ["france_services", "conseillers_numeriques"]
    assert place.commune_ref == laval


@pytest.mark.django_db
def test_it_imports_a_producer_file_through_a_mapping(laval: Commune) -> None:
    report = import_file(FIXTURES / "producteur.csv", mapping=str(FIXTURES / "producteur.toml"))

    assert report.format == Format.MAPPING
    assert report.source.slug == "producteur-essai"
    assert report.source.kind == SourceKind.MAPPING
    assert (report.errors, report.created) == ([], 2)
    place = Place.objects.get(records__external_id="A1")
    assert place.services == ["aide_demarches", "outils_quotidien"]
    assert place.telephone == "+33243000000"
    assert place.date_maj == dt.date(2024, 2, 1)
    assert any("jardinage" in issue.value for issue in report.warnings)

    again = import_file(FIXTURES / "producteur.csv", mapping=str(FIXTURES / "producteur.toml"))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.django_db
def test_it_refuses_a_file_that_does_not_fit_its_mapping(laval: Commune) -> None:
    report = import_file(FIXTURES / "malformed.csv", mapping=str(FIXTURES / "producteur.toml"))

    assert len(report.errors) == 1 and "Colonnes absentes" in report.errors[0].reason
    assert not Place.objects.exists()
