# ruff: noqa: RUF001 — typographic apostrophes are part of the French labels.
"""The dashboard's and the API's filters, and the scope a user may see."""

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import QueryDict

from maillon.accounts.models import AnyUser, Membership, Role, communes_open_to, is_administrator
from maillon.activities.statistics.rollups import month_of
from maillon.activities.vocabulary import Thematique, TypeActivite
from maillon.core.query_params import list_param, period_params
from maillon.territory.models import Commune

TERRITORY_KINDS = ("fr", "reg", "dep", "epci", "com")


@dataclasses.dataclass(frozen=True)
class StatisticsFilters:
    du: dt.date | None = None
    au: dt.date | None = None
    types: tuple[str, ...] = ()
    mediateurs: tuple[int, ...] = ()
    lieux: tuple[int, ...] = ()
    communes: tuple[str, ...] = ()
    thematiques: tuple[str, ...] = ()
    tags: tuple[int, ...] = ()
    structures: tuple[int, ...] = ()
    territoire: str = "fr"

    @property
    def needs_raw_rows(self) -> bool:
        """Thématiques and tags are not dimensions of the daily aggregates (ADR 0007)."""
        return bool(self.thematiques or self.tags)

    def condition(self) -> Q:
        """Condition on the columns shared by Activity and DailyActivityStat."""
        q = Q()
        if self.du:
            q &= Q(date__gte=self.du)
        if self.au:
            q &= Q(date__lte=self.au)
        if self.types:
            q &= Q(type__in=self.types)
        if self.mediateurs:
            q &= Q(mediator_id__in=self.mediateurs)
        if self.lieux:
            q &= Q(place_id__in=self.lieux)
        if self.communes:
            q &= Q(commune_id__in=self.communes)
        if self.structures:
            q &= Q(structure_id__in=self.structures)
        kind, _, code = self.territoire.partition(":")
        communes = {
            "reg": Commune.objects.filter(departement__region_id=code),
            "dep": Commune.objects.filter(departement_id=code),
            "epci": Commune.objects.filter(epci_id=code),
        }.get(kind)
        if communes is not None:
            q &= Q(commune_id__in=communes.values("pk"))
        elif kind == "com":
            q &= Q(commune_id=code)
        return q


def _ints(values: list[str], name: str, errors: list[str]) -> tuple[int, ...]:
    result = []
    for value in values:
        if not value.strip().isdigit():
            errors.append(f"« {name} » attend des identifiants numériques, pas « {value} ».")
        else:
            result.append(int(value))
    return tuple(result)


def parse_filters(params: QueryDict) -> tuple[StatisticsFilters, list[str]]:
    """Filters from query parameters, and the French errors found (empty when valid)."""
    errors: list[str] = []
    du, au = period_params(params, errors)
    types = tuple(list_param(params, "types"))
    for value in types:
        if value not in TypeActivite.values:
            errors.append(f"Type d’activité inconnu : « {value} » (individuel ou collectif).")
    thematiques = tuple(list_param(params, "thematiques"))
    for value in thematiques:
        if value not in Thematique.values:
            errors.append(f"Thématique inconnue : « {value} ».")
    communes = tuple(list_param(params, "communes"))
    for value in communes:
        if len(value) != 5:
            errors.append(f"Code INSEE de commune invalide : « {value} ».")
    territoire = (params.get("territoire") or "fr").strip()
    kind, _, code = territoire.partition(":")
    if kind not in TERRITORY_KINDS or (kind == "fr") != (code == ""):
        errors.append(
            f"Territoire invalide : « {territoire} » (fr, reg:CODE, dep:CODE, epci:CODE "
            "ou com:CODE)."
        )
        territoire = "fr"
    filters = StatisticsFilters(
        du=du,
        au=au,
        types=types,
        mediateurs=_ints(list_param(params, "mediateurs"), "mediateurs", errors),
        lieux=_ints(list_param(params, "lieux"), "lieux", errors),
        communes=communes,
        thematiques=thematiques,
        tags=_ints(list_param(params, "tags"), "tags", errors),
        structures=_ints(
            list_param(params, "structures") + list_param(params, "structure"), "structure", errors
        ),
        territoire=territoire,
    )
    return filters, errors


