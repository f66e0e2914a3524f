"""The only way to write to the audit journal."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from maillon.core.models import AuditAction, AuditEvent


def record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: AuditAction,
    target: models.Model,
    structure_id: int | None = None,
    fields: Iterable[str] = (),
) -> AuditEvent:
    """Append one row: who did what on which object, and which fields changed (names only)."""
    user_model = get_user_model()
    return AuditEvent.objects.create(
        actor=actor if isinstance(actor, user_model) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        structure_id=structure_id,
        fields=sorted(set(fields)),
    )
