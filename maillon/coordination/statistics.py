# ruff: noqa: RUF001 — typographic apostrophes are part of the French labels.
"""Statistics of coordination activities: key figures and one distribution per enumeration of
the reference (§2), for the page and its CSV export.

A coordinateur counts his own activities; an administrator everyone's, as aggregates only (no
name, no note). The figures count activities and the participants a coordinator declared, never
people recorded one by one: no small-cell masking. Two queries whatever the volume: one of
conditional aggregates, one for the étiquettes.
"""

import csv
import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from django.db.models import Count, Q, QuerySet, Sum
from django.http import QueryDict

from maillon.accounts.models import AnyUser
from maillon.activities.vocabulary import TagScope
from maillon.coordination.models import CoordinationActivity
from maillon.coordination.vocabulary import (
    EchelonTerritorial,
    Initiative,
    NaturePartenariat,
    Organisateur,
    ThematiqueAnimation,
    TypeActiviteCoordination,
    TypeAnimation,
    TypeEvenement,
)
from maillon.core.charts import BarChart, bar_chart
from maillon.core.formats import french_number, french_percent
from maillon.core.query_params import list_param, period_params

ANIMATION = TypeActiviteCoordination.ANIMATION
EVENEMENT = TypeActiviteCoordination.EVENEMENT
PARTENARIAT = TypeActiviteCoordination.PARTENARIAT
NOT_GIVEN = "non_renseigne"
TOP_TAGS = 10
COLUMNS = ("Valeur", "Nombre", "Part")
CSV_HEADER = ("section", "code", "libelle", "nombre", "part")


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


# --- filters ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CoordinationFilters:
    du: dt.date | None = None
    au: dt.date | None = None
    types: tuple[str, ...] = ()

    def condition(self) -> Q:
        q = Q()
        if self.du:
            q &= Q(date__gte=self.du)
        if self.au:
            q &= Q(date__lte=self.au)
        if self.types:
            q &= Q(type__in=self.types)
        return q

    def keeps(self, kinds: Sequence[str]) -> bool:
        """Whether the selected types leave any activity of `kinds`."""
        return not self.types or any(kind in self.types for kind in kinds)


def parse_filters(params: QueryDict) -> tuple[CoordinationFilters, list[str]]:
    """Filters from the query parameters (`du`, `au`, `types` repeated or comma-separated),
    and the French errors found; an invalid value is left out of the filters."""
    errors: list[str] = []
    du, au = period_params(params, errors)
    types: list[str] = []
    for value in list_param(params, "types"):
        if value in TypeActiviteCoordination.values:
            types.append(value)
        else:
            errors.append(
                f"Type d’activité de coordination inconnu : « {value} » "
                "(animation, evenement ou partenariat)."
            )
    return CoordinationFilters(du=du, au=au, types=tuple(dict.fromkeys(types))), errors


# --- figures ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Figure:
    code: str
    label: str
    value: int | float
    note: str = ""

    @property
    def display(self) -> str:
        return french_number(self.value, 1 if isinstance(self.value, float) else 0)


@dataclasses.dataclass(frozen=True)
class Row:
    code: str
    label: str
    count: int
    share: float | None  # count / activities concerned, rounded to 3 decimals

    @property
    def percent(self) -> str:
        return french_percent(self.share)


@dataclasses.dataclass(frozen=True)
class Distribution:
    key: str
    title: str
    unit: str  # the activities concerned, plural: the denominator of the shares
    rows: tuple[Row, ...]

    @property
    def caption(self) -> str:
        return f"{self.title} : nombre et part des {self.unit}"

    @property
    def table_rows(self) -> list[list[str]]:
        return [[r.label, french_number(r.count), r.percent] for r in self.rows]

    @property
    def chart(self) -> BarChart:
        """The same figures as bars (the table that follows stays the accessible version)."""
        return bar_chart(
            f"{self.title} : graphique, détail dans le tableau suivant",
            ((r.label, r.count, french_number(r.count)) for r in self.rows),
        )


