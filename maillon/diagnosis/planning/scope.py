"""Who may plan an itinerant service from the pages, and for which territories.

Administrateurs plan for any région or département; coordinateurs for the territories they
coordinate (régions, their départements, EPCI); responsables de structure for the département
and the EPCI of each structure they manage: an itinerant service (a bus, home visits) is run by a
structure, and the plan uses only public estimates and the directory, no personal data.
Médiateurs use the result but do not plan (docs/itinerance.md, « Dans l'application »).
"""

from django.db.models import Q

from maillon.accounts.models import AnyUser, Membership, Role, Structure, is_administrator
from maillon.territory.models import Departement, Epci, Region

PLANNING_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR, Role.MANAGER)


def may_plan(user: AnyUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.active().filter(user_id=user.pk, role__in=PLANNING_ROLES).exists()


def _regions(condition: Q) -> list[tuple[str, str]]:
    return [
        (f"reg:{r.code}", f"Région {r.name}")
        for r in Region.objects.filter(condition).order_by("code")
    ]


def _departements(condition: Q) -> list[tuple[str, str]]:
    found = Departement.objects.filter(condition).order_by("code")
    return [(f"dep:{d.code}", f"Département {d.code} {d.name}") for d in found]


def _epcis(condition: Q) -> list[tuple[str, str]]:
    return [(f"epci:{e.siren}", e.name) for e in Epci.objects.filter(condition).order_by("name")]


def territory_choices(user: AnyUser) -> list[tuple[str, str]]:
    """The territories the user may plan for, as (spec, label), régions first."""
    if not may_plan(user):
        return []
    if is_administrator(user):
        return _regions(Q()) + _departements(Q())
    memberships = Membership.objects.active().filter(user_id=int(user.pk or 0))
    coordinations = memberships.filter(role=Role.COORDINATOR)
    managed = Structure.objects.active().filter(
        pk__in=memberships.filter(role=Role.MANAGER).values("structure_id")
    )
    choices = _regions(Q(pk__in=coordinations.values("regions")))
    choices += _departements(
        Q(pk__in=coordinations.values("departements"))
        | Q(region__in=coordinations.values("regions"))
        | Q(pk__in=managed.values("commune__departement_id"))
    )
    choices += _epcis(
        Q(pk__in=coordinations.values("epcis")) | Q(pk__in=managed.values("commune__epci_id"))
    )
    return list(dict.fromkeys(choices))
