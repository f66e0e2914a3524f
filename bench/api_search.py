"""Time `/api/v1/lieux` on 20,000 synthetic published places spread over the real communes.

Run from the repository root: DJANGO_DEBUG=1 .venv/bin/python bench/api_search.py
Uses a temporary SQLite file unless BENCH_DATABASE_URL names a throwaway database (territory and
places are loaded into it; see bench/support.py). Loads the shipped territory data,
creates the places, then sends a realistic mix of requests through Django's test client and
prints server-time percentiles per kind of request. Prints figures, asserts nothing.
"""

import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from io import StringIO
from typing import Any

from support import load_average, with_throwaway_database

PLACES = 20_000
REQUESTS_PER_KIND = 40
SEED = 20261122
HOURS = (
    "Mo-Fr 09:00-12:00,14:00-17:00",
    "Mo-Fr 08:30-12:30; PH off",
    "Tu-Sa 10:00-18:00",
    "Mo,We,Fr 14:00-17:00",
    "Mo-Th 09:00-12:00,13:30-17:30; Fr 09:00-12:00",
    "Sa 09:00-12:00",
    "Mo-Sa 09:00-19:00; Su 10:00-12:00",
    "We 14:00-18:00; Sa 10:00-12:00,14:00-17:00",
    "week 1-53/2 Mo 09:30-12:30,13:30-15:30; PH off",
    "Mo-Fr 09:00-17:00",
    "",
    "",
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run() -> None:
    from django.core.management import call_command
    from django.db import connection

    from maillon.places.models import Place

    if connection.vendor == "postgresql":
        # A throwaway cluster often runs with synchronous_commit off (as .ci/run does): rows
        # whose commit is not yet on disk cannot be marked visible to all by VACUUM below.
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO on")
    print(f"Charge moyenne (1, 5, 15 min) : {load_average()}")
    if Place.objects.exists():
        print("La base contient déjà des lieux : utilisez une base jetable.")
        return

    start = time.perf_counter()
    call_command("load_territory", stdout=StringIO())
    print(f"Chargement du territoire : {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    communes = create_places()
    print(f"Création de {PLACES} lieux publiés : {time.perf_counter() - start:.1f} s")
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load (PostgreSQL 13+ also vacuums tables that
        # only received inserts): statistics for the planner, and the visibility map that lets
        # the search's hours index be read without visiting the table.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    time_requests(communes)


def create_places() -> list[Any]:
    """Places drawn over communes in proportion to their population, with varied values."""
    import datetime as dt

    from maillon.places.models import Place
    from maillon.places.record import LocationPrecision, PlaceData
    from maillon.places.vocabulary import ENUM_FIELDS
    from maillon.territory.models import Commune

    rng = random.Random(SEED)
    communes = list(
        Commune.objects.filter(latitude__isnull=False, population__gt=0).only(
            "code_insee", "name", "latitude", "longitude", "departement_id", "population"
        )
    )
    weights = [commune.population or 1 for commune in communes]
    chosen = rng.choices(communes, weights=weights, k=PLACES)
    sources = ["Hubik", "Conseiller Numérique", "France Services", "Mednum BFC", "Coop"]
    places: list[Place] = []
    for index, commune in enumerate(chosen):
        kind = rng.random()
        precision = (
            LocationPrecision.PRECISE
            if kind < 0.85
            else LocationPrecision.COMMUNE
            if kind < 0.97
            else LocationPrecision.NONE
        )
        latitude: float | None = commune.latitude
        longitude: float | None = commune.longitude
        if precision == LocationPrecision.PRECISE:
            latitude = (commune.latitude or 0) + rng.uniform(-0.02, 0.02)
            longitude = (commune.longitude or 0) + rng.uniform(-0.03, 0.03)
        elif precision == LocationPrecision.NONE:
            latitude = longitude = None
        values: dict[str, Any] = {
            field: tuple(rng.sample(list(enum.values), k=rng.randint(0, min(3, len(enum.values)))))
            for field, enum in ENUM_FIELDS.items()
        }
        values["modalites_acces"] = tuple(
            code for code in values["modalites_acces"] if code != "pas_de_public"
        )
        data = PlaceData(
            nom=f"Lieu {index:05d} de {commune.name}",
            date_maj=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 300)),
            commune=commune.name,
            code_insee=commune.code_insee,
            adresse=f"{rng.randint(1, 120)} rue de la République",
            latitude=latitude,
            longitude=longitude,
            location_precision=precision.value,
            horaires=rng.choice(HOURS),
            source=rng.choice(sources),
            prise_rdv="https://rdv.example.fr" if rng.random() < 0.2 else "",
            autres_formations_labels=("QPV",) if rng.random() < 0.1 else (),
            **values,
        )
        place = Place(nom=data.nom, date_maj=data.date_maj)
        place.apply(data)
        places.append(place)
    Place.objects.bulk_create(places, batch_size=2000)
    return chosen


def time_requests(communes: list[Any]) -> None:
    from django.test import Client

    from maillon.territory.models import PostalCode

    rng = random.Random(SEED + 1)
    big = sorted({c.code_insee: c for c in communes}.values(), key=lambda c: -(c.population or 0))
    towns = big[:300]
    postal = dict(
        PostalCode.objects.filter(commune__in=[c.code_insee for c in towns]).values_list(
            "commune_id", "code"
        )
    )
    departements = sorted({c.departement_id for c in communes})
    enums = {
        "services": ["aide_demarches", "outils_quotidien", "acces_materiel", "insertion_pro"],
        "publics": ["seniors", "jeunes", "familles"],
        "frais": ["gratuit", "gratuit_sous_condition"],
        "prises_en_charge": ["langues_etrangeres", "surdite", "handicaps_moteurs"],
        "dispositifs": ["france_services", "conseillers_numeriques"],
        "modalites_accompagnement": ["individuel", "atelier_collectif"],
    }

    def some_enums() -> str:
        names = rng.sample(list(enums), k=rng.randint(1, 3))
        return "&".join(f"{name}={rng.choice(enums[name])}" for name in names)

    def near_me() -> str:
        town = rng.choice(towns)
        lat = (town.latitude or 0) + rng.uniform(-0.05, 0.05)
        lon = (town.longitude or 0) + rng.uniform(-0.05, 0.05)
        return f"lat={lat:.5f}&lon={lon:.5f}&rayon=10"

    kinds: dict[str, Callable[[], str]] = {
        "commune (nom)": lambda: f"q={rng.choice(towns).name}",
        "code postal": lambda: f"q={postal.get(rng.choice(towns).code_insee, '53000')}",
        "autour de moi 10 km": near_me,
        "autour de moi + 1 à 3 filtres": lambda: f"{near_me()}&{some_enums()}",
        "1 à 3 filtres (France)": some_enums,
        "ouvert maintenant (commune)": lambda: f"q={rng.choice(towns).name}&ouvert_maintenant=1",
        "ouvert maintenant (France)": lambda: "ouvert_maintenant=1",
        "week-end + département": lambda: (
            f"ouvert_week_end=1&territoire=dep:{rng.choice(departements)}"
        ),
        "département": lambda: f"territoire=dep:{rng.choice(departements)}",
        "département, page 2": lambda: f"territoire=dep:{rng.choice(departements)}&page=2",
    }
    client = Client(HTTP_HOST="localhost")
    client.get("/api/v1/lieux?q=Laval")  # warm-up: connection, URL resolver, imports
    plan = [(kind, make()) for kind, make in kinds.items() for _ in range(REQUESTS_PER_KIND)]
    rng.shuffle(plan)
    timings: dict[str, list[float]] = defaultdict(list)
    statuses: dict[int, int] = defaultdict(int)
    counts: dict[str, list[int]] = defaultdict(list)
    for kind, query in plan:
        start = time.perf_counter()
        response = client.get(f"/api/v1/lieux?{query}")
        timings[kind].append((time.perf_counter() - start) * 1000)
        statuses[response.status_code] += 1
        if response.status_code == 200:
            counts[kind].append(response.json()["count"])

    print(f"\n{len(plan)} requêtes GET /api/v1/lieux (temps serveur, client de test Django)")
    print(f"Statuts : {dict(statuses)}")
    print(
        f"{'type de requête':<32} {'n':>4} {'résultats méd.':>15} {'p50':>8} {'p95':>8} {'max':>8}"
    )
    for kind in kinds:
        values = timings[kind]
        median_count = statistics.median(counts[kind]) if counts[kind] else 0
        print(
            f"{kind:<32} {len(values):>4} {median_count:>15.0f} {percentile(values, 0.5):>6.1f}ms "
            f"{percentile(values, 0.95):>6.1f}ms {max(values):>6.1f}ms"
        )
    everything = [value for values in timings.values() for value in values]
    print(
        f"{'ensemble':<32} {len(everything):>4} {'':>15} {percentile(everything, 0.5):>6.1f}ms "
        f"{percentile(everything, 0.95):>6.1f}ms {max(everything):>6.1f}ms"
    )
    print("Objectif : p95 < 50 ms sur l'ensemble.")
    print(f"Charge moyenne à la fin : {load_average()}")


if __name__ == "__main__":
    with_throwaway_database(run)
