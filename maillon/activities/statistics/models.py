# ruff: noqa: RUF001 — typographic apostrophes are part of the French labels.
"""Daily pre-aggregates of activity reports (docs/adr/0007-statistiques-pre-agregees.md).

One row per day and per combination of the dimensions the dashboard filters or groups on. The
identifying columns carry the same names as the activity's (`structure_id`, `mediator_id`,
`commune_id`, `place_id`, `type`, `place_kind`, `autonomy`, `date`), so one filter condition
applies to both tables. Counts of thématiques and matériel are weighted by accompaniments, one
column per enumeration member (`theme_00`… in the order of the enumeration, never reordered).
"""

from django.db import models

from maillon.activities.vocabulary import (
    Autonomie,
    DurationBucket,
    Materiel,
    Thematique,
    TypeActivite,
    TypeLieu,
)
from maillon.beneficiaries.models import Genre, StatutSocial, TrancheAge
from maillon.beneficiaries.trajectory import Verdict

# Autonomy trend of a followed beneficiary: first vs latest rated individual session (ADR 0008).
TREND_CODES: tuple[str, ...] = tuple(Verdict.values)

THEME_COLUMNS: tuple[str, ...] = tuple(f"theme_{i:02d}" for i in range(len(Thematique.values)))
EQUIPMENT_COLUMNS: tuple[str, ...] = tuple(
    f"equipment_{i:02d}" for i in range(len(Materiel.values))
)
KEY_COLUMNS: tuple[str, ...] = (
    "date",
    "structure_id",
    "mediator_id",
    "commune_id",
    "place_id",
    "type",
    "place_kind",
    "duration_bucket",
    "autonomy",
)
COUNT_COLUMNS: tuple[str, ...] = (
    "activities",
    "accompaniments",
    *THEME_COLUMNS,
    *EQUIPMENT_COLUMNS,
)


class DailyActivityStat(models.Model):
    date = models.DateField()
    # Plain columns, not foreign keys: the table is derived data, rebuilt from the raw rows.
    structure_id = models.IntegerField()
    mediator_id = models.IntegerField()
    commune_id = models.CharField(max_length=5, default="")  # "" when the activity has none
    place_id = models.IntegerField(default=0)  # 0 when not at a lieu d'activité
    type = models.CharField(max_length=10)
    place_kind = models.CharField(max_length=15)
    duration_bucket = models.CharField(max_length=20, choices=DurationBucket.choices)
    autonomy = models.CharField(max_length=25, blank=True)
    activities = models.IntegerField(default=0)
    accompaniments = models.IntegerField(default=0)

    class Meta:
        verbose_name = "agrégat quotidien d’activité"
        constraints = [
            models.UniqueConstraint(fields=list(KEY_COLUMNS), name="daily_activity_stat_key")
        ]
        indexes = [
            models.Index(fields=["date"], name="daily_stat_date"),
            models.Index(fields=["structure_id", "date"], name="daily_stat_structure"),
            models.Index(fields=["mediator_id", "date"], name="daily_stat_mediator"),
            models.Index(fields=["commune_id", "date"], name="daily_stat_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.structure_id}/{self.mediator_id}"


for _column in (*THEME_COLUMNS, *EQUIPMENT_COLUMNS):
    DailyActivityStat.add_to_class(_column, models.IntegerField(default=0))


# --- Territory roll-ups (docs/adr/0008-statistiques-nationales-exactes.md) --------------------
# `territory` is "fr", "reg:CODE", "dep:CODE" or "epci:CODE", derived from the activity's commune;
# `month` is year * 12 + month - 1 (an integer: compared and subtracted without date functions).

TYPE_COLUMNS: tuple[str, ...] = tuple(
    f"{what}_{code}" for code in TypeActivite.values for what in ("activities", "accompaniments")
)
KIND_COLUMNS: tuple[str, ...] = tuple(f"kind_{code}" for code in TypeLieu.values)
DURATION_COLUMNS: tuple[str, ...] = tuple(f"duration_{code}" for code in DurationBucket.values)
AUTONOMY_COLUMNS: tuple[str, ...] = tuple(f"autonomy_{code}" for code in Autonomie.values)
MONTH_COUNT_COLUMNS: tuple[str, ...] = (
    "activities",
    "accompaniments",
    *TYPE_COLUMNS,
    *KIND_COLUMNS,
    *DURATION_COLUMNS,
    *AUTONOMY_COLUMNS,
    *THEME_COLUMNS,
    *EQUIPMENT_COLUMNS,
)
TREND_COLUMNS: tuple[str, ...] = tuple(f"trend_{code}" for code in TREND_CODES)
PRESENCE_COUNT_COLUMNS: tuple[str, ...] = (
    "beneficiaries",
    "followed",
    "anonymous",
    *(f"genre_{code}" for code in Genre.values),
    *(f"statut_{code}" for code in StatutSocial.values),
    *(f"age_{code}" for code in TrancheAge.values),
    *TREND_COLUMNS,
    "firsts",
)
THEME_PRESENCE_COUNT_COLUMNS: tuple[str, ...] = ("followed", *TREND_COLUMNS)
NO_PREVIOUS_MONTH = -1


class TerritoryMonthStat(models.Model):
    """Activity figures of a whole territory for a month: one wide row."""

    territory = models.CharField(max_length=20)
    month = models.IntegerField()

    class Meta:
        verbose_name = "agrégat mensuel d’un territoire"
        constraints = [
            models.UniqueConstraint(fields=["territory", "month"], name="territory_month_key")
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.month}"


class TerritoryDayStat(models.Model):
    """Activities and accompaniments of a whole territory for a day (the daily series)."""

    territory = models.CharField(max_length=20)
    date = models.DateField()
    activities = models.IntegerField(default=0)
    accompaniments = models.IntegerField(default=0)

    class Meta:
        verbose_name = "agrégat quotidien d’un territoire"
        constraints = [
            models.UniqueConstraint(fields=["territory", "date"], name="territory_day_key")
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.date}"


class PresenceStat(models.Model):
    """Presences of beneficiaries in a territory and a month, by the month of their previous
    presence there: the distinct beneficiaries of months [a, b] are the presences of those
    months whose previous presence is before a (or none)."""

    territory = models.CharField(max_length=20)
    month = models.IntegerField()
    previous_month = models.IntegerField()  # NO_PREVIOUS_MONTH for a first presence

    class Meta:
        verbose_name = "présence de bénéficiaires"
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "month", "previous_month"], name="presence_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.month} ← {self.previous_month}"


class ThemePresenceStat(models.Model):
    """Presences of followed beneficiaries on a thématique (index in the enumeration), same
    principle: the autonomy progression by thématique."""

    territory = models.CharField(max_length=20)
    theme = models.SmallIntegerField()
    month = models.IntegerField()
    previous_month = models.IntegerField()

    class Meta:
        verbose_name = "présence de bénéficiaires par thématique"
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "theme", "month", "previous_month"],
                name="theme_presence_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.theme} {self.month} ← {self.previous_month}"


