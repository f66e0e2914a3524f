import pytest

from maillon.places.views.place_sections import readable_phone


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+33587660000", "05 87 66 00 00"),
        ("+262262123456", "+262 262 12 34 56"),
        ("pas un numéro", "pas un numéro"),
        ("", ""),
    ],
)
def test_phones_are_shown_the_way_people_dial_them(stored: str, shown: str) -> None:
    assert readable_phone(stored) == shown
