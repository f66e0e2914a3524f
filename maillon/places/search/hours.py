"""The « ouvert maintenant » / « ouvert le week-end » filters, in each place's own time zone.

The detail page evaluates a place's hours in its commune's zone (`opening_hours.timezone_for`:
the overseas départements and collectivités, codes 971 to 988); the filters must agree with it,
so a place in La Réunion open at 14:00 local time is « ouvert maintenant » at 11:00 in Paris.
A place without a commune uses Paris time. Each distinct (zone, hours) pair is evaluated once,
with the parsed hours cached by `opening_hours`.
"""

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache, reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.db.models import Q

from maillon.places.opening_hours import PARIS, open_now_strings, timezone_for, weekend_strings

# Every prefix `timezone_for` may map to a zone other than Paris (it reads the first 3 digits).
_OVERSEAS_RANGE = range(971, 990)


@lru_cache(maxsize=1)
def overseas_prefixes() -> dict[str, str]:
    """{code INSEE prefix: zone name} for the communes not on Paris time."""
    zones = {str(number): timezone_for(str(number)).key for number in _OVERSEAS_RANGE}
    return {prefix: zone for prefix, zone in zones.items() if zone != PARIS.key}


def zone_name(code_insee: str | None) -> str:
    """The time zone of a commune (Paris without a commune)."""
    return overseas_prefixes().get((code_insee or "")[:3], PARIS.key)


def all_zone_names() -> list[str]:
    return [PARIS.key, *sorted(set(overseas_prefixes().values()))]


class HoursFilter:
    """Which opening-hours strings satisfy the open-now / weekend filters, zone by zone."""

    def __init__(self, *, open_now: bool, weekend: bool, now: dt.datetime) -> None:
        self.open_now = open_now
        self.weekend = weekend
        self.now = now
        self._matching: dict[str, set[str]] = {}
        self._evaluated: dict[str, set[str]] = {}
        self._verdicts: dict[tuple[str, str], bool] = {}

    def matching(self, zone: str, strings: Iterable[str]) -> set[str]:
        """The strings among `strings` satisfying the filters in `zone` (each evaluated once)."""
        wanted = {text for text in strings if text}
        done = self._evaluated.setdefault(zone, set())
        found = self._matching.setdefault(zone, set())
        new = wanted - done
        if new:
            tz = timezone_for_name(zone)
            result = new
            if self.open_now:
                result = open_now_strings(result, self.now, tz=tz)
            if self.weekend:
                result = weekend_strings(result, self.now.astimezone(tz).date())
            found |= result
            done |= new
        return found & wanted

    def matches(self, horaires: str, code_insee: str | None) -> bool:
        key = (zone_name(code_insee), horaires)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = bool(self.matching(key[0], (horaires,)))
        return verdict

    def condition(self, strings: Iterable[str]) -> Q:
        """A SQL condition equivalent to `matches` for places whose hours are among `strings`:
        the strings matching in every zone need no zone test; the others are tied to the
        communes of the zones where they match."""
        strings = set(strings)
        by_zone = {zone: self.matching(zone, strings) for zone in all_zone_names()}
        everywhere = set.intersection(*by_zone.values())
        prefixes: dict[str, list[str]] = {}
        for prefix, zone in overseas_prefixes().items():
            prefixes.setdefault(zone, []).append(prefix)
        parts: list[Q] = []
        if everywhere:
            parts.append(Q(horaires__in=sorted(everywhere)))
        for zone, found in by_zone.items():
            only_here = found - everywhere
            if not only_here:
                continue
            if zone == PARIS.key:
                where = ~_starting_with(sorted(overseas_prefixes()))
            else:
                where = _starting_with(sorted(prefixes[zone]))
            parts.append(Q(horaires__in=sorted(only_here)) & where)
        return reduce(or_, parts) if parts else Q(pk__in=[])


def _starting_with(prefixes: list[str]) -> Q:
    # Ranges rather than LIKE: a foreign key only takes comparisons (and codes sort as text).
    return reduce(
        or_,
        (
            Q(commune_ref_id__gte=prefix, commune_ref_id__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))
            for prefix in prefixes
        ),
    )


@lru_cache(maxsize=64)
def timezone_for_name(zone: str) -> ZoneInfo:
    return ZoneInfo(zone)
