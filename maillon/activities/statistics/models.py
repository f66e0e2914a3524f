# ruff: noqa: RUF001 — typographic apostrophes are part of the French labels.
"""Daily pre-aggregates of activity reports (docs/adr/0007-statistiques-pre-agregees.md).

One row per day and per combination of the dimensions the dashboard filters or groups on. The
identifying columns carry the same names as the activity's (`structure_id`, `mediator_id`,
`commune_id`, `place_id`, `type`, `place_kind`, `autonomy`, `date`), so one filter condition
applies to both tables. Counts of thématiques and matériel are weighted by accompaniments, one
column per enumeration member (`theme_00`… in the order of the enumeration, never reordered).
"""

from django.db import models

from maillon.activities.vocabulary import DurationBucket, Materiel, Thematique

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
