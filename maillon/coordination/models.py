# ruff: noqa: RUF001 — typographic apostrophes are part of the reference labels.
"""Coordination activities (activites-et-beneficiaires.md §2): what a coordinateur does for the
territory's network — animations, évènements, partenariats — beside the mediators' reports.

One table for the three types, as in La Coop: the common fields (date, durée, nom, échelon
territorial, notes, étiquettes) and each type's own columns, left empty for the other types.
Only `maillon.coordination.services` writes them.
"""

from django.conf import settings
from django.db import models

from maillon.accounts.models import AnyUser
from maillon.activities.models import Tag
from maillon.coordination.vocabulary import (
    EchelonTerritorial,
    Initiative,
    TypeActiviteCoordination,
    TypeAnimation,
    TypeEvenement,
)


class CoordinationActivityQuerySet(models.QuerySet["CoordinationActivity"]):
    def active(self) -> "CoordinationActivityQuerySet":
        return self.filter(deleted_at__isnull=True)

    def editable_by(self, user: AnyUser) -> "CoordinationActivityQuerySet":
        """Its author's only: a coordination report is the coordinator's own record of work
        (administrators included; nobody reads another's notes)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.active().filter(coordinator_id=user.pk)


class CoordinationActivity(models.Model):
    type = models.CharField("type", max_length=12, choices=TypeActiviteCoordination.choices)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordination_activities",
        verbose_name="coordinateur",
    )
    date = models.DateField("date")
    # Required for an animation, optional otherwise (La Coop asks it for animations only).
    duration_minutes = models.PositiveIntegerField("durée (minutes)", null=True, blank=True)
    name = models.CharField("nom", max_length=255, blank=True)
    territorial_level = models.CharField(
        "échelon territorial", max_length=15, choices=EchelonTerritorial.choices, blank=True
    )
    notes = models.TextField("notes supplémentaires", blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="coordination_activities")

    # Animation
    mediators_count = models.PositiveIntegerField("médiateurs", null=True, blank=True)
    structures_count = models.PositiveIntegerField("structures", null=True, blank=True)
    other_actors_count = models.PositiveIntegerField("autres acteurs", null=True, blank=True)
    animation_type = models.CharField(
        "type d’animation", max_length=25, choices=TypeAnimation.choices, blank=True
    )
    animation_type_other = models.CharField("autre type d’animation", max_length=255, blank=True)
    initiative = models.CharField(
        "initiative", max_length=12, choices=Initiative.choices, blank=True
    )
    animation_themes = models.JSONField("thématiques d’animation", default=list, blank=True)
    animation_theme_other = models.CharField(
        "autre thématique d’animation", max_length=255, blank=True
    )

    # Évènement
    participants_count = models.PositiveIntegerField("participants", null=True, blank=True)
    event_type = models.CharField(
        "type d’évènement", max_length=25, choices=TypeEvenement.choices, blank=True
    )
    event_type_other = models.CharField("autre type d’évènement", max_length=255, blank=True)
    organisers = models.JSONField("organisateurs", default=list, blank=True)
    organiser_other = models.CharField("autre organisateur", max_length=255, blank=True)

    # Partenariat
    partnership_natures = models.JSONField("nature du partenariat", default=list, blank=True)
    partnership_nature_other = models.CharField(
        "autre nature du partenariat", max_length=255, blank=True
    )
    # [{"name": …, "type": TypeStructurePartenaire, "type_other": …}], as La Coop's JSON list.
    partner_structures = models.JSONField("structures partenaires", default=list, blank=True)

    deleted_at = models.DateTimeField("supprimée le", null=True, blank=True)
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = CoordinationActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "activité de coordination"
        verbose_name_plural = "activités de coordination"
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["coordinator", "date"], name="coordination_coordinator_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"
