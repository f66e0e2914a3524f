# ruff: noqa: RUF001 — typographic apostrophes in French texts.
"""`manage.py generate_activites --count N --seed S [--territoire dep:53]`: fake data at scale."""

import time
from io import StringIO
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillon.accounts.models import User
from maillon.activities.generation import EMAIL_DOMAIN, TerritoryError, generate

# The pre-aggregates (maillon.activities.statistics) are rebuilt after the raw rows, since the
# generator bypasses the services that keep them up to date.
STATISTICS_REBUILD_COMMAND = "rebuild_statistics"


def rebuild_statistics_after_generation() -> tuple[float, str] | None:
    """Rebuild the statistics pre-aggregates if that command exists: its duration in seconds
    and what it printed."""
    if STATISTICS_REBUILD_COMMAND not in get_commands():
        return None
    out = StringIO()
    start = time.perf_counter()
    call_command(STATISTICS_REBUILD_COMMAND, stdout=out)
    return time.perf_counter() - start, out.getvalue().strip()


class Command(BaseCommand):
    help = (
        "Crée des activités, bénéficiaires, médiateurs et structures fictifs, réalistes "
        "(répartitions réelles par département du dispositif Conseiller numérique)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="Nombre d’activités.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Graine (même graine, mêmes données)."
        )
        parser.add_argument(
            "--territoire",
            default="fr",
            help="fr, reg:CODE, dep:CODE, epci:SIREN ou com:CODE (défaut : fr).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Générer même quand DEBUG est désactivé (crée de fausses personnes).",
        )
        parser.add_argument(
            "--index",
            choices=["auto", "garder", "reconstruire"],
            default="auto",
            help=(
                "Index des grandes tables pendant l’écriture : les garder, ou les supprimer puis "
                "les recréer (auto : recréer quand la table des activités au moins double)."
            ),
        )
        parser.add_argument(
            "--sans-statistiques",
            action="store_true",
            help="Ne pas reconstruire les statistiques pré-agrégées ensuite.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusé : DEBUG est désactivé et cette commande crée de fausses personnes. "
                "Ajoutez --force si cette base est bien une base de test."
            )
        count: int = options["count"]
        seed: int = options["seed"]
        if count <= 0:
            raise CommandError("--count doit être un entier positif.")
        if seed < 0:
            raise CommandError("--seed doit être un entier positif ou nul.")
        if User.objects.filter(
            email__startswith=f"mediateur.{seed}.", email__endswith=f"@{EMAIL_DOMAIN}"
        ).exists():
            raise CommandError(
                f"Des données ont déjà été générées avec la graine {seed} : "
                "choisissez-en une autre."
            )
        try:
            result = generate(
                count=count,
                seed=seed,
                territory=options["territoire"],
                rebuild_indexes={"auto": None, "garder": False, "reconstruire": True}[
                    options["index"]
                ],
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
        except TerritoryError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.activities} activités, {result.accompaniments} accompagnements, "
            f"{result.beneficiaries} bénéficiaires (dont {result.anonymous_beneficiaries} "
            f"anonymes), {result.mediators} médiateurs, {result.structures_created} structures "
            f"créées et {result.structures_reused} réutilisées "
            f"en {sum(result.timings.values()):.1f} s."
        )
        if options["sans_statistiques"]:
            return
        rebuilt = rebuild_statistics_after_generation()
        if rebuilt is None:
            self.stdout.write("Statistiques pré-agrégées : commande absente, rien à reconstruire.")
        else:
            self.stdout.write(f"Statistiques pré-agrégées reconstruites en {rebuilt[0]:.1f} s.")