for _model, _columns in (
    (TerritoryMonthStat, MONTH_COUNT_COLUMNS),
    (PresenceStat, PRESENCE_COUNT_COLUMNS),
    (ThemePresenceStat, THEME_PRESENCE_COUNT_COLUMNS),
):
    for _column in _columns:
        _model.add_to_class(_column, models.IntegerField(default=0))


# --- Rankings of a whole territory (ADR 0016) -------------------------------------------------
# Top lieux and étiquettes for "fr", "reg:…" and "dep:…"; top communes for "dep:…" only (above a
# département the ranking is by département, read from `TerritoryMonthStat`).


class TerritoryPlaceMonthStat(models.Model):
    """Activities of a whole territory for a month at one lieu d'activité."""

    territory = models.CharField(max_length=20)
    month = models.IntegerField()
    place_id = models.IntegerField()
    activities = models.IntegerField(default=0)
    accompaniments = models.IntegerField(default=0)

    class Meta:
        verbose_name = "agrégat mensuel d’un territoire par lieu"
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "month", "place_id"], name="territory_place_month_key"
            )
        ]
        # Covering, in lieu order: a national ranking reads the index alone, already grouped.
        indexes = [
            models.Index(
                fields=["territory", "place_id", "month", "accompaniments"],
                name="territory_place_ranking",
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.month} lieu {self.place_id}"


class TerritoryCommuneMonthStat(models.Model):
    """Activities of a département for a month in one of its communes."""

    territory = models.CharField(max_length=20)
    month = models.IntegerField()
    commune_id = models.CharField(max_length=5)
    activities = models.IntegerField(default=0)
    accompaniments = models.IntegerField(default=0)

    class Meta:
        verbose_name = "agrégat mensuel d’un département par commune"
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "month", "commune_id"], name="territory_commune_month_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.month} {self.commune_id}"


class TerritoryTagMonthStat(models.Model):
    """Activities of a whole territory for a month carrying an étiquette."""

    territory = models.CharField(max_length=20)
    month = models.IntegerField()
    tag_id = models.IntegerField()
    activities = models.IntegerField(default=0)
    accompaniments = models.IntegerField(default=0)

    class Meta:
        verbose_name = "agrégat mensuel d’un territoire par étiquette"
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "month", "tag_id"], name="territory_tag_month_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.month} étiquette {self.tag_id}"


class ResidencePresenceStat(models.Model):
    """Presences of beneficiaries in a whole territory and a month by where they live, keyed
    by the previous presence as `PresenceStat`. `residence` is the commune code in a
    département, the département code in France and a région, "" when unknown."""

    territory = models.CharField(max_length=20)
    month = models.IntegerField()
    previous_month = models.IntegerField()
    residence = models.CharField(max_length=5, default="")
    beneficiaries = models.IntegerField(default=0)

    class Meta:
        verbose_name = "présence de bénéficiaires par lieu de résidence"
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "month", "previous_month", "residence"],
                name="residence_presence_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["territory", "residence", "month", "previous_month", "beneficiaries"],
                name="residence_ranking",
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.residence} {self.month} ← {self.previous_month}"
