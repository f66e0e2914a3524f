"""The normalised search key of a file: how it is made, kept on every write, and filled for the
files that existed before it (migration beneficiaries.0004)."""

import importlib

import pytest

from maillon.beneficiaries.matching import search_key
from maillon.beneficiaries.models import Beneficiary
from maillon.beneficiaries.services import BeneficiaryData, update_beneficiary
from tests.factories.activities import Teams
from tests.factories.beneficiaries import BeneficiaryFactory

fill_search_keys = importlib.import_module(
    "maillon.beneficiaries.migrations.0004_search_key"
).fill_search_keys


@pytest.mark.parametrize(
    ("texts", "key"),
    [
        (("Hélène", "Dupré"), "helene dupre"),
        (("HÉLÈNE",), "helene"),
        (("  Jean-Noël ", "LE  GOFF"), "jean-noel le goff"),
        (("Lœtitia", "D\u2019Almeida"), "loetitia d'almeida"),
        (("Zoé", "Straße", "Zoe.Strasse@Exemple.fr"), "zoe strasse zoe.strasse@exemple.fr"),
        (("", "", ""), ""),
    ],
)
def test_the_key_is_lower_case_unaccented_with_single_spaces(
    texts: tuple[str, ...], key: str
) -> None:
    assert search_key(*texts) == key


def test_the_key_follows_the_names_and_email_on_every_save(teams: Teams) -> None:
    person = BeneficiaryFactory.create(
        structure=teams.a, first_name="Hélène", last_name="Dupré", email=""
    )
    assert person.search_key == "helene dupre"

    update_beneficiary(
        actor=teams.mediator_a,
        beneficiary=person,
        data=BeneficiaryData(first_name="Hélène", last_name="Dupré-Noël", email="H@exemple.fr"),
    )

    person.refresh_from_db()
    assert person.search_key == "helene dupre-noel h@exemple.fr"
    # A save of other fields leaves the key alone, and does not write it.
    person.notes = "Rappeler"
    person.save(update_fields=["notes"])
    person.refresh_from_db()
    assert person.search_key == "helene dupre-noel h@exemple.fr"


def test_the_migration_fills_every_named_file_by_batches_once(teams: Teams) -> None:
    people = [
        BeneficiaryFactory.create(structure=teams.a, first_name="Hélène", last_name=f"Dupré{i}")
        for i in range(5)
    ]
    anonymous = BeneficiaryFactory.create(structure=teams.a, anonymous=True)
    Beneficiary.objects.update(search_key="")  # as the rows were before the column

    assert fill_search_keys(Beneficiary, batch_size=2) == 5
    assert fill_search_keys(Beneficiary, batch_size=2) == 0

    keys = dict(Beneficiary.objects.values_list("pk", "search_key"))
    assert [keys[p.pk] for p in people] == [f"helene dupre{i}" for i in range(5)]
    assert keys[anonymous.pk] == ""
