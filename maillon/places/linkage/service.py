"""Run record linkage on the database and record human decisions.

`run_linkage` recomputes every candidate pair of the active source records, clusters them
(human decisions first) and attaches each cluster's records to one golden `Place`. It is
idempotent: on unchanged data it creates no pair, merges nothing and writes no place.

`record_decision` re-links only the records around the decided pair (see `_neighbourhood`),
so a coordinator's click does not wait for the whole base.
"""

import dataclasses
import datetime as dt
import time
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from maillon.accounts.models import AnyUser, User
from maillon.core import audit
from maillon.core.models import AuditAction
from maillon.places import merge
from maillon.places.linkage import report
from maillon.places.linkage.pipeline import Key, Linkage, entries_of, link, ordered_keys
from maillon.places.linkage.scoring import AUTO_MERGE, DISTINCT, REVIEW
from maillon.places.models import CandidatePair, Decision, PairDecision, Place, SourceRecord
from maillon.places.record import PlaceData

# Distinct pairs below this score are not stored: they only show that blocking looked.
STORED_FLOOR = 0.45


@dataclasses.dataclass
class LinkageResult:
    records: int = 0
    candidate_pairs: int = 0
    auto_merges: int = 0
    review: int = 0
    distinct: int = 0
    clusters: int = 0
    new_pairs: int = 0
    merged_records: int = 0
    place_writes: int = 0
    seconds: float = 0.0
    # Seconds per step: « lecture » (database reads and decoding), « normalisation »,
    # « blocage », « score », « groupes » (linkage alone), « écriture » (pairs and places).
    timings: dict[str, float] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Row:
    """What linkage needs of an active source record, read without building model objects."""

    pk: int
    source: str
    external_id: str
    place_id: int
    date_maj: dt.date
    data: PlaceData

    @property
    def key(self) -> Key:
        return (self.source, self.external_id)


def _rows(record_ids: Collection[int] | None = None) -> list[Row]:
    query = SourceRecord.objects.active().order_by("pk")
    if record_ids is not None:
        query = query.filter(pk__in=record_ids)
    return [
        Row(pk, source, external_id, place_id, date_maj, PlaceData.from_json(data))
        for pk, source, external_id, place_id, date_maj, data in query.values_list(
            "pk", "source__slug", "external_id", "place_id", "date_maj", "data"
        )
    ]


def _decisions() -> dict[tuple[Key, Key], str]:
    decided: dict[tuple[Key, Key], str] = {}
    for (sa, ia, sb, ib), decision in PairDecision.objects.latest_per_pair().items():
        decided[ordered_keys((sa, ia), (sb, ib))] = decision
    return decided


def _home_places() -> dict[Key, int]:
    """Absorbed places by the record that first defined them: where an un-merge goes back."""
    homes: dict[Key, int] = {}
    rows = Place.objects.filter(merged_into__isnull=False).values_list("pk", "field_provenance")
    for pk, provenance in rows.order_by("pk"):
        origin = (provenance or {}).get("nom")
        if origin:
            homes.setdefault((origin["source"], origin["external_id"]), pk)
    return homes


def _existing_pairs(record_ids: Collection[int] | None) -> dict[tuple[int, int], Any]:
    """Stored pairs (all, or those with both records in `record_ids`) as light tuples."""
    query = CandidatePair.objects.all()
    if record_ids is not None:
        query = query.filter(record_a_id__in=record_ids, record_b_id__in=record_ids)
    return {
        (a, b): (pk, score, outcome, signals)
        for pk, a, b, score, outcome, signals in query.values_list(
            "pk", "record_a_id", "record_b_id", "score", "outcome", "signals"
        ).iterator(chunk_size=5000)
    }


