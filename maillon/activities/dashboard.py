"""The panels of « Mon espace » for activities: record a session, find one's activities, and
the statistics of whatever one may count."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse

from maillon.accounts.models import User
from maillon.activities.forms import member_structures
from maillon.activities.models import Activity
from maillon.activities.statistics.filters import scope_of
from maillon.core.dashboard import DashboardLink, DashboardPanel


def panel(user: AbstractBaseUser | AnonymousUser) -> DashboardPanel | None:
    if not isinstance(user, User) or not member_structures(user).exists():
        return None
    return DashboardPanel(
        "Activités",
        (
            DashboardLink(
                "Saisir un accompagnement individuel",
                reverse("activities:create", args=["individuelle"]),
                hint="Une personne accompagnée, en moins de 30 secondes.",
            ),
            DashboardLink(
                "Saisir un atelier collectif",
                reverse("activities:create", args=["collective"]),
                hint="Un atelier, ses participants suivis et anonymes.",
            ),
            DashboardLink(
                "Mes activités",
                reverse("activities:list"),
                Activity.objects.editable_by(user).count(),
                "Modifier, dupliquer ou supprimer une activité saisie.",
            ),
        ),
    )


def statistics_panel(user: AbstractBaseUser | AnonymousUser) -> DashboardPanel | None:
    """For anyone who counts something: mediators, managers, coordinators, administrators."""
    if not isinstance(user, User):
        return None
    scope = scope_of(user)
    if scope.is_empty:
        return None
    hint = f"Périmètre : {scope.label}. Filtres, graphiques, tableaux et téléchargements."
    return DashboardPanel(
        "Statistiques",
        (DashboardLink("Voir les statistiques", reverse("statistics:dashboard"), hint=hint),),
    )
