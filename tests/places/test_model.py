import datetime as dt

import pytest

from maillon.places import merge
from maillon.places.models import Place, SourceKind, SourceRecord
from maillon.places.record import Freshness, PlaceData, completeness, freshness
from tests.factories.places import create_place, place_data, source


def _add_record(place: Place, slug: str, data: PlaceData, kind: str = SourceKind.STANDARD) -> None:
    SourceRecord.objects.create(
        source=source(slug, kind=kind),
        external_id=f"{slug}-1",
        place=place,
        data=data.to_json(),
        fingerprint=data.fingerprint(),
        date_maj=data.date_maj,
    )


@pytest.mark.django_db
def test_it_filters_enumerated_fields_with_any_of_the_codes() -> None:
    demarches = create_place(nom="A", services=("aide_demarches",))
    create_place(nom="B", services=("loisirs_creations",))
    both = create_place(nom="C", services=("loisirs_creations", "acces_materiel"))

    found = Place.objects.with_any("services", ["aide_demarches", "acces_materiel"])

    assert set(found) == {demarches, both}


@pytest.mark.django_db
def test_places_welcoming_no_public_are_not_published() -> None:
    create_place(nom="Privé", modalites_acces=("pas_de_public",))
    public = create_place(nom="Public", modalites_acces=("se_presenter",))

    assert list(Place.objects.published()) == [public]


@pytest.mark.django_db
def test_merge_takes_the_newest_value_and_unions_lists_with_provenance() -> None:
    place = create_place(
        source_slug="ancien",
        date_maj=dt.date(2024, 1, 1),
        telephone="+33243000000",
        services=("aide_demarches",),
    )
    _add_record(
        place,
        "recent",
        place_data(date_maj=dt.date(2026, 1, 1), telephone="", services=("acces_materiel",)),
    )

    merge.rebuild(place)

    assert place.telephone == "+33243000000"
    assert place.services == ["acces_materiel", "aide_demarches"]
    assert place.date_maj == dt.date(2026, 1, 1)
    assert place.field_provenance["telephone"]["source"] == "ancien"
    assert place.field_provenance["services"]["rule"] == "union"


@pytest.mark.django_db
def test_an_edit_in_maillon_defines_every_field_even_empty_ones() -> None:
    place = create_place(source_slug="producteur", telephone="+33243000000")
    _add_record(
        place,
        "saisie",
        place_data(date_maj=dt.date(2026, 10, 1), telephone=""),
        kind=SourceKind.EDITING,
    )

    merge.rebuild(place)

    assert place.telephone == ""
    assert place.field_provenance["telephone"]["rule"] == "saisie"


@pytest.mark.django_db
def test_a_place_without_active_records_is_retired() -> None:
    place = create_place()
    place.records.update(retired_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))

    assert merge.rebuild(place) == ["retired_at"]
    assert not Place.objects.current().exists()


def test_completeness_counts_weighted_fields() -> None:
    bare = PlaceData(nom="X", date_maj=dt.date(2026, 1, 1))

    assert completeness(bare) == round(100 * 4 / 43)


@pytest.mark.parametrize(
    ("age_days", "expected"),
    [
        (10, Freshness.A_JOUR),
        (200, Freshness.A_SURVEILLER),
        (400, Freshness.A_VERIFIER),
        (600, Freshness.A_ACTUALISER),
    ],
)
def test_freshness_follows_the_month_thresholds(age_days: int, expected: Freshness) -> None:
    today = dt.date(2026, 11, 22)

    assert freshness(today - dt.timedelta(days=age_days), today) == expected
