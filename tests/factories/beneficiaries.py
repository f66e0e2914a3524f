"""Beneficiaries of a structure: identified by default, traits for the other kinds."""

import factory
from django.utils import timezone

from maillon.beneficiaries.models import Beneficiary
from tests.factories.accounts import StructureFactory, UserFactory


class BeneficiaryFactory(factory.django.DjangoModelFactory[Beneficiary]):
    class Meta:
        model = Beneficiary

    structure = factory.SubFactory(StructureFactory)
    created_by = factory.SubFactory(UserFactory)
    first_name = "Dominique"
    last_name = factory.Sequence(lambda n: f"Durand{n}")

    class Params:
        anonymous = factory.Trait(is_anonymous=True, first_name="", last_name="")
        # A row drawn from a collective session's counters.
        randomly_attributed = factory.Trait(
            is_anonymous=True, is_randomly_attributed=True, first_name="", last_name=""
        )
        deleted = factory.Trait(deleted_at=factory.LazyFunction(timezone.now))
        with_contact = factory.Trait(
            phone="+33243000000", email="dominique@exemple.fr", birth_year=1958
        )
