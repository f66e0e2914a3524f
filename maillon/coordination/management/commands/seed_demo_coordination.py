# ruff: noqa: RUF001 — typographic apostrophes in French texts.
"""`manage.py seed_demo_coordination`: a few coordination activities for the demo coordinator.

Recorded through the services (validated, journaled), dated in the last weeks; skipped when the
demo coordinator already has some, so it is safe to run twice. Needs `seed_demo` first.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from maillon.accounts.models import User
from maillon.activities.tags import create_tag
from maillon.activities.vocabulary import TagScope
from maillon.coordination.models import CoordinationActivity
from maillon.coordination.services import CoordinationData, PartnerStructure, record_coordination
from maillon.coordination.vocabulary import (
    EchelonTerritorial,
    Initiative,
    NaturePartenariat,
    Organisateur,
    ThematiqueAnimation,
    TypeActiviteCoordination,
    TypeAnimation,
    TypeEvenement,
    TypeStructurePartenaire,
)
from maillon.territory.models import Departement

COORDINATOR_EMAIL = "coordinatrice@demo.maillon.fr"
DEPARTEMENT = "53"


def _activities(tag_ids: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(days ago, fields) of each demo activity."""
    animation = TypeActiviteCoordination.ANIMATION
    return [
        (
            3,
            {
                "type": animation,
                "duration_minutes": 120,
                "animation_type": TypeAnimation.REUNION_COORDINATION,
                "initiative": Initiative.INITIATIVE,
                "mediators_count": 14,
                "structures_count": 9,
                "animation_themes": (ThematiqueAnimation.PARTAGE, ThematiqueAnimation.RESEAU),
                "tags": (tag_ids["schema"],),
            },
        ),
        (
            10,
            {
                "type": animation,
                "duration_minutes": 60,
                "animation_type": TypeAnimation.WEBINAIRE,
                "initiative": Initiative.DEMANDE,
                "mediators_count": 22,
                "animation_themes": (ThematiqueAnimation.PROFESSIONNEL,),
            },
        ),
        (
            17,
            {
                "type": animation,
                "duration_minutes": 90,
                "animation_type": TypeAnimation.COMITE,
                "structures_count": 6,
                "other_actors_count": 4,
                "animation_themes": (ThematiqueAnimation.SOUTIEN, ThematiqueAnimation.RH),
                "notes": "Comité de pilotage du schéma départemental d’inclusion numérique.",
                "tags": (tag_ids["schema"],),
            },
        ),
        (
            24,
            {
                "type": TypeActiviteCoordination.EVENEMENT,
                "name": "NEC local de la Mayenne",
                "event_type": TypeEvenement.NEC_LOCAL,
                "participants_count": 85,
                "organisers": (Organisateur.MA_STRUCTURE, Organisateur.DEPARTEMENT),
                "territorial_level": EchelonTerritorial.DEPARTEMENTAL,
            },
        ),
        (
            31,
            {
                "type": TypeActiviteCoordination.PARTENARIAT,
                "name": "Parcours usager avec les France Services",
                "partnership_natures": (NaturePartenariat.PARCOURS_USAGER,),
                "territorial_level": EchelonTerritorial.DEPARTEMENTAL,
                "partner_structures": (
                    PartnerStructure(
                        name="Préfecture de la Mayenne", type=TypeStructurePartenaire.ETAT
                    ),
                    PartnerStructure(name="Laval Agglomération", type=TypeStructurePartenaire.EPCI),
                ),
                "tags": (tag_ids["schema"],),
            },
        ),
    ]


class Command(BaseCommand):
    help = "Ajoute quelques activités de coordination à la coordinatrice de démonstration."

    def handle(self, *args: Any, **options: Any) -> None:
        coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
        if coordinator is None:
            raise CommandError(f"{COORDINATOR_EMAIL} introuvable : lancez d’abord seed_demo.")
        if CoordinationActivity.objects.filter(coordinator=coordinator).exists():
            self.stdout.write("Activités de coordination de démonstration déjà présentes.")
            return
        departement = Departement.objects.filter(code=DEPARTEMENT).first()
        today = timezone.localdate()
        with transaction.atomic():
            schema = create_tag(
                actor=coordinator,
                name="Schéma départemental",
                scope=TagScope.TERRITORY if departement else TagScope.PERSONAL,
                departement=departement,
            )
            activities = _activities({"schema": schema})
            for days_ago, fields in activities:
                record_coordination(
                    actor=coordinator,
                    data=CoordinationData(date=today - dt.timedelta(days=days_ago), **fields),
                )
        self.stdout.write(f"{len(activities)} activités de coordination de démonstration créées.")