@dataclasses.dataclass(frozen=True)
class CoordinationStatistics:
    figures: tuple[Figure, ...]
    distributions: tuple[Distribution, ...]


# --- what is counted --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Spec:
    """One distribution: the activities it concerns (`kinds`), the column and its values.
    `multi`: a JSON list, each value counted once per activity that holds it. `missing`: the
    label of the line counting the activities where the (optional) field is empty."""

    key: str
    title: str
    unit: str
    kinds: tuple[str, ...]
    field: str
    choices: Sequence[tuple[str, str]]
    multi: bool = False
    missing: str = ""

    @property
    def among(self) -> Q | None:
        return None if len(self.kinds) == 3 else Q(type__in=self.kinds)

    def matches(self, code: str) -> Q:
        if self.multi:
            # The quoted code inside the JSON text of the list: one portable condition on SQLite
            # and PostgreSQL (the codes are validated values, so `"rh"` is exactly one element).
            return Q(**{f"{self.field}__icontains": f'"{code}"'})
        return Q(**{self.field: code})


_ALL = (ANIMATION, EVENEMENT, PARTENARIAT)
SPECS = (
    _Spec(
        "types",
        "Types d’activité de coordination",
        "activités",
        _ALL,
        "type",
        TypeActiviteCoordination.choices,
    ),
    _Spec(
        "echelons",
        "Échelon territorial des évènements et partenariats",
        "évènements et partenariats",
        (EVENEMENT, PARTENARIAT),
        "territorial_level",
        EchelonTerritorial.choices,
        missing="Non renseigné",
    ),
    _Spec(
        "types_animation",
        "Types d’animation",
        "animations",
        (ANIMATION,),
        "animation_type",
        TypeAnimation.choices,
    ),
    _Spec(
        "initiatives",
        "Initiative des animations",
        "animations",
        (ANIMATION,),
        "initiative",
        Initiative.choices,
        missing="Non renseignée",
    ),
    _Spec(
        "thematiques_animation",
        "Thématiques d’animation",
        "animations",
        (ANIMATION,),
        "animation_themes",
        ThematiqueAnimation.choices,
        multi=True,
    ),
    _Spec(
        "types_evenement",
        "Types d’évènement",
        "évènements",
        (EVENEMENT,),
        "event_type",
        TypeEvenement.choices,
    ),
    _Spec(
        "organisateurs",
        "Organisateurs des évènements",
        "évènements",
        (EVENEMENT,),
        "organisers",
        Organisateur.choices,
        multi=True,
    ),
    _Spec(
        "natures_partenariat",
        "Natures des partenariats",
        "partenariats",
        (PARTENARIAT,),
        "partnership_natures",
        NaturePartenariat.choices,
        multi=True,
    ),
)
TAGS_KEY = "etiquettes"
TAGS_TITLE = f"Étiquettes ({TOP_TAGS} plus fréquentes)"


def activities_counted(user: AnyUser, *, is_administrator: bool) -> QuerySet[CoordinationActivity]:
    """An administrator's: every coordinator's activities; anyone else's: his own."""
    if is_administrator:
        return CoordinationActivity.objects.active()
    return CoordinationActivity.objects.editable_by(user)


def _both(first: Q | None, second: Q) -> Q:
    return second if first is None else first & second


def _aggregates() -> dict[str, Any]:
    """Every count and sum of the page, as one SELECT of conditional aggregates."""
    animations = Q(type=ANIMATION)
    columns: dict[str, Any] = {
        "activites": Count("pk"),
        "minutes": Sum("duration_minutes"),
        "mediateurs": Sum("mediators_count", filter=animations),
        "structures": Sum("structures_count", filter=animations),
        "autres_acteurs": Sum("other_actors_count", filter=animations),
        "participants_evenements": Sum("participants_count", filter=Q(type=EVENEMENT)),
    }
    for index, spec in enumerate(SPECS):
        columns[f"d{index}_total"] = Count("pk", filter=spec.among)
        for position, (code, _label) in enumerate(spec.choices):
            columns[f"d{index}_{position}"] = Count(
                "pk", filter=_both(spec.among, spec.matches(code))
            )
        if spec.missing:
            columns[f"d{index}_missing"] = Count(
                "pk", filter=_both(spec.among, Q(**{spec.field: ""}))
            )
    return columns


