# ruff: noqa: RUF001 — typographic apostrophes are part of the French labels.
"""The dashboard's figures grouped as La Coop groups them (§6.2): one source for the page,
the CSV, the XLSX and the PDF, so the four always show the same numbers."""

import dataclasses
import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from maillon.activities.statistics.filters import StatisticsFilters
from maillon.activities.statistics.masking import displayed, exported
from maillon.activities.statistics.pickers import territory_label
from maillon.activities.statistics.queries import Cell, Statistics
from maillon.activities.vocabulary import Thematique, TypeActivite
from maillon.core.charts import BarChart, bar_chart

GENERAL = "Statistiques générales"
ACCOMPANIMENTS = "Statistiques sur vos accompagnements"
BENEFICIARIES = "Statistiques sur vos bénéficiaires"
# Distributions about people; every other distribution is about accompaniments.
BENEFICIARY_KEYS = frozenset({"genres", "tranches_age", "statuts", "residences"})
MONTHLY_KEY = "accompagnements_par_mois"
DAILY_KEY = "accompagnements_par_jour"
DAYS_SHOWN = 30  # the reference's daily series: the last 30 days (§6.2)
COLUMNS = ("Valeur", "Nombre", "Part")


@dataclasses.dataclass(frozen=True)
class Total:
    code: str
    label: str
    count: int | None  # None when suppressed, or when the figure needs a period
    applicable: bool = True

    @property
    def display(self) -> str:
        if not self.applicable:
            return ""
        return displayed(self.count)

    @property
    def value(self) -> int | str:
        """For files read by programs: the count as a number, « < 5 » when masked."""
        return exported(self.count) if self.applicable else ""


@dataclasses.dataclass(frozen=True)
class Table:
    key: str
    title: str
    caption: str
    cells: tuple[Cell, ...]

    @property
    def rows(self) -> list[list[str]]:
        """As displayed: label, count (or « < 5 »), percentage."""
        return [[c.label, c.display, c.percent] for c in self.cells]

    @property
    def chart(self) -> BarChart:
        """The same figures as bars, for the page (the table stays the accessible version)."""
        return bar_chart(
            f"{self.title} : graphique, détail dans le tableau suivant",
            ((c.label, c.count, c.display) for c in self.cells),
        )


@dataclasses.dataclass(frozen=True)
class Section:
    slug: str
    title: str
    tables: tuple[Table, ...]


def totals(stats: Statistics, filters: StatisticsFilters, *, always: bool = False) -> list[Total]:
    """The key figures; new beneficiaries only with a period. `always` keeps their line in
    files, empty without a period: « new » has no meaning over all time, and an empty
    figure must not read as a suppressed one (« < 5 »)."""
    has_period = filters.du is not None or filters.au is not None
    figures = [
        Total("activites", "Activités", stats.activites),
        Total("accompagnements", "Accompagnements", stats.accompagnements),
        Total("beneficiaires", "Bénéficiaires accompagnés", stats.beneficiaires),
        Total("beneficiaires_suivis", "dont bénéficiaires suivis", stats.beneficiaires_suivis),
        Total(
            "beneficiaires_anonymes", "dont bénéficiaires anonymes", stats.beneficiaires_anonymes
        ),
    ]
    if always or has_period:
        figures.append(
            Total(
                "nouveaux_beneficiaires",
                "Nouveaux bénéficiaires",
                stats.nouveaux_beneficiaires,
                applicable=has_period,
            )
        )
    return figures


def _table(key: str, title: str, cells: Sequence[Cell], unit: str) -> Table:
    # The caption says what the numbers are; the heading above the table only names it.
    return Table(key, title, f"{title} : nombre et part des {unit}", tuple(cells))


def last_days(
    stats: Statistics, filters: StatisticsFilters, today: dt.date | None = None
) -> tuple[Cell, ...]:
    """The last 30 days of the period (up to today), a day without accompaniment at 0."""
    today = today or timezone.localdate()
    end = min(filters.au, today) if filters.au else today
    start = end - dt.timedelta(days=DAYS_SHOWN - 1)
    if filters.du and filters.du > start:
        start = filters.du
    counted = {cell.code: cell for cell in stats.daily}
    cells = []
    day = start
    while day <= end:
        code = day.isoformat()
        cells.append(counted.get(code) or Cell(code, f"{day:%d/%m/%Y}", 0, 0.0))
        day += dt.timedelta(days=1)
    return tuple(cells)


def sections(
    stats: Statistics, filters: StatisticsFilters, today: dt.date | None = None
) -> list[Section]:
    accompaniments = [
        _table(d.key, d.title, d.cells, "accompagnements")
        for d in stats.distributions
        if d.key not in BENEFICIARY_KEYS
    ]
    beneficiaries = [
        _table(d.key, d.title, d.cells, "bénéficiaires")
        for d in stats.distributions
        if d.key in BENEFICIARY_KEYS
    ]
    monthly = Table(
        MONTHLY_KEY,
        "Accompagnements par mois",
        "Nombre d’accompagnements par mois et part du total de la période",
        stats.monthly,
    )
    daily = Table(
        DAILY_KEY,
        "Accompagnements par jour",
        "Nombre d’accompagnements par jour, sur les 30 derniers jours de la période, et part "
        "du total de la période",
        last_days(stats, filters, today),
    )
    return [
        Section("generales", GENERAL, (monthly, daily)),
        Section("accompagnements", ACCOMPANIMENTS, tuple(accompaniments)),
        Section("beneficiaires", BENEFICIARIES, tuple(beneficiaries)),
    ]


PROGRESSION = "Progression de l’autonomie des bénéficiaires suivis"


@dataclasses.dataclass(frozen=True)
class TextTable:
    """A table already formatted for reading (counts, « < 5 », percentages)."""

    title: str
    headers: list[str]
    rows: list[list[str]]


def progression_tables(stats: Statistics) -> list[TextTable]:
    """The autonomy progression (ADR 0008), as the dashboard shows it."""
    progression = stats.progression
    headers = progression.headers
    tables = [TextTable("Ensemble des bénéficiaires suivis", headers, progression.total_rows)]
    if territory_rows := progression.territory_rows:
        tables.append(
            TextTable(f"Par territoire : {progression.territories_title}", headers, territory_rows)
        )
    if theme_rows := progression.theme_rows:
        tables.append(TextTable("Par thématique", headers, theme_rows))
    return tables


def describe_filters(filters: StatisticsFilters) -> list[tuple[str, str]]:
    """The filters in force, in words, for the head of an exported file."""
    described = []
    if filters.du or filters.au:
        start = f"{filters.du:%d/%m/%Y}" if filters.du else "le début"
        end = f"{filters.au:%d/%m/%Y}" if filters.au else "aujourd’hui"
        described.append(("Période", f"du {start} au {end}"))
    else:
        described.append(("Période", "toutes les dates"))
    if filters.territoire != "fr":
        described.append(("Territoire", territory_label(filters.territoire)))
    types = dict(TypeActivite.choices)
    themes = dict(Thematique.choices)
    for label, values in (
        ("Types", tuple(types.get(code, code) for code in filters.types)),
        ("Thématiques", tuple(themes.get(code, code) for code in filters.thematiques)),
        ("Médiateurs (identifiants)", filters.mediateurs),
        ("Lieux (identifiants)", filters.lieux),
        ("Communes", filters.communes),
        ("Étiquettes (identifiants)", filters.tags),
        ("Structures (identifiants)", filters.structures),
    ):
        if values:
            described.append((label, ", ".join(str(v) for v in values)))
    return described
