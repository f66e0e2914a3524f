"""The labelled evaluation set of record linkage and its metrics (data/evaluation/README.md)."""

import csv
import dataclasses
import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from maillon.places.linkage.batch import score_pairs
from maillon.places.linkage.normalise import Entry, entry_of
from maillon.places.linkage.scoring import AUTO_MERGE, REVIEW
from maillon.places.record import LocationPrecision, PlaceData

FOLDER = Path(__file__).resolve().parent.parent / "data" / "evaluation"
RECORD_FIELDS = [
    "source",
    "external_id",
    "nom",
    "adresse",
    "commune",
    "code_postal",
    "code_insee",
    "latitude",
    "longitude",
    "pivot",
    "telephone",
    "courriels",
    "typologie",
    "date_maj",
]
DOUBLON = "doublon"
NON_DOUBLON = "non_doublon"
INCERTAIN = "incertain"

Key = tuple[str, str]


@dataclasses.dataclass(frozen=True)
class LabelledPair:
    left: Key
    right: Key
    label: str
    note: str


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def load_entries(path: Path = FOLDER / "enregistrements.csv") -> dict[Key, Entry]:
    entries: dict[Key, Entry] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for pk, row in enumerate(csv.DictReader(handle), start=1):
            lat, lon = _float(row["latitude"]), _float(row["longitude"])
            precise = lat is not None and lon is not None
            data = PlaceData(
                nom=row["nom"],
                date_maj=dt.date.fromisoformat(row["date_maj"]),
                pivot=row["pivot"],
                commune=row["commune"],
                code_postal=row["code_postal"],
                code_insee=row["code_insee"],
                adresse=row["adresse"],
                latitude=lat,
                longitude=lon,
                location_precision=(
                    LocationPrecision.PRECISE.value if precise else LocationPrecision.NONE.value
                ),
                telephone=row["telephone"],
                courriels=tuple(e for e in row["courriels"].split("|") if e),
                typologie=tuple(t for t in row["typologie"].split("|") if t),
            )
            entries[(row["source"], row["external_id"])] = entry_of(
                pk, row["source"], row["external_id"], data
            )
    return entries


def load_pairs(path: Path = FOLDER / "paires_etiquetees.csv") -> list[LabelledPair]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            LabelledPair(
                (row["source_a"], row["id_a"]),
                (row["source_b"], row["id_b"]),
                row["label"],
                row["note"],
            )
            for row in csv.DictReader(handle)
        ]


@dataclasses.dataclass
class Metrics:
    pairs: int = 0
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0
    auto_merged_distinct: int = 0
    auto_merged_uncertain: int = 0
    bands: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(pairs: Iterable[LabelledPair], entries: dict[Key, Entry]) -> Metrics:
    """A pair is predicted « doublon » when linkage merges it or sends it to review.

    Uncertain pairs count in the band table only, not in precision and recall.
    """
    metrics = Metrics()
    pairs = list(pairs)
    # The batch scorer is what `run_linkage` uses: evaluate that, not the reference.
    ordered = list(entries.values())
    position = {key: i for i, key in enumerate(entries)}
    table = score_pairs(ordered, [(position[p.left], position[p.right]) for p in pairs])
    for pair, outcome in zip(pairs, table.outcomes, strict=True):
        metrics.pairs += 1
        band = metrics.bands.setdefault(outcome, {})
        band[pair.label] = band.get(pair.label, 0) + 1
        predicted = outcome in {AUTO_MERGE, REVIEW}
        if pair.label == DOUBLON:
            if predicted:
                metrics.true_positive += 1
            else:
                metrics.false_negative += 1
        elif pair.label == NON_DOUBLON:
            if predicted:
                metrics.false_positive += 1
            else:
                metrics.true_negative += 1
            if outcome == AUTO_MERGE:
                metrics.auto_merged_distinct += 1
        elif outcome == AUTO_MERGE:
            metrics.auto_merged_uncertain += 1
    return metrics
