"""Time the diagnosis pages (server time, in-process through Django's test client).

Run from the repository root: DJANGO_DEBUG=1 .venv/bin/python bench/diagnosis_pages.py
Uses a temporary SQLite file unless BENCH_DATABASE_URL names a throwaway database: communes
(`load_territory`) and shipped places (`import_shipped_lieux`) are loaded first (not timed).
Prints figures, asserts nothing. Target of issue 5: a département report page under 300 ms.
The first request reads the commune and place tables; the next ones find them in the
in-process cache (maillon/diagnosis/cache.py) and only check its version stamp.
"""

import statistics
from io import StringIO

from support import load_average, stopwatch, with_throwaway_database

RUNS = 20
PAGES = (
    ("Mayenne (53, 240 communes)", "dep", "53"),
    ("Nord (59, 648 communes)", "dep", "59"),
    ("Pas-de-Calais (62, 890 communes)", "dep", "62"),
    ("Pays de la Loire (région 52)", "reg", "52"),
    ("Laval Agglomération (EPCI)", "epci", "200083392"),
    ("Laval (commune)", "com", "53130"),
)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from maillon.places.models import Place
    from maillon.territory.models import Commune

    with stopwatch() as lap:
        if not Commune.objects.exists():
            call_command("load_territory", stdout=StringIO())
        if not Place.objects.exists():
            call_command("import_shipped_lieux", stdout=StringIO())
    print(f"Préparation (communes et lieux livrés) : {lap.seconds:.1f} s, hors chronomètre")
    print(f"Charge de la machine : {load_average()}")
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()

    def timed(url: str) -> float:
        with stopwatch() as lap:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return lap.seconds * 1000

    first = timed(reverse("diagnosis:territory", args=["dep", "53"]))
    print(
        f"Première page (lecture des tables, cache vide) : {first:.0f} ms "
        "(une fois par processus et par changement des communes ou des lieux)"
    )
    for label, kind, code in PAGES:
        url = reverse("diagnosis:territory", args=[kind, code])
        laps = [timed(url) for _ in range(RUNS)]
        print(
            f"Page diagnostic {label} : médiane {statistics.median(laps):.0f} ms, "
            f"p95 {_percentile(laps, 0.95):.0f} ms, max {max(laps):.0f} ms"
            + (" (objectif département < 300 ms)" if kind == "dep" else "")
        )
    laps = [timed(reverse("diagnosis:france")) for _ in range(5)]
    print(f"Page diagnostic France : médiane {statistics.median(laps):.0f} ms")
    for label, url in (
        ("PDF Mayenne", reverse("diagnosis:pdf", args=["dep", "53"])),
        ("PDF France", reverse("diagnosis:france_pdf")),
        ("CSV des communes de France", reverse("diagnosis:france_csv")),
    ):
        laps = [timed(url) for _ in range(3)]
        print(f"{label} : médiane {statistics.median(laps):.0f} ms")


if __name__ == "__main__":
    with_throwaway_database(run)