def _save_pairs(
    rows: Sequence[Row], linkage: Linkage, record_ids: Collection[int] | None = None
) -> int:
    """Bring `CandidatePair` rows in line with this run; return how many were created.

    With `record_ids`, only pairs between those records are compared and replaced.
    """
    table = linkage.scores
    wanted: dict[tuple[int, int], int] = {}
    for k, ((a, b), score, outcome) in enumerate(table.brief()):
        if outcome == DISTINCT and score < STORED_FLOOR and (a, b) not in linkage.decisions:
            continue
        wanted[(rows[a].pk, rows[b].pk)] = k
    existing = _existing_pairs(record_ids)
    now = timezone.now()
    created: list[CandidatePair] = []
    changed: list[CandidatePair] = []
    for key, k in wanted.items():
        value = table.explain(k)
        found = existing.get(key)
        if found is not None and found[1:] == (value.score, value.outcome, value.signals):
            continue
        pair = CandidatePair(
            pk=None if found is None else found[0],
            record_a_id=key[0],
            record_b_id=key[1],
            score=value.score,
            signals=value.signals,
            outcome=value.outcome,
            computed_at=now,
        )
        (created if found is None else changed).append(pair)
    CandidatePair.objects.bulk_create(created, batch_size=1000)
    CandidatePair.objects.bulk_update(
        changed, ["score", "outcome", "signals", "computed_at"], batch_size=1000
    )
    obsolete = [found[0] for key, found in existing.items() if key not in wanted]
    for start in range(0, len(obsolete), 500):
        CandidatePair.objects.filter(pk__in=obsolete[start : start + 500]).delete()
    return len(created)


def _apply_clusters(rows: Sequence[Row], clusters: list[list[int]]) -> tuple[int, int, list[int]]:
    """Attach each cluster to one place; return (records moved, places written, index → place).

    `rows` must hold every active record of the places they are on (a whole base, or whole
    places around a decision): a place is only given to one cluster of this run.
    """
    homes = _home_places()
    claimed: set[int] = set()
    target_of = [0] * len(rows)
    writes = 0
    moves: list[SourceRecord] = []
    to_rebuild: set[int] = set()
    left_behind: dict[int, int] = {}  # place that lost records → place that took them
    for cluster in clusters:
        members = [rows[i] for i in cluster]
        candidates = {r.place_id for r in members}
        candidates |= {homes[r.key] for r in members if r.key in homes}
        free = sorted(candidates - claimed)
        if free:
            target = free[0]
        else:
            first = members[0]
            place = Place(nom=first.data.nom, date_maj=first.date_maj)
            place.apply(first.data)
            place.save()
            writes += 1
            target = place.pk
        claimed.add(target)
        for i in cluster:
            target_of[i] = target
        for r in members:
            if r.place_id != target:
                left_behind.setdefault(r.place_id, target)
                r.place_id = target
                moves.append(SourceRecord(pk=r.pk, place_id=target))
                to_rebuild.add(target)
    SourceRecord.objects.bulk_update(moves, ["place"], batch_size=500)
    # A place reused after an un-merge stops redirecting.
    revived = list(
        Place.objects.filter(pk__in=claimed, merged_into__isnull=False).values_list("pk", flat=True)
    )
    to_rebuild.update(revived)
    Place.objects.filter(pk__in=revived).update(merged_into=None)
    for place in Place.objects.filter(pk__in=to_rebuild):
        if merge.rebuild(place):
            writes += 1
    for old, new in left_behind.items():
        if old in claimed:
            continue
        writes += (
            Place.objects.filter(pk=old).exclude(merged_into_id=new).update(merged_into_id=new)
        )
    # Keep redirects one hop long: anything merged into an absorbed place follows it.
    absorbed = dict(
        Place.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id")
    )
    for pk, into in absorbed.items():
        final = into
        seen = {pk}
        while final in absorbed and final not in seen:
            seen.add(final)
            final = absorbed[final]
        if final != into:
            writes += Place.objects.filter(pk=pk).update(merged_into_id=final)
    return len(moves), writes, target_of


