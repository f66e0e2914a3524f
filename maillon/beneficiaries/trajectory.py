"""Autonomy trajectory: a person's autonomy levels over time, and how they moved.

La Coop rates autonomy per individual session (1 to 3 stars) but never shows the sequence; the
issue asks for it on the person's page and, in statistics, the share of followed people whose
autonomy rose, stayed or fell, by thématique. Only individual sessions carry a level; workshops
appear in the sequence without one.

The activities app sits above this one: activities are reached through the `accompaniments`
relation, never imported. Only the enumerations (`activities.vocabulary`, a module of plain
choices) are imported, an exception declared in the import-linter contract.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

from django.db import models

from maillon.activities.vocabulary import AUTONOMIE_STARS, Autonomie, Thematique, TypeActivite
from maillon.beneficiaries.models import Beneficiary

# Rows read per round trip by trajectory_summary(): memory stays flat whatever the territory.
SUMMARY_CHUNK_SIZE = 2000


class Verdict(models.TextChoices):
    PROGRESSION = "progression", "Progression"
    STABLE = "stable", "Stable"
    RECUL = "recul", "Recul"
    PAS_ASSEZ = "pas_assez_de_donnees", "Pas assez de données"


def verdict_of(first: int | None, latest: int | None, rated: int) -> Verdict:
    """First against latest level; fewer than two rated sessions say nothing."""
    if rated < 2 or first is None or latest is None:
        return Verdict.PAS_ASSEZ
    if latest > first:
        return Verdict.PROGRESSION
    if latest < first:
        return Verdict.RECUL
    return Verdict.STABLE


@dataclasses.dataclass(frozen=True)
class Step:
    """One accompaniment of the person, on a non-deleted activity."""

    date: dt.date
    activity_type: str
    place: str
    level: int | None
    autonomy: str
    themes: tuple[str, ...]

    @property
    def level_text(self) -> str:
        return f"{self.level} sur 3 — {self.autonomy}" if self.level else "Non évaluée"


@dataclasses.dataclass(frozen=True)
class Trajectory:
    steps: tuple[Step, ...]
    headers: ClassVar[tuple[str, ...]] = ("Date", "Type", "Lieu", "Autonomie", "Thématiques")

    @property
    def rated(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.level is not None)

    @property
    def first_level(self) -> int | None:
        return self.rated[0].level if self.rated else None

    @property
    def latest_level(self) -> int | None:
        return self.rated[-1].level if self.rated else None

    @property
    def verdict(self) -> Verdict:
        return verdict_of(self.first_level, self.latest_level, len(self.rated))

    @property
    def first_text(self) -> str:
        return self.rated[0].level_text if self.rated else ""

    @property
    def latest_text(self) -> str:
        return self.rated[-1].level_text if self.rated else ""

    @property
    def rows(self) -> list[list[str]]:
        """The accessible table: one row per accompaniment."""
        return [
            [
                f"{step.date:%d/%m/%Y}",
                step.activity_type,
                step.place or "—",
                step.level_text,
                ", ".join(step.themes),
            ]
            for step in self.steps
        ]


def level_of(autonomy: str) -> int | None:
    return AUTONOMIE_STARS.get(autonomy)


def theme_labels(codes: Iterable[str]) -> tuple[str, ...]:
    labels = dict(Thematique.choices)
    return tuple(labels.get(code, code) for code in codes)


def trajectory_of(beneficiary: Beneficiary) -> Trajectory:
    """The person's accompaniments in date order (then recording order), deleted ones left out."""
    accompaniments = (
        beneficiary.accompaniments.filter(activity__deleted_at__isnull=True)
        .select_related("activity__place", "activity__commune")
        .order_by("activity__date", "activity_id")
    )
    autonomy_labels = dict(Autonomie.choices)
    type_labels = dict(TypeActivite.choices)
    steps = []
    for accompaniment in accompaniments:
        activity = accompaniment.activity
        where = activity.place.nom if activity.place else ""
        if not where and activity.commune:
            where = activity.commune.name
        steps.append(
            Step(
                date=activity.date,
                activity_type=type_labels.get(activity.type, activity.type),
                place=where,
                level=level_of(activity.autonomy),
                autonomy=autonomy_labels.get(activity.autonomy, ""),
                themes=theme_labels(activity.themes),
            )
        )
    return Trajectory(steps=tuple(steps))


@dataclasses.dataclass
class Movement:
    """How many followed people rose, stayed or fell between their first and latest level."""

    rose: int = 0
    stayed: int = 0
    fell: int = 0

    @property
    def followed(self) -> int:
        return self.rose + self.stayed + self.fell

    def add(self, first: int, latest: int) -> None:
        if latest > first:
            self.rose += 1
        elif latest < first:
            self.fell += 1
        else:
            self.stayed += 1


@dataclasses.dataclass
class TrajectorySummary:
    """`overall` counts each person once; `by_theme[code]` compares only the person's rated
    sessions about that thématique (at least two of them)."""

    overall: Movement = dataclasses.field(default_factory=Movement)
    by_theme: dict[str, Movement] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class _Levels:
    first: int
    latest: int
    count: int = 1

    def push(self, level: int) -> None:
        self.latest = level
        self.count += 1


def _flush(summary: TrajectorySummary, overall: _Levels | None, themes: dict[str, _Levels]) -> None:
    if overall is not None and overall.count >= 2:
        summary.overall.add(overall.first, overall.latest)
    for code, levels in themes.items():
        if levels.count >= 2:
            summary.by_theme.setdefault(code, Movement()).add(levels.first, levels.latest)


def trajectory_summary(beneficiaries: "models.QuerySet[Beneficiary]") -> TrajectorySummary:
    """Rose / stayed / fell among `beneficiaries` with at least two rated individual sessions.

    One ordered pass over the rated accompaniments, streamed: usable on a whole territory.
    Scope the queryset first (structure, territory, period of creation…); no personal field is read.
    """
    rows = (
        beneficiaries.filter(
            accompaniments__activity__deleted_at__isnull=True,
            accompaniments__activity__autonomy__in=list(AUTONOMIE_STARS),
        )
        .order_by("pk", "accompaniments__activity__date", "accompaniments__activity_id")
        .values_list("pk", "accompaniments__activity__autonomy", "accompaniments__activity__themes")
    )
    summary = TrajectorySummary()
    current: int | None = None
    overall: _Levels | None = None
    themes: dict[str, _Levels] = {}
    for pk, autonomy, codes in rows.iterator(chunk_size=SUMMARY_CHUNK_SIZE):
        if pk != current:
            _flush(summary, overall, themes)
            current, overall, themes = pk, None, {}
        level = AUTONOMIE_STARS[autonomy]
        if overall is None:
            overall = _Levels(level, level)
        else:
            overall.push(level)
        for code in codes or ():
            if code in themes:
                themes[code].push(level)
            else:
                themes[code] = _Levels(level, level)
    _flush(summary, overall, themes)
    return summary
