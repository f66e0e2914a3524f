"""The activity export (XLSX) of 100,000 activities: time and peak memory.

    DJANGO_DEBUG=1 .venv/bin/python bench/export_xlsx.py [COUNT]   (default 100 000)

Generates COUNT activities in a throwaway database (SQLite, or BENCH_DATABASE_URL: see
bench/support.py), then runs `GET /statistiques/activites.xlsx` in a fresh Python process, so
that its peak resident memory is the export's alone, not the generator's: once for an
administrator (no column about people), once for a manager of every structure (names of the
people of individual sessions, each read journaled). Issue 4 asks for < 60 s and < 250 MB.
"""

import json
import os
import resource
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

from support import load_average, stopwatch, with_throwaway_database

DEFAULT_COUNT = 100_000


def _memory_kib(field: str) -> int:
    """VmRSS (now) or VmHWM (peak since the last reset); else the peak since the start."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _export(email: str) -> None:
    """In the child process: one export, its figures printed as one JSON line."""
    import django

    django.setup()
    from django.test import Client

    from maillon.accounts.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email=email))
    before = _memory_kib("VmRSS")
    # Reset the peak (VmHWM) so that it measures the export alone; Linux only.
    clear_refs = Path("/proc/self/clear_refs")
    if clear_refs.exists():
        clear_refs.write_text("5")
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    with stopwatch() as lap:
        response: Any = client.get("/statistiques/activites.xlsx")
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
    assert response.status_code == 200, response.status_code
    peak = _memory_kib("VmHWM")
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    print(
        json.dumps(
            {"seconds": lap.seconds, "cpu": cpu, "bytes": size, "before": before, "peak": peak}
        )
    )


def _measure(label: str, email: str, rows: int) -> None:
    from django.db import connection

    env = dict(os.environ)
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    child = subprocess.run(  # noqa: S603 (this very script, with a fixed argument)
        [sys.executable, str(Path(__file__).resolve()), "--export", email],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        print(child.stderr[-3000:])
        raise SystemExit(f"Échec de l'export pour {label}")
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    print(
        f"  {label:<46} {figures['seconds']:6.1f} s (temps processeur de l'export "
        f"{figures['cpu']:.1f} s, SQLite compris, PostgreSQL non)  "
        f"{rows / figures['seconds']:8,.0f} lignes/s  "
        f"fichier {figures['bytes'] / 1e6:5.1f} Mo  mémoire max {figures['peak'] / 1024:4.0f} Mo "
        f"(processus avant l'export : {figures['before'] / 1024:.0f} Mo)".replace(",", " ")
    )


def run() -> None:
    from django.core.management import call_command

    from maillon.accounts.models import Membership, Role, Structure, User
    from maillon.activities.models import Activity

    count = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_COUNT
    call_command("load_territory", stdout=StringIO())
    with stopwatch() as lap:
        call_command("generate_activites", count=count, seed=7, sans_statistiques=True, verbosity=0)
    rows = Activity.objects.filter(deleted_at__isnull=True).count()
    print(f"generate_activites --count {count} : {lap.seconds:.1f} s ; {rows} activités")
    admin, _ = User.objects.get_or_create(email="bench.admin@example.org")
    Membership.objects.get_or_create(user=admin, role=Role.ADMINISTRATOR, structure=None)
    manager, _ = User.objects.get_or_create(email="bench.responsable@example.org")
    Membership.objects.bulk_create(
        Membership(user=manager, role=Role.MANAGER, structure=s) for s in Structure.objects.all()
    )
    print(f"Charge de la machine avant : {load_average()}")
    _measure("administrateur (sans colonne sur les personnes)", admin.email, rows)
    _measure("responsable de toutes les structures (noms)", manager.email, rows)
    print(f"Charge de la machine après : {load_average()}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--export":
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        os.environ.setdefault("DJANGO_DEBUG", "1")
        _export(sys.argv[2])
    else:
        with_throwaway_database(run)
