import pytest
from django.core.exceptions import ValidationError

from maillon.accounts.identifiers import luhn_complete, siret_is_valid, validate_rna, validate_siret
from maillon.accounts.typologies import Typologie


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000074",  # a real, Luhn-valid SIRET
        "35600000049837",  # La Poste: digit sum multiple of 5
        luhn_complete("9999990000001"),
    ],
)
def test_it_accepts_valid_sirets(siret: str) -> None:
    assert siret_is_valid(siret)
    validate_siret(siret)


def test_it_rejects_a_wrong_checksum_with_a_french_message() -> None:
    with pytest.raises(ValidationError, match="clé de contrôle"):
        validate_siret("73282932000075")


def test_it_applies_la_poste_rule_instead_of_luhn() -> None:
    assert not siret_is_valid("35600000049838")


@pytest.mark.parametrize("value", ["1234", "7328293200007A", "732 829 320 00074"])
def test_it_rejects_malformed_sirets(value: str) -> None:
    with pytest.raises(ValidationError, match="14 chiffres"):
        validate_siret(value)


def test_it_validates_rna() -> None:
    validate_rna("W532000001")
    with pytest.raises(ValidationError, match="lettre W"):
        validate_rna("532000001")


def test_typologie_has_the_92_official_codes() -> None:
    assert len(Typologie.choices) == 92
    assert Typologie.AUTRE.value == "Autre"
    assert Typologie.BIB.label == "Bibliothèque / Médiathèque"
    assert Typologie.CCAS.label == "Centres communaux d’action sociale"  # noqa: RUF001
