# ruff: noqa: RUF001 — typographic apostrophes in French texts.
"""The « Aller-vers » panel of « Mon espace », for whoever may plan an itinerant service."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse

from maillon.core.dashboard import DashboardLink, DashboardPanel
from maillon.diagnosis.planning.scope import may_plan


def panel(user: AbstractBaseUser | AnonymousUser) -> DashboardPanel | None:
    if not may_plan(user):
        return None
    return DashboardPanel(
        "Aller-vers",
        (
            DashboardLink(
                "Planifier l’aller-vers",
                reverse("itinerance:form"),
                hint="Où faire s’arrêter un bus ou des permanences pour atteindre les personnes "
                "loin de toute aide ; tournée de la semaine et agenda.",
            ),
        ),
    )
