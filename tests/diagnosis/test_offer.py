"""Weekly opening hours read from OpenStreetMap values."""

import pytest

from maillon.diagnosis.offer import weekly_hours


@pytest.mark.parametrize(
    ("osm", "hours"),
    [
        ("Mo-Fr 09:00-12:00,14:00-17:00", 30.0),
        ("Mo-Fr 09:00-12:00; PH off", 15.0),
        ("Mo,We 09:00-12:00; Sa 10:00-11:30", 7.5),
        ("Mo-Fr 09:00-12:00; We 14:00-16:00", 14.0),  # a later rule replaces the day
        ("week 1-53/2 Mo 09:00-12:00", 1.5),  # odd weeks only: half of 3 hours a week
        ("Mo 09:30-12:30 || Tu 14:00-16:00", 5.0),
    ],
)
def test_weekly_hours(osm: str, hours: float) -> None:
    assert weekly_hours(osm) == pytest.approx(hours)


@pytest.mark.parametrize("osm", ["", '"sur rendez-vous"', "n'importe quoi", "24/7"])
def test_unknown_hours_are_none(osm: str) -> None:
    assert weekly_hours(osm) is None
