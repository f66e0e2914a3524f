"""The « ID - Conum » of a conseiller numérique: who sets it, its format, and that it goes
with the flag (activites-et-beneficiaires.md §6.3)."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from maillon.accounts import services
from maillon.accounts.models import Invitation, Membership, Role
from maillon.core.models import AuditEvent
from tests.accounts.conftest import World
from tests.factories.accounts import UserFactory

FIELD = "Identifiant conseiller numérique (ID - Conum)"


def _edit(client: Client, world: World, data: dict[str, str]) -> Any:
    client.force_login(world.manager)
    url = reverse(
        "accounts:membership_edit", args=[world.structure.pk, world.mediator_membership.pk]
    )
    return client.post(url, data)


def test_a_manager_sets_the_conum_id_of_a_conseiller_numerique(
    client: Client, world: World
) -> None:
    data = {"role": "mediator", "is_conseiller_numerique": "on", "conseiller_numerique_id": " 42 "}
    assert _edit(client, world, data).status_code == 302
    membership = world.mediator_membership
    membership.refresh_from_db()
    assert membership.conseiller_numerique_id == "42"
    event = AuditEvent.objects.about(membership).get()
    assert set(event.fields) == {"is_conseiller_numerique", "conseiller_numerique_id"}
    # The edit page shows it again.
    url = reverse("accounts:membership_edit", args=[world.structure.pk, membership.pk])
    assert 'value="42"' in client.get(url).content.decode()


def test_the_conum_id_is_refused_without_the_flag(client: Client, world: World) -> None:
    response = _edit(client, world, {"role": "mediator", "conseiller_numerique_id": "42"})
    assert response.status_code == 200
    assert f"{FIELD} : seulement pour un conseiller numérique" in response.content.decode()
    world.mediator_membership.refresh_from_db()
    assert world.mediator_membership.conseiller_numerique_id == ""


@pytest.mark.parametrize("value", ["12 34", "42!", "x" * 41])
def test_the_conum_id_is_letters_digits_and_hyphens(
    client: Client, world: World, value: str
) -> None:
    data = {"role": "mediator", "is_conseiller_numerique": "on", "conseiller_numerique_id": value}
    response = _edit(client, world, data)
    assert response.status_code == 200
    assert (
        f"{FIELD} : lettres, chiffres et tirets seulement, 40 caractères au plus."
        in response.content.decode()
    )
    with pytest.raises(ValidationError):
        services.change_role(
            actor=world.manager,
            membership=world.mediator_membership,
            role=Role.MEDIATOR,
            is_conseiller_numerique=True,
            conseiller_numerique_id=value,
        )


@pytest.mark.parametrize("role", ["mediator", "coordinator", "stranger"])
def test_only_who_may_set_the_flag_sets_the_conum_id(
    client: Client, world: World, role: str
) -> None:
    user = getattr(world, role)
    client.force_login(user)
    membership = world.mediator_membership
    url = reverse("accounts:membership_edit", args=[world.structure.pk, membership.pk])
    data = {"role": "mediator", "is_conseiller_numerique": "on", "conseiller_numerique_id": "42"}
    assert client.post(url, data).status_code == 404
    with pytest.raises(PermissionDenied):
        services.change_role(
            actor=user,
            membership=membership,
            role=Role.MEDIATOR,
            is_conseiller_numerique=True,
            conseiller_numerique_id="42",
        )
    membership.refresh_from_db()
    assert membership.conseiller_numerique_id == ""


def test_an_administrator_sets_it_too(client: Client, world: World) -> None:
    client.force_login(world.administrator)
    membership = world.mediator_membership
    url = reverse("accounts:membership_edit", args=[world.structure.pk, membership.pk])
    data = {"role": "mediator", "is_conseiller_numerique": "on", "conseiller_numerique_id": "7"}
    assert client.post(url, data).status_code == 302
    membership.refresh_from_db()
    assert membership.conseiller_numerique_id == "7"


@pytest.mark.parametrize(
    ("role", "is_conseiller_numerique"), [(Role.MEDIATOR, False), (Role.MANAGER, True)]
)
def test_the_conum_id_goes_when_the_flag_goes(
    world: World, role: Role, is_conseiller_numerique: bool
) -> None:
    membership = world.mediator_membership
    services.change_role(
        actor=world.manager,
        membership=membership,
        role=Role.MEDIATOR,
        is_conseiller_numerique=True,
        conseiller_numerique_id="42",
    )
    services.change_role(
        actor=world.manager,
        membership=membership,
        role=role,
        is_conseiller_numerique=is_conseiller_numerique,
        conseiller_numerique_id="42",
    )
    membership.refresh_from_db()
    assert not membership.is_conseiller_numerique
    assert membership.conseiller_numerique_id == ""


def test_the_database_refuses_a_conum_id_without_the_flag(world: World) -> None:
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=UserFactory.create(),
            structure=world.structure,
            role=Role.MEDIATOR,
            conseiller_numerique_id="42",
        )


def test_an_invitation_carries_the_conum_id_to_the_membership(world: World) -> None:
    invitation = services.invite(
        actor=world.manager,
        structure=world.structure,
        email="nouvelle@exemple.fr",
        role=Role.MEDIATOR,
        is_conseiller_numerique=True,
        conseiller_numerique_id="42",
    )
    assert Invitation.objects.get().conseiller_numerique_id == "42"
    user = UserFactory.create(email="nouvelle@exemple.fr")
    membership = services.accept_invitation(invitation=invitation, user=user)
    assert membership is not None
    assert membership.is_conseiller_numerique
    assert membership.conseiller_numerique_id == "42"


def test_the_invitation_form_checks_the_conum_id_like_the_role_form(
    client: Client, world: World
) -> None:
    client.force_login(world.manager)
    url = reverse("accounts:invitation_create", args=[world.structure.pk])
    data = {"email": "x@exemple.fr", "role": "manager", "conseiller_numerique_id": "42"}
    response = client.post(url, data)
    assert f"{FIELD} : seulement pour un conseiller numérique" in response.content.decode()
    assert not Invitation.objects.exists()
