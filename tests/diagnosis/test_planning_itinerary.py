"""The weekly tour and its iCalendar file (RFC 5545)."""

import datetime as dt
import re

import numpy as np
import pytest

from maillon.diagnosis.planning.ical import escape_text, fold, itinerary_to_ics
from maillon.diagnosis.planning.itinerary import ItineraryOptions, Site, build_itinerary


def straight_minutes(
    lat_a: np.ndarray, lon_a: np.ndarray, lat_b: np.ndarray, lon_b: np.ndarray
) -> np.ndarray:
    """One minute per 0.01 degree, Manhattan: easy to reason about."""
    result: np.ndarray = (np.abs(lat_a - lat_b) + np.abs(lon_a - lon_b)) * 100
    return result


def site(identifier: str, lon: float, name: str = "") -> Site:
    return Site(identifier, name or f"Mairie {identifier}", 48.0, lon)


def test_days_open_with_the_most_useful_stop_then_the_nearest_within_the_budget() -> None:
    stops = [site("depot", 0.0), site("far", 0.50), site("near", 0.10), site("mid", 0.30)]

    itinerary = build_itinerary(
        stops,
        driving=straight_minutes,
        options=ItineraryOptions(days=5, stops_per_day=2, driving_budget_minutes=70),
    )

    routes = [[visit.site.id for visit in day.visits] for day in itinerary.days]
    # Monday: the depot itself (most useful), then the nearest (10 min there, 10 back);
    # Tuesday: far, the most useful left, alone (50 + 50 = 100 > 70, flagged), mid does not fit
    # after it (50 + 20 + 30 > 70); Wednesday: mid (30 + 30 = 60).
    assert routes == [["depot", "near"], ["far"], ["mid"]]
    assert itinerary.depot.id == "depot"
    assert [day.name for day in itinerary.days] == ["lundi", "mardi", "mercredi"]
    assert itinerary.days[0].driving_minutes == pytest.approx(20)
    assert itinerary.days[1].is_over_budget  # far alone: 100 min, still served, flagged
    assert not itinerary.days[2].is_over_budget
    assert itinerary.unscheduled == ()


def test_a_week_too_short_leaves_out_the_least_useful_stops() -> None:
    # Most useful first: the far stop comes second, the two stops near the depot last.
    stops = [site("depot", 0.0), site("far", 0.50), site("near", 0.01), site("next", 0.02)]

    itinerary = build_itinerary(
        stops, driving=straight_minutes, options=ItineraryOptions(days=2, stops_per_day=1)
    )

    assert [[v.site.id for v in day.visits] for day in itinerary.days] == [["depot"], ["far"]]
    assert [s.id for s in itinerary.unscheduled] == ["near", "next"]


def test_stops_that_do_not_fit_in_the_week_are_listed() -> None:
    stops = [site(str(n), n / 100) for n in range(5)]

    itinerary = build_itinerary(
        stops, driving=straight_minutes, options=ItineraryOptions(days=2, stops_per_day=2)
    )

    assert sum(len(day.visits) for day in itinerary.days) == 4
    assert [s.id for s in itinerary.unscheduled] == ["4"]


def test_visit_times_include_driving_lunch_and_round_to_the_quarter() -> None:
    itinerary = build_itinerary(
        [site("a", 0.0), site("b", 0.07)],
        driving=straight_minutes,
        options=ItineraryOptions(stop_minutes=150, day_start=dt.time(9, 0), lunch_minutes=60),
    )

    morning, afternoon = itinerary.days[0].visits
    assert (morning.start, morning.end) == (dt.time(9, 0), dt.time(11, 30))
    # 11:30 + 7 min driving + 60 min lunch = 12:37, rounded up to 12:45.
    assert (afternoon.start, afternoon.end) == (dt.time(12, 45), dt.time(15, 15))


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_the_calendar_is_valid_rfc_5545() -> None:
    long_name = "Salle polyvalente, place de l'Église ; à côté de la médiathèque " * 2
    itinerary = build_itinerary(
        [site("53130", 0.0, long_name), site("53062", 0.05)], driving=straight_minutes
    )
    now = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)

    text = itinerary_to_ics(
        itinerary,
        monday=dt.date(2026, 11, 23),
        weeks=4,
        descriptions={"53130": "Environ 120 personnes\nen risque"},
        now=now,
    )

    raw_lines = text.split("\r\n")
    assert text.endswith("\r\n") and raw_lines[-1] == ""
    assert "\n" not in text.replace("\r\n", "")  # every line break is CRLF
    assert all(len(line.encode("utf-8")) <= 75 for line in raw_lines)
    assert any(line.startswith(" ") for line in raw_lines)  # the long name was folded
    lines = unfold(text)[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2
    assert lines.count("BEGIN:VTIMEZONE") == 1
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == 2
    assert lines.count("DTSTAMP:20261122T100000Z") == 2
    assert "DTSTART;TZID=Europe/Paris:20261123T090000" in lines
    assert lines.count("RRULE:FREQ=WEEKLY;COUNT=4") == 2
    summary = next(line for line in lines if line.startswith("SUMMARY:"))
    assert summary.endswith(escape_text(long_name))
    assert "\\;" in summary and "\\," in summary
    assert "DESCRIPTION:Environ 120 personnes\\nen risque" in lines
    # Nesting is balanced.
    depth = 0
    for line in lines:
        depth += line.startswith("BEGIN:") - line.startswith("END:")
        assert depth >= 0
        assert re.match(r"^[A-Z-]+[;:]", line), line
    assert depth == 0


def test_the_same_plan_gives_the_same_uids() -> None:
    itinerary = build_itinerary([site("a", 0.0)], driving=straight_minutes)

    first = itinerary_to_ics(itinerary, monday=dt.date(2026, 11, 23))
    second = itinerary_to_ics(itinerary, monday=dt.date(2026, 11, 23))

    uid = [line for line in unfold(first) if line.startswith("UID:")]
    assert uid == [line for line in unfold(second) if line.startswith("UID:")]


def test_folding_never_cuts_a_multibyte_character() -> None:
    line = "SUMMARY:" + "é" * 100

    folded = fold(line)

    for part in folded.split("\r\n"):
        assert len(part.encode("utf-8")) <= 75
        part.encode("utf-8").decode("utf-8")
    assert folded.replace("\r\n ", "") == line


def test_a_week_must_start_on_a_monday() -> None:
    itinerary = build_itinerary([site("a", 0.0)], driving=straight_minutes)

    with pytest.raises(ValueError, match="lundi"):
        itinerary_to_ics(itinerary, monday=dt.date(2026, 11, 24))
