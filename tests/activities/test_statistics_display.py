"""How counts and shares read on the dashboard and the PDF (French) and in the CSV and XLSX files
(plain numbers, so that a spreadsheet or a script reads them as numbers)."""

import pytest
from django.utils import translation

from maillon.activities.exports.sections import Total
from maillon.activities.statistics.masking import SUPPRESSED, displayed, exported
from maillon.activities.statistics.queries import Cell


@pytest.fixture(autouse=True)
def _french() -> None:
    translation.activate("fr")


def _spaced(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_a_count_on_the_page_is_grouped_by_thousands_and_a_share_has_a_decimal_comma() -> None:
    cell = Cell("fr", "France", 8_666_147, 0.125)

    assert _spaced(cell.display) == "8 666 147"
    assert cell.percent == "12,5 %"
    assert displayed(None) == SUPPRESSED


def test_a_count_in_a_file_stays_a_plain_number() -> None:
    assert exported(8_666_147) == 8_666_147
    assert exported(None) == SUPPRESSED
    assert Total("accompagnements", "Accompagnements", 12_345).value == 12_345
    assert Total("nouveaux", "Nouveaux", None, applicable=False).value == ""
    assert Total("nouveaux", "Nouveaux", None).value == SUPPRESSED