@dataclasses.dataclass(frozen=True)
class Scope:
    """What a user may count: `condition` on the shared columns; `is_territory` when the view
    goes beyond the user's own structures (small cells are then suppressed)."""

    label: str
    condition: Q
    is_territory: bool
    is_empty: bool = False
    # The whole territory ("fr", "reg:…", "dep:…") the scope equals, when it does.
    territory: str | None = None
    # The user whose personal étiquettes are shown by name (ADR 0016).
    viewer: int | None = None


def scope_of(user: AnyUser) -> Scope:
    """Médiateur: his activities; responsable: his structures'; coordinateur: those located in
    his territory; administrateur: all. A user with several roles sees their union."""
    if not user.is_authenticated or not user.is_active:
        return Scope("aucun", Q(pk__in=[]), is_territory=False, is_empty=True)
    if is_administrator(user):
        return Scope("national", Q(), is_territory=True, territory="fr", viewer=user.pk)
    memberships = list(
        Membership.objects.active().filter(user_id=user.pk).values_list("role", "structure_id")
    )
    roles = {role for role, _structure in memberships}
    condition = Q(pk__in=[])
    labels = []
    if Role.MEDIATOR in roles:
        condition |= Q(mediator_id=user.pk)
        labels.append("mes activités")
    managed = [s for role, s in memberships if role == Role.MANAGER and s is not None]
    if managed:
        condition |= Q(structure_id__in=managed)
        labels.append("ma structure")
    if Role.COORDINATOR in roles:
        condition |= Q(commune_id__in=communes_open_to(user).values("pk"))
        labels.append("mon territoire")
    if not labels:
        return Scope("aucun", Q(pk__in=[]), is_territory=False, is_empty=True)
    territory = _coordinated_territory(user) if roles == {Role.COORDINATOR} else None
    return Scope(
        ", ".join(labels),
        condition,
        is_territory=Role.COORDINATOR in roles,
        territory=territory,
        viewer=user.pk,
    )


def _coordinated_territory(user: AnyUser) -> str | None:
    """The key "dep:CODE" or "reg:CODE" when the coordinator's scope is exactly one of them."""
    pk: Any = user.pk
    rows = set(
        Membership.objects.active()
        .filter(user_id=pk, role=Role.COORDINATOR)
        .values_list("departements", "epcis", "regions")
    )
    departements = {d for d, _e, _r in rows if d}
    epcis = {e for _d, e, _r in rows if e}
    regions = {r for _d, _e, r in rows if r}
    if epcis or len(departements) + len(regions) != 1:
        return None
    return f"dep:{departements.pop()}" if departements else f"reg:{regions.pop()}"


@dataclasses.dataclass(frozen=True)
class WholeTerritory:
    """A selection the territory roll-ups answer: a whole territory over months
    [first, last] (month numbers of `rollups.month_of`)."""

    territory: str
    first: int
    last: int


def whole_territory(
    scope: Scope, filters: StatisticsFilters, *, today: dt.date
) -> WholeTerritory | None:
    """The whole territory and months the selection equals, or None (then the raw rows or the
    daily aggregates answer). Activities are never dated after today (services.validate), so an
    end on or after today covers its whole month."""
    if scope.territory is None or scope.is_empty:
        return None
    if any(
        (
            filters.types,
            filters.mediateurs,
            filters.lieux,
            filters.communes,
            filters.thematiques,
            filters.tags,
            filters.structures,
        )
    ):
        return None
    if scope.territory == "fr":
        territory = filters.territoire
    elif filters.territoire in ("fr", scope.territory):
        territory = scope.territory
    else:
        return None
    if territory.partition(":")[0] not in ("fr", "reg", "dep"):
        return None
    if filters.du is not None and filters.du.day != 1:
        return None
    au = filters.au
    if au is not None and au < today and (au + dt.timedelta(days=1)).day != 1:
        return None
    first = month_of(filters.du) if filters.du else 0
    return WholeTerritory(territory, first, month_of(au or today))
