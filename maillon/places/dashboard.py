"""The places panel of « Mon espace »: what waits for this user among the places."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils import timezone

from maillon.accounts.models import Role, roles_of
from maillon.core.dashboard import DashboardLink, DashboardPanel
from maillon.places.editing import freshness_counts
from maillon.places.models import CandidatePair, ErrorReport, Outcome, Place
from maillon.places.record import Freshness


def panel(user: AbstractBaseUser | AnonymousUser) -> DashboardPanel | None:
    if not user.is_authenticated:
        return None
    roles = roles_of(user)
    is_admin = Role.ADMINISTRATOR in roles
    links: list[DashboardLink] = []
    if Role.MANAGER in roles or is_admin:
        links.append(
            DashboardLink(
                "Mes lieux",
                reverse("places:my_places"),
                Place.objects.managed_by(user).count(),
                "Les lieux de vos structures, à tenir à jour.",
            )
        )
    if Role.COORDINATOR in roles or is_admin:
        territory = Place.objects.in_territory_of(user)
        counts = freshness_counts(territory, timezone.localdate())
        links.append(
            DashboardLink(
                "Lieux à actualiser",
                reverse("places:to_refresh"),
                counts[Freshness.A_ACTUALISER] + counts[Freshness.A_VERIFIER],
                "Points de vigilance : lieux « À actualiser » et « À vérifier ».",
            )
        )
        pairs = CandidatePair.objects.filter(outcome=Outcome.REVIEW).filter(
            record_a__place__in=territory
        ) | CandidatePair.objects.filter(outcome=Outcome.REVIEW, record_b__place__in=territory)
        links.append(
            DashboardLink(
                "Doublons à examiner",
                reverse("places:review_list"),
                pairs.distinct().count(),
                "Fiches que le rapprochement n'a pas fusionnées seul.",
            )
        )
    if links:
        links.append(
            DashboardLink(
                "Signalements d'erreurs",
                reverse("places:reports"),
                ErrorReport.objects.visible_to(user).pending().count(),
                "Erreurs signalées par le public, à traiter.",
            )
        )
    return DashboardPanel("Lieux de médiation numérique", tuple(links)) if links else None
