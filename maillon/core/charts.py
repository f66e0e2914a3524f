"""Horizontal bar charts drawn on the server as SVG (no script, CSP 'self').

A chart is decoration for sighted readers: it is hidden from assistive technologies and always
followed by the table giving the same figures (RGAA 1.3 and 5.x), so it shows what the table
shows, masked cells included.
"""

import dataclasses
from collections.abc import Iterable
from typing import ClassVar

# Geometry in SVG user units: labels on the left, then bars, then the value.
LABEL_WIDTH = 230
BAR_AREA = 330
STEP = 28
BAR_HEIGHT = 22
TEXT_OFFSET = 16
MAX_LABEL = 32


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    width: float
    y: int

    @property
    def text_y(self) -> int:
        return self.y + TEXT_OFFSET

    @property
    def value_x(self) -> float:
        return round(LABEL_WIDTH + self.width + 6, 1)


@dataclasses.dataclass(frozen=True)
class BarChart:
    label: str
    bars: tuple[Bar, ...]
    # The geometry, for the template.
    label_width: ClassVar[int] = LABEL_WIDTH
    bar_height: ClassVar[int] = BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.bars) * STEP

    @property
    def is_empty(self) -> bool:
        return not any(bar.width for bar in self.bars)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(label: str, items: Iterable[tuple[str, float | None, str]]) -> BarChart:
    """`items` are (label, value or None when masked, value as displayed), in display order."""
    rows = list(items)
    largest = max((value for _label, value, _text in rows if value), default=0.0) or 1.0
    bars = tuple(
        Bar(
            label=_short(name),
            value_text=text,
            width=round((value or 0.0) / largest * BAR_AREA, 1),
            y=index * STEP,
        )
        for index, (name, value, text) in enumerate(rows)
    )
    return BarChart(label, bars)


__all__ = ["Bar", "BarChart", "bar_chart"]
