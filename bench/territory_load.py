"""Time `manage.py load_territory`: a full first load on an empty database, then a no-op run.

Run from the repository root: DJANGO_DEBUG=1 .venv/bin/python bench/territory_load.py
Uses a temporary SQLite file unless BENCH_DATABASE_URL names a throwaway database (the
territory tables are loaded into it; see bench/support.py). Prints figures, asserts nothing.
"""

from io import StringIO

from support import stopwatch, with_throwaway_database


def run() -> None:
    from django.core.management import call_command

    from maillon.territory.models import Commune

    existing = Commune.objects.count()
    if existing:
        print(f"Attention : la base contient déjà {existing} communes (premier chargement faussé).")

    for label in ("Premier chargement (base vide)", "Second chargement (aucun changement)"):
        out = StringIO()
        with stopwatch() as lap:
            call_command("load_territory", stdout=out)
        print(f"{label} : {lap.seconds:.2f} s")
        for line in out.getvalue().splitlines():
            print(f"    {line}")


if __name__ == "__main__":
    with_throwaway_database(run)
