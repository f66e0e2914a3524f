# ruff: noqa: RUF001, RUF002 — figures printed in French.
"""Statistics at scale: dashboard and API server time and SQL queries per scope, at two sizes.

    DJANGO_DEBUG=1 .venv/bin/python bench/statistics_speed.py [COUNT]   (default 200 000)
    BENCH_DATABASE_URL=… DJANGO_DEBUG=1 .venv/bin/python bench/statistics_speed.py --base-existante

Generates COUNT / 10 activities (`manage.py generate_activites`, then `rebuild_statistics`),
times `GET /api/v1/statistiques` and `GET /statistiques/` for a structure, a département and
France (p50/p95 over REPEAT calls, 30 by default: BENCH_REPEAT), then generates 9 × COUNT / 10
more and measures again at COUNT: the number of SQL queries must not change (compared at the
end). The figures to reach are in issue 4 (p95 < 150 ms at 5 M). Uses a temporary SQLite file
unless BENCH_DATABASE_URL names a throwaway database (bench/support.py). With
`--base-existante`, measures once the activities already in that database (the 5 M left by
`bench/generate_activites.py`, for instance), without generating.
"""

import os
import statistics
import sys
from io import StringIO

from support import load_average, stopwatch, with_throwaway_database

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
# Query count of each measure, per round: the same at N and 10 N.
QUERIES: dict[str, list[int]] = {}


def _measure(label: str, call: "object") -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    assert callable(call)
    laps = []
    queries = 0
    for _ in range(REPEAT):
        # The query log keeps 9,000 queries: once full, a capture counts nothing.
        reset_queries()
        with CaptureQueriesContext(connection) as captured, stopwatch() as lap:
            response = call()
        assert response.status_code == 200, response.status_code
        laps.append(lap.seconds * 1000)
        queries = len(captured.captured_queries)
    laps.sort()
    p95 = laps[min(len(laps) - 1, round(0.95 * len(laps)) - 1)]
    QUERIES.setdefault(label, []).append(queries)
    print(
        f"  {label:<42} p50 {statistics.median(laps):7.1f} ms  p95 {p95:7.1f} ms  "
        f"{queries} requêtes SQL  (charge {load_average()})"
    )


def _round(total: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from maillon.accounts.models import Membership, Role, TokenScope, User
    from maillon.accounts.services import create_api_token
    from maillon.activities.models import Activity
    from maillon.activities.statistics.models import DailyActivityStat, PresenceStat

    print(
        f"{total} activités demandées ; {Activity.objects.count()} en base, "
        f"{DailyActivityStat.objects.count()} lignes d’agrégats quotidiens, "
        f"{PresenceStat.objects.count()} lignes de présences"
    )
    # The first activity ever recorded: the same structure and département at N and 10 N.
    structure_id = Activity.objects.order_by("pk").values_list("structure_id", flat=True).first()
    assert structure_id is not None
    departement = (
        Activity.objects.filter(structure_id=structure_id)
        .order_by("pk")
        .values_list("commune__departement_id", flat=True)
        .first()
    )
    manager, _ = User.objects.get_or_create(email=f"bench.responsable.{total}@example.org")
    Membership.objects.get_or_create(user=manager, role=Role.MANAGER, structure_id=structure_id)
    admin, _ = User.objects.get_or_create(email="bench.admin@example.org")
    Membership.objects.get_or_create(user=admin, role=Role.ADMINISTRATOR, structure=None)
    api = reverse("statistics_api:statistiques")
    page = reverse("statistics:dashboard")
    for label, user in (("structure (responsable)", manager), ("France (administrateur)", admin)):
        _row, secret = create_api_token(
            user=user, name=f"bench {total}", scopes=[TokenScope.STATISTIQUES], actor=None
        )
        client = Client(HTTP_HOST="localhost", headers={"Authorization": f"Bearer {secret}"})
        browser = Client(HTTP_HOST="localhost")
        browser.force_login(user)
        _measure(f"API {label}", lambda c=client: c.get(api))
        _measure(f"Tableau de bord {label}", lambda b=browser: b.get(page))
        if user is admin:
            dep = {"territoire": f"dep:{departement}"}
            _measure(f"API département {departement}", lambda c=client, d=dep: c.get(api, d))
            _measure(
                f"Tableau de bord département {departement}",
                lambda b=browser, d=dep: b.get(page, d),
            )
            year = {"territoire": f"dep:{departement}", "du": "2026-01-01", "au": "2026-06-30"}
            _measure(
                f"API département {departement}, semestre", lambda c=client, y=year: c.get(api, y)
            )
        if user is manager:
            # Nationally, a thématique filter reads the raw rows: not among the targets.
            _measure(
                f"API {label}, thématique (lignes brutes)",
                lambda c=client: c.get(api, {"thematiques": "email"}),
            )


def run() -> None:
    from django.core.management import call_command, get_commands

    if "--base-existante" in sys.argv:
        # Measure the data already in BENCH_DATABASE_URL (e.g. left by
        # bench/generate_activites.py), without generating anything.
        from maillon.activities.models import Activity

        _round(Activity.objects.count())
        print(f"Charge : {load_average()}")
        return
    # COUNT is the final size: COUNT / 10 first, then 9 * COUNT / 10 more.
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = (int(arguments[0]) if arguments else 200_000) // 10
    if "generate_activites" not in get_commands():
        print("La commande generate_activites n’existe pas encore : rien à mesurer.")
        return
    call_command("load_territory", stdout=StringIO())
    for seed, size in ((1, count), (2, 9 * count)):
        with stopwatch() as lap:
            call_command(
                "generate_activites", count=size, seed=seed, sans_statistiques=True, verbosity=0
            )
        print(f"generate_activites --count {size} : {lap.seconds:.1f} s")
        with stopwatch() as lap:
            call_command("rebuild_statistics", verbosity=0)
        print(f"rebuild_statistics : {lap.seconds:.1f} s")
        _round(count if seed == 1 else 10 * count)
    print(f"Charge : {load_average()}")
    changed = {label: counts for label, counts in QUERIES.items() if len(set(counts)) > 1}
    print("Requêtes SQL constantes de N à 10 N : " + ("oui" if not changed else f"NON {changed}"))


if __name__ == "__main__":
    with_throwaway_database(run)
