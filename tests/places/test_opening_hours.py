import datetime as dt
from zoneinfo import ZoneInfo

import opening_hours as osm_parser
import pytest

from maillon.places.opening_hours import (
    EN_DASH,
    from_day_columns,
    is_open_at,
    is_valid,
    open_now_strings,
    open_on_weekend,
    osm_to_timetable,
    timetable_to_osm,
    timezone_for,
    to_osm,
    week_table,
    weekend_strings,
)

# Shapes taken from the producers' files in shared/data/lieux-mediation.
CONVERSIONS = [
    ("du lundi au vendredi de 9h à 12h et de 14h à 17h", "Mo-Fr 09:00-12:00,14:00-17:00"),
    ("Du Lundi au Vendredi de 10H00 à 12H00 et de 14H00 à 18H00", "Mo-Fr 10:00-12:00,14:00-18:00"),
    ("Lundi : 9h-12h / 14h-17h ; Mardi : fermé", "Mo 09:00-12:00,14:00-17:00"),
    ("lun-ven 9h00-12h30", "Mo-Fr 09:00-12:30"),
    ("Lu-Ve 9h-12h", "Mo-Fr 09:00-12:00"),
    ("le mercredi matin de 9h à 12h", "We 09:00-12:00"),
    ("9h-12h 14h-17h du lundi au vendredi", "Mo-Fr 09:00-12:00,14:00-17:00"),
    ("9h-12h et 14h-17h du lundi au vendredi", "Mo-Fr 09:00-12:00,14:00-17:00"),
    ("8h/12h15 et 13h15/17h du lundi au vendredi", "Mo-Fr 08:00-12:15,13:15-17:00"),
    ("Mardi 9 h 30 - 12 h", "Tu 09:30-12:00"),
    ("de 9h à midi le lundi", "Mo 09:00-12:00"),
    ("samedi 14 à 16h", "Sa 14:00-16:00"),
    ("Lundi 9h 12h Mercredi 9h 12h", "Mo,We 09:00-12:00"),
    ("tous les jours, 9h -12h30; 14h - 18h", "Mo-Su 09:00-12:30,14:00-18:00"),
    (
        "mardi - mercredi - vendredi 9h30 -12h30 et 14h-17h - jeudi et samedi 9h30-12h30",
        "Tu,We,Fr 09:30-12:30,14:00-17:00; Th,Sa 09:30-12:30",
    ),
    ("Les mardi et jeudi de 8h30 à 17h00", "Tu,Th 08:30-17:00"),
    (
        "Lundi - jeudi : 9h - 12h / 14h - 17h\nVendredi : 9h - 12h",
        "Mo-Th 09:00-12:00,14:00-17:00; Fr 09:00-12:00",
    ),
    ("lundi- mardi -jeudi - vendredi 08:30-12:00", "Mo,Tu,Th,Fr 08:30-12:00"),
    ("MARDI & JEUDI APRES-MIDI (14:00/18:00)", "Tu,Th 14:00-18:00"),
    (
        "Lundi : FERME  Mardi : 9h - 12h30 et 13h30 - 17h30  Samedi : 9h30 - 12h30",
        "Tu 09:00-12:30,13:30-17:30; Sa 09:30-12:30",
    ),
    (
        "<ul><li>- lundi matin: 10h-12h / lundi après-midi: 14h-17h<br>\n</li>"
        "<li>- mardi matin: 10h-12h / mardi après-midi: 14h-17h<br>\n</li><li>- </li></ul>",
        "Mo,Tu 10:00-12:00,14:00-17:00",
    ),
    ("<p>Mercredi de 14h&nbsp;à 16h</p>", "We 14:00-16:00"),
    (
        "mardi 13:30-18:00\nmercredi 10:00-12:00 13:30-18:00",
        "Tu 13:30-18:00; We 10:00-12:00,13:30-18:00",
    ),
    ("lundi 7h-11h45/13h45-15h15", "Mo 07:00-11:45,13:45-15:15"),
    (
        "du lundi au vendredi de 9h à 12h et de 14h à 17h, fermé les jours fériés",
        "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
    ),
    ("Du lundi au samedi de 9h à 18h, fermé le lundi", "Tu-Sa 09:00-18:00"),
    ("Du lundi au vendredi, de 9h30 à 17h", "Mo-Fr 09:30-17:00"),
    ("lundi 22h-0h", "Mo 22:00-24:00"),
    # Already OSM: kept, or normalised when the parser's form means the same.
    (
        "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00",
        "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00",
    ),
    ("Tu 09:30-12:00; PH off", "Tu 09:30-12:00; PH closed"),
    ("mo-fr 09:00-12:00", "Mo-Fr 09:00-12:00"),
    ("Mo,Tu,We 09:00-12:00", "Mo-We 09:00-12:00"),
    ("week 1-53/2 Mo 09:30-12:30", "week01-53/2 Mo 09:30-12:30"),
]


