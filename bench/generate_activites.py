"""Time `manage.py generate_activites`: 100,000 activities, or the count given as argument.

Run from the repository root:
DJANGO_DEBUG=1 .venv/bin/python bench/generate_activites.py [N] [--sans-statistiques]
[--index=garder|reconstruire]
(e.g. 5000000). The statistics rebuild that follows a generation is timed apart. Uses a
temporary SQLite file unless BENCH_DATABASE_URL names a throwaway database (see
bench/support.py); loads the territory first. Prints figures, asserts nothing.
"""

import resource
import sys
from io import StringIO

from support import load_average, stopwatch, with_throwaway_database

DEFAULT_COUNT = 100_000


def run() -> None:
    from django.core.management import call_command
    from django.db import connection

    from maillon.activities.models import Accompaniment, Activity
    from maillon.beneficiaries.models import Beneficiary

    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(arguments[0]) if arguments else DEFAULT_COUNT
    with_statistics = "--sans-statistiques" not in sys.argv
    index = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--index=")), "auto")
    with stopwatch() as lap:
        call_command("load_territory", stdout=StringIO())
    print(f"Chargement du territoire (préalable) : {lap.seconds:.1f} s")
    print(f"Charge de la machine avant : {load_average()}")
    out = StringIO()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    with stopwatch() as lap:
        call_command(
            "generate_activites",
            count=count,
            seed=2026,
            index=index,
            sans_statistiques=True,
            stdout=out,
        )
    for line in out.getvalue().splitlines():
        print(f"    {line}")
    print(f"generate_activites --count {count} --index {index} : {lap.seconds:.1f} s")
    print(f"  soit {count / lap.seconds:,.0f} activités par seconde".replace(",", " "))
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    used = (cpu.ru_utime - cpu_before.ru_utime) + (cpu.ru_stime - cpu_before.ru_stime)
    print(
        f"  temps processeur du processus : {used:.1f} s (l'écart avec le temps écoulé mesure "
        f"l'attente : disque ou machine chargée) ; mémoire maximale {cpu.ru_maxrss / 1024:.0f} Mo"
    )
    if with_statistics:
        from maillon.activities.management.commands.generate_activites import (
            rebuild_statistics_after_generation,
        )

        rebuilt = rebuild_statistics_after_generation()
        if rebuilt is None:
            print("Reconstruction des statistiques : commande absente")
        else:
            for line in rebuilt[1].splitlines():
                print(f"    {line}")
            print(f"Reconstruction des statistiques (rebuild_statistics) : {rebuilt[0]:.1f} s")
            total = lap.seconds + rebuilt[0]
            print(
                f"generate_activites --count {count} avec ses statistiques : {total:.1f} s "
                f"(cible : moins de 600 s)"
            )
    print(
        f"Lignes : {Activity.objects.count()} activités, "
        f"{Accompaniment.objects.count()} accompagnements, "
        f"{Beneficiary.objects.count()} bénéficiaires"
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            size = cursor.fetchone()[0]
        print(f"Taille de la base : {pages * size / 2**20:.0f} Mo")
    print(f"Charge de la machine après : {load_average()}")


if __name__ == "__main__":
    with_throwaway_database(run)
