"""Opening hours in OpenStreetMap `opening_hours` syntax (lieux-standard.md §10).

Producers write hours as French free text, per-day columns or HTML; the standard wants OSM
syntax. Conversion here is deliberately conservative: a word it does not understand, a lone
time or a day without hours makes the whole text stay as text with a French warning, because
a wrong timetable sends people to a closed door. Every produced string is re-validated with
the maintained parser (opening-hours-py), which also answers "open now" and "open at the
weekend" exactly like the national map does.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours as osm_parser

DAY_CODES: tuple[str, ...] = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_NAMES: tuple[str, ...] = (
    "Lundi",
    "Mardi",
    "Mercredi",
    "Jeudi",
    "Vendredi",
    "Samedi",
    "Dimanche",
)
PARIS = ZoneInfo("Europe/Paris")
EN_DASH = "\u2013"  # between the two ends of an interval shown to people

# Overseas codes (COG prefix of the code INSEE) whose legal time is not Paris time.
_OVERSEAS_ZONES: dict[str, str] = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "975": "America/Miquelon",
    "976": "Indian/Mayotte",
    "977": "America/St_Barthelemy",
    "978": "America/Marigot",
    "986": "Pacific/Wallis",
    "987": "Pacific/Tahiti",
    "988": "Pacific/Noumea",
}


@dataclass(frozen=True)
class Conversion:
    """Outcome of a conversion: OSM hours, or the producer's text kept verbatim."""

    osm: str
    text: str
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class DaySchedule:
    """One row of the weekly table shown on a place's detail page."""

    name: str
    day: dt.date
    intervals: list[str] = field(default_factory=list)
    is_closed: bool = True


Interval = tuple[int, int]  # minutes since midnight, end exclusive (1440 = 24:00)


# --------------------------------------------------------------------------- validation


@lru_cache(maxsize=32768)  # distinct strings of 20,000 places fit, so filters never re-parse
def _parsed(osm: str) -> osm_parser.OpeningHours | None:
    """Parse once per distinct string; failures are cached too (as None)."""
    if not osm.strip():
        return None
    try:
        return osm_parser.OpeningHours(osm, country="FR")
    except Exception:
        return None


def is_valid(osm: str) -> bool:
    return _parsed(osm) is not None


def _is_comment_only(osm: str) -> bool:
    # `"sur rendez-vous"` alone is valid OSM but means "open 24/7" to every parser.
    return bool(re.fullmatch(r'\s*"[^"]*"\s*', osm))


# --------------------------------------------------------------------------- free text


_DAY_WORDS: dict[str, int] = {}
for _index, _words in enumerate(
    (
        ("lundi", "lun", "lu", "mo", "monday"),
        ("mardi", "mar", "ma", "tu", "tuesday"),
        ("mercredi", "mer", "me", "we", "wednesday"),
        ("jeudi", "jeu", "je", "th", "thursday"),
        ("vendredi", "ven", "ve", "fr", "friday"),
        ("samedi", "sam", "sa", "saturday"),
        ("dimanche", "dim", "di", "su", "sunday"),
    )
):
    for _word in _words:
        _DAY_WORDS[_word] = _index
        if len(_word) > 3:
            _DAY_WORDS[_word + "s"] = _index

# Words that carry no information once days and times are read.
_FILLER = frozenset(
    [
        "de",
        "du",
        "des",
        "d",
        "l",
        "le",
        "la",
        "les",
        "aux",
        "et",
        "puis",
        "ainsi",
        "que",
        "ouvert",
        "ouverte",
        "ouverts",
        "ouverture",
        "horaires",
        "horaire",
        "accueil",
        "public",
        "h",
        "en",
        "continu",
        "tous",
        "toutes",
        "chaque",
    ]
)
# Part-of-day words: harmless next to explicit times, but never turned into times themselves.
_QUALIFIERS = frozenset(
    [
        "matin",
        "matins",
        "matinee",
        "matinees",
        "apres",
        "midi",
        "apresmidi",
        "apres-midi",
        "soir",
        "soirs",
        "journee",
        "journees",
        "am",
        "pm",
    ]
)
_CLOSED_WORDS = frozenset({"ferme", "fermee", "fermes", "fermees", "fermeture", "closed", "off"})
_RANGE_WORDS = frozenset({"au", "a", "jusqu", "-"})
_LIST_WORDS = frozenset({"et", ",", "&", "+"})

