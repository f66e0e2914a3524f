"""The weekly itinerary as an iCalendar file (RFC 5545), written by hand: a few dozen lines.

Lines end with CRLF and are folded at 75 octets without cutting a UTF-8 character (§3.1);
text values escape backslash, semicolon, comma and newline (§3.3.11). Times are local to
Europe/Paris with the matching VTIMEZONE, so a weekly recurrence keeps its hour across the
change to summer time. Each event has a stable UID (same plan, same UIDs: re-importing the
file updates the events instead of duplicating them) and a DTSTAMP in UTC.
"""

import datetime as dt
import hashlib

from maillon.diagnosis.planning.itinerary import Itinerary

CRLF = "\r\n"
LINE_OCTETS = 75
TIMEZONE = "Europe/Paris"
PRODUCT = "-//Maillon//Planification de l'aller-vers//FR"

VTIMEZONE_PARIS = (
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, continuation lines starting with
    one space (which counts in their 75)."""
    chunks: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1
        current += character
        size += width
    chunks.append(current)
    return (CRLF + " ").join(chunks)


def _local(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def itinerary_to_ics(
    itinerary: Itinerary,
    *,
    monday: dt.date,
    weeks: int = 1,
    title: str = "Arrêt de l'aller-vers numérique",
    descriptions: dict[str, str] | None = None,
    now: dt.datetime | None = None,
) -> str:
    """One VEVENT per visit of the week starting on `monday`, repeated `weeks` times."""
    if monday.weekday() != 0:
        raise ValueError("La semaine de l'itinéraire doit commencer un lundi.")
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *VTIMEZONE_PARIS,
    ]
    for day in itinerary.days:
        date = monday + dt.timedelta(days=day.index)
        for visit in day.visits:
            start = dt.datetime.combine(date, visit.start)
            end = dt.datetime.combine(date, visit.end)
            key = f"{visit.site.id}|{_local(start)}|{itinerary.depot.id}"
            uid = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
            description = (descriptions or {}).get(visit.site.id, "")
            lines += [
                "BEGIN:VEVENT",
                f"UID:{uid}@maillon",
                f"DTSTAMP:{stamp}",
                f"DTSTART;TZID={TIMEZONE}:{_local(start)}",
                f"DTEND;TZID={TIMEZONE}:{_local(end)}",
                f"SUMMARY:{escape_text(f'{title} : {visit.site.name}')}",
                f"LOCATION:{escape_text(visit.site.name)}",
                f"GEO:{visit.site.latitude:.6f};{visit.site.longitude:.6f}",
            ]
            if description:
                lines.append(f"DESCRIPTION:{escape_text(description)}")
            if weeks > 1:
                lines.append(f"RRULE:FREQ=WEEKLY;COUNT={weeks}")
            lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
