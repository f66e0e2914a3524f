"""French numbers: rounded (not cut), decimal comma, thousands grouped."""

import pytest
from django.utils import translation

from maillon.core.formats import french_number, french_percent


@pytest.fixture(autouse=True)
def _french() -> None:
    translation.activate("fr")


def test_decimals_are_rounded_not_cut() -> None:
    assert french_number(4.88, 1) == "4,9"
    assert french_number(0.011 * 100, 1) == "1,1"  # 1.0999999999999999 as a float


def test_thousands_are_grouped_and_the_unit_follows_a_no_break_space() -> None:
    assert french_number(1234567).replace("\u202f", " ").replace("\u00a0", " ") == "1 234 567"
    assert french_number(12.5, 1, "km²") == "12,5\u00a0km²"


def test_no_decimal_asked_gives_an_integer() -> None:
    assert french_number(2.6) == "3"
    assert french_number(1999.6).replace("\u202f", " ").replace("\u00a0", " ") == "2 000"


def test_a_share_reads_as_a_french_percentage() -> None:
    assert french_percent(0.125) == "12,5 %"
    assert french_percent(0.011) == "1,1 %"
    assert french_percent(None) == "—"