_TOKEN = re.compile(
    r"""
    (?P<date>\b\d{1,2}/\d{1,2}\b(?!\s*h))
  | (?P<time>(?<!\d)(?P<h>[01]?\d|2[0-4])
        (?:[ ]*h(?:(?P<m>[0-5]\d)|[ ]+(?P<m3>[0-5]\d)(?![ ]*[h:\d]))?|:(?P<m2>[0-5]\d))(?!\d))
  | (?P<bare>\b(?P<bh>[01]?\d|2[0-4])\b(?=[ ]*(?:a|-|au)[ ]*\d{1,2}[ ]*h))
  | (?P<midi>\bmidi\b)
  | (?P<minuit>\bminuit\b)
  | (?P<word>[a-z]+(?:-[a-z]+)*)
  | (?P<num>\d+)
  | (?P<sep>[;|\n])
  | (?P<punct>[-,&+/:().])
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE,
)


class _UnconvertibleError(Exception):
    """The text cannot be turned into hours without guessing."""


@dataclass
class _Token:
    kind: str
    value: str
    minutes: int = 0


def _clean(text: str) -> str:
    text = re.sub(r"<\s*(br|/li|/p|/div|li|p)\b[^>]*>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(text).lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # dashes of every width
    text = text.replace("\u2019", "'").replace("\t", " ")
    text = re.sub(r"\bapres[\s-]*midis?\b", "apres-midi", text)
    text = re.sub(
        r"\b(7\s*j?\s*/\s*7|tous\s+les\s+jours|toute\s+la\s+semaine)\b", " lundi au dimanche ", text
    )
    text = re.sub(r"\bjours?\s+feries?\b", " PH ", text)
    text = re.sub(r"\bjusqu'\s*a\b", " jusqu ", text)
    text = re.sub(r"\b[ld]'", " ", text)
    return text


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(_clean(text).replace("PH", "ph")):
        kind = match.lastgroup or "other"
        value = match.group(0)
        if kind == "space":
            continue
        if kind == "time":
            minutes = int(match.group("h")) * 60 + int(
                match.group("m") or match.group("m2") or match.group("m3") or 0
            )
            if minutes > 24 * 60:
                raise _UnconvertibleError(f"heure impossible « {value.strip()} »")
            tokens.append(_Token("time", value, minutes))
        elif kind == "bare":
            tokens.append(_Token("time", value, int(match.group("bh")) * 60))
        elif kind == "midi":
            tokens.append(_Token("time", value, 12 * 60))
        elif kind == "minuit":
            tokens.append(_Token("time", value, 24 * 60))
        elif kind == "word":
            tokens.extend(_word_tokens(value))
        elif kind in {"num", "other", "date"}:
            raise _UnconvertibleError(f"élément non reconnu « {value} »")
        else:
            tokens.append(_Token(kind, value))
    return tokens


def _word_tokens(word: str) -> list[_Token]:
    if word in _DAY_WORDS:
        return [_Token("day", word, _DAY_WORDS[word])]
    if word == "ph":
        return [_Token("ph", word)]
    if word in _CLOSED_WORDS:
        return [_Token("closed", word)]
    if word in _QUALIFIERS:
        return [_Token("qualifier", word)]
    if word in _RANGE_WORDS or word in _LIST_WORDS:
        return [_Token("link", word)]
    if word in _FILLER:
        return []
    if "-" in word:
        # "lundi-vendredi", "lu-ve": the hyphen is a range between two day words.
        parts = word.split("-")
        out: list[_Token] = []
        for index, part in enumerate(parts):
            if index:
                out.append(_Token("punct", "-"))
            out.extend(_word_tokens(part))
        return out
    raise _UnconvertibleError(f"mot non reconnu « {word} »")


@dataclass
class _Segment:
    days: list[int] = field(default_factory=list)
    intervals: list[Interval] = field(default_factory=list)
    closed: bool = False
    qualified: bool = False
    holidays: bool = False

    def has_content(self) -> bool:
        return bool(self.intervals) or self.closed


@dataclass
class _Week:
    hours: dict[int, list[Interval]] = field(default_factory=dict)
    closed_days: set[int] = field(default_factory=set)
    holidays_off: bool = False


def _read_days(tokens: list[_Token], start: int) -> tuple[list[int], int]:
    """Read a chain such as `lundi, mardi et jeudi` or `du lundi au vendredi`."""
    chain: list[int] = [tokens[start].minutes]
    links: list[str] = []
    index = start + 1
    while index < len(tokens):
        token = tokens[index]
        link = ""
        if token.kind in {"link", "punct"} and token.value in (_RANGE_WORDS | _LIST_WORDS | {"/"}):
            link = token.value
            index += 1
            if index >= len(tokens) or tokens[index].kind != "day":
                index -= 1
                break
            token = tokens[index]
        if token.kind != "day":
            break
        chain.append(token.minutes)
        links.append(link)
        index += 1
    hyphens = links.count("-")
    days: list[int] = [chain[0]]
    for link, day in zip(links, chain[1:], strict=True):
        is_range = link in {"au", "a", "jusqu"} or (
            link == "-" and hyphens == 1 and len(chain) == 2
        )
        if is_range:
            first = days[-1]
            if day <= first:
                raise _UnconvertibleError("plage de jours inversée")
            days.extend(range(first + 1, day + 1))
        else:
            days.append(day)
    return days, index


def _read_interval(tokens: list[_Token], start: int) -> tuple[Interval, int]:
    begin = tokens[start].minutes
    index = start + 1
    while index < len(tokens) and tokens[index].kind in {"link", "punct"}:
        if tokens[index].value not in {"-", "a", "au", "/", "jusqu"}:
            break
        index += 1
    # "9h 12h" without a dash is still read as a range, never as two separate times.
    if index >= len(tokens) or tokens[index].kind != "time":
        raise _UnconvertibleError(f"heure isolée « {tokens[start].value.strip()} »")
    end = tokens[index].minutes
    if end == 0:
        end = 24 * 60
    if end <= begin:
        raise _UnconvertibleError("créneau dont la fin précède le début")
    return (begin, end), index + 1


def _segments(tokens: list[_Token]) -> list[_Segment]:
    segments: list[_Segment] = []
    current = _Segment()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == "day":
            days, index = _read_days(tokens, index)
            if current.days and current.has_content():
                segments.append(current)
                current = _Segment()
            elif current.days:
                raise _UnconvertibleError("jours sans horaires")
            current.days = days
            continue
        if token.kind == "time":
            if current.closed:
                raise _UnconvertibleError("fermeture partielle d'une journée")
            interval, index = _read_interval(tokens, index)
            current.intervals.append(interval)
            continue
        if token.kind == "closed":
            if current.intervals:
                segments.append(current)
                current = _Segment()
            current.closed = True
        elif token.kind == "ph":
            current.holidays = True
        elif token.kind == "qualifier":
            current.qualified = True
        index += 1
    segments.append(current)
    return segments


def _week_from_segments(segments: list[_Segment]) -> _Week:
    week = _Week()
    for segment in segments:
        if segment.holidays:
            if not segment.closed or segment.days or segment.intervals:
                raise _UnconvertibleError("mention des jours fériés non reconnue")
            week.holidays_off = True
            continue
        if not segment.days:
            if segment.intervals:
                raise _UnconvertibleError("horaires sans jour de la semaine")
            if segment.closed or segment.qualified:
                raise _UnconvertibleError("mention sans jour de la semaine")
            continue
        if segment.closed:
            if segment.qualified:
                raise _UnconvertibleError("fermeture d'une partie de journée")
            # "fermé le lundi" after "du lundi au samedi …" is an exception to what precedes.
            week.closed_days.update(segment.days)
            for day in segment.days:
                week.hours.pop(day, None)
            continue
        if not segment.intervals:
            raise _UnconvertibleError("jours sans horaires")
        for day in segment.days:
            week.hours.setdefault(day, []).extend(segment.intervals)
    for day, intervals in week.hours.items():
        intervals.sort()
        for (_, end), (begin, _) in itertools.pairwise(intervals):
            if begin < end:
                raise _UnconvertibleError("créneaux qui se chevauchent")
        week.hours[day] = list(dict.fromkeys(intervals))
    return week


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day_selector(days: Sequence[int]) -> str:
    parts: list[str] = []
    run: list[int] = []
    for day in sorted(days):
        if run and day == run[-1] + 1:
            run.append(day)
            continue
        if run:
            parts.append(_run_selector(run))
        run = [day]
    if run:
        parts.append(_run_selector(run))
    return ",".join(parts)


def _run_selector(run: list[int]) -> str:
    if len(run) == 1:
        return DAY_CODES[run[0]]
    if len(run) == 2:
        return f"{DAY_CODES[run[0]]},{DAY_CODES[run[1]]}"
    return f"{DAY_CODES[run[0]]}-{DAY_CODES[run[-1]]}"


def _week_to_osm(hours: Mapping[int, Sequence[Interval]], *, holidays_off: bool = False) -> str:
    groups: dict[tuple[Interval, ...], list[int]] = {}
    for day in range(7):
        intervals = tuple(hours.get(day, ()))
        if intervals:
            groups.setdefault(intervals, []).append(day)
    rules = [
        f"{_day_selector(days)} {','.join(f'{_hhmm(b)}-{_hhmm(e)}' for b, e in intervals)}"
        for intervals, days in sorted(groups.items(), key=lambda item: item[1][0])
    ]
    if rules and holidays_off:
        rules.append("PH off")
    return "; ".join(rules)


def _convert_free_text(text: str) -> str:
    week = _week_from_segments(_segments(_tokens(text)))
    if not week.hours:
        raise _UnconvertibleError("aucun créneau d'ouverture")
    return _week_to_osm(week.hours, holidays_off=week.holidays_off)


def _kept(text: str, reason: str) -> Conversion:
    return Conversion(
        osm="",
        text=text,
        warnings=(f"Horaires conservés en texte, non convertis au format OSM : {reason}.",),
    )


def _equivalent(first: str, second: str) -> bool:
    a, b = _parsed(first), _parsed(second)
    if a is None or b is None:
        return False
    # A plain weekly expression repeats every week; anything else (holidays, months, weeks)
    # is compared over a whole year.
    weekly = not re.sub(
        r"\b(?:Mo|Tu|We|Th|Fr|Sa|Su|off|closed)\b|[\d:,;\- ]", "", f"{first} {second}"
    )
    start = dt.datetime(2026, 1, 5)
    end = start + dt.timedelta(days=14 if weekly else 400)
    return list(a.intervals(start, end)) == list(b.intervals(start, end))


def _from_valid_osm(text: str) -> Conversion:
    parsed = _parsed(text)
    assert parsed is not None
    normalized = str(parsed.normalize())
    if normalized != text and _equivalent(text, normalized):
        return Conversion(osm=normalized, text="", warnings=())
    return Conversion(osm=text, text="", warnings=())


@lru_cache(maxsize=8192)
def to_osm(text: str) -> Conversion:
    """Convert producer hours (OSM already, French free text, HTML) to OSM `opening_hours`."""
    stripped = " ".join(text.split())
    if not re.search(r"[^\W_]", _clean(text)):
        return Conversion(osm="", text="", warnings=())
    if _is_comment_only(stripped):
        return _kept(stripped.strip('"'), "une simple remarque ne donne pas de jours d'ouverture")
    if is_valid(stripped):
        return _from_valid_osm(stripped)
    if re.search(r"\b(rdv|rendez[\s-]*vous)\b", _clean(text)):
        return _kept(text, "ouverture sur rendez-vous")
    try:
        osm = _convert_free_text(text)
    except _UnconvertibleError as error:
        return _kept(text, str(error))
    if not is_valid(osm):  # pragma: no cover - the builder only writes plain rules
        return _kept(text, "résultat refusé par le validateur")
    return Conversion(osm=osm, text="", warnings=())


def from_day_columns(days: Mapping[str, str]) -> Conversion:
    """Build OSM hours from one free-text column per day (keys: Mo … Su)."""
    pieces = {code: (days.get(code) or "").strip() for code in DAY_CODES}
    original = " ; ".join(
        f"{DAY_NAMES[index]} : {value}"
        for index, (code, value) in enumerate(pieces.items())
        if value
    )
    hours: dict[int, list[Interval]] = {}
    try:
        for index, value in enumerate(pieces.values()):
            if not value:
                continue
            week = _week_from_segments(_segments(_tokens(f"{DAY_NAMES[index]} {value}")))
            if week.holidays_off or set(week.hours) - {index} or week.closed_days - {index}:
                raise _UnconvertibleError(f"{DAY_NAMES[index].lower()} : autre jour mentionné")
            hours[index] = week.hours.get(index, [])
    except _UnconvertibleError as error:
        return _kept(original, str(error))
    if not any(hours.values()):
        if original:
            return _kept(original, "aucun créneau d'ouverture")
        return Conversion(osm="", text="", warnings=())
    return Conversion(osm=_week_to_osm(hours), text="", warnings=())


# --------------------------------------------------------------------------- evaluation


def timezone_for(code_insee: str) -> ZoneInfo:
    return ZoneInfo(_OVERSEAS_ZONES.get((code_insee or "")[:3], "Europe/Paris"))


def _local(when: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Local wall-clock time (naive) in `tz`; naive input is taken as already local."""
    if when.tzinfo is not None:
        when = when.astimezone(tz).replace(tzinfo=None)
    return when


def _quarter(when: dt.datetime) -> dt.datetime:
    return when.replace(minute=when.minute - when.minute % 15, second=0, microsecond=0)


def is_open_at(osm: str, when: dt.datetime, *, tz: ZoneInfo = PARIS) -> bool:
    parsed = _parsed(osm)
    if parsed is None:
        return False
    return bool(parsed.is_open(_quarter(_local(when, tz))))


def _next_weekend(today: dt.date) -> tuple[dt.date, dt.date]:
    # Same rule as the national map: on a Saturday, "next Saturday" is a week later.
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    sunday = today + dt.timedelta(days=(6 - today.weekday()) % 7 or 7)
    return saturday, sunday


def _open_during(parsed: osm_parser.OpeningHours, day: dt.date) -> bool:
    start = dt.datetime.combine(day, dt.time())
    return any(
        state == osm_parser.State.OPEN
        for _, _, state, _ in parsed.intervals(start, start + dt.timedelta(days=1))
    )


def open_on_weekend(osm: str, today: dt.date) -> bool:
    parsed = _parsed(osm)
    if parsed is None:
        return False
    return any(_open_during(parsed, day) for day in _next_weekend(today))


def open_now_strings(
    strings: Iterable[str], when: dt.datetime, *, tz: ZoneInfo = PARIS
) -> set[str]:
    """The distinct strings among `strings` whose hours are open at `when` (quarter-hour)."""
    instant = _quarter(_local(when, tz))
    return {
        osm
        for osm in set(strings)
        if (parsed := _parsed(osm)) is not None and parsed.is_open(instant)
    }


def weekend_strings(strings: Iterable[str], today: dt.date) -> set[str]:
    days = _next_weekend(today)
    return {
        osm
        for osm in set(strings)
        if (parsed := _parsed(osm)) is not None and any(_open_during(parsed, day) for day in days)
    }


def week_table(osm: str, monday: dt.date) -> list[DaySchedule]:
    """The seven days of the week starting `monday`, with their actual open intervals."""
    parsed = _parsed(osm)
    if parsed is None:
        return []
    table: list[DaySchedule] = []
    for offset, name in enumerate(DAY_NAMES):
        day = monday + dt.timedelta(days=offset)
        start = dt.datetime.combine(day, dt.time())
        intervals = [
            f"{begin:%H:%M}{EN_DASH}{'24:00' if end.date() > day else f'{end:%H:%M}'}"
            for begin, end, state, _ in parsed.intervals(start, start + dt.timedelta(days=1))
            if state == osm_parser.State.OPEN
        ]
        table.append(DaySchedule(name=name, day=day, intervals=intervals, is_closed=not intervals))
    return table


# --------------------------------------------------------------------------- timetable form


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def timetable_to_osm(slots: Mapping[str, Sequence[tuple[dt.time, dt.time]]]) -> str:
    """Weekly timetable (day code → intervals) to OSM; identical days are grouped."""
    hours: dict[int, list[Interval]] = {}
    for index, code in enumerate(DAY_CODES):
        intervals = sorted(
            (_minutes(begin), _minutes(end) or 24 * 60) for begin, end in slots.get(code, ())
        )
        if intervals:
            hours[index] = intervals
    return _week_to_osm(hours)


_PLAIN_DAYS = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
_PLAIN_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d-(?:[01]\d|2[0-4]):[0-5]\d"
_PLAIN_RULE = re.compile(
    rf"(?P<days>{_PLAIN_DAYS}(?:,{_PLAIN_DAYS})*)\s+(?P<times>{_PLAIN_TIME}(?:,{_PLAIN_TIME})*|off|closed)"
)


def osm_to_timetable(osm: str) -> dict[str, list[tuple[dt.time, dt.time]]] | None:
    """The weekly timetable behind `osm`, or None when it says more than a plain week."""
    if not osm.strip():
        return {code: [] for code in DAY_CODES}
    if _parsed(osm) is None:
        return None
    hours: dict[int, list[Interval]] = {}
    for rule in (part.strip() for part in osm.split(";")):
        match = _PLAIN_RULE.fullmatch(rule)
        if match is None:
            return None
        days: list[int] = []
        for selector in match.group("days").split(","):
            first, _, last = selector.partition("-")
            begin, end = DAY_CODES.index(first), DAY_CODES.index(last or first)
            if end < begin:
                return None
            days.extend(range(begin, end + 1))
        intervals: list[Interval] = []
        if match.group("times") not in {"off", "closed"}:
            for span in match.group("times").split(","):
                start, _, stop = span.partition("-")
                first_minute, last_minute = _parse_hhmm(start), _parse_hhmm(stop)
                if last_minute <= first_minute:
                    return None
                intervals.append((first_minute, last_minute))
        for day in days:
            hours[day] = sorted(intervals)  # a later rule replaces an earlier one, as in OSM
    timetable = {
        code: [(_as_time(b), _as_time(e)) for b, e in hours.get(index, [])]
        for index, code in enumerate(DAY_CODES)
    }
    rebuilt = _week_to_osm(hours)
    if rebuilt != osm and not _equivalent(rebuilt, osm):
        return None
    return timetable


def _parse_hhmm(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def _as_time(minutes: int) -> dt.time:
    # 24:00 has no `time` value; the form shows the last minute of the day instead.
    return dt.time(23, 59) if minutes >= 24 * 60 else dt.time(minutes // 60, minutes % 60)
