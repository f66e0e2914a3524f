"""Positions and communes that contradict each other (geocoder homonyms, stray coordinates)."""

from pathlib import Path

import pytest

from maillon.places.models import Place
from maillon.places.record import LocationPrecision
from maillon.territory.models import Commune
from tests.factories.territory import CommuneFactory, DepartementFactory, PostalCodeFactory
from tests.places.test_import import import_rows, laval, row

__all__ = ["laval"]  # the fixture, imported for pytest


@pytest.mark.django_db
def test_a_position_far_from_its_commune_becomes_the_approximate_commune_centre(
    tmp_path: Path, laval: Commune
) -> None:
    # A geocoder put this Laval place near Aix-en-Provence.
    report = import_rows(tmp_path, [row(latitude="43.4513", longitude="5.4118")])

    place = Place.objects.get()
    assert (place.latitude, place.longitude) == (48.0695, -0.7708)
    assert place.location_precision == LocationPrecision.COMMUNE
    assert any("km de Laval" in issue.reason for issue in report.warnings)


@pytest.mark.django_db
def test_a_position_inside_a_large_commune_is_kept(tmp_path: Path) -> None:
    large = CommuneFactory.create(
        code_insee="13004", name="Arles", latitude=43.55, longitude=4.66, area_km2=758.9
    )
    PostalCodeFactory.create(code="13200", commune=large)

    import_rows(
        tmp_path,
        [
            row(
                commune="Arles",
                code_postal="13200",
                code_insee="13004",
                latitude="43.40",  # 17 km south of the centre, still in the Camargue
                longitude="4.66",
            )
        ],
    )

    assert Place.objects.get().location_precision == LocationPrecision.PRECISE


@pytest.mark.django_db
def test_a_homonym_code_insee_gives_way_to_the_only_commune_of_the_postal_code(
    tmp_path: Path,
) -> None:
    mayenne = CommuneFactory.create(
        code_insee="53147", name="Mayenne", latitude=48.30, longitude=-0.61
    )
    PostalCodeFactory.create(code="53100", commune=mayenne)
    CommuneFactory.create(
        code_insee="33063",
        name="Bordeaux",
        latitude=44.84,
        longitude=-0.58,
        departement=DepartementFactory.create(code="33", name="Gironde"),
    )

    report = import_rows(
        tmp_path,
        [
            row(
                commune="Bordeaux",
                code_postal="53100",
                code_insee="33063",
                adresse="44 place Gambetta",
                latitude="44.8412",
                longitude="-0.5800",
            )
        ],
    )

    place = Place.objects.get()
    assert (place.commune_ref_id, place.commune) == ("53147", "Mayenne")
    assert place.location_precision == LocationPrecision.COMMUNE
    assert any("autre département" in issue.reason for issue in report.warnings)
