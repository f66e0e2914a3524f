"""Filters read from query parameters, with French errors naming the parameter and the value."""

import datetime as dt

from django.http import QueryDict

from maillon.core.query_params import date_param, list_param, period_params


def test_a_list_is_read_repeated_with_brackets_or_comma_separated() -> None:
    params = QueryDict("types=a&types=b,%20c&types[]=d&types=,")

    assert list_param(params, "types") == ["a", "b", "c", "d"]
    assert list_param(params, "absent") == []


def test_a_date_is_read_as_aaaa_mm_jj_around_spaces() -> None:
    errors: list[str] = []

    assert date_param(QueryDict("du=%202026-03-01%20"), "du", errors) == dt.date(2026, 3, 1)
    assert date_param(QueryDict("du="), "du", errors) is None
    assert errors == []


def test_an_invalid_date_is_named_with_its_value() -> None:
    errors: list[str] = []

    assert date_param(QueryDict("au=01/03/2026"), "au", errors) is None
    assert errors == ["« au » attend une date au format AAAA-MM-JJ, pas « 01/03/2026 »."]


def test_a_period_whose_start_follows_its_end_is_refused() -> None:
    errors: list[str] = []

    assert period_params(QueryDict("du=2026-03-02&au=2026-03-01"), errors) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 1),
    )
    assert errors == ["La date de début « du » doit précéder la date de fin « au »."]
