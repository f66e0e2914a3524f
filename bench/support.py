"""What the benchmarks share: a throwaway database, the machine they ran on, a stopwatch.

A bench stays a standalone script (`DJANGO_DEBUG=1 .venv/bin/python bench/<script>.py`): its
directory is first on `sys.path`, so it imports this module as `support`, which puts the
project root on `sys.path` in turn (so `maillon` and `config` import after it).

The database of a bench is a temporary SQLite file, or the one named by `BENCH_DATABASE_URL`
(a throwaway one: the bench writes into it). `DATABASE_URL` is deliberately ignored, so that a
developer's own database, exported in the shell, is never written by accident; the developer
database `var/maillon.sqlite3` is refused even when named explicitly.
"""

import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVELOPER_DATABASE = ROOT / "var" / "maillon.sqlite3"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "processeur inconnu"


def machine() -> str:
    return f"{platform.platform()}, {os.cpu_count()} CPU, {cpu_model()}"


def load_average() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def describe_machine() -> None:
    print(f"Machine : {machine()}")
    print(f"Python : {platform.python_version()}")


def with_throwaway_database(run: Callable[[], None]) -> None:
    """Set Django up on a throwaway database, migrate it, describe the machine, call `run`.

    Exits without touching anything when the database is the developer's.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    with tempfile.TemporaryDirectory(prefix="maillon-bench-") as directory:
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        )
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        name = connection.settings_dict["NAME"]
        if connection.vendor == "sqlite" and Path(str(name)).resolve() == (
            DEVELOPER_DATABASE.resolve()
        ):
            sys.exit(f"Refusé : {name} est la base de développement ; donnez une base jetable.")
        call_command("migrate", verbosity=0, interactive=False)
        describe_machine()
        print(f"Base de données : {connection.vendor} ({name})")
        run()


@dataclass
class Lap:
    seconds: float = 0.0


@contextmanager
def stopwatch() -> Iterator[Lap]:
    """Time the block: `with stopwatch() as lap: …`, then read `lap.seconds`."""
    lap = Lap()
    start = time.perf_counter()
    try:
        yield lap
    finally:
        lap.seconds = time.perf_counter() - start
