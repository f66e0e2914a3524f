"""Every write on users, structures, memberships and invitations, each with its journal row."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from maillon.accounts.api_tokens import format_token, hash_secret, new_key_id, new_secret
from maillon.accounts.models import (
    INVITABLE_ROLES,
    AnyUser,
    ApiToken,
    Invitation,
    Membership,
    Role,
    Structure,
    User,
    can_create_structure,
    can_manage,
    communes_open_to,
    conseiller_numerique_id_validator,
)
from maillon.core.audit import record
from maillon.core.models import AuditAction
from maillon.territory.models import Departement, Epci, Region

INVITATION_SALT = "maillon.accounts.invitation"


def changed_fields(instance: models.Model) -> list[str]:
    """Names of the concrete fields whose value differs from the stored row."""
    if instance.pk is None:
        return []
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    if stored is None:
        return []
    return [
        field.name
        for field in instance._meta.concrete_fields
        if not getattr(field, "auto_now", False)
        and field.value_from_object(instance) != field.value_from_object(stored)
    ]


def save_with_audit(*, actor: AnyUser | None, instance: models.Model) -> list[str]:
    """Save any accounts object and journal it; the Django admin goes through here too."""
    is_new = instance._state.adding
    fields = [] if is_new else changed_fields(instance)
    instance.save()
    if is_new:
        fields = [field.name for field in instance._meta.concrete_fields if not field.primary_key]
    if is_new or fields:
        record(
            actor=actor,
            action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
            target=instance,
            structure_id=_structure_id_of(instance),
            fields=fields,
        )
    return fields


def delete_with_audit(*, actor: AnyUser | None, instance: models.Model) -> None:
    record(
        actor=actor,
        action=AuditAction.DELETE,
        target=instance,
        structure_id=_structure_id_of(instance),
    )
    instance.delete()


def _structure_id_of(instance: models.Model) -> int | None:
    if isinstance(instance, Structure):
        return instance.pk
    structure_id = getattr(instance, "structure_id", None)
    return structure_id if isinstance(structure_id, int) else None


# Users


@transaction.atomic
def create_user(
    *,
    actor: AnyUser | None,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    user = User.objects.create_user(
        email,
        password,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        target=user,
        fields=["email", "first_name", "last_name", "password", "is_staff", "is_superuser"],
    )
    return user


# Structures


@transaction.atomic
def create_structure(*, actor: AnyUser, structure: Structure) -> Structure:
    """Save a new structure; administrateurs anywhere, coordinateurs within their scope."""
    if not can_create_structure(actor) or not (
        communes_open_to(actor).filter(pk=structure.commune_id).exists()
    ):
        raise PermissionDenied
    save_with_audit(actor=actor, instance=structure)
    return structure


@transaction.atomic
def update_structure(*, actor: AnyUser, structure: Structure) -> list[str]:
    """Save the changes of a structure; return the changed field names (journaled)."""
    if not can_manage(actor, structure):
        raise PermissionDenied
    return save_with_audit(actor=actor, instance=structure)


# Memberships


@transaction.atomic
def add_membership(
    *,
    actor: AnyUser | None,
    user: User,
    role: Role,
    structure: Structure | None = None,
    is_conseiller_numerique: bool = False,
    conseiller_numerique_id: str = "",
    departements: Iterable[Departement] = (),
    epcis: Iterable[Epci] = (),
    regions: Iterable[Region] = (),
) -> Membership:
    """Give a role. No permission check: callers are invitations, the admin and seed_demo."""
    membership = Membership(user=user, structure=structure, role=role)
    _set_conseiller_numerique(membership, is_conseiller_numerique, conseiller_numerique_id)
    save_with_audit(actor=actor, instance=membership)
    scope = {"departements": departements, "epcis": epcis, "regions": regions}
    for name, items in scope.items():
        items = list(items)
        if items:
            getattr(membership, name).set(items)
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                target=membership,
                structure_id=membership.structure_id,
                fields=[name],
            )
    return membership


def _set_conseiller_numerique(
    holder: Membership | Invitation, is_conseiller_numerique: bool, conseiller_numerique_id: str
) -> None:
    """Only a médiateur is a conseiller numérique, and only a conseiller numérique has an
    « ID - Conum »: it goes with the flag."""
    holder.is_conseiller_numerique = is_conseiller_numerique and holder.role == Role.MEDIATOR
    identifier = conseiller_numerique_id.strip() if holder.is_conseiller_numerique else ""
    if identifier:
        conseiller_numerique_id_validator(identifier)
    holder.conseiller_numerique_id = identifier


@transaction.atomic
def change_role(
    *,
    actor: AnyUser,
    membership: Membership,
    role: Role,
    is_conseiller_numerique: bool,
    conseiller_numerique_id: str,
) -> list[str]:
    """Switch a member between médiateur and responsable, and set whether he is a conseiller
    numérique and his « ID - Conum » (journaled with the changed fields)."""
    if membership.structure is None or not can_manage(actor, membership.structure):
        raise PermissionDenied
    if role not in INVITABLE_ROLES:
        raise PermissionDenied
    membership.role = role
    _set_conseiller_numerique(membership, is_conseiller_numerique, conseiller_numerique_id)
    return save_with_audit(actor=actor, instance=membership)


@transaction.atomic
def deactivate_membership(*, actor: AnyUser, membership: Membership) -> bool:
    """End a member's role in a structure. Returns False if it was already inactive."""
    if membership.structure is None or not can_manage(actor, membership.structure):
        raise PermissionDenied
    updated = Membership.objects.filter(pk=membership.pk, is_active=True).update(
        is_active=False, updated_at=timezone.now()
    )
    if updated:
        membership.is_active = False
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=membership,
            structure_id=membership.structure_id,
            fields=["is_active"],
        )
    return bool(updated)


