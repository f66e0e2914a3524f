"""Places of digital mediation, the source records they are built from, and their review queues.

A `Place` is the golden record the public sees. It is built from one or more `SourceRecord`s
(one row of one producer's file, or one edit made in Maillon), merged by record linkage with
per-field provenance. Records keep their producer's identity, so a re-import updates them in
place and human linkage decisions (`PairDecision`) survive it.
"""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from maillon.accounts.models import AnyUser, Structure, communes_open_to, is_administrator
from maillon.places.record import LocationPrecision, PlaceData, completeness
from maillon.places.vocabulary import ENUM_FIELDS, mask_of
from maillon.territory.models import Commune

# Standard field → mask column of `Place`.
MASK_COLUMNS: dict[str, str] = {
    "services": "services_mask",
    "publics_specifiquement_adresses": "publics_mask",
    "prise_en_charge_specifique": "prises_en_charge_mask",
    "frais_a_charge": "frais_mask",
    "itinerance": "itinerance_mask",
    "dispositif_programmes_nationaux": "dispositifs_mask",
    "formations_labels": "formations_mask",
    "modalites_acces": "modalites_acces_mask",
    "modalites_accompagnement": "modalites_accompagnement_mask",
}


class SourceKind(models.TextChoices):
    STANDARD = "standard", "Standard national (v1.0 ou v0.1)"
    DATA_INCLUSION = "data_inclusion", "data·inclusion (structures)"
    MAPPING = "mapping", "Fichier de producteur avec correspondance"
    EDITING = "editing", "Saisie dans Maillon"


