import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError

from maillon.accounts.models import (
    Membership,
    Role,
    Structure,
    can_create_structure,
    can_manage,
    communes_open_to,
    structure_memberships_of,
)
from tests.accounts.conftest import World
from tests.factories.accounts import MembershipFactory, StructureFactory, UserFactory
from tests.factories.territory import EpciFactory, RegionFactory


def visible(user: object) -> set[str]:
    return set(Structure.objects.visible_to(user).values_list("name", flat=True))  # type: ignore[arg-type]


def test_administrator_sees_every_structure(world: World) -> None:
    assert visible(world.administrator) == {
        "CCAS de Laval",
        "Médiathèque de Laval",
        "Centre social du Mans",
    }


def test_member_sees_only_their_structure(world: World) -> None:
    assert visible(world.mediator) == {"CCAS de Laval"}
    assert visible(world.manager) == {"CCAS de Laval"}


def test_coordinator_sees_structures_of_the_scope_and_their_own(world: World) -> None:
    assert visible(world.coordinator) == {"CCAS de Laval", "Médiathèque de Laval"}
    MembershipFactory.create(user=world.coordinator, structure=world.elsewhere, mediator=True)
    assert "Centre social du Mans" in visible(world.coordinator)


def test_coordinator_scope_by_epci_and_region(world: World) -> None:
    by_epci = MembershipFactory.create(coordinator=True, departements=[])
    by_epci.epcis.set([EpciFactory.create(siren="247200132")])
    assert visible(by_epci.user) == {"Centre social du Mans"}
    by_region = MembershipFactory.create(coordinator=True, departements=[])
    by_region.regions.set([RegionFactory.create(code="52")])
    assert len(visible(by_region.user)) == 3


def test_stranger_and_anonymous_see_nothing(world: World) -> None:
    assert visible(world.stranger) == set()
    assert visible(AnonymousUser()) == set()


def test_inactive_membership_gives_nothing(world: World) -> None:
    Membership.objects.filter(user=world.mediator).update(is_active=False)
    assert visible(world.mediator) == set()


def test_only_managers_and_administrators_manage(world: World) -> None:
    assert can_manage(world.manager, world.structure)
    assert can_manage(world.administrator, world.elsewhere)
    assert not can_manage(world.manager, world.neighbour)
    assert not can_manage(world.mediator, world.structure)
    assert not can_manage(world.coordinator, world.structure)
    assert not can_manage(world.stranger, world.structure)


def test_structure_creation_rights(world: World) -> None:
    assert can_create_structure(world.administrator)
    assert can_create_structure(world.coordinator)
    assert not can_create_structure(world.manager)
    assert set(communes_open_to(world.coordinator)) == {world.laval}


def test_memberships_visible_to(world: World) -> None:
    other = MembershipFactory.create(structure=world.elsewhere)
    assert world.mediator_membership in Membership.objects.visible_to(world.manager)
    assert other not in Membership.objects.visible_to(world.manager)
    assert set(Membership.objects.visible_to(world.mediator)) == {world.mediator_membership}
    assert other in Membership.objects.visible_to(world.administrator)
    assert not Membership.objects.visible_to(world.stranger).exists()


def test_siret_is_unique_among_active_structures(world: World) -> None:
    world.structure.is_active = False
    world.structure.save()
    StructureFactory.create(siret=world.structure.siret, commune=world.laval)
    with pytest.raises(IntegrityError):
        StructureFactory.create(siret=world.neighbour.siret, commune=world.laval)


def test_structure_needs_siret_or_rna(world: World) -> None:
    with pytest.raises(IntegrityError):
        StructureFactory.create(siret="", rna="", commune=world.laval)


def test_conseiller_numerique_must_be_a_mediator(world: World) -> None:
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=UserFactory.create(),
            structure=world.structure,
            role=Role.MANAGER,
            is_conseiller_numerique=True,
        )


def test_structure_memberships_are_the_active_mediator_and_manager_roles(world: World) -> None:
    user = UserFactory.create()
    kept = {
        MembershipFactory.create(user=user, structure=world.structure, mediator=True).pk,
        MembershipFactory.create(user=user, structure=world.neighbour, manager=True).pk,
    }
    # Left out: an ended role, a coordinateur's employer, roles without a structure.
    MembershipFactory.create(user=user, structure=world.elsewhere, mediator=True, is_active=False)
    MembershipFactory.create(user=user, structure=world.elsewhere, role=Role.COORDINATOR)
    MembershipFactory.create(user=user, coordinator=True)
    MembershipFactory.create(user=user, administrator=True)

    assert set(structure_memberships_of(user).values_list("pk", flat=True)) == kept
    assert not structure_memberships_of(AnonymousUser()).exists()
    user.is_active = False
    user.save()
    assert not structure_memberships_of(user).exists()
