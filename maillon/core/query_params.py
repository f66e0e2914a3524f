"""Reading filters from query parameters, with a French message for each invalid value.

Shared by the activity statistics (dashboard, exports, API) and the coordination statistics, so
that the same parameter is read, and refused, the same way everywhere.
"""

import datetime as dt

from django.http import QueryDict


def list_param(params: QueryDict, name: str) -> list[str]:
    """Repeated parameters (`x=1&x=2`), `x[]=…`, or comma-separated values, blanks left out."""
    values = params.getlist(name) + params.getlist(f"{name}[]")
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def date_param(params: QueryDict, name: str, errors: list[str]) -> dt.date | None:
    """The date `name` as AAAA-MM-JJ, or None when absent; an invalid one adds its error."""
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(f"« {name} » attend une date au format AAAA-MM-JJ, pas « {value} ».")
        return None


def period_params(params: QueryDict, errors: list[str]) -> tuple[dt.date | None, dt.date | None]:
    """The period from `du` to `au`, both included; a start after the end adds its error."""
    du = date_param(params, "du", errors)
    au = date_param(params, "au", errors)
    if du and au and du > au:
        errors.append("La date de début « du » doit précéder la date de fin « au ».")
    return du, au
