"""Pivot identifiers of a structure: SIRET (14 digits) and RNA (W + 9 digits)."""

import re

from django.core.exceptions import ValidationError

# La Poste's establishments share the SIREN 356 000 000; their SIRETs fail the Luhn test and
# follow INSEE's special rule instead: the sum of the 14 digits is a multiple of 5.
LA_POSTE_SIREN = "356000000"

SIRET_RE = re.compile(r"^\d{14}$")
RNA_RE = re.compile(r"^W\d{9}$")


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siret_is_valid(value: str) -> bool:
    if not SIRET_RE.match(value):
        return False
    if value.startswith(LA_POSTE_SIREN):
        return sum(int(char) for char in value) % 5 == 0
    return luhn_is_valid(value)


def validate_siret(value: str) -> None:
    if not SIRET_RE.match(value):
        raise ValidationError(
            "Le SIRET doit comporter exactement 14 chiffres, sans espace.", code="siret_format"
        )
    if not siret_is_valid(value):
        raise ValidationError(
            "Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez chaque chiffre.",
            code="siret_checksum",
        )


def validate_rna(value: str) -> None:
    if not RNA_RE.match(value):
        raise ValidationError(
            "Le numéro RNA doit commencer par la lettre W suivie de 9 chiffres (ex. : W532001234).",
            code="rna_format",
        )


def normalize_identifier(value: str) -> str:
    """Drop the spaces and dots people type, upper-case the RNA's W."""
    return re.sub(r"[\s.]", "", value).upper()


def luhn_complete(stem: str) -> str:
    """Append the digit that makes `stem` pass the Luhn test (used to build fictitious SIRETs)."""
    return next(stem + str(key) for key in range(10) if luhn_is_valid(stem + str(key)))
