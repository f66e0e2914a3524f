# ruff: noqa: RUF001 — typographic apostrophes are part of the French labels.
"""The dashboard's filter choices, limited to what the user may see, and the period presets.

Presets are whole calendar months (the 1st of a month to the last day of a month): the
statistics then read whole months, which the monthly roll-ups serve fastest. A list too long
to pick from (an administrator's 5,000 mediators) becomes a text field of identifiers.
"""

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict

from maillon.accounts.models import (
    AnyUser,
    Membership,
    Role,
    Structure,
    User,
    communes_open_to,
    is_administrator,
    roles_of,
)
from maillon.activities.models import Tag
from maillon.activities.statistics.filters import Scope
from maillon.activities.statistics.models import DailyActivityStat
from maillon.activities.vocabulary import TagScope, Thematique, TypeActivite
from maillon.places.models import Place
from maillon.territory.models import Commune, Departement, Epci, Region

MAX_OPTIONS = 300
MAX_LISTED_STRUCTURES = 5000
PERIODS: tuple[tuple[str, str], ...] = (
    ("mois", "Ce mois-ci"),
    ("3mois", "Les 3 derniers mois"),
    ("12mois", "Les 12 derniers mois"),
    ("dates", "Dates choisies ci-dessous"),
    ("tout", "Toutes les dates"),
)
_MONTHS_BACK = {"mois": 0, "3mois": 2, "12mois": 11}


