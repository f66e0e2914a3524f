"""The « Diagnostic territorial » panel of « Mon espace »: the diagnosis of each territory a
coordinator covers, and of France for administrators (the pages are public, ADR 0014; the
panel only saves the search)."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from maillon.accounts.models import Membership, Role, roles_of
from maillon.core.dashboard import DashboardLink, DashboardPanel
from maillon.diagnosis.views_sections import territory_url
from maillon.territory.models import Departement, Epci, Region

HINT = "Personnes en risque d'illectronisme, où elles vivent, à quelle distance d'un lieu."


def panel(user: AbstractBaseUser | AnonymousUser) -> DashboardPanel | None:
    if not user.is_authenticated:
        return None
    roles = roles_of(user)
    links: list[DashboardLink] = []
    if Role.ADMINISTRATOR in roles:
        links.append(
            DashboardLink("Diagnostic de la France", territory_url("fr", "fr"), None, HINT)
        )
    if Role.COORDINATOR in roles:
        scopes = Membership.objects.active().filter(user_id=user.pk, role=Role.COORDINATOR)
        for region in Region.objects.filter(pk__in=scopes.values("regions")).order_by("code"):
            links.append(
                DashboardLink(f"Diagnostic : {region.name}", territory_url("reg", region.code))
            )
        for departement in Departement.objects.filter(
            pk__in=scopes.values("departements")
        ).order_by("code"):
            links.append(
                DashboardLink(
                    f"Diagnostic : {departement.name}", territory_url("dep", departement.code)
                )
            )
        for epci in Epci.objects.filter(pk__in=scopes.values("epcis")).order_by("name"):
            links.append(DashboardLink(f"Diagnostic : {epci.name}", territory_url("epci", epci.pk)))
    return DashboardPanel("Diagnostic territorial", tuple(links)) if links else None
