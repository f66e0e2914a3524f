# ruff: noqa: RUF001 — typographic apostrophes in French texts.
"""`manage.py seed_demo_activites`: activity reports for the demo accounts, safe to run twice.

Two parts, each skipped when already present:

1. a few followed beneficiaries per demo structure and six months of reports recorded through
   the services by the demo mediators (so their pages, trajectories and statistics show
   something, and the pre-aggregates are kept up to date as in real use);
2. the realistic generated volume of the Mayenne (`generate_activites --count 3000 --seed 7
   --territoire dep:53`), for the coordinator's territory statistics.
"""

import datetime as dt
import random
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from maillon.accounts.models import Membership, Role, Structure, User
from maillon.activities.generation import EMAIL_DOMAIN
from maillon.activities.models import Activity
from maillon.activities.participants import AnonymousParticipants
from maillon.activities.services import ActivityData, AnonymousPerson, record_activity
from maillon.activities.vocabulary import (
    Autonomie,
    Materiel,
    NiveauAtelier,
    Thematique,
    TypeActivite,
    TypeLieu,
)
from maillon.beneficiaries.models import Genre, StatutSocial, TrancheAge
from maillon.beneficiaries.services import BeneficiaryData, create_beneficiary
from maillon.places.models import Place

GENERATED_COUNT = 3000
GENERATED_SEED = 7
GENERATED_TERRITORY = "dep:53"

# Fictional people (first name, last name, birth year, genre, statut social).
PEOPLE: tuple[tuple[str, str, int, str, str], ...] = (
    ("Jeanne", "Exemple", 1946, Genre.FEMININ, StatutSocial.RETRAITE),
    ("Louis", "Démonstration", 1951, Genre.MASCULIN, StatutSocial.RETRAITE),
    ("Aïcha", "Fictive", 1988, Genre.FEMININ, StatutSocial.SANS_EMPLOI),
    ("Thomas", "Essai", 2004, Genre.MASCULIN, StatutSocial.SANS_EMPLOI),
    ("Nadia", "Modèle", 1975, Genre.FEMININ, StatutSocial.EN_EMPLOI),
    ("Gérard", "Témoin", 1939, Genre.MASCULIN, StatutSocial.RETRAITE),
)

# What one followed person learns, session after session, and how autonomous they were.
JOURNEYS: tuple[tuple[tuple[str, ...], str], ...] = (
    ((Thematique.PRENDRE_EN_MAIN_DU_MATERIEL,), Autonomie.ENTIEREMENT_ACCOMPAGNE),
    ((Thematique.EMAIL,), Autonomie.ENTIEREMENT_ACCOMPAGNE),
    ((Thematique.NAVIGATION_SUR_INTERNET, Thematique.EMAIL), Autonomie.PARTIELLEMENT_AUTONOME),
    ((Thematique.SANTE,), Autonomie.PARTIELLEMENT_AUTONOME),
    ((Thematique.BANQUE_ET_ACHATS_EN_LIGNE,), Autonomie.AUTONOME),
)

WORKSHOPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Découvrir sa tablette", NiveauAtelier.DEBUTANT, (Thematique.PRENDRE_EN_MAIN_DU_MATERIEL,)),
    ("Ma messagerie pas à pas", NiveauAtelier.DEBUTANT, (Thematique.EMAIL,)),
    (
        "Se protéger des arnaques",
        NiveauAtelier.INTERMEDIAIRE,
        (Thematique.NAVIGATION_SUR_INTERNET,),
    ),
)


def _mediators() -> list[tuple[User, Structure]]:
    memberships = (
        Membership.objects.active()
        .filter(user__email__endswith="@demo.maillon.fr", role=Role.MEDIATOR)
        .select_related("user", "structure__commune")
        .order_by("user__email")
    )
    return [(m.user, m.structure) for m in memberships if m.structure is not None]


