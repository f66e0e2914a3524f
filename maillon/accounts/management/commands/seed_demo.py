"""Demo data for the Mayenne (53): structures of every common kind and one account per role.

Safe to run twice: everything is looked up by its natural key before being created.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from maillon.accounts import services
from maillon.accounts.identifiers import luhn_complete
from maillon.accounts.models import Membership, Role, Structure, User
from maillon.accounts.typologies import Typologie
from maillon.territory.models import Commune, Departement

DEMO_PASSWORD = "Maillon-demo-2026"  # noqa: S105 (documented demo password, DEBUG only)
DEMO_DEPARTEMENT = "53"


def demo_siret(n: int) -> str:
    # Fictitious: Luhn-valid numbers under the unattributed SIREN prefix 999 999.
    return luhn_complete(f"999999{n:07d}")


# (name, typologie, siret, rna, address, postal code, commune code INSEE)
STRUCTURES = [
    ("France Services de Mayenne (démo)", Typologie.RFS, demo_siret(1), "",
     "12 place de la Démonstration", "53100", "53147"),
    ("CCAS de Laval (démo)", Typologie.CCAS, demo_siret(2), "",
     "3 rue de l'Exemple", "53000", "53130"),
    ("Médiathèque du Pays de Château-Gontier (démo)", Typologie.BIB, demo_siret(3), "",
     "5 quai de la Démo", "53200", "53062"),
    ("Centre social des Coëvrons (démo)", Typologie.CS, demo_siret(4), "",
     "8 rue Fictive", "53600", "53097"),
    ("Association Clic Mayenne (démo)", Typologie.ASSO, "", "W532000001",
     "21 boulevard de l'Essai", "53000", "53130"),
    ("Conseil départemental de la Mayenne (démo)", Typologie.CD, demo_siret(6), "",
     "1 place de l'Exemple", "53000", "53130"),
    ("Espace public numérique de l'Ernée (démo)", Typologie.EPN, demo_siret(7), "",
     "4 rue du Test", "53500", "53096"),
    ("CIAS du Pays de Craon (démo)", Typologie.CIAS, demo_siret(8), "",
     "2 rue Imaginaire", "53400", "53084"),
]  # fmt: skip

# (e-mail, first name, last name, role, structure name or None, is_conseiller_numerique)
ACCOUNTS = [
    ("admin@demo.maillon.fr", "Alex", "Admin", Role.ADMINISTRATOR, None, False),
    ("coordinatrice@demo.maillon.fr", "Claire", "Coordinatrice", Role.COORDINATOR, None, False),
    ("responsable@demo.maillon.fr", "Romain", "Responsable", Role.MANAGER,
     "CCAS de Laval (démo)", False),
    ("mediatrice@demo.maillon.fr", "Marie", "Médiatrice", Role.MEDIATOR,
     "CCAS de Laval (démo)", False),
    ("conseiller@demo.maillon.fr", "Karim", "Conseiller", Role.MEDIATOR,
     "France Services de Mayenne (démo)", True),
]  # fmt: skip


class Command(BaseCommand):
    help = "Crée les données de démonstration (Mayenne). Refuse de tourner hors DEBUG."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo ne crée des comptes de démonstration qu'en développement : "
                "relancez avec DJANGO_DEBUG=1. Jamais en production."
            )
        codes = {row[6] for row in STRUCTURES}
        missing = sorted(
            codes - set(Commune.objects.filter(pk__in=codes).values_list("pk", flat=True))
        )
        if missing or not Departement.objects.filter(pk=DEMO_DEPARTEMENT).exists():
            raise CommandError(
                "Les communes de la Mayenne manquent (" + ", ".join(missing or ["53"]) + ") : "
                "lancez d'abord « manage.py load_territory »."
            )
        created = self.seed()
        if created:
            self.stdout.write(self.style.SUCCESS(f"{created} objets de démonstration créés."))
        else:
            self.stdout.write("Rien à faire : les données de démonstration sont déjà en place.")
        self.stdout.write(f"\nComptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for email, _first, _last, role, structure_name, is_cn in ACCOUNTS:
            where = f" — {structure_name}" if structure_name else ""
            cn = " (conseiller numérique)" if is_cn else ""
            self.stdout.write(f"  {email:34} {role.label}{cn}{where}")

    @transaction.atomic
    def seed(self) -> int:
        created = 0
        structures: dict[str, Structure] = {}
        for name, typologie, siret, rna, address, postal_code, code_insee in STRUCTURES:
            lookup = {"siret": siret} if siret else {"rna": rna}
            structure = Structure.objects.active().filter(**lookup).first()
            if structure is None:
                structure = Structure(
                    name=name,
                    typologie=typologie,
                    siret=siret,
                    rna=rna,
                    address=address,
                    postal_code=postal_code,
                    commune_id=code_insee,
                    email="contact@demo.maillon.fr",
                )
                services.save_with_audit(actor=None, instance=structure)
                created += 1
            structures[name] = structure
        departement = Departement.objects.get(pk=DEMO_DEPARTEMENT)
        for email, first_name, last_name, role, structure_name, is_cn in ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                is_admin = role == Role.ADMINISTRATOR
                user = services.create_user(
                    actor=None,
                    email=email,
                    password=DEMO_PASSWORD,
                    first_name=first_name,
                    last_name=last_name,
                    is_staff=is_admin,
                    is_superuser=is_admin,
                )
                created += 1
            structure = structures[structure_name] if structure_name else None
            if (
                Membership.objects.active()
                .filter(user=user, role=role, structure=structure)
                .exists()
            ):
                continue
            services.add_membership(
                actor=None,
                user=user,
                role=role,
                structure=structure,
                is_conseiller_numerique=is_cn,
                departements=[departement] if role == Role.COORDINATOR else [],
            )
            created += 1
        return created
