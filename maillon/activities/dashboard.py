"""The activities panel of « Mon espace »: record a session, find one's activities."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse

from maillon.accounts.models import User
from maillon.activities.forms import member_structures
from maillon.activities.models import Activity
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
