"""The per-record CSV report of `dedupe_lieux` (one row per active source record).

- `cluster_id`: public id of the golden place the record belongs to after linkage;
- `place_id`: that place's internal number;
- `decision`: the strongest pair involving the record — « décision humaine : … » when a
  coordinator decided on one of its pairs, else « fusion automatique », « à examiner »,
  « distinct », or « aucune paire » when blocking found no candidate;
- `score`: that pair's score (0 to 1), empty without a pair.
"""

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from maillon.places.linkage.scoring import AUTO_MERGE, REVIEW
from maillon.places.models import Decision, Place

if TYPE_CHECKING:
    from maillon.places.linkage.pipeline import Linkage
    from maillon.places.linkage.service import Row

HEADER = ["cluster_id", "place_id", "source", "source_id", "decision", "score"]
OUTCOME_LABELS = {AUTO_MERGE: "fusion automatique", REVIEW: "à examiner"}
RANK = {"human": 3, AUTO_MERGE: 2, REVIEW: 1}


def write(
    path: Path, records: Sequence["Row"], linkage: "Linkage", target_of: Sequence[int]
) -> None:
    best: dict[int, tuple[int, float, str]] = {}
    for pair, score, outcome in linkage.scores.brief():
        decision = linkage.decisions.get(pair)
        if decision:
            rank, label = RANK["human"], f"décision humaine : {Decision(decision).label.lower()}"
        else:
            rank, label = RANK.get(outcome, 0), OUTCOME_LABELS.get(outcome, "distinct")
        for i in pair:
            current = best.get(i)
            if current is None or (rank, score) > current[:2]:
                best[i] = (rank, score, label)
    public_ids = dict(Place.objects.filter(pk__in=set(target_of)).values_list("pk", "public_id"))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i, record in enumerate(records):
            place_id = target_of[i]
            found = best.get(i)
            writer.writerow(
                [
                    public_ids[place_id],
                    place_id,
                    record.source,
                    record.external_id,
                    found[2] if found else "aucune paire",
                    f"{found[1]:.3f}" if found else "",
                ]
            )
