# ruff: noqa: RUF002, RUF003 — typographic apostrophes are part of the reference labels.
"""Beneficiaries: people helped by a mediator, identified by name or anonymous.

The file belongs to a structure and is shared by its members (mediators and managers); nobody
else sees personal data, coordinators included (activites-et-beneficiaires.md §3 and §10).
Enumerations and labels are La Coop's, verbatim (§3.1–3.3).
"""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from maillon.accounts.models import AnyUser, Structure, structure_memberships_of
from maillon.beneficiaries.matching import search_key
from maillon.territory.models import Commune

MIN_BIRTH_YEAR = 1900
# `trajectory.Verdict.PAS_ASSEZ` (trajectory imports this module): the trend of a person with
# fewer than two rated sessions, and of a new file.
NO_AUTONOMY_TREND = "pas_assez_de_donnees"


class Genre(models.TextChoices):
    MASCULIN = "masculin", "Masculin"
    FEMININ = "feminin", "Féminin"
    NON_COMMUNIQUE = "non_communique", "Non communiqué"


class TrancheAge(models.TextChoices):
    MOINS_DE_DOUZE = "moins_de_douze", "Moins de 12 ans"
    # The code says 18 but the bracket stops at 17: La Coop's name, kept for exchanges.
    DOUZE_DIX_HUIT = "douze_dix_huit", "12 - 17 ans"
    DIX_HUIT_VINGT_QUATRE = "dix_huit_vingt_quatre", "18 - 24 ans"
    VINGT_CINQ_TRENTE_NEUF = "vingt_cinq_trente_neuf", "25 - 39 ans"
    QUARANTE_CINQUANTE_NEUF = "quarante_cinquante_neuf", "40 - 59 ans"
    SOIXANTE_SOIXANTE_NEUF = "soixante_soixante_neuf", "60 - 69 ans"
    SOIXANTE_DIX_PLUS = "soixante_dix_plus", "70 ans et plus"
    NON_COMMUNIQUE = "non_communique", "Non communiqué"


# Exclusive upper age bound of each bracket, in order; the last bracket takes the rest.
_AGE_UPPER_BOUNDS: tuple[tuple[int, TrancheAge], ...] = (
    (12, TrancheAge.MOINS_DE_DOUZE),
    (18, TrancheAge.DOUZE_DIX_HUIT),
    (25, TrancheAge.DIX_HUIT_VINGT_QUATRE),
    (40, TrancheAge.VINGT_CINQ_TRENTE_NEUF),
    (60, TrancheAge.QUARANTE_CINQUANTE_NEUF),
    (70, TrancheAge.SOIXANTE_SOIXANTE_NEUF),
)


def tranche_age_of(birth_year: int | None, *, year: int | None = None) -> TrancheAge:
    """Bracket of a person born in `birth_year`, in calendar years (age = year − birth year)."""
    if birth_year is None:
        return TrancheAge.NON_COMMUNIQUE
    age = (year if year is not None else dt.date.today().year) - birth_year
    for bound, bracket in _AGE_UPPER_BOUNDS:
        if age < bound:
            return bracket
    return TrancheAge.SOIXANTE_DIX_PLUS


class StatutSocial(models.TextChoices):
    SCOLARISE = "scolarise", "Scolarisé"
    SANS_EMPLOI = "sans_emploi", "Sans emploi"
    EN_EMPLOI = "en_emploi", "En emploi"
    RETRAITE = "retraite", "Retraité"
    NON_COMMUNIQUE = "non_communique", "Non communiqué ou hétérogène"


# Fields holding personal data: what erasure blanks, what the access export and the audited
# read return (rgpd-securite.md §4). Categories (genre, tranche, statut) stay for statistics.
PERSONAL_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "phone",
    "has_no_phone",
    "email",
    "birth_year",
    "address",
    "commune",
    "notes",
    "information_notice_given_on",
)


# Copies of personal fields kept for a lookup: erasure blanks them with the others, but the
# access export and the audited read leave them out (they hold nothing the fields above do not).
DERIVED_PERSONAL_FIELDS: tuple[str, ...] = ("search_key",)
# The fields `search_key` is made of.
SEARCH_KEY_SOURCES = frozenset({"first_name", "last_name", "email"})


# Everything else: categories kept for statistics, and bookkeeping. A test checks that every
# field of Beneficiary is in exactly one of the three lists, so a new field must be classified.
NON_PERSONAL_FIELDS: tuple[str, ...] = (
    "id",
    "structure",
    "created_by",
    "is_anonymous",
    "genre",
    "statut_social",
    "age_bracket",
    "was_already_accompanied",
    "is_randomly_attributed",
    "merged_into",
    "deleted_at",
    "anonymised_at",
    "imported_at",
    "accompaniments_count",
    "autonomy_trend",
    "created_at",
    "updated_at",
)


class BeneficiaryQuerySet(models.QuerySet["Beneficiary"]):
    def visible_to(self, user: AnyUser) -> "BeneficiaryQuerySet":
        """Beneficiaries of the structures where the user is a mediator or a manager.

        Coordinators and administrators get none: they only ever see aggregates.
        """
        return self.filter(structure__in=structure_memberships_of(user).values("structure_id"))

    def active(self) -> "BeneficiaryQuerySet":
        """Neither deleted nor merged into another file."""
        return self.filter(deleted_at__isnull=True, merged_into__isnull=True)

    def identified(self) -> "BeneficiaryQuerySet":
        return self.filter(is_anonymous=False)

    def current(self) -> "BeneficiaryQuerySet":
        """Files with personal data a member works with: active, identified, not anonymised."""
        return self.active().identified().filter(anonymised_at__isnull=True)


