"""Time `manage.py load_territory`: a full first load on an empty database, then a no-op run.

Run from the repository root: DJANGO_DEBUG=1 .venv/bin/python bench/territory_load.py
Uses a temporary SQLite file unless DATABASE_URL is set (then that database must be a
throwaway one: the territory tables are loaded into it). Prints figures, asserts nothing.
"""

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

    from maillon.territory.models import Commune

    call_command("migrate", verbosity=0, interactive=False)
    print(f"Machine : {platform.platform()}, {os.cpu_count()} CPU, {cpu_model()}")
    print(f"Python : {platform.python_version()}")
    print(f"Base de données : {connection.vendor} ({connection.settings_dict['NAME']})")
    existing = Commune.objects.count()
    if existing:
        print(f"Attention : la base contient déjà {existing} communes (premier chargement faussé).")

    for label in ("Premier chargement (base vide)", "Second chargement (aucun changement)"):
        out = StringIO()
        start = time.perf_counter()
        call_command("load_territory", stdout=out)
        elapsed = time.perf_counter() - start
        print(f"{label} : {elapsed:.2f} s")
        for line in out.getvalue().splitlines():
            print(f"    {line}")


if __name__ == "__main__":
    main()
