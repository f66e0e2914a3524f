"""The beneficiary file is shared by a structure's members and by nobody else."""

import pytest

from maillon.beneficiaries.models import (
    DERIVED_PERSONAL_FIELDS,
    NON_PERSONAL_FIELDS,
    PERSONAL_FIELDS,
    Beneficiary,
)
from tests.factories.activities import Teams
from tests.factories.beneficiaries import BeneficiaryFactory


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("mediator_a", {"a"}),
        ("colleague_a", {"a"}),
        ("manager_a", {"a"}),
        ("mediator_b", {"b"}),
        ("coordinator", set()),
        ("administrator", set()),
        ("stranger", set()),
    ],
)
def test_members_of_a_structure_see_its_beneficiaries_only(
    teams: Teams, who: str, sees: set[str]
) -> None:
    in_a = BeneficiaryFactory.create(structure=teams.a, created_by=teams.mediator_a)
    in_b = BeneficiaryFactory.create(structure=teams.b, created_by=teams.mediator_b)
    visible = set(Beneficiary.objects.visible_to(getattr(teams, who)))
    assert visible == {{"a": in_a, "b": in_b}[name] for name in sees}


def test_a_file_created_by_a_colleague_is_shared(teams: Teams) -> None:
    person = BeneficiaryFactory.create(structure=teams.a, created_by=teams.colleague_a)
    assert person in Beneficiary.objects.visible_to(teams.mediator_a)


def test_a_former_member_loses_access(teams: Teams) -> None:
    person = BeneficiaryFactory.create(structure=teams.a)
    teams.mediator_a.memberships.update(is_active=False)
    assert person not in Beneficiary.objects.visible_to(teams.mediator_a)


def test_active_leaves_out_deleted_and_merged_files(teams: Teams) -> None:
    kept = BeneficiaryFactory.create(structure=teams.a)
    BeneficiaryFactory.create(structure=teams.a, deleted=True)
    BeneficiaryFactory.create(structure=teams.a, merged_into=kept)
    assert list(Beneficiary.objects.active()) == [kept]


def test_identified_leaves_out_anonymous_people(teams: Teams) -> None:
    named = BeneficiaryFactory.create(structure=teams.a)
    BeneficiaryFactory.create(structure=teams.a, anonymous=True)
    BeneficiaryFactory.create(structure=teams.a, randomly_attributed=True)
    assert list(Beneficiary.objects.identified()) == [named]


def test_the_bracket_comes_from_the_birth_year_else_from_the_stored_one(teams: Teams) -> None:
    born = BeneficiaryFactory.create(structure=teams.a, birth_year=1950)
    drawn = BeneficiaryFactory.create(
        structure=teams.a, randomly_attributed=True, age_bracket="douze_dix_huit"
    )
    assert born.tranche_age == "soixante_dix_plus"
    assert drawn.tranche_age == "douze_dix_huit"


def test_every_field_is_classified_personal_or_not() -> None:
    names = [field.name for field in Beneficiary._meta.concrete_fields]
    lists = (PERSONAL_FIELDS, DERIVED_PERSONAL_FIELDS, NON_PERSONAL_FIELDS)
    assert sorted(names) == sorted(name for fields in lists for name in fields)