def seed_structure(mediator: User, structure: Structure, rng: random.Random) -> int:
    """Beneficiaries and reports of one demo mediator; the number of reports recorded."""
    place = Place.objects.filter(structure=structure, retired_at__isnull=True).first()
    today = timezone.localdate()
    people = [
        create_beneficiary(
            actor=mediator,
            structure=structure,
            data=BeneficiaryData(
                first_name=first,
                last_name=last,
                birth_year=year,
                genre=genre,
                statut_social=statut,
                commune=structure.commune,
                has_no_phone=True,
                information_notice_given_on=today - dt.timedelta(days=180),
            ),
        )
        for first, last, year, genre, statut in PEOPLE
    ]

    def where(data: dict[str, Any]) -> dict[str, Any]:
        if place is not None and rng.random() < 0.8:
            return {**data, "place_kind": TypeLieu.LIEU_ACTIVITE, "place": place}
        return {**data, "place_kind": TypeLieu.DOMICILE, "commune": structure.commune}

    recorded = 0
    for index, person in enumerate(people):
        start = today - dt.timedelta(days=170 - 9 * index)
        for step, (themes, autonomy) in enumerate(JOURNEYS[: 2 + index % 4]):
            record_activity(
                actor=mediator,
                data=ActivityData(
                    **where(
                        {
                            "type": TypeActivite.INDIVIDUEL,
                            "structure": structure,
                            "date": min(today, start + dt.timedelta(days=21 * step)),
                            "duration_minutes": rng.choice((30, 45, 60, 60, 90)),
                            "equipment": (rng.choice((Materiel.TABLETTE, Materiel.TELEPHONE)),),
                            "themes": themes,
                            "autonomy": autonomy,
                            "beneficiary": person,
                        }
                    )
                ),
            )
            recorded += 1
    for week in range(12):
        record_activity(
            actor=mediator,
            data=ActivityData(
                **where(
                    {
                        "type": TypeActivite.INDIVIDUEL,
                        "structure": structure,
                        "date": today - dt.timedelta(days=7 * week + rng.randrange(5)),
                        "duration_minutes": rng.choice((15, 30, 30, 45)),
                        "equipment": (Materiel.ORDINATEUR,),
                        "themes": (rng.choice((Thematique.EMAIL, Thematique.SANTE)),),
                        "autonomy": rng.choice(Autonomie.values),
                        "anonymous": AnonymousPerson(
                            genre=rng.choice(Genre.values),
                            age_bracket=rng.choice(TrancheAge.values),
                        ),
                    }
                )
            ),
        )
        recorded += 1
    for month, (title, level, themes) in enumerate(WORKSHOPS):
        record_activity(
            actor=mediator,
            data=ActivityData(
                **where(
                    {
                        "type": TypeActivite.COLLECTIF,
                        "structure": structure,
                        "date": today - dt.timedelta(days=30 * month + 3),
                        "duration_minutes": 120,
                        "equipment": (Materiel.TABLETTE,),
                        "themes": themes,
                        "workshop_title": title,
                        "workshop_level": level,
                        "participants": people[month : month + 2],
                        "anonymous_participants": AnonymousParticipants(
                            total=6, genres={Genre.FEMININ: 4, Genre.MASCULIN: 1}
                        ),
                    }
                )
            ),
            seed=month,
        )
        recorded += 1
    return recorded


class Command(BaseCommand):
    help = (
        "Crée des comptes rendus d’activité de démonstration pour les médiateurs de démo et le "
        "volume généré de la Mayenne. Sans effet s’ils existent déjà. Refuse de tourner hors DEBUG."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sans-volume",
            action="store_true",
            help=f"Ne pas générer les {GENERATED_COUNT} activités réalistes de la Mayenne.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo_activites ne crée des données de démonstration qu’en développement : "
                "relancez avec DJANGO_DEBUG=1."
            )
        mediators = _mediators()
        if not mediators:
            raise CommandError("Aucun médiateur de démonstration : lancez d’abord seed_demo.")
        rng = random.Random(2026)  # noqa: S311 (demo data, not secrecy)
        for mediator, structure in mediators:
            if Activity.objects.filter(mediator=mediator).exists():
                self.stdout.write(f"{mediator.email} : activités déjà présentes, rien à faire.")
                continue
            with transaction.atomic():
                count = seed_structure(mediator, structure, rng)
            self.stdout.write(
                f"{mediator.email} : {count} comptes rendus, "
                f"{len(PEOPLE)} bénéficiaires suivis créés."
            )
        if options["sans_volume"]:
            return
        if User.objects.filter(
            email__startswith=f"mediateur.{GENERATED_SEED}.", email__endswith=f"@{EMAIL_DOMAIN}"
        ).exists():
            self.stdout.write("Volume réaliste de la Mayenne déjà généré, rien à faire.")
            return
        call_command(
            "generate_activites",
            count=GENERATED_COUNT,
            seed=GENERATED_SEED,
            territoire=GENERATED_TERRITORY,
            stdout=self.stdout,
        )