def _share(count: int, total: int) -> float | None:
    return round(count / total, 3) if total else None


def _distribution(spec: _Spec, index: int, values: dict[str, Any]) -> Distribution:
    total = values[f"d{index}_total"]
    rows = [
        Row(
            code,
            label,
            values[f"d{index}_{position}"],
            _share(values[f"d{index}_{position}"], total),
        )
        for position, (code, label) in enumerate(spec.choices)
    ]
    if spec.missing:
        missing = values[f"d{index}_missing"]
        rows.append(Row(NOT_GIVEN, spec.missing, missing, _share(missing, total)))
    return Distribution(spec.key, spec.title, spec.unit, tuple(rows))


def _tags(activities: QuerySet[CoordinationActivity], viewer: Any, total: int) -> Distribution:
    """The most frequent étiquettes; another person's personal étiquette is never named (its
    name can be a private note, as in the activity statistics, ADR 0016)."""
    through: Any = CoordinationActivity.tags.through
    rows = (
        through.objects.filter(coordinationactivity__in=activities.values("pk"))
        .filter(~Q(tag__scope=TagScope.PERSONAL) | Q(tag__owner_user_id=viewer))
        .values("tag_id", "tag__name")
        .annotate(n=Count("coordinationactivity_id"))
        .order_by("-n", "tag__name", "tag_id")[:TOP_TAGS]
    )
    return Distribution(
        TAGS_KEY,
        TAGS_TITLE,
        "activités",
        tuple(
            Row(str(row["tag_id"]), row["tag__name"], row["n"], _share(row["n"], total))
            for row in rows
        ),
    )


def compute(
    user: AnyUser, filters: CoordinationFilters, *, is_administrator: bool
) -> CoordinationStatistics:
    activities = activities_counted(user, is_administrator=is_administrator).filter(
        filters.condition()
    )
    values = activities.aggregate(**_aggregates())
    mediators = values["mediateurs"] or 0
    structures = values["structures"] or 0
    others = values["autres_acteurs"] or 0
    figures = (
        Figure("activites", "Activités", values["activites"]),
        Figure(
            "duree_heures",
            "Durée totale (heures)",
            round((values["minutes"] or 0) / 60, 1),
            "Somme des durées renseignées",
        ),
        Figure(
            "participants_animations",
            "Participants aux animations",
            mediators + structures + others,
        ),
        Figure("mediateurs", "dont médiateurs", mediators),
        Figure("structures", "dont structures", structures),
        Figure("autres_acteurs", "dont autres acteurs", others),
        Figure(
            "participants_evenements",
            "Participants aux évènements",
            values["participants_evenements"] or 0,
        ),
    )
    distributions = [
        _distribution(spec, index, values)
        for index, spec in enumerate(SPECS)
        if filters.keeps(spec.kinds)
    ]
    distributions.append(_tags(activities, user.pk, values["activites"]))
    return CoordinationStatistics(figures, tuple(distributions))


def write_csv(stats: CoordinationStatistics, out: Writable) -> None:
    """The page's figures, one line each, in the format of the activity statistics' CSV."""
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_HEADER)
    for figure in stats.figures:
        writer.writerow(["totaux", figure.code, figure.label, figure.value, ""])
    for distribution in stats.distributions:
        for row in distribution.rows:
            writer.writerow(
                [
                    distribution.key,
                    row.code,
                    row.label,
                    row.count,
                    "" if row.share is None else row.share,
                ]
            )
