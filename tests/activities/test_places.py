"""Where an activity happened: place, commune, itinerance; and the themes' bit masks."""

from maillon.activities.services import record_activity
from maillon.activities.vocabulary import Materiel, Thematique, TypeLieu
from maillon.places.vocabulary import codes_of
from tests.factories.activities import Teams, activity_data
from tests.factories.places import create_place


def test_a_lieu_d_activite_gives_its_commune(teams: Teams) -> None:
    data = activity_data(teams.a, place_kind=TypeLieu.LIEU_ACTIVITE, place=teams.place)
    activity = record_activity(actor=teams.mediator_a, data=data)
    assert activity.place == teams.place
    assert activity.commune == teams.laval
    assert not activity.is_itinerant


def test_an_itinerant_stop_is_recorded_in_the_stop_commune_and_flagged(teams: Teams) -> None:
    bus = create_place(nom="Bus numérique", code_insee="53130", itinerance=("itinerant",))
    data = activity_data(
        teams.a, place_kind=TypeLieu.LIEU_ACTIVITE, place=bus, commune=teams.le_mans
    )
    activity = record_activity(actor=teams.mediator_a, data=data)
    assert activity.is_itinerant
    assert activity.commune == teams.le_mans


def test_a_remote_session_takes_the_employer_commune(teams: Teams) -> None:
    activity = record_activity(
        actor=teams.mediator_a, data=activity_data(teams.a, place_kind=TypeLieu.A_DISTANCE)
    )
    assert activity.commune == teams.a.commune


def test_a_home_session_takes_the_typed_commune(teams: Teams) -> None:
    data = activity_data(teams.a, place_kind=TypeLieu.DOMICILE, commune=teams.le_mans)
    assert record_activity(actor=teams.mediator_a, data=data).commune == teams.le_mans


def test_themes_and_equipment_are_stored_as_lists_and_masks(teams: Teams) -> None:
    data = activity_data(
        teams.a,
        themes=(Thematique.SANTE, Thematique.DIAGNOSTIC_NUMERIQUE),
        equipment=(Materiel.TABLETTE,),
    )
    activity = record_activity(actor=teams.mediator_a, data=data)
    assert activity.themes == ["diagnostic_numerique", "sante"]
    assert activity.themes_mask == 1 << 0 | 1 << 8
    assert codes_of(Thematique, activity.themes_mask) == activity.themes
    assert activity.equipment == ["tablette"]
    assert activity.equipment_mask == 1 << 2