class Source(models.Model):
    slug = models.SlugField("identifiant", max_length=80, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("format", max_length=20, choices=SourceKind.choices)
    mapping = models.CharField("correspondance", max_length=120, blank=True)
    # Higher wins when two records of one place disagree and have the same date_maj.
    priority = models.PositiveSmallIntegerField("priorité", default=0)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "source"
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class PlaceQuerySet(models.QuerySet["Place"]):
    def current(self) -> "PlaceQuerySet":
        """Places neither merged into another nor retired by every source."""
        return self.filter(merged_into__isnull=True, retired_at__isnull=True)

    def published(self) -> "PlaceQuerySet":
        """What the public directory, the API and exports show."""
        return self.current().filter(is_public=True)

    def with_any(self, field: str, codes: list[str]) -> "PlaceQuerySet":
        """Places having at least one of `codes` in the enumerated field `field`."""
        wanted = mask_of(ENUM_FIELDS[field], codes)
        if not wanted:
            return self
        column = MASK_COLUMNS[field]
        return self.annotate(**{f"_{column}_hit": F(column).bitand(wanted)}).filter(
            **{f"_{column}_hit__gt": 0}
        )

    def managed_by(self, user: AnyUser) -> "PlaceQuerySet":
        """Places a structure manager (or an administrator) may edit."""
        if is_administrator(user):
            return self.current()
        return self.current().filter(structure__in=Structure.objects.managed_by(user))

    def in_territory_of(self, user: AnyUser) -> "PlaceQuerySet":
        """Places in the communes a coordinator covers (everything for an administrator)."""
        if is_administrator(user):
            return self.current()
        return self.current().filter(commune_ref__in=communes_open_to(user))


class Place(models.Model):
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True)
    structure = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="places",
        verbose_name="structure",
    )
    commune_ref = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="places",
        db_column="code_insee",
        verbose_name="commune (code INSEE)",
    )

    # The standard's fields (lieux-standard.md §3), enumerations as lists of codes.
    pivot = models.CharField("SIRET, RNA ou RIDET", max_length=14, blank=True)
    nom = models.CharField("nom", max_length=255)
    commune = models.CharField("commune", max_length=120, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True, db_index=True)
    adresse = models.CharField("adresse", max_length=255, blank=True)
    complement_adresse = models.CharField("complément d'adresse", max_length=255, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    location_precision = models.CharField(
        "précision de la position",
        max_length=10,
        choices=LocationPrecision.choices,
        default=LocationPrecision.NONE,
    )
    typologie = models.JSONField("typologie", default=list, blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    courriels = models.JSONField("courriels", default=list, blank=True)
    site_web = models.JSONField("sites web", default=list, blank=True)
    horaires = models.CharField("horaires (OpenStreetMap)", max_length=1000, blank=True)
    horaires_texte = models.TextField("horaires non convertis", blank=True)
    presentation_resume = models.CharField("présentation résumée", max_length=280, blank=True)
    presentation_detail = models.TextField("présentation détaillée", blank=True)
    source = models.CharField("structure collectant la donnée", max_length=200, blank=True)
    itinerance = models.JSONField("itinérance", default=list, blank=True)
    structure_parente = models.CharField("structure parente", max_length=255, blank=True)
    date_maj = models.DateField("date de mise à jour", db_index=True)
    services = models.JSONField("services", default=list, blank=True)
    publics_specifiquement_adresses = models.JSONField(
        "publics spécifiquement adressés", default=list, blank=True
    )
    prise_en_charge_specifique = models.JSONField(
        "prise en charge spécifique", default=list, blank=True
    )
    frais_a_charge = models.JSONField("frais à charge", default=list, blank=True)
    dispositif_programmes_nationaux = models.JSONField(
        "dispositifs et programmes nationaux", default=list, blank=True
    )
    formations_labels = models.JSONField("formations et labels", default=list, blank=True)
    autres_formations_labels = models.JSONField(
        "autres formations et labels", default=list, blank=True
    )
    modalites_acces = models.JSONField("modalités d'accès", default=list, blank=True)
    modalites_accompagnement = models.JSONField(
        "modalités d'accompagnement", default=list, blank=True
    )
    fiche_acces_libre = models.CharField("fiche Accès libre", max_length=500, blank=True)
    prise_rdv = models.CharField("prise de rendez-vous", max_length=500, blank=True)

    # Derived by `apply()`; never written directly.
    services_mask = models.IntegerField(default=0)
    publics_mask = models.IntegerField(default=0)
    prises_en_charge_mask = models.IntegerField(default=0)
    frais_mask = models.IntegerField(default=0)
    itinerance_mask = models.IntegerField(default=0)
    dispositifs_mask = models.IntegerField(default=0)
    formations_mask = models.IntegerField(default=0)
    modalites_acces_mask = models.IntegerField(default=0)
    modalites_accompagnement_mask = models.IntegerField(default=0)
    in_qpv = models.BooleanField("en quartier prioritaire (QPV)", default=False)
    in_frr = models.BooleanField("en France Ruralités Revitalisation (FRR)", default=False)
    is_public = models.BooleanField("accueille du public", default=True)
    completeness = models.PositiveSmallIntegerField("score de complétion", default=0)

    # Which record gave each field after a merge: {field: {"source", "external_id", "date_maj",
    # "rule"}}; `rule` says why ("seule source", "plus récent", "union", "saisie").
    field_provenance = models.JSONField("provenance par champ", default=dict, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="absorbed",
        verbose_name="fusionné dans",
    )
    retired_at = models.DateTimeField("retiré le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = "lieu"
        ordering = ["nom", "pk"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="place_position"),
            models.Index(fields=["merged_into", "retired_at", "is_public"], name="place_state"),
            # The search's opening-hours filters read the distinct hours of published places
            # from this narrow index instead of every wide row, then fetch only the matching
            # rows (search/hours.py). Not `nom`: a long name could exceed a B-tree entry.
            models.Index(
                fields=["horaires", "commune_ref"],
                condition=models.Q(
                    merged_into__isnull=True, retired_at__isnull=True, is_public=True
                ),
                name="place_published_hours",
            ),
        ]

    def __str__(self) -> str:
        return self.nom

    def to_data(self) -> PlaceData:
        values: dict[str, Any] = {}
        for name in PlaceData.field_names():
            if name == "code_insee":  # stored as the commune_ref foreign key
                continue
            value = getattr(self, name)
            values[name] = tuple(value) if isinstance(value, list) else value
        values["code_insee"] = self.commune_ref_id or ""
        return PlaceData(**values)

    def apply(self, data: PlaceData) -> list[str]:
        """Copy `data` onto the row and recompute derived columns; return the changed fields.

        `code_insee` is resolved by the caller into `commune_ref` (it must exist in territory).
        """
        changed: list[str] = []
        for name in PlaceData.field_names():
            if name == "code_insee":
                continue
            value = getattr(data, name)
            if isinstance(value, tuple):
                value = list(value)
            if getattr(self, name) != value:
                setattr(self, name, value)
                changed.append(name)
        if (self.commune_ref_id or "") != data.code_insee:
            self.commune_ref_id = data.code_insee or None
            changed.append("code_insee")
        for field, column in MASK_COLUMNS.items():
            setattr(self, column, mask_of(ENUM_FIELDS[field], getattr(data, field)))
        labels = {label.upper() for label in data.autres_formations_labels}
        self.in_qpv = "QPV" in labels
        self.in_frr = bool(labels & {"FRR", "ZRR"})
        self.is_public = data.is_public()
        self.completeness = completeness(data)
        return changed


class SourceRecordQuerySet(models.QuerySet["SourceRecord"]):
    def active(self) -> "SourceRecordQuerySet":
        return self.filter(retired_at__isnull=True)


class SourceRecord(models.Model):
    """One place as one producer described it (one row of a file, or one edit in Maillon)."""

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="records", verbose_name="source"
    )
    external_id = models.CharField("identifiant chez la source", max_length=255)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="records", verbose_name="lieu"
    )
    data = models.JSONField("données normalisées")  # PlaceData.to_json()
    raw = models.JSONField("ligne d'origine", default=dict, blank=True)
    fingerprint = models.CharField("empreinte", max_length=64)
    date_maj = models.DateField("date de mise à jour")
    line_number = models.PositiveIntegerField("ligne", null=True, blank=True)
    created_at = models.DateTimeField("importé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    retired_at = models.DateTimeField("retiré le", null=True, blank=True)

    objects = SourceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "enregistrement source"
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="record_unique_id"),
        ]

    def __str__(self) -> str:
        return f"{self.source.slug}:{self.external_id}"

    @property
    def place_data(self) -> PlaceData:
        return PlaceData.from_json(self.data)


