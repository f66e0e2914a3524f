"""The beneficiaries panel of « Mon espace »: the structure's file, for its members only."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse

from maillon.accounts.models import structure_memberships_of
from maillon.beneficiaries.models import Beneficiary
from maillon.core.dashboard import DashboardLink, DashboardPanel


def panel(user: AbstractBaseUser | AnonymousUser) -> DashboardPanel | None:
    if not structure_memberships_of(user).exists():
        return None
    files = Beneficiary.objects.visible_to(user).current()
    return DashboardPanel(
        title="Bénéficiaires",
        links=(
            DashboardLink(
                "Fichier des bénéficiaires",
                reverse("beneficiaries:list"),
                files.count(),
                "Partagé par les médiateurs et responsables de votre structure.",
            ),
            DashboardLink("Nouveau bénéficiaire", reverse("beneficiaries:create")),
        ),
    )