def _link_rows(
    rows: list[Row],
    result: LinkageResult,
    pairs: Collection[tuple[int, int]] | None = None,
    record_ids: Collection[int] | None = None,
) -> tuple[Linkage, list[int]]:
    step = time.perf_counter()
    entries = entries_of((r.pk, r.source, r.external_id, r.data) for r in rows)
    result.timings["normalisation"] = time.perf_counter() - step
    linkage = link(entries, _decisions(), pairs=pairs)
    result.timings.update(linkage.timings)
    result.records = len(rows)
    result.candidate_pairs = len(linkage.scores)
    for outcome in linkage.scores.outcomes:
        if outcome == AUTO_MERGE:
            result.auto_merges += 1
        elif outcome == REVIEW:
            result.review += 1
        else:
            result.distinct += 1
    result.clusters = len(linkage.clusters)
    step = time.perf_counter()
    result.new_pairs = _save_pairs(rows, linkage, record_ids)
    result.merged_records, result.place_writes, target_of = _apply_clusters(rows, linkage.clusters)
    result.timings["écriture"] = time.perf_counter() - step
    return linkage, target_of


@transaction.atomic
def run_linkage(*, report_path: Path | None = None) -> LinkageResult:
    """Link every active source record; optionally write the per-record CSV report."""
    started = time.perf_counter()
    result = LinkageResult()
    rows = _rows()
    result.timings["lecture"] = time.perf_counter() - started
    linkage, target_of = _link_rows(rows, result)
    result.seconds = round(time.perf_counter() - started, 3)
    if report_path is not None:
        report.write(report_path, rows, linkage, target_of)
    return result


def _neighbourhood(record_ids: Collection[int]) -> set[int]:
    """The records to re-link after a decision on `record_ids`.

    Every record of their places, the records they share a stored candidate pair with, and
    every record of those records' places. The set holds whole clusters, so relinking it
    alone cannot steal a place from a record left out.
    """
    active = SourceRecord.objects.active()
    places = set(active.filter(pk__in=record_ids).values_list("place_id", flat=True))
    core = set(active.filter(place_id__in=places).values_list("pk", flat=True))
    partners: set[int] = set()
    for a, b in CandidatePair.objects.filter(
        Q(record_a_id__in=core) | Q(record_b_id__in=core)
    ).values_list("record_a_id", "record_b_id"):
        partners.update((a, b))
    places |= set(active.filter(pk__in=partners).values_list("place_id", flat=True))
    return core | partners | set(active.filter(place_id__in=places).values_list("pk", flat=True))


@transaction.atomic
def relink_around(record_ids: Collection[int]) -> LinkageResult:
    """Re-link only the neighbourhood of `record_ids` (after a human decision).

    Pairs are not re-blocked: the stored candidate pairs between these records (every pair
    that can merge or be reviewed is stored) and the decided pairs are re-scored and
    re-clustered. A later full run (each import, `dedupe_lieux`) finds exactly the same.
    """
    started = time.perf_counter()
    result = LinkageResult()
    ids = _neighbourhood(record_ids)
    rows = _rows(ids)
    result.timings["lecture"] = time.perf_counter() - started
    position = {r.pk: i for i, r in enumerate(rows)}
    pairs = {
        (position[a], position[b])
        for a, b in CandidatePair.objects.filter(
            record_a_id__in=ids, record_b_id__in=ids
        ).values_list("record_a_id", "record_b_id")
        if a in position and b in position
    }
    _link_rows(rows, result, pairs=pairs, record_ids=ids)
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def record_decision(
    *,
    record_a: SourceRecord,
    record_b: SourceRecord,
    decision: Decision | str,
    actor: AnyUser,
    note: str = "",
) -> PairDecision:
    """Append a human decision on a pair (by stable keys), journal it and re-link the
    records around that pair."""
    left, right = ordered_keys(
        (record_a.source.slug, record_a.external_id), (record_b.source.slug, record_b.external_id)
    )
    row = PairDecision.objects.create(
        source_a=left[0],
        external_id_a=left[1],
        source_b=right[0],
        external_id_b=right[1],
        decision=Decision(decision),
        decided_by=actor if isinstance(actor, User) else None,
        note=note[:500],
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=row, fields=["decision"])
    relink_around([record_a.pk, record_b.pk])
    return row