@pytest.mark.parametrize(("text", "expected"), CONVERSIONS)
def test_it_converts_producer_hours_to_valid_osm(text: str, expected: str) -> None:
    conversion = to_osm(text)

    assert conversion.osm == expected
    assert conversion.text == ""
    assert conversion.warnings == ()
    osm_parser.OpeningHours(conversion.osm)  # raises when invalid


KEPT_AS_TEXT = [
    "de 9h00 à 12h00, puis de 14h00 à 17h00",  # no day: cannot be placed on the week
    "sur rendez-vous",
    '"sur rendez-vous"',  # valid OSM, but a lone comment means 24/7 to parsers
    "Du lundi au vendredi, de 8h30 à 17h, sur rendez-vous uniquement",
    "Du lundi au vendredi",
    "Lundis et Jeudis, journée",
    "lundi, mardi, jeudi et vendredi après-midi",
    "9h à 12h / 13h à 17h (17h30 le mercredi)",
    "Lundi au vendredi : 9h à 18h (lundi et jeudi matin fermé)",
    "Le dernier vendredi du mois de 14h00 à 16h00",
    "Vendredi 21/04\n10:00 - 12:30",
    "Horaires variables en fonction des ateliers",
    "lundi 9h12h",
    "lundi 16:",
    "lundi 14h-9h",
    "Mo-Fr 08:30-12:300",
    "<ul><li>- </li><li>- mardi matin</li></ul>",
]


@pytest.mark.parametrize("text", KEPT_AS_TEXT)
def test_it_keeps_what_it_cannot_read_as_text_with_a_french_warning(text: str) -> None:
    conversion = to_osm(text)

    assert conversion.osm == ""
    assert conversion.text.strip('"') == text.strip('"')
    assert len(conversion.warnings) == 1
    assert conversion.warnings[0].startswith("Horaires conservés en texte")


def test_empty_or_blank_html_hours_are_simply_absent() -> None:
    assert to_osm("") == to_osm("<ul><li>- </li><li>- </li></ul>")
    assert to_osm("  ").osm == "" and to_osm("  ").warnings == ()


def test_it_builds_hours_from_day_columns_grouping_identical_days() -> None:
    conversion = from_day_columns(
        {
            "Mo": "9h-12h / 14h-17h",
            "Tu": "9h00-12h00 14h00-17h00",
            "We": "9h-12h / 14h-17h",
            "Th": "9h-12h / 14h-17h",
            "Fr": "9h-12h / 14h-17h",
            "Sa": "9h-12h",
            "Su": "fermé",
        }
    )

    assert conversion == to_osm("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00")
    assert conversion.osm == "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"


def test_day_columns_with_a_vague_value_stay_text() -> None:
    conversion = from_day_columns({"Mo": "Matin", "Tu": "14h-17h"})

    assert conversion.osm == ""
    assert conversion.text == "Lundi : Matin ; Mardi : 14h-17h"
    assert conversion.warnings


def test_empty_day_columns_give_nothing() -> None:
    assert from_day_columns({"Mo": "", "Tu": " "}) == to_osm("")


