"""Linkage quality on the labelled pairs of maillon/places/data/evaluation (see its README).

    .venv/bin/python bench/linkage_quality.py [--errors]

Prints precision, recall and F1 (a pair counts as found when linkage merges it automatically
or sends it to review), the automatic merges of pairs labelled « non doublon », and the number
of pairs per outcome and label, on the calibration half, the test half and the whole set. The
halves are fixed by a hash of the pair's stable ids (`half()`), not by the scores.
"""

import hashlib
import platform
import sys

from support import machine

from maillon.places.linkage.evaluation import (
    DOUBLON,
    NON_DOUBLON,
    LabelledPair,
    Metrics,
    evaluate,
    load_entries,
    load_pairs,
)
from maillon.places.linkage.scoring import AUTO_MERGE, REVIEW, score_pair


def half(pair: LabelledPair) -> str:
    digest = hashlib.sha256("|".join([*pair.left, *pair.right]).encode()).digest()
    return "calibration" if digest[0] % 2 == 0 else "test"


def show(title: str, metrics: Metrics) -> None:
    print(f"\n## {title} ({metrics.pairs} paires)")
    print(f"précision {metrics.precision:.3f}  rappel {metrics.recall:.3f}  F1 {metrics.f1:.3f}")
    print(
        f"fusions automatiques de paires « non doublon » : {metrics.auto_merged_distinct} ; "
        f"de paires « incertain » : {metrics.auto_merged_uncertain}"
    )
    for outcome in (AUTO_MERGE, REVIEW, "distinct"):
        counts = metrics.bands.get(outcome, {})
        print(
            f"  {outcome:<11} doublon {counts.get(DOUBLON, 0):>4}  "
            f"non_doublon {counts.get(NON_DOUBLON, 0):>4}  "
            f"incertain {counts.get('incertain', 0):>4}"
        )


def main() -> None:
    entries = load_entries()
    pairs = load_pairs()
    print(
        f"# Qualité du rapprochement — {machine()}, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    for name in ("calibration", "test"):
        show(f"moitié {name}", evaluate([p for p in pairs if half(p) == name], entries))
    show("ensemble complet", evaluate(pairs, entries))
    if "--errors" in sys.argv:
        print("\n## Erreurs")
        for pair in pairs:
            result = score_pair(entries[pair.left], entries[pair.right])
            found = result.outcome in {AUTO_MERGE, REVIEW}
            wrong = (pair.label == DOUBLON and not found) or (pair.label == NON_DOUBLON and found)
            if wrong:
                a, b = entries[pair.left], entries[pair.right]
                print(
                    f"{pair.label:<11} {result.outcome:<10} {result.score:.2f} {a.name} | {b.name} "
                    f"| {a.address} | {b.address} | {result.signals}"
                )


if __name__ == "__main__":
    main()
