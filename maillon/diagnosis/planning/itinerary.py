"""A weekly tour of the chosen stops: days within a driving budget, nearest neighbour first.

Each day leaves the depot (the first stop, or a commune given by the user), drives to the most
useful stop not yet visited (stops come most useful first), then to the nearest one not yet
visited, while the day's driving (including the return to the depot) stays within the budget and
the day has room for another stop. A stop that even alone breaks the budget gets a day of its
own and is flagged. Opening each day with the most useful stop left means that when the week is
too short, the stops left out are among the least useful, never the most useful ones. This is
a simple, explainable rule, not an optimal vehicle routing: the order of the stops changes
nothing to who is covered.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from maillon.diagnosis.planning.instance import FloatArray

# minutes(latitudes_a, longitudes_a, latitudes_b, longitudes_b) → driving minutes, element-wise.
DrivingMinutes = Callable[[FloatArray, FloatArray, FloatArray, FloatArray], FloatArray]

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class ItineraryOptions:
    days: int = 5  # Monday to Friday
    stops_per_day: int = 2  # a morning and an afternoon
    driving_budget_minutes: float = 120.0
    stop_minutes: int = 150  # time spent at each stop, set up included
    day_start: dt.time = dt.time(9, 0)
    lunch_minutes: int = 60  # break after the morning stop


@dataclass(frozen=True)
class Visit:
    site: Site
    start: dt.time
    end: dt.time
    minutes_from_previous: float


@dataclass(frozen=True)
class Day:
    index: int  # 0 = Monday
    visits: tuple[Visit, ...]
    driving_minutes: float  # depot → stops → depot
    is_over_budget: bool

    @property
    def name(self) -> str:
        return WEEKDAYS[self.index % 7]


@dataclass(frozen=True)
class Itinerary:
    depot: Site
    days: tuple[Day, ...]
    unscheduled: tuple[Site, ...] = field(default=())


def _minutes_between(driving: DrivingMinutes, origin: Site, targets: Sequence[Site]) -> FloatArray:
    count = len(targets)
    return driving(
        np.full(count, origin.latitude),
        np.full(count, origin.longitude),
        np.array([site.latitude for site in targets]),
        np.array([site.longitude for site in targets]),
    )


def _clock(start: dt.time, minutes: float) -> dt.time:
    moment = dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)
    return moment.time().replace(second=0, microsecond=0)


def build_itinerary(
    stops: Sequence[Site],
    *,
    driving: DrivingMinutes,
    options: ItineraryOptions | None = None,
    depot: Site | None = None,
) -> Itinerary:
    """Spread `stops` (most useful first) over the days of a week, see the module docstring."""
    settings = options or ItineraryOptions()
    home = depot or (stops[0] if stops else Site("", "", 0.0, 0.0))
    remaining = list(stops)
    days: list[Day] = []
    for day_index in range(settings.days):
        if not remaining:
            break
        route: list[tuple[Site, float]] = []
        position, driven = home, 0.0
        while remaining and len(route) < settings.stops_per_day:
            there = _minutes_between(driving, position, remaining)
            back = _minutes_between(driving, home, remaining)
            # The day opens with the most useful stop left, then goes to the nearest ones.
            nearest = int(np.argmin(there)) if route else 0
            cost = driven + float(there[nearest]) + float(back[nearest])
            if route and cost > settings.driving_budget_minutes:
                break
            route.append((remaining.pop(nearest), float(there[nearest])))
            position, driven = route[-1][0], driven + float(there[nearest])
        driven += float(_minutes_between(driving, position, [home])[0])
        days.append(
            Day(
                index=day_index,
                visits=_schedule(route, settings),
                driving_minutes=driven,
                is_over_budget=driven > settings.driving_budget_minutes,
            )
        )
    return Itinerary(depot=home, days=tuple(days), unscheduled=tuple(remaining))


def _schedule(route: list[tuple[Site, float]], settings: ItineraryOptions) -> tuple[Visit, ...]:
    visits: list[Visit] = []
    elapsed = 0.0
    for position, (site, minutes) in enumerate(route):
        elapsed += minutes
        if position == 1:  # lunch between the morning and the afternoon stops
            elapsed += settings.lunch_minutes
        # Round arrival up to the next quarter hour: a timetable people can remember.
        start = float(np.ceil(elapsed / 15.0) * 15.0)
        end = start + settings.stop_minutes
        visits.append(
            Visit(
                site=site,
                start=_clock(settings.day_start, start),
                end=_clock(settings.day_start, end),
                minutes_from_previous=minutes,
            )
        )
        elapsed = end
    return tuple(visits)
