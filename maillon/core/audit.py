"""The only way to write to the audit journal."""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from maillon.core.models import AuditAction, AuditEvent

Target = TypeVar("Target", bound=models.Model)


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


def record_many(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: AuditAction,
    targets: Iterable[Target],
    structure_id_of: Callable[[Target], int | None] | None = None,
    fields: Iterable[str] = (),
) -> int:
    """One row per target, like `record`, written in a single INSERT (lists and exports).

    Every target must be of the same model. Returns the number of rows written.
    """
    user_model = get_user_model()
    names = sorted(set(fields))
    events = []
    content_type: ContentType | None = None
    for target in targets:
        if content_type is None:
            content_type = ContentType.objects.get_for_model(target)
        events.append(
            AuditEvent(
                actor=actor if isinstance(actor, user_model) else None,
                action=action,
                content_type=content_type,
                object_id=str(target.pk),
                structure_id=structure_id_of(target) if structure_id_of else None,
                fields=names,
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
