"""Autonomy progression of the followed beneficiaries of a selection (issue 4 §3, ADR 0008).

Among the followed people counted, how many rose, stayed or fell between their first and latest
rated individual session (all time); fewer than two rated sessions: « non mesurable », outside
the shares. In total, by territory (children of the selected one) and by thématique (people
accompanied on it in the selection). Territory views mask counts of 1 to 4 people.
"""

import dataclasses
from typing import Any

from maillon.activities.statistics.masking import displayed, masked
from maillon.activities.statistics.people import People
from maillon.activities.vocabulary import Thematique
from maillon.core.formats import french_percent

MEASURED = (("progression", "En progression"), ("stable", "Stable"), ("recul", "En recul"))
NOT_MEASURED = "pas_assez_de_donnees"


@dataclasses.dataclass(frozen=True)
class ProgressionRow:
    code: str
    label: str
    measured: int | None  # rose + stayed + fell; None when masked
    not_measured: int | None
    counts: tuple[int | None, ...]  # in MEASURED order; None when masked
    shares: tuple[float | None, ...]  # count / measured, 3 decimals

    @staticmethod
    def of(code: str, label: str, trends: dict[str, int], *, suppress: bool) -> "ProgressionRow":
        raw = [trends.get(c, 0) for c, _label in MEASURED]
        measured = sum(raw)
        counts = tuple(masked(n, suppress) for n in raw)
        shares = tuple(
            round(n / measured, 3) if measured and shown is not None else None
            for n, shown in zip(raw, counts, strict=True)
        )
        return ProgressionRow(
            code,
            label,
            masked(measured, suppress),
            masked(trends.get(NOT_MEASURED, 0), suppress),
            counts,
            shares,
        )

    @property
    def cells(self) -> list[tuple[str, str]]:
        """(count, share) as displayed, in MEASURED order."""
        return [
            (displayed(n), french_percent(share))
            for n, share in zip(self.counts, self.shares, strict=True)
        ]

    @property
    def measured_display(self) -> str:
        return displayed(self.measured)

    @property
    def not_measured_display(self) -> str:
        return displayed(self.not_measured)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "libelle": self.label,
            "mesurables": self.measured,
            "non_mesurables": self.not_measured,
            "valeurs": [
                {"code": code, "libelle": label, "nombre": n, "part": share, "masque": n is None}
                for (code, label), n, share in zip(MEASURED, self.counts, self.shares, strict=True)
            ],
        }


@dataclasses.dataclass(frozen=True)
class Progression:
    total: ProgressionRow
    territories_title: str
    by_territory: tuple[ProgressionRow, ...]
    by_theme: tuple[ProgressionRow, ...]

    @property
    def numeric(self) -> list[int]:
        return list(range(1, len(self.headers)))

    @property
    def headers(self) -> list[str]:
        columns = ["Bénéficiaires suivis", "Mesurables"]
        for _code, label in MEASURED:
            columns += [label, f"Part {label.lower()}"]
        return [*columns, "Non mesurables"]

    @staticmethod
    def _rows(rows: tuple["ProgressionRow", ...]) -> list[list[str]]:
        return [
            [
                row.label,
                row.measured_display,
                *(text for cell in row.cells for text in cell),
                row.not_measured_display,
            ]
            for row in rows
        ]

    @property
    def total_rows(self) -> list[list[str]]:
        return self._rows((self.total,))

    @property
    def territory_rows(self) -> list[list[str]]:
        return self._rows(self.by_territory)

    @property
    def theme_rows(self) -> list[list[str]]:
        return self._rows(self.by_theme)

    def to_json(self) -> dict[str, Any]:
        return {
            "ensemble": self.total.to_json(),
            "par_territoire": {
                "niveau": self.territories_title,
                "valeurs": [row.to_json() for row in self.by_territory],
            },
            "par_thematique": [row.to_json() for row in self.by_theme],
        }


def progression_of(people: People, *, suppress: bool) -> Progression:
    labels = dict(Thematique.choices)
    return Progression(
        total=ProgressionRow.of(
            "ensemble", "Bénéficiaires suivis", people.trend, suppress=suppress
        ),
        territories_title=people.children_title,
        by_territory=tuple(
            ProgressionRow.of(code, name, people.by_territory[code], suppress=suppress)
            for code, name in people.children
            if code in people.by_territory
        ),
        by_theme=tuple(
            ProgressionRow.of(code, labels[code], people.by_theme[code], suppress=suppress)
            for code in Thematique.values
            if code in people.by_theme
        ),
    )


__all__ = ["Progression", "ProgressionRow", "progression_of"]
