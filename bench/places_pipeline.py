"""Time the places pipeline on the shipped files: import + validate every file, then link.

Run from the repository root: DJANGO_DEBUG=1 .venv/bin/python bench/places_pipeline.py
Uses a temporary SQLite file unless DATABASE_URL is set (then that database must be a
throwaway one: places are written into it). The communes are loaded first (setup, timed apart:
the import resolves every place's commune against them). Prints figures, asserts nothing.
Target of issue 3: import + validation + linkage of all shipped files under 30 s end to end.
"""

import importlib.util
import os
import platform
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    with tempfile.TemporaryDirectory(prefix="maillon-bench-") as directory:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(directory) / 'bench.sqlite3'}")
        run()


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "processeur inconnu"


def run() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from maillon.places.importing.communes import CommuneIndex
    from maillon.places.management.commands.import_shipped_lieux import (
        import_shipped,
        shipped_files,
    )
    from maillon.places.models import Place, SourceRecord
    from maillon.territory.models import Commune

    call_command("migrate", verbosity=0, interactive=False)
    print(f"Machine : {platform.platform()}, {os.cpu_count()} CPU, {cpu_model()}")
    print(f"Python : {platform.python_version()}")
    print(f"Base de données : {connection.vendor} ({connection.settings_dict['NAME']})")
    if SourceRecord.objects.exists():
        print("Attention : la base contient déjà des lieux (chiffres faussés).")

    start = time.perf_counter()
    if not Commune.objects.exists():
        call_command("load_territory", stdout=StringIO())
    print(f"Préparation (communes) : {time.perf_counter() - start:.2f} s, hors chronomètre")

    files = shipped_files()
    start = time.perf_counter()
    communes = CommuneIndex()
    total = time.perf_counter() - start
    print(f"Index des communes (une fois pour tous les fichiers) : {total:.2f} s")
    for label in ("Premier import (base vide)", "Second import (aucun changement)"):
        print(f"{label} :")
        step_total = 0.0
        for shipped in files:
            start = time.perf_counter()
            report = import_shipped(shipped, communes)
            elapsed = time.perf_counter() - start
            step_total += elapsed
            print(
                f"    {shipped.path.name:<52} {elapsed:6.2f} s  {report.summary()}"
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

        start = time.perf_counter()
        result = run_linkage()
        elapsed = time.perf_counter() - start
        total += elapsed
        print(
            f"Rapprochement : {elapsed:.2f} s — {result.records} enregistrements, "
            f"{result.candidate_pairs} paires candidates, {result.auto_merges} fusions "
            f"automatiques, {result.review} à examiner, {result.distinct} distinctes ; "
            f"{result.clusters} lieux"
        )
        print(f"Lieux après rapprochement : {Place.objects.current().count()}")
    print(f"Total import + validation + rapprochement : {total:.2f} s (objectif : moins de 30 s)")


if __name__ == "__main__":
    main()