# Invitations


def invitation_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(str(invitation.key))


def invitation_from_token(token: str) -> Invitation | None:
    """The pending invitation behind a link, or None if the link is forged, expired or used."""
    signer = signing.TimestampSigner(salt=INVITATION_SALT)
    max_age = settings.MAILLON_INVITATION_MAX_AGE
    try:
        key = signer.unsign(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    return Invitation.objects.pending().select_related("structure").filter(key=key).first()


@transaction.atomic
def invite(
    *,
    actor: User,
    structure: Structure,
    email: str,
    role: Role,
    is_conseiller_numerique: bool = False,
    conseiller_numerique_id: str = "",
) -> Invitation:
    """Record an invitation and e-mail its signed link."""
    if not can_manage(actor, structure) or role not in INVITABLE_ROLES:
        raise PermissionDenied
    invitation = Invitation(
        email=User.objects.normalize_email(email).lower(),
        structure=structure,
        role=role,
        invited_by=actor,
    )
    _set_conseiller_numerique(invitation, is_conseiller_numerique, conseiller_numerique_id)
    save_with_audit(actor=actor, instance=invitation)
    url = settings.SITE_URL + reverse(
        "accounts:invitation_accept", kwargs={"token": invitation_token(invitation)}
    )
    context = {
        "invitation": invitation,
        "url": url,
        "site_name": settings.MAILLON_SITE_NAME,
        "max_age_days": settings.MAILLON_INVITATION_MAX_AGE.days,
    }
    transaction.on_commit(
        lambda: send_mail(
            subject=render_to_string("accounts/emails/invitation_subject.txt", context).strip(),
            message=render_to_string("accounts/emails/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    )
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership | None:
    """Give the invited role to the user, once. Returns None if already used or expired."""
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied
    now = timezone.now()
    used = (
        Invitation.objects.pending()
        .filter(pk=invitation.pk)
        .update(accepted_at=now, accepted_by=user)
    )
    if not used:
        return None
    invitation.accepted_at, invitation.accepted_by = now, user
    record(
        actor=user,
        action=AuditAction.UPDATE,
        target=invitation,
        structure_id=invitation.structure_id,
        fields=["accepted_at", "accepted_by"],
    )
    existing = Membership.objects.active().filter(user=user, structure=invitation.structure)
    membership = existing.first()
    if membership is None:
        return add_membership(
            actor=user,
            user=user,
            role=Role(invitation.role),
            structure=invitation.structure,
            is_conseiller_numerique=invitation.is_conseiller_numerique,
            conseiller_numerique_id=invitation.conseiller_numerique_id,
        )
    membership.role = invitation.role
    _set_conseiller_numerique(
        membership, invitation.is_conseiller_numerique, invitation.conseiller_numerique_id
    )
    save_with_audit(actor=user, instance=membership)
    return membership


@transaction.atomic
def register_and_accept(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> User | None:
    """Create the invitee's account and accept; nothing is created if the link is spent."""
    if not Invitation.objects.pending().filter(pk=invitation.pk).exists():
        return None
    user = create_user(
        actor=None,
        email=invitation.email,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    if accept_invitation(invitation=invitation, user=user) is None:
        transaction.set_rollback(True)
        return None
    return user


# API tokens


@transaction.atomic
def create_api_token(
    *,
    user: User,
    name: str,
    scopes: Iterable[str],
    actor: AnyUser | None,
    lifetime: timedelta | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored.

    No permission check on the actor: callers are the command line (actor None) and, later,
    the user's own page. The user must be active and hold an active role, since a token only
    ever acts within its user's roles.
    """
    if not user.is_active:
        raise ValidationError("Ce compte est désactivé : il ne peut pas recevoir de jeton.")
    if not Membership.objects.active().filter(user=user).exists():
        raise ValidationError(
            "Ce compte n'a aucun rôle actif : un jeton ne lui donnerait accès à rien."
        )
    lifetime = lifetime if lifetime is not None else settings.MAILLON_API_TOKEN_MAX_AGE
    if lifetime <= timedelta(0):
        raise ValidationError("La durée de validité doit être d'au moins un jour.")
    secret = new_secret()
    api_token = ApiToken(
        user=user,
        name=name.strip(),
        scopes=list(scopes),
        key_id=new_key_id(),
        secret_hash=hash_secret(secret),
        expires_at=timezone.now() + lifetime,
    )
    api_token.full_clean()
    api_token.save()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        target=api_token,
        fields=["user", "name", "scopes", "expires_at"],
    )
    return api_token, format_token(api_token.key_id, secret)


@transaction.atomic
def revoke_api_token(*, api_token: ApiToken, actor: AnyUser | None) -> bool:
    """Revoke now (its owner or an administrateur). Returns False if it was already revoked."""
    if (
        actor is not None
        and not ApiToken.objects.visible_to(actor).filter(pk=api_token.pk).exists()
    ):
        raise PermissionDenied
    now = timezone.now()
    revoked = ApiToken.objects.filter(pk=api_token.pk, revoked_at=None).update(revoked_at=now)
    if revoked:
        api_token.revoked_at = now
        record(actor=actor, action=AuditAction.UPDATE, target=api_token, fields=["revoked_at"])
    return bool(revoked)