class ImportStatus(models.TextChoices):
    APPLIED = "applied", "Appliqué"
    REFUSED = "refused", "Refusé (erreurs)"
    DRY_RUN = "dry_run", "Simulation"


class ImportRun(models.Model):
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="runs", verbose_name="source"
    )
    file_name = models.CharField("fichier", max_length=255)
    file_sha256 = models.CharField("empreinte du fichier", max_length=64)
    status = models.CharField("résultat", max_length=10, choices=ImportStatus.choices)
    created = models.PositiveIntegerField("créés", default=0)
    updated = models.PositiveIntegerField("mis à jour", default=0)
    unchanged = models.PositiveIntegerField("inchangés", default=0)
    retired = models.PositiveIntegerField("retirés", default=0)
    errors = models.PositiveIntegerField("erreurs", default=0)
    warnings = models.PositiveIntegerField("avertissements", default=0)
    started_at = models.DateTimeField("début", default=timezone.now)
    duration_ms = models.PositiveIntegerField("durée (ms)", default=0)

    class Meta:
        verbose_name = "import"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source.slug} {self.started_at:%Y-%m-%d %H:%M}"


class Outcome(models.TextChoices):
    AUTO_MERGE = "auto_merge", "Fusion automatique"
    REVIEW = "review", "À examiner"
    DISTINCT = "distinct", "Distincts"


