"""The beneficiaries panel of « Mon espace »: the structure's file, for its members only."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse

from maillon.accounts.models import Membership, Role
from maillon.beneficiaries.models import Beneficiary
from maillon.core.dashboard import DashboardLink, DashboardPanel


def panel(user: AbstractBaseUser | AnonymousUser) -> DashboardPanel | None:
    if not user.is_authenticated:
        return None
    is_member = (
        Membership.objects.active()
        .filter(user_id=user.pk, role__in=[Role.MEDIATOR, Role.MANAGER], structure__isnull=False)
        .exists()
    )
    if not is_member:
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
