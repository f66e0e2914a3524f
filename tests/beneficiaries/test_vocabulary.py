# ruff: noqa: RUF002 — typographic apostrophes are part of the reference labels.
"""Beneficiary enumerations (activites-et-beneficiaires.md §3.1–3.3) and the age derivation."""

import pytest

from maillon.beneficiaries.models import Genre, StatutSocial, TrancheAge, tranche_age_of


def test_genre_matches_the_reference() -> None:
    assert Genre.choices == [
        ("masculin", "Masculin"),
        ("feminin", "Féminin"),
        ("non_communique", "Non communiqué"),
    ]


def test_tranche_age_matches_the_reference() -> None:
    assert TrancheAge.choices == [
        ("moins_de_douze", "Moins de 12 ans"),
        ("douze_dix_huit", "12 - 17 ans"),
        ("dix_huit_vingt_quatre", "18 - 24 ans"),
        ("vingt_cinq_trente_neuf", "25 - 39 ans"),
        ("quarante_cinquante_neuf", "40 - 59 ans"),
        ("soixante_soixante_neuf", "60 - 69 ans"),
        ("soixante_dix_plus", "70 ans et plus"),
        ("non_communique", "Non communiqué"),
    ]


def test_statut_social_matches_the_reference() -> None:
    assert StatutSocial.choices == [
        ("scolarise", "Scolarisé"),
        ("sans_emploi", "Sans emploi"),
        ("en_emploi", "En emploi"),
        ("retraite", "Retraité"),
        ("non_communique", "Non communiqué ou hétérogène"),
    ]


@pytest.mark.parametrize(
    ("age", "bracket"),
    [
        (0, "moins_de_douze"),
        (11, "moins_de_douze"),
        (12, "douze_dix_huit"),
        (17, "douze_dix_huit"),
        (18, "dix_huit_vingt_quatre"),
        (24, "dix_huit_vingt_quatre"),
        (25, "vingt_cinq_trente_neuf"),
        (39, "vingt_cinq_trente_neuf"),
        (40, "quarante_cinquante_neuf"),
        (59, "quarante_cinquante_neuf"),
        (60, "soixante_soixante_neuf"),
        (69, "soixante_soixante_neuf"),
        (70, "soixante_dix_plus"),
        (105, "soixante_dix_plus"),
    ],
)
def test_it_derives_the_bracket_from_calendar_years(age: int, bracket: str) -> None:
    assert tranche_age_of(2026 - age, year=2026) == bracket


def test_someone_born_in_december_counts_one_year_older_all_year() -> None:
    # Born 31 December 2014: 11 on 1 January 2026 by the day, but 12 in calendar years.
    assert tranche_age_of(2014, year=2026) == TrancheAge.DOUZE_DIX_HUIT


def test_no_birth_year_means_non_communique() -> None:
    assert tranche_age_of(None) == TrancheAge.NON_COMMUNIQUE
