"""Append-only audit journal.

Rows are written through maillon.core.audit.record() only. The model refuses updates and deletes,
and database triggers (migration 0002) refuse them too, on SQLite and on PostgreSQL.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a journal row."""


class AuditAction(models.TextChoices):
    CREATE = "create", "Création"
    UPDATE = "update", "Modification"
    DELETE = "delete", "Suppression"
    READ = "read", "Consultation"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Le journal d'audit ne peut pas être modifié.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Le journal d'audit ne peut pas être effacé.")

    def about(self, target: models.Model) -> "AuditEventQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
        )


class AuditEvent(models.Model):
    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    # Plain id, not a foreign key: core sits below accounts in the dependency rule.
    structure_id = models.BigIntegerField("structure", null=True, blank=True, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="type d'objet"
    )
    object_id = models.CharField("identifiant de l'objet", max_length=64)
    action = models.CharField("action", max_length=10, choices=AuditAction.choices)
    # Names of the changed fields, never their values (personal data stays out of the journal).
    fields = models.JSONField("champs modifiés", default=list, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "évènement du journal d'audit"
        verbose_name_plural = "journal d'audit"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content_type.model} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or self._state.adding is False:
            raise AppendOnlyError("Le journal d'audit ne peut pas être modifié.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Le journal d'audit ne peut pas être effacé.")
