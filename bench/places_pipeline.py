"""Time the places pipeline on the shipped files: import + validate every file, then link.

Run from the repository root: DJANGO_DEBUG=1 .venv/bin/python bench/places_pipeline.py
Uses a temporary SQLite file unless BENCH_DATABASE_URL names a throwaway database (places
are written into it; see bench/support.py). The communes are loaded first (setup, timed apart:
the import resolves every place's commune against them). Prints figures, asserts nothing.
Target of issue 3: import + validation + linkage of all shipped files under 30 s end to end.
"""

import importlib.util
from io import StringIO

from support import stopwatch, with_throwaway_database


def run() -> None:
    from django.core.management import call_command

    from maillon.places.importing.communes import CommuneIndex
    from maillon.places.management.commands.import_shipped_lieux import (
        import_shipped,
        shipped_files,
    )
    from maillon.places.models import Place, SourceRecord
    from maillon.territory.models import Commune

    if SourceRecord.objects.exists():
        print("Attention : la base contient déjà des lieux (chiffres faussés).")

    with stopwatch() as lap:
        if not Commune.objects.exists():
            call_command("load_territory", stdout=StringIO())
    print(f"Préparation (communes) : {lap.seconds:.2f} s, hors chronomètre")

    files = shipped_files()
    with stopwatch() as lap:
        communes = CommuneIndex()
    total = lap.seconds
    print(f"Index des communes (une fois pour tous les fichiers) : {total:.2f} s")
    for label in ("Premier import (base vide)", "Second import (aucun changement)"):
        print(f"{label} :")
        step_total = 0.0
        for shipped in files:
            with stopwatch() as lap:
                report = import_shipped(shipped, communes)
            step_total += lap.seconds
            print(
                f"    {shipped.path.name:<52} {lap.seconds:6.2f} s  {report.summary()}"
                + (" — REFUSÉ" if report.errors else "")
            )
        print(f"    total : {step_total:.2f} s")
        if label.startswith("Premier"):
            total += step_total

    records = SourceRecord.objects.filter(retired_at__isnull=True)
    places = Place.objects.current()
    print(
        f"Enregistrements actifs : {records.count()} ; lieux : {places.count()}, dont "
        f"{places.filter(location_precision='precise').count()} à position précise et "
        f"{places.exclude(services_mask=0).count()} avec au moins un service"
    )

    if importlib.util.find_spec("maillon.places.linkage.service") is None:
        print("Rapprochement : module maillon.places.linkage absent, étape sautée")
    else:
        from maillon.places.linkage.service import run_linkage

        with stopwatch() as lap:
            result = run_linkage()
        total += lap.seconds
        print(
            f"Rapprochement : {lap.seconds:.2f} s — {result.records} enregistrements, "
            f"{result.candidate_pairs} paires candidates, {result.auto_merges} fusions "
            f"automatiques, {result.review} à examiner, {result.distinct} distinctes ; "
            f"{result.clusters} lieux"
        )
        print(f"Lieux après rapprochement : {Place.objects.current().count()}")
    print(f"Total import + validation + rapprochement : {total:.2f} s (objectif : moins de 30 s)")


if __name__ == "__main__":
    with_throwaway_database(run)