def _first_of_month(day: dt.date, months_back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def _last_of_month(day: dt.date) -> dt.date:
    return _first_of_month(day, -1) - dt.timedelta(days=1)


def period_range(code: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """(du, au) of a preset: from the 1st of the first month to the end of the current one."""
    if code not in _MONTHS_BACK:
        return None
    return _first_of_month(today, _MONTHS_BACK[code]), _last_of_month(today)


def with_period(params: QueryDict, today: dt.date) -> QueryDict:
    """The parameters with a preset (`periode=3mois`) replaced by its `du` and `au`."""
    code = params.get("periode", "")
    resolved = params.copy()
    if code == "tout":
        resolved.pop("du", None)
        resolved.pop("au", None)
    elif (dates := period_range(code, today)) is not None:
        resolved["du"], resolved["au"] = (d.isoformat() for d in dates)
    return resolved


def chosen_period(params: QueryDict) -> str:
    code = params.get("periode", "")
    if code in dict(PERIODS):
        return code
    return "dates" if params.get("du") or params.get("au") else "tout"


@dataclasses.dataclass(frozen=True)
class Picker:
    name: str
    label: str
    options: tuple[tuple[str, str], ...]
    selected: frozenset[str]
    hint: str = ""
    is_free_text: bool = False

    @property
    def text_value(self) -> str:
        return ", ".join(sorted(self.selected))

    @property
    def choices(self) -> list[dict[str, Any]]:
        return [
            {"value": value, "label": label, "selected": value in self.selected}
            for value, label in self.options
        ]


def _selected(params: QueryDict, name: str) -> frozenset[str]:
    values = params.getlist(name) + params.getlist(f"{name}[]")
    return frozenset(part.strip() for v in values for part in v.split(",") if part.strip())


def _picker(
    params: QueryDict,
    name: str,
    label: str,
    options: list[tuple[str, str]] | None,
    free_hint: str,
) -> Picker:
    selected = _selected(params, name)
    if options is None or len(options) > MAX_OPTIONS:
        return Picker(name, label, (), selected, hint=free_hint, is_free_text=True)
    return Picker(name, label, tuple(options), selected, hint="Plusieurs choix possibles")


def _limited(rows: "QuerySet[Any]") -> list[Any] | None:
    """The rows, or None when there are too many to list."""
    found = list(rows[: MAX_OPTIONS + 1])
    return None if len(found) > MAX_OPTIONS else found


@dataclasses.dataclass(frozen=True)
class Reach:
    """Who and where the user may filter on, from his roles."""

    is_administrator: bool
    is_coordinator: bool
    structures: "QuerySet[Structure]"
    communes: "QuerySet[Commune] | None"  # the coordinated territory, if any


def reach_of(user: AnyUser) -> Reach:
    admin = is_administrator(user)
    roles = roles_of(user)
    coordinator = Role.COORDINATOR in roles and not admin
    structures = Structure.objects.visible_to(user)
    if not admin:
        # Listed once: the visibility query scans the communes of the coordinated territories
        # (even for a manager), and three pickers would run it again as a subquery.
        ids = list(structures.values_list("pk", flat=True)[: MAX_LISTED_STRUCTURES + 1])
        if len(ids) <= MAX_LISTED_STRUCTURES:
            structures = Structure.objects.filter(pk__in=ids)
    return Reach(
        is_administrator=admin,
        is_coordinator=coordinator,
        structures=structures,
        communes=communes_open_to(user) if coordinator else None,
    )


def _mediators(user: AnyUser, reach: Reach, scope: Scope) -> list[tuple[str, str]] | None:
    roles = roles_of(user)
    if reach.is_administrator:
        users = User.objects.filter(memberships__role=Role.MEDIATOR)
    elif roles & {Role.MANAGER, Role.COORDINATOR}:
        visible = (
            reach.structures if Role.COORDINATOR in roles else Structure.objects.managed_by(user)
        )
        users = User.objects.filter(
            Q(pk=user.pk) | Q(memberships__role=Role.MEDIATOR, memberships__structure__in=visible)
        )
    else:
        return []  # a mediator only sees his own activities: nothing to choose
    found = _limited(users.distinct().order_by("last_name", "first_name", "pk"))
    if found is None:
        return None
    return [(str(u.pk), f"{u.get_full_name() or u.email}") for u in found]


def _places(reach: Reach) -> list[tuple[str, str]] | None:
    places = Place.objects.all()
    if not reach.is_administrator:
        condition = Q(structure__in=reach.structures)
        if reach.communes is not None:
            condition |= Q(commune_ref__in=reach.communes)
        places = places.filter(condition)
    found = _limited(places.order_by("nom", "pk").values_list("pk", "nom", "commune"))
    if found is None:
        return None
    return [(str(pk), f"{nom} ({commune})" if commune else nom) for pk, nom, commune in found]


def _communes(reach: Reach, scope: Scope) -> list[tuple[str, str]] | None:
    if reach.is_administrator:
        return None
    if reach.communes is not None:
        communes = reach.communes
    else:
        # The communes of one's own activities, read first: a few among 35,000, which a
        # subquery would make PostgreSQL hash entirely.
        used = (
            DailyActivityStat.objects.filter(scope.condition)
            .exclude(commune_id="")
            .values_list("commune_id", flat=True)
            .distinct()
            .order_by()
        )
        communes = Commune.objects.filter(pk__in=list(used))
    found = _limited(communes.order_by("name", "pk").values_list("pk", "name"))
    if found is None:
        return None
    return [(code, f"{name} ({code})") for code, name in found]


def _tags(user: AnyUser, reach: Reach) -> list[tuple[str, str]] | None:
    tags = Tag.objects.all()
    if not reach.is_administrator:
        departements = reach.structures.values("commune__departement_id")
        condition = (
            Q(scope=TagScope.PERSONAL, owner_user_id=user.pk)
            | Q(scope=TagScope.STRUCTURE, owner_structure__in=reach.structures)
            | Q(scope=TagScope.TERRITORY, owner_departement__in=departements)
        )
        if reach.communes is not None:
            condition |= Q(
                scope=TagScope.TERRITORY,
                owner_departement__in=reach.communes.values("departement_id"),
            )
        tags = tags.filter(condition)
    found = _limited(tags.order_by("name", "pk").values_list("pk", "name"))
    if found is None:
        return None
    return [(str(pk), name) for pk, name in found]


def _structures(reach: Reach) -> list[tuple[str, str]] | None:
    found = _limited(reach.structures.order_by("name", "pk").values_list("pk", "name"))
    if found is None:
        return None
    return [(str(pk), name) for pk, name in found]


def territories(user: AnyUser, reach: Reach, current: str) -> list[tuple[str, str]]:
    """Territories a coordinator or an administrator may narrow the view to."""
    options: list[tuple[str, str]] = []
    if reach.is_administrator:
        options.append(("fr", "France entière"))
        options += [(f"reg:{r.code}", f"Région {r.name}") for r in Region.objects.order_by("code")]
        options += [
            (f"dep:{d.code}", f"Département {d.code} {d.name}")
            for d in Departement.objects.order_by("code")
        ]
    elif reach.is_coordinator:
        options.append(("fr", "Tout mon territoire"))
        scopes = Membership.objects.active().filter(
            user_id=int(user.pk or 0), role=Role.COORDINATOR
        )
        options += [
            (f"reg:{r.code}", f"Région {r.name}")
            for r in Region.objects.filter(pk__in=scopes.values("regions")).order_by("code")
        ]
        departements = Departement.objects.filter(
            Q(pk__in=scopes.values("departements")) | Q(region__in=scopes.values("regions"))
        )
        options += [
            (f"dep:{d.code}", f"Département {d.code} {d.name}")
            for d in departements.order_by("code")
        ]
        # The EPCIs given, and those with a commune in a coordinated département.
        epcis = Epci.objects.filter(
            Q(pk__in=scopes.values("epcis")) | Q(communes__departement__in=departements)
        ).distinct()
        options += [(f"epci:{e.siren}", e.name) for e in epcis.order_by("name")]
    if current and current not in dict(options):
        options.append((current, territory_label(current)))
    return options


def territory_label(key: str) -> str:
    """A territory typed in the address (`com:53130`) named as the list names the others."""
    kind, _, code = key.partition(":")
    if kind == "com" and (commune := Commune.objects.filter(pk=code).first()):
        return f"Commune {commune.name} ({commune.code_insee})"
    if kind == "epci" and (epci := Epci.objects.filter(pk=code).first()):
        return epci.name
    if kind == "dep" and (departement := Departement.objects.filter(code=code).first()):
        return f"Département {departement.code} {departement.name}"
    if kind == "reg" and (region := Region.objects.filter(code=code).first()):
        return f"Région {region.name}"
    return key


def pickers(user: AnyUser, scope: Scope, params: QueryDict) -> dict[str, Any]:
    """Everything the filter form needs, as plain data for the template."""
    reach = reach_of(user)
    ids = "Identifiants numériques séparés par des virgules"
    lists = [
        _picker(params, "mediateurs", "Médiateurs", _mediators(user, reach, scope), ids),
        _picker(params, "lieux", "Lieux d’activité", _places(reach), ids),
        _picker(
            params,
            "communes",
            "Communes",
            _communes(reach, scope),
            "Codes INSEE séparés par des virgules, par exemple 53130",
        ),
        _picker(params, "structures", "Structures", _structures(reach), ids),
    ]
    themes = _picker(params, "thematiques", "Thématiques", list(Thematique.choices), "")
    tags = _picker(params, "tags", "Étiquettes", _tags(user, reach), ids)
    return {
        "periods": [
            {"value": value, "label": label, "checked": value == chosen_period(params)}
            for value, label in PERIODS
        ],
        "types": [
            {"value": value, "label": label, "checked": value in _selected(params, "types")}
            for value, label in TypeActivite.choices
        ],
        "activity_pickers": [p for p in (themes, tags) if p.is_free_text or p.options],
        # A list with a single choice (a mediator's own name) filters nothing: not shown.
        "scope_pickers": [p for p in lists if p.is_free_text or len(p.options) > 1],
        "territories": (
            territories(user, reach, params.get("territoire", ""))
            if reach.is_administrator or reach.is_coordinator
            else []
        ),
        "territory": params.get("territoire", "fr") or "fr",
    }
