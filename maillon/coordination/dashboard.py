# ruff: noqa: RUF001 — typographic apostrophes in French texts.
"""The « Coordination » panel of « Mon espace », for whoever acts as a coordinateur."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse

from maillon.accounts.models import Role, User, acts_as
from maillon.coordination.models import CoordinationActivity
from maillon.core.dashboard import DashboardLink, DashboardPanel


def panel(user: AbstractBaseUser | AnonymousUser) -> DashboardPanel | None:
    if not isinstance(user, User) or not acts_as(user, Role.COORDINATOR):
        return None
    return DashboardPanel(
        "Activités de coordination",
        (
            DashboardLink(
                "Saisir une animation",
                reverse("coordination:create", args=["animation"]),
                hint="Réunion, comité, groupe de travail, webinaire…",
            ),
            DashboardLink(
                "Saisir un évènement",
                reverse("coordination:create", args=["evenement"]),
                hint="Forum, salon, journée d’inclusion numérique, NEC local…",
            ),
            DashboardLink(
                "Saisir un partenariat",
                reverse("coordination:create", args=["partenariat"]),
                hint="Parcours usager, subvention, rendez-vous avec un·e élu·e…",
            ),
            DashboardLink(
                "Mes activités de coordination",
                reverse("coordination:list"),
                CoordinationActivity.objects.editable_by(user).count(),
                "Modifier, dupliquer ou supprimer une activité saisie.",
            ),
            DashboardLink(
                "Statistiques de coordination",
                reverse("coordination:statistics"),
                hint="Comptes par type, thématique, échelon territorial ; export CSV.",
            ),
        ),
    )