def test_every_output_validates_with_the_parser() -> None:
    texts = [text for text, _ in CONVERSIONS] + KEPT_AS_TEXT
    outputs = [to_osm(text).osm for text in texts]

    assert all(is_valid(osm) for osm in outputs if osm)
    assert not is_valid("Lu-Ve 9h-12h") and not is_valid("")


MONDAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (dt.datetime(2026, 11, 23, 8, 59), False),
        (dt.datetime(2026, 11, 23, 9, 0), True),
        (dt.datetime(2026, 11, 23, 11, 59), True),
        (dt.datetime(2026, 11, 23, 12, 0), False),
        (dt.datetime(2026, 11, 28, 10, 0), False),  # Saturday
    ],
)
def test_it_says_whether_a_place_is_open(when: dt.datetime, expected: bool) -> None:
    assert is_open_at("Mo-Fr 09:00-12:00", when) is expected


def test_open_now_rounds_down_to_the_quarter_hour() -> None:
    # 09:14 counts as 09:00, when this place is still closed.
    assert is_open_at("Mo 09:05-12:00", dt.datetime(2026, 11, 23, 9, 14)) is False
    assert is_open_at("Mo 09:05-12:00", dt.datetime(2026, 11, 23, 9, 15)) is True
    assert is_open_at("Mo 09:00-12:10", dt.datetime(2026, 11, 23, 12, 14)) is True


def test_open_now_reads_aware_times_in_paris_or_the_given_zone() -> None:
    utc = dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.UTC)  # 09:30 in Paris

    assert is_open_at("Mo 09:00-10:00", utc) is True
    assert is_open_at("Mo 09:00-10:00", utc, tz=timezone_for("97411")) is False  # 12:30 in Réunion


def test_public_holidays_are_never_invented() -> None:
    christmas = dt.datetime(2026, 12, 25, 10, 0)

    assert is_open_at("Mo-Fr 09:00-12:00", christmas) is True
    assert is_open_at("Mo-Fr 09:00-12:00; PH off", christmas) is False
    assert to_osm("du lundi au vendredi de 9h à 12h").osm == "Mo-Fr 09:00-12:00"


def test_empty_or_invalid_hours_are_never_open() -> None:
    assert is_open_at("", dt.datetime(2026, 11, 23, 10)) is False
    assert is_open_at("Lu-Ve 9h-12h", dt.datetime(2026, 11, 23, 10)) is False
    assert open_on_weekend("n'importe quoi", MONDAY) is False


def test_weekend_means_the_next_saturday_or_sunday() -> None:
    assert open_on_weekend("Sa 10:00-12:00", MONDAY) is True
    assert open_on_weekend("Su 23:00-24:00", MONDAY) is True
    assert open_on_weekend("Mo-Fr 09:00-18:00", MONDAY) is False


def test_on_a_saturday_the_next_saturday_is_a_week_later() -> None:
    saturday = dt.date(2026, 11, 28)
    # Open only on the 28th: from that Saturday, the next weekend is 5 and 6 December.
    only_today = "2026 Nov 28 10:00-12:00"

    assert open_on_weekend(only_today, saturday) is False
    assert open_on_weekend(only_today, dt.date(2026, 11, 27)) is True
    assert open_on_weekend("2026 Dec 05 10:00-12:00", saturday) is True
    assert open_on_weekend("2026 Nov 29 10:00-12:00", saturday) is True  # tomorrow's Sunday


def test_batch_filters_evaluate_each_distinct_string() -> None:
    strings = ["Mo-Fr 09:00-12:00", "Sa 10:00-12:00", "Mo-Fr 09:00-12:00", "", "bad"]

    assert open_now_strings(strings, dt.datetime(2026, 11, 23, 10, 7)) == {"Mo-Fr 09:00-12:00"}
    assert weekend_strings(strings, MONDAY) == {"Sa 10:00-12:00"}


