# ruff: noqa: RUF003 — typographic signs are meant.
"""Offer per commune: places, services, weekly opening hours, itinerant stops, recent activity.

Everything is counted with `np.bincount` over the places' commune index; activity comes from the
daily pre-aggregates of activity reports (one narrow query, ADR 0007), so it costs the same with
a thousand or five million activities.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import opening_hours as osm_parser
from django.db.models import Sum

from maillon.activities.statistics.models import DailyActivityStat
from maillon.diagnosis.arrays import FloatArray, IntArray
from maillon.diagnosis.tables import CommuneTable, PlaceTable, recent_period
from maillon.places.vocabulary import Service

_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_RANGE = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
_TIME_RANGE = r"\d{2}:\d{2}-\d{2}:\d{2}"
_RULE = re.compile(
    rf"(?P<days>{_DAY_RANGE}(?:,{_DAY_RANGE})*) (?P<times>{_TIME_RANGE}(?:,{_TIME_RANGE})*)"
)
# Two weeks without a public holiday in France (12–25 January 2026): « semaine paire/impaire »
# rules are averaged over both.
_REFERENCE_START = dt.datetime(2026, 1, 12)
_REFERENCE_WEEKS = 2


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _plain_week_hours(osm: str) -> float | None:
    """Hours of a plain weekly timetable (« Mo-Fr 09:00-12:00; Sa 10:00-12:00; PH off »), or
    None when the text says anything else (then the full parser decides)."""
    open_minutes = [0] * 7
    for rule in (part.strip() for part in osm.split(";")):
        if rule in {"PH off", "PH closed"}:
            continue  # no public holiday in the reference week
        match = _RULE.fullmatch(rule)
        if match is None:
            return None
        days: set[int] = set()
        for selector in match.group("days").split(","):
            first, _, last = selector.partition("-")
            begin, end = _DAYS.index(first), _DAYS.index(last or first)
            if end < begin:
                return None
            days.update(range(begin, end + 1))
        minutes = 0
        for span in match.group("times").split(","):
            start, stop = (_minutes(value) for value in span.split("-"))
            if stop <= start:
                return None
            minutes += stop - start
        for day in days:
            open_minutes[day] = minutes  # a later rule replaces an earlier one, as in OSM
    return sum(open_minutes) / 60


@lru_cache(maxsize=65536)
def weekly_hours(osm: str) -> float | None:
    """Average open hours per week of an OpenStreetMap `opening_hours` value; None when the
    hours are unknown, unreadable, or a comment only (« sur rendez-vous »)."""
    text = osm.strip()
    if not text or re.fullmatch(r'\s*"[^"]*"\s*', text):
        return None
    plain = _plain_week_hours(text)
    if plain is not None:
        return plain
    try:
        parsed = osm_parser.OpeningHours(text, country="FR")
    except Exception:  # the parser raises its own error types for unreadable hours
        return None
    end = _REFERENCE_START + dt.timedelta(weeks=_REFERENCE_WEEKS)
    seconds = sum(
        (stop - start).total_seconds()
        for start, stop, state, _ in parsed.intervals(_REFERENCE_START, end)
        if state == osm_parser.State.OPEN
    )
    hours = seconds / 3600 / _REFERENCE_WEEKS
    # A value open around the clock is a placeholder, not a timetable.
    return None if hours >= 24 * 7 else hours


@dataclass(frozen=True)
class Offer:
    """Per commune (aligned on `CommuneTable.codes`)."""

    places: IntArray
    itinerant_stops: IntArray
    by_service: dict[str, IntArray]  # service code → places offering it
    weekly_hours: FloatArray  # sum over places whose hours are known
    places_with_hours: IntArray
    activities: IntArray  # last 12 months
    accompaniments: IntArray
    mediators: IntArray  # distinct mediators who recorded an activity in the commune
    # (commune index, mediator id) pairs: distinct mediators of any set of communes.
    mediator_pairs: tuple[IntArray, IntArray]
    period: tuple[dt.date, dt.date]


def _count(index: IntArray, size: int, weights: FloatArray | None = None) -> FloatArray:
    inside = index >= 0
    return np.bincount(
        index[inside], None if weights is None else weights[inside], minlength=size
    ).astype(np.float64)


def distinct_mediators(pairs: tuple[IntArray, IntArray], selected: np.ndarray) -> int:
    """Distinct mediators over the communes where `selected` (boolean, per commune) is true."""
    communes, mediators = pairs
    if len(communes) == 0:
        return 0
    return int(np.unique(mediators[selected[communes]]).size)


def offer_per_commune(
    communes: CommuneTable, places: PlaceTable, *, today: dt.date | None = None
) -> Offer:
    size = len(communes)
    index = places.commune_index
    hours = np.array(
        [np.nan if (value := weekly_hours(text)) is None else value for text in places.horaires],
        dtype=np.float64,
    )
    known = np.isfinite(hours)
    by_service = {
        code: _count(index[places.offering(code)], size).astype(np.int64) for code in Service.values
    }
    period = recent_period(today)
    position = communes.index_of()
    stats = DailyActivityStat.objects.filter(date__gte=period[0], date__lte=period[1]).exclude(
        commune_id=""
    )
    activities = np.zeros(size, dtype=np.int64)
    accompaniments = np.zeros(size, dtype=np.int64)
    for code, count, people in stats.values_list("commune_id").annotate(
        Sum("activities"), Sum("accompaniments")
    ):
        if code in position:
            activities[position[code]] = count or 0
            accompaniments[position[code]] = people or 0
    pairs = [
        (position[code], mediator)
        for code, mediator in stats.values_list("commune_id", "mediator_id").distinct()
        if code in position
    ]
    pair_communes = np.array([pair[0] for pair in pairs], dtype=np.int64)
    pair_mediators = np.array([pair[1] for pair in pairs], dtype=np.int64)
    return Offer(
        places=_count(index, size).astype(np.int64),
        itinerant_stops=_count(index[places.is_itinerant], size).astype(np.int64),
        by_service=by_service,
        weekly_hours=_count(index[known], size, hours[known]),
        places_with_hours=_count(index[known], size).astype(np.int64),
        activities=activities,
        accompaniments=accompaniments,
        mediators=np.bincount(pair_communes, minlength=size).astype(np.int64),
        mediator_pairs=(pair_communes, pair_mediators),
        period=period,
    )
