# ruff: noqa: RUF001 — typographic apostrophes are part of the reference labels.
"""Activity reports (CRA) and accompaniments (activites-et-beneficiaires.md §1).

One table for individual and collective sessions. Themes and equipment are stored twice: as
lists of codes (readable, exported) and as bit masks (statistics aggregate them with integer
operations at millions of rows). Both are written by `Activity.set_themes/set_equipment` only.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q

from maillon.accounts.models import AnyUser, Membership, Role, Structure
from maillon.activities.vocabulary import (
    Autonomie,
    Materiel,
    NiveauAtelier,
    StructureRedirection,
    TagScope,
    Thematique,
    TypeActivite,
    TypeLieu,
)
from maillon.beneficiaries.models import Beneficiary
from maillon.places.models import Place
from maillon.places.vocabulary import mask_of
from maillon.territory.models import Commune, Departement


class TagQuerySet(models.QuerySet["Tag"]):
    def usable_by(self, user: AnyUser, structure: Structure) -> "TagQuerySet":
        """The user's own tags, the structure's, and those of the structure's département."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(scope=TagScope.PERSONAL, owner_user_id=user.pk)
            | Q(scope=TagScope.STRUCTURE, owner_structure=structure)
            | Q(scope=TagScope.TERRITORY, owner_departement_id=structure.commune.departement_id)
        )


class Tag(models.Model):
    name = models.CharField("nom", max_length=100)
    scope = models.CharField("portée", max_length=10, choices=TagScope.choices)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="propriétaire",
    )
    owner_structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure",
    )
    owner_departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        verbose_name = "étiquette"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        scope=TagScope.PERSONAL,
                        owner_user__isnull=False,
                        owner_structure__isnull=True,
                        owner_departement__isnull=True,
                    )
                    | Q(
                        scope=TagScope.STRUCTURE,
                        owner_user__isnull=True,
                        owner_structure__isnull=False,
                        owner_departement__isnull=True,
                    )
                    | Q(
                        scope=TagScope.TERRITORY,
                        owner_user__isnull=True,
                        owner_structure__isnull=True,
                        owner_departement__isnull=False,
                    )
                ),
                name="tag_owner_matches_scope",
                violation_error_message=(
                    "Le propriétaire de l’étiquette ne correspond pas à sa portée."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActivityQuerySet(models.QuerySet["Activity"]):
    def active(self) -> "ActivityQuerySet":
        return self.filter(deleted_at__isnull=True)

    def editable_by(self, user: AnyUser) -> "ActivityQuerySet":
        """Its author's, and every activity of the structures the user manages."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        managed = Membership.objects.active().filter(user_id=user.pk, role=Role.MANAGER)
        return self.active().filter(
            Q(mediator_id=user.pk) | Q(structure__in=managed.values("structure_id"))
        )


class Activity(models.Model):
    type = models.CharField("type", max_length=10, choices=TypeActivite.choices)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name="médiateur",
    )
    # The employer at the time: statistics by structure do not move when a mediator leaves.
    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="activities", verbose_name="structure"
    )
    date = models.DateField("date")
    duration_minutes = models.PositiveIntegerField("durée (minutes)")
    place_kind = models.CharField("type de lieu", max_length=15, choices=TypeLieu.choices)
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="lieu d’activité",
    )
    # Always set: typed for domicile/autre, the employer's for à distance, the place's (or the
    # itinerant stop's) for a lieu d'activité — statistics by commune read only this column.
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    is_itinerant = models.BooleanField("itinérance", default=False)
    equipment = models.JSONField("matériel", default=list, blank=True)
    equipment_mask = models.IntegerField(default=0)
    themes = models.JSONField("thématiques", default=list, blank=True)
    # 30 members today: a 64-bit column leaves room for the appended ones.
    themes_mask = models.BigIntegerField(default=0)
    procedure_name = models.CharField(
        "nom de la démarche administrative", max_length=255, blank=True
    )
    autonomy = models.CharField("autonomie", max_length=25, choices=Autonomie.choices, blank=True)
    redirected = models.BooleanField("bénéficiaire réorienté", default=False)
    redirect_category = models.CharField(
        "structure de redirection", max_length=40, choices=StructureRedirection.choices, blank=True
    )
    workshop_title = models.CharField("nom de l’atelier", max_length=255, blank=True)
    workshop_level = models.CharField(
        "niveau de l’atelier", max_length=15, choices=NiveauAtelier.choices, blank=True
    )
    notes = models.TextField("notes supplémentaires", blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="activities")
    # Kept equal to the number of accompaniments of the activity (1 for an individual one).
    participants_count = models.PositiveIntegerField("nombre de participants", default=0)
    deleted_at = models.DateTimeField("supprimée le", null=True, blank=True)
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "activité"
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["deleted_at", "date"], name="activity_deleted_date"),
            models.Index(fields=["structure", "date"], name="activity_structure_date"),
            models.Index(fields=["commune", "date"], name="activity_commune_date"),
            models.Index(fields=["mediator", "date"], name="activity_mediator_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"

    def set_themes(self, codes: Iterable[str]) -> None:
        wanted = set(codes)
        ordered = [code for code in Thematique.values if code in wanted]
        self.themes = ordered
        self.themes_mask = mask_of(Thematique, ordered)

    def set_equipment(self, codes: Iterable[str]) -> None:
        wanted = set(codes)
        ordered = [code for code in Materiel.values if code in wanted]
        self.equipment = ordered
        self.equipment_mask = mask_of(Materiel, ordered)


class Accompaniment(models.Model):
    """One beneficiary at one activity; `is_first` per activites-et-beneficiaires.md §1.11."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="accompaniments",
        verbose_name="activité",
        db_index=False,  # covered by `accompaniment_by_activity`
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="accompaniments",
        verbose_name="bénéficiaire",
        db_index=False,  # covered by `accompaniment_by_beneficiary`
    )
    is_first = models.BooleanField("premier accompagnement", default=False)

    class Meta:
        verbose_name = "accompagnement"
        # Covering indexes: counting the people of a structure's activities, and following one
        # person's sessions, read the index alone instead of one table row per accompaniment.
        indexes = [
            models.Index(
                fields=["activity", "beneficiary", "is_first"], name="accompaniment_by_activity"
            ),
            models.Index(fields=["beneficiary", "activity"], name="accompaniment_by_beneficiary"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "beneficiary"], name="unique_accompaniment_per_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} — {self.activity_id}"
