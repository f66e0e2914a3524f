"""Linkage speed on 20,000 synthetic places (no database).

    .venv/bin/python bench/linkage_speed.py [N]

Generates N places spread over 8,000 communes (2.5 per commune on average; the national
file has about 20,000 places in fewer than 10,000 communes): realistic kinds of names, street
addresses, precise or commune-centroid positions, some SIRET, phones and e-mails; 10 % of them
are duplicated by another source with variants (« Mairie de »/« Commune de », case,
abbreviations, « bis », a position a few metres away, a phone in national format, a missing
value). The < 2 s target covers « linkage alone »: normalisation of the records
(`entries_of`), blocking, scoring and classifying every candidate pair, clustering (`link`).
Each step is printed; the best of three runs is kept (the machine is shared). Database reads
and writes are not included: `dedupe_lieux` prints them separately on the real base. Prints
the load average and the processor time: the work is CPU-bound and single-threaded.
"""

import datetime as dt
import platform
import random
import sys
import time

from support import load_average, machine

from maillon.places.linkage.normalise import Entry
from maillon.places.linkage.pipeline import entries_of, link
from maillon.places.linkage.scoring import AUTO_MERGE, REVIEW
from maillon.places.record import LocationPrecision, PlaceData

KINDS = [
    "Médiathèque",
    "Espace public numérique",
    "France Services",
    "Centre social",
    "Mairie de",
    "CCAS de",
    "Association",
    "Tiers-lieu",
    "Maison de quartier",
    "Fablab",
]
WORDS = [
    "Jean Moulin",
    "des Lilas",
    "Victor Hugo",
    "du Parc",
    "Pasteur",
    "Saint-Exupéry",
    "de la Gare",
    "des Tilleuls",
    "Louise Michel",
    "du Centre",
    "Les Mimosas",
    "du Lac",
]
STREETS = ["rue", "avenue", "boulevard", "place", "impasse", "chemin", "allée"]
COMMUNES = 8000
RUNS = 3
ABBREVIATIONS = {"avenue": "av.", "boulevard": "bd", "place": "pl.", "chemin": "ch."}


def synthetic(count: int, seed: int = 20261122) -> list[tuple[str, str, PlaceData]]:
    rng = random.Random(seed)
    communes = [
        (
            f"{rng.randint(1, 95):02d}{rng.randint(1, 999):03d}",
            f"Commune {i}",
            41.5 + rng.random() * 9,
            -4.5 + rng.random() * 12,
        )
        for i in range(COMMUNES)
    ]
    originals = int(count / 1.1)
    rows: list[tuple[str, str, PlaceData]] = []
    for i in range(originals):
        insee, commune, lat, lon = rng.choice(communes)
        kind = rng.choice(KINDS)
        # Real names mostly carry a proper noun and often the town (« Médiathèque Jean Moulin
        # de Craon »): one word list alone would make every commune a block of homonyms.
        if kind.endswith("de"):
            name = f"{kind} {commune}"
        else:
            name = f"{kind} {rng.choice(WORDS)} {rng.choice(['', commune, f'n° {i % 97}'])}"
        precise = rng.random() < 0.8
        data = PlaceData(
            nom=name,
            date_maj=dt.date(2025, 1, 1),
            pivot=f"{rng.randint(10**13, 10**14 - 1)}" if rng.random() < 0.3 else "",
            commune=commune,
            code_postal=insee,
            code_insee=insee,
            adresse=f"{rng.randint(1, 120)} {rng.choice(STREETS)} {rng.choice(WORDS)}",
            latitude=lat + rng.gauss(0, 0.02),
            longitude=lon + rng.gauss(0, 0.02),
            location_precision=(
                LocationPrecision.PRECISE if precise else LocationPrecision.COMMUNE
            ),
            telephone=f"+332{rng.randint(10**7, 10**8 - 1)}" if rng.random() < 0.6 else "",
            courriels=(f"contact{i}@exemple.fr",) if rng.random() < 0.4 else (),
        )
        rows.append(("producteur-a", f"a-{i}", data))
    for j in range(count - originals):
        _, _, data = rows[rng.randrange(originals)]
        name = data.nom
        if name.startswith("Mairie de"):
            name = name.replace("Mairie de", rng.choice(["Commune de", "Ville de", "MAIRIE DE"]))
        elif rng.random() < 0.5:
            name = name.upper()
        address = data.adresse
        for long, short in ABBREVIATIONS.items():
            address = address.replace(long, short)
        if rng.random() < 0.2:
            address = address.replace(" ", " bis ", 1)
        phone = data.telephone
        if phone and rng.random() < 0.7:
            digits = "0" + phone[3:]
            phone = " ".join(digits[k : k + 2] for k in range(0, 10, 2))
        elif rng.random() < 0.3:
            phone = ""
        shifted: float | None = None
        if data.latitude is not None:
            shifted = data.latitude + rng.gauss(0, 0.0002)
        rows.append(
            (
                "producteur-b",
                f"b-{j}",
                PlaceData(
                    **{
                        **{n: getattr(data, n) for n in PlaceData.field_names()},
                        "nom": name,
                        "adresse": address,
                        "telephone": phone,
                        "latitude": shifted,
                    }
                ),
            )
        )
    return rows


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    rows = synthetic(count)
    best: dict[str, float] = {}
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        entries: list[Entry] = entries_of((i, s, e, d) for i, (s, e, d) in enumerate(rows))
        normalised = time.perf_counter()
        linkage = link(entries, {})
        done, done_cpu = time.perf_counter(), time.process_time()
        figures = {
            "normalisation": normalised - wall,
            **linkage.timings,
            "total": done - wall,
            "total (temps processeur)": done_cpu - cpu,
        }
        for name, seconds in figures.items():
            best[name] = min(best.get(name, seconds), seconds)
    outcomes = linkage.scores.outcomes
    merged = sum(1 for cluster in linkage.clusters if len(cluster) > 1)
    print(f"# Vitesse du rapprochement — {machine()}, Python {platform.python_version()}")
    print(f"{len(rows)} lieux synthétiques dont {count - int(count / 1.1)} doublons")
    print(f"meilleur de {RUNS} passages, sans base de données (lecture et écriture à part) :")
    for name in ("normalisation", "blocage", "score", "groupes"):
        print(f"  {name:<26}: {best[name]:.2f} s")
    print(f"  {'total (objectif < 2 s)':<26}: {best['total']:.2f} s")
    print(f"  {'total, temps processeur':<26}: {best['total (temps processeur)']:.2f} s")
    print(
        f"paires candidates        : {len(outcomes)} "
        f"({outcomes.count(AUTO_MERGE)} fusions auto., {outcomes.count(REVIEW)} à examiner)"
    )
    print(f"groupes de plusieurs fiches : {merged}")
    print(f"charge de la machine (1, 5, 15 min) : {load_average()}")


if __name__ == "__main__":
    main()