class Beneficiary(models.Model):
    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="beneficiaries", verbose_name="structure"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="créé par",
    )
    is_anonymous = models.BooleanField("anonyme", default=False)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    phone = models.CharField("téléphone", max_length=32, blank=True)
    has_no_phone = models.BooleanField("pas de téléphone", default=False)
    email = models.EmailField("adresse électronique", blank=True)
    birth_year = models.PositiveSmallIntegerField("année de naissance", null=True, blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune de résidence",
    )
    genre = models.CharField(
        "genre", max_length=20, choices=Genre.choices, default=Genre.NON_COMMUNIQUE
    )
    statut_social = models.CharField(
        "statut social",
        max_length=20,
        choices=StatutSocial.choices,
        default=StatutSocial.NON_COMMUNIQUE,
    )
    # Only read when there is no birth year: rows generated from collective counters.
    age_bracket = models.CharField(
        "tranche d'âge déclarée",
        max_length=30,
        choices=TrancheAge.choices,
        default=TrancheAge.NON_COMMUNIQUE,
    )
    notes = models.TextField("notes supplémentaires", blank=True)
    information_notice_given_on = models.DateField(
        "notice d'information remise le", null=True, blank=True
    )
    # `matching.search_key` of the names and e-mail, what the search of a file compares (accents
    # and case aside, ADR 0015). Kept by `save()`; writers that skip it (bulk_create, the
    # generator, the migration that added it) compute it themselves.
    search_key = models.TextField(
        "clé de recherche", blank=True, default="", db_default="", editable=False
    )
    # « J’ai déjà accompagné ce bénéficiaire » / « déjà accompagnés »: the first accompaniment
    # recorded in Maillon is then not the person's first one.
    was_already_accompanied = models.BooleanField("déjà accompagné", default=False)
    is_randomly_attributed = models.BooleanField("attributs tirés au hasard", default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="absorbed",
        verbose_name="fusionné dans",
    )
    deleted_at = models.DateTimeField("supprimé le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True)
    # La Coop's `import`: when the file came from a spreadsheet import (docs/beneficiaires.md).
    imported_at = models.DateTimeField("importé le", null=True, blank=True)
    # Kept equal to the accompaniments on non-deleted activities by activities.services.
    accompaniments_count = models.PositiveIntegerField("nombre d'accompagnements", default=0)
    # Derived data, a `trajectory.Verdict` code: first vs latest rated individual session on
    # non-deleted activities, all time. Kept by the statistics upkeep (activities.statistics:
    # `rollups.store_trends`, `rebuild`), read by the statistics of a selection (ADR 0008).
    autonomy_trend = models.CharField(
        "tendance d'autonomie",
        max_length=25,
        default=NO_AUTONOMY_TREND,
        db_default=NO_AUTONOMY_TREND,
        editable=False,
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = "bénéficiaire"
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["structure", "deleted_at"], name="beneficiary_structure"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(is_anonymous=True)
                    | Q(anonymised_at__isnull=False)
                    | (~Q(first_name="") & ~Q(last_name=""))
                ),
                name="identified_beneficiary_has_names",
                violation_error_message="Le prénom et le nom sont obligatoires.",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=MIN_BIRTH_YEAR),
                name="beneficiary_birth_year_from_1900",
            ),
        ]

    def __str__(self) -> str:
        if self.is_anonymous or self.anonymised_at:
            return f"Bénéficiaire anonyme n° {self.pk}"
        return f"{self.first_name} {self.last_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, with `search_key` following the names and e-mail (also in `update_fields`)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or SEARCH_KEY_SOURCES & set(update_fields):
            self.refresh_search_key()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def refresh_search_key(self) -> None:
        """For the writers that do not go through `save()` (bulk_create)."""
        self.search_key = search_key(self.first_name, self.last_name, self.email)

    @property
    def tranche_age(self) -> TrancheAge:
        if self.birth_year is not None:
            return tranche_age_of(self.birth_year)
        return TrancheAge(self.age_bracket)


class PendingImportQuerySet(models.QuerySet["PendingImport"]):
    def expired(self, now: dt.datetime) -> "PendingImportQuerySet":
        return self.filter(created_at__lt=now - PENDING_IMPORT_LIFETIME)


# An analysed spreadsheet waits this long for its commit, then is deleted (personal data).
PENDING_IMPORT_LIFETIME = dt.timedelta(hours=1)


class PendingImport(models.Model):
    """A spreadsheet read and analysed, waiting for the user to confirm its import.

    Only the cells of the known columns are kept (not the file), for one hour at most: the
    commit, a new upload or the daily retention job deletes it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="+", verbose_name="structure"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="par"
    )
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    file_name = models.CharField("nom du fichier", max_length=255)
    # [{"line": 2, "cells": {"nom": "…", …}}, …]: the rows as read, strings only.
    rows = models.JSONField("lignes", default=list)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        verbose_name = "import en attente"
        verbose_name_plural = "imports en attente"

    def __str__(self) -> str:
        return f"Import en attente {self.pk}"


class NotDuplicate(models.Model):
    """Two files that a member declared distinct people: never proposed as duplicates again."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="+", verbose_name="structure"
    )
    first = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="+", verbose_name="première fiche"
    )
    second = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="+", verbose_name="seconde fiche"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="décidé par",
    )
    decided_at = models.DateTimeField("décidé le", auto_now_add=True)

    class Meta:
        verbose_name = "paire qui n'est pas un doublon"
        verbose_name_plural = "paires qui ne sont pas des doublons"
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="unique_not_duplicate_pair"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="not_duplicate_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"
