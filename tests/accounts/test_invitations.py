from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillon.accounts import services
from maillon.accounts.models import Invitation, Membership, Role, User
from maillon.core.models import AuditEvent
from tests.accounts.conftest import World
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory

NEW_PASSWORD = "une-phrase-de-passe-solide"


@pytest.fixture
def link(client: Client, world: World, django_capture_on_commit_callbacks: Any) -> str:
    """Path of the link e-mailed to nouvelle@exemple.fr, invited as conseiller numérique."""
    client.force_login(world.manager)
    url = reverse("accounts:invitation_create", args=[world.structure.pk])
    data = {"email": "nouvelle@exemple.fr", "role": "mediator", "is_conseiller_numerique": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    client.logout()
    body = mail.outbox[-1].body
    return urlparse(next(line for line in body.splitlines() if "/invitation/" in line)).path


def test_invitation_mail_is_french_and_records_who_invited(link: str, world: World) -> None:
    message = mail.outbox[0]
    assert message.to == ["nouvelle@exemple.fr"]
    assert "Invitation à rejoindre CCAS de Laval" in message.subject
    invitation = Invitation.objects.get()
    assert invitation.invited_by == world.manager
    assert invitation.accepted_at is None
    assert AuditEvent.objects.about(invitation).get().action == "create"


def test_invitee_creates_an_account_once(client: Client, link: str, world: World) -> None:
    path = link
    assert client.get(path).status_code == 200
    response = client.post(
        path,
        {
            "first_name": "Nina",
            "last_name": "Durand",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@exemple.fr")
    membership = Membership.objects.get(user=user)
    assert membership.structure == world.structure
    assert membership.role == Role.MEDIATOR
    assert membership.is_conseiller_numerique
    invitation = Invitation.objects.get()
    assert invitation.accepted_at is not None
    assert invitation.accepted_by == user

    client.logout()
    response = client.get(path)
    assert response.status_code == 410
    assert "a expiré ou a déjà servi" in response.content.decode()


def test_expired_invitation_creates_nothing(client: Client, link: str) -> None:
    path = link
    Invitation.objects.update(created_at=timezone.now() - timedelta(days=30))
    response = client.post(
        path,
        {"first_name": "A", "last_name": "B", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="nouvelle@exemple.fr").exists()


def test_signature_expiry_is_enforced(client: Client, link: str, settings: object) -> None:
    path = link
    settings.MAILLON_INVITATION_MAX_AGE = timedelta(seconds=-1)  # type: ignore[attr-defined]
    assert client.get(path).status_code == 410


def test_forged_token_is_refused(client: Client, link: str) -> None:
    path = link
    forged = path.rstrip("/")[:-3] + "abc/"
    response = client.get(forged)
    assert response.status_code == 410
    assert "Invitation non valable" in response.content.decode()


def test_logged_in_invitee_just_accepts(client: Client, link: str, world: World) -> None:
    path = link
    user = UserFactory.create(email="nouvelle@exemple.fr")
    client.force_login(user)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    assert Membership.objects.active().filter(user=user, structure=world.structure).exists()


def test_other_account_cannot_accept(client: Client, link: str, world: World) -> None:
    path = link
    client.force_login(world.stranger)
    assert client.post(path).status_code == 403
    assert Invitation.objects.get().accepted_at is None


def test_existing_account_is_asked_to_log_in(client: Client, link: str) -> None:
    path = link
    UserFactory.create(email="nouvelle@exemple.fr")
    response = client.get(path)
    assert "Connectez-vous" in response.content.decode()
    response = client.post(
        reverse("accounts:login") + f"?next={path}",
        {"username": "nouvelle@exemple.fr", "password": DEFAULT_PASSWORD},
    )
    assert response["Location"] == path


def test_mediator_cannot_invite(client: Client, world: World) -> None:
    client.force_login(world.mediator)
    url = reverse("accounts:invitation_create", args=[world.structure.pk])
    assert client.post(url, {"email": "x@exemple.fr", "role": "manager"}).status_code == 404
    assert not Invitation.objects.exists()


def test_service_refuses_coordinator_roles_by_invitation(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.invite(
            actor=world.manager,
            structure=world.structure,
            email="x@exemple.fr",
            role=Role.ADMINISTRATOR,
        )