@pytest.mark.parametrize(
    ("code_insee", "zone"),
    [
        ("53130", "Europe/Paris"),
        ("2A004", "Europe/Paris"),
        ("97105", "America/Guadeloupe"),
        ("97209", "America/Martinique"),
        ("97302", "America/Cayenne"),
        ("97411", "Indian/Reunion"),
        ("97611", "Indian/Mayotte"),
        ("97502", "America/Miquelon"),
        ("98735", "Pacific/Tahiti"),
        ("98818", "Pacific/Noumea"),
        ("", "Europe/Paris"),
    ],
)
def test_overseas_places_have_their_own_time_zone(code_insee: str, zone: str) -> None:
    assert timezone_for(code_insee) == ZoneInfo(zone)


def test_week_table_lists_the_actual_intervals_of_that_week() -> None:
    table = week_table("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off", MONDAY)

    assert [day.name for day in table] == [
        "Lundi",
        "Mardi",
        "Mercredi",
        "Jeudi",
        "Vendredi",
        "Samedi",
        "Dimanche",
    ]
    assert table[0].intervals == [f"09:00{EN_DASH}12:00", f"14:00{EN_DASH}17:00"]
    assert table[0].day == MONDAY
    assert table[5].intervals == [f"09:00{EN_DASH}12:00"]
    assert table[6].is_closed and table[6].intervals == []
    christmas_week = week_table("Mo-Fr 09:00-12:00; PH off", dt.date(2026, 12, 21))
    assert christmas_week[4].is_closed  # 25 December
    assert week_table("", MONDAY) == [] and week_table("Lu 9h", MONDAY) == []


def test_week_table_of_alternate_weeks_depends_on_the_week() -> None:
    osm = "week 1-53/2 Mo 09:30-12:30"
    first, second = week_table(osm, dt.date(2026, 1, 5)), week_table(osm, dt.date(2026, 1, 12))

    assert first[0].is_closed != second[0].is_closed


def test_timetable_round_trips_through_osm() -> None:
    slots = {
        "Mo": [(dt.time(9), dt.time(12)), (dt.time(14), dt.time(17))],
        "Tu": [(dt.time(9), dt.time(12)), (dt.time(14), dt.time(17))],
        "We": [(dt.time(9), dt.time(12))],
        "Th": [(dt.time(14), dt.time(17)), (dt.time(9), dt.time(12))],
        "Fr": [(dt.time(9), dt.time(12)), (dt.time(14), dt.time(17))],
        "Sa": [(dt.time(9, 30), dt.time(12, 15))],
    }

    osm = timetable_to_osm(slots)

    assert osm == "Mo,Tu,Th,Fr 09:00-12:00,14:00-17:00; We 09:00-12:00; Sa 09:30-12:15"
    assert is_valid(osm)
    back = osm_to_timetable(osm)
    assert back is not None
    assert back["Th"] == [(dt.time(9), dt.time(12)), (dt.time(14), dt.time(17))]
    assert back["Su"] == []
    assert timetable_to_osm(back) == osm


def test_an_empty_timetable_gives_no_hours() -> None:
    assert timetable_to_osm({"Mo": []}) == ""
    assert osm_to_timetable("") == {code: [] for code in ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")}


def test_later_osm_rules_replace_earlier_ones_in_the_timetable() -> None:
    back = osm_to_timetable("Mo-Fr 09:00-17:00; We 09:00-12:00; Fr off")

    assert back is not None
    assert back["We"] == [(dt.time(9), dt.time(12))]
    assert back["Fr"] == []


@pytest.mark.parametrize(
    "osm",
    [
        "Mo-Fr 09:00-12:00; PH off",
        "week 1-53/2 Mo 09:30-12:30",
        'Mo 09:00-12:00 "sur rendez-vous"',
        "24/7",
        "Jan-Jun Mo 09:00-12:00",
        "Lu-Ve 9h-12h",
    ],
)
def test_hours_richer_than_a_week_cannot_be_edited_as_a_timetable(osm: str) -> None:
    assert osm_to_timetable(osm) is None