class CandidatePair(models.Model):
    """A pair of source records that blocking put side by side, with its explained score.

    Rebuilt by each linkage run; `record_a.pk < record_b.pk`.
    """

    record_a = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField("score")
    signals = models.JSONField("signaux", default=dict)  # per-signal scores and guards
    outcome = models.CharField("issue", max_length=12, choices=Outcome.choices)
    computed_at = models.DateTimeField("calculé le", default=timezone.now)

    class Meta:
        verbose_name = "paire candidate"
        constraints = [
            models.UniqueConstraint(fields=["record_a", "record_b"], name="pair_unique"),
            models.CheckConstraint(condition=Q(record_a__lt=F("record_b")), name="pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.record_a_id}-{self.record_b_id} ({self.score:.2f})"


class Decision(models.TextChoices):
    DOUBLON = "doublon", "Même lieu"
    NON_DOUBLON = "non_doublon", "Lieux distincts"
    INCERTAIN = "incertain", "Incertain"


class PairDecisionQuerySet(models.QuerySet["PairDecision"]):
    def latest_per_pair(self) -> dict[tuple[str, str, str, str], str]:
        """The most recent decision for each pair of stable keys."""
        latest: dict[tuple[str, str, str, str], str] = {}
        for row in self.order_by("decided_at", "pk").values_list(
            "source_a", "external_id_a", "source_b", "external_id_b", "decision"
        ):
            latest[row[:4]] = row[4]
        return latest


class PairDecision(models.Model):
    """A coordinator's verdict on a pair, keyed by stable ids so it survives re-imports.

    Rows are only added: the latest one for a pair is in force, older ones are its history.
    Keys are ordered: (source_a, external_id_a) < (source_b, external_id_b).
    """

    source_a = models.CharField(max_length=80)
    external_id_a = models.CharField(max_length=255)
    source_b = models.CharField(max_length=80)
    external_id_b = models.CharField(max_length=255)
    decision = models.CharField("décision", max_length=12, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="décidé par",
    )
    decided_at = models.DateTimeField("décidé le", default=timezone.now)
    note = models.CharField("remarque", max_length=500, blank=True)

    objects = PairDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "décision de rapprochement"
        indexes = [
            models.Index(
                fields=["source_a", "external_id_a", "source_b", "external_id_b"],
                name="decision_keys",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_a}:{self.external_id_a} / {self.source_b}:{self.external_id_b}"


class ReportCategory(models.TextChoices):
    """« Signaler une erreur » checkboxes of the national map (lieux-standard.md §12.2)."""

    HORAIRES = "horaires", "Horaires"
    SERVICES = "services", "Services proposés"
    ADRESSE = "adresse", "Adresse"
    CONTACTS = "contacts", "Contacts"
    ACCOMPAGNEMENTS = "accompagnements", "Accompagnements"
    LABELS = "labels", "Labels"
    PUBLIC = "public", "Public"
    N_EXISTE_PLUS = "n_existe_plus", "Le lieu n'existe plus"


class ReportStatus(models.TextChoices):
    NEW = "new", "À traiter"
    ACCEPTED = "accepted", "Corrigé"
    REJECTED = "rejected", "Rejeté"


class ErrorReportQuerySet(models.QuerySet["ErrorReport"]):
    def pending(self) -> "ErrorReportQuerySet":
        return self.filter(status=ReportStatus.NEW)

    def visible_to(self, user: AnyUser) -> "ErrorReportQuerySet":
        """Reports on places of the user's territory or of the structures they manage."""
        if is_administrator(user):
            return self.all()
        return self.filter(
            Q(place__in=Place.objects.in_territory_of(user))
            | Q(place__in=Place.objects.managed_by(user))
        )


class ErrorReport(models.Model):
    """An error reported by the public on a place, waiting for moderation."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="error_reports", verbose_name="lieu"
    )
    categories = models.JSONField("éléments concernés", default=list)
    message = models.TextField("précisions", max_length=2000, blank=True)
    email = models.EmailField("courriel pour vous répondre", blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    created_at = models.DateTimeField("signalé le", auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="traité par",
    )
    handled_at = models.DateTimeField("traité le", null=True, blank=True)

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        verbose_name = "signalement d'erreur"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Signalement sur {self.place} ({self.created_at:%d/%m/%Y})"


def today() -> dt.date:
    return timezone.localdate()
