"""Run record linkage on the database and record human decisions.

`run_linkage` recomputes every candidate pair of the active source records, clusters them
(human decisions first) and attaches each cluster's records to one golden `Place`. It is
idempotent: on unchanged data it creates no pair, merges nothing and writes no place.
"""

import dataclasses
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from maillon.accounts.models import AnyUser, User
from maillon.core import audit
from maillon.core.models import AuditAction
from maillon.places import merge
from maillon.places.linkage import report
from maillon.places.linkage.normalise import entry_of
from maillon.places.linkage.pipeline import Key, Linkage, link, ordered_keys
from maillon.places.linkage.scoring import AUTO_MERGE, DISTINCT, REVIEW, PairScore
from maillon.places.models import CandidatePair, Decision, PairDecision, Place, SourceRecord

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


def _home_places() -> dict[Key, int]:
    """Absorbed places by the record that first defined them: where an un-merge goes back."""
    homes: dict[Key, int] = {}
    rows = Place.objects.filter(merged_into__isnull=False).values_list("pk", "field_provenance")
    for pk, provenance in rows.order_by("pk"):
        origin = (provenance or {}).get("nom")
        if origin:
            homes.setdefault((origin["source"], origin["external_id"]), pk)
    return homes


def _save_pairs(records: Sequence[SourceRecord], linkage: Linkage) -> int:
    """Bring `CandidatePair` rows in line with this run; return how many were created."""
    wanted: dict[tuple[int, int], tuple[PairScore, dict[str, Any]]] = {}
    for (a, b), value in linkage.scores.items():
        if (
            value.outcome == DISTINCT
            and value.score < STORED_FLOOR
            and (a, b) not in linkage.decisions
        ):
            continue
        wanted[(records[a].pk, records[b].pk)] = (value, value.signals)
    existing = {(row.record_a_id, row.record_b_id): row for row in CandidatePair.objects.all()}
    now = timezone.now()
    created = [
        CandidatePair(
            record_a_id=a,
            record_b_id=b,
            score=v.score,
            signals=signals,
            outcome=v.outcome,
            computed_at=now,
        )
        for (a, b), (v, signals) in wanted.items()
        if (a, b) not in existing
    ]
    CandidatePair.objects.bulk_create(created, batch_size=1000)
    changed = []
    for key, row in existing.items():
        found = wanted.get(key)
        if found is None:
            continue
        value, signals = found
        if (row.score, row.outcome, row.signals) != (value.score, value.outcome, signals):
            row.score, row.outcome, row.signals, row.computed_at = (
                value.score,
                value.outcome,
                signals,
                now,
            )
            changed.append(row)
    CandidatePair.objects.bulk_update(
        changed, ["score", "outcome", "signals", "computed_at"], batch_size=1000
    )
    obsolete = [row.pk for key, row in existing.items() if key not in wanted]
    for start in range(0, len(obsolete), 500):
        CandidatePair.objects.filter(pk__in=obsolete[start : start + 500]).delete()
    return len(created)


def _apply_clusters(
    records: Sequence[SourceRecord], clusters: list[list[int]]
) -> tuple[int, int, dict[int, int]]:
    """Attach each cluster to one place; return (records moved, places written, index → place)."""
    homes = _home_places()
    claimed: set[int] = set()
    target_of: dict[int, int] = {}
    moved = writes = 0
    to_rebuild: set[int] = set()
    left_behind: dict[int, int] = {}  # place that lost records → place that took them
    for cluster in clusters:
        members = [records[i] for i in cluster]
        candidates = {r.place_id for r in members}
        candidates |= {
            homes[(r.source.slug, r.external_id)]
            for r in members
            if (r.source.slug, r.external_id) in homes
        }
        free = sorted(candidates - claimed)
        if free:
            target = free[0]
        else:
            first = members[0]
            place = Place(nom=first.place_data.nom, date_maj=first.date_maj)
            place.apply(first.place_data)
            place.save()
            writes += 1
            target = place.pk
        claimed.add(target)
        for i in cluster:
            target_of[i] = target
        strays = [r for r in members if r.place_id != target]
        if strays:
            for r in strays:
                left_behind.setdefault(r.place_id, target)
                r.place_id = target
            SourceRecord.objects.filter(pk__in=[r.pk for r in strays]).update(place_id=target)
            moved += len(strays)
            to_rebuild.add(target)
    # A place reused after an un-merge stops redirecting.
    revived = Place.objects.filter(pk__in=claimed, merged_into__isnull=False)
    for place in revived:
        to_rebuild.add(place.pk)
    revived.update(merged_into=None)
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
    return moved, writes, target_of


@transaction.atomic
def run_linkage(*, report_path: Path | None = None) -> LinkageResult:
    """Link every active source record; optionally write the per-record CSV report."""
    started = time.perf_counter()
    records = list(SourceRecord.objects.active().select_related("source").order_by("pk"))
    entries = [entry_of(r.pk, r.source.slug, r.external_id, r.place_data) for r in records]
    decided: dict[tuple[Key, Key], str] = {}
    for (sa, ia, sb, ib), decision in PairDecision.objects.latest_per_pair().items():
        decided[ordered_keys((sa, ia), (sb, ib))] = decision
    linkage = link(entries, decided)
    result = LinkageResult(records=len(records), candidate_pairs=len(linkage.scores))
    for value in linkage.scores.values():
        if value.outcome == AUTO_MERGE:
            result.auto_merges += 1
        elif value.outcome == REVIEW:
            result.review += 1
        else:
            result.distinct += 1
    result.clusters = len(linkage.clusters)
    result.new_pairs = _save_pairs(records, linkage)
    result.merged_records, result.place_writes, target_of = _apply_clusters(
        records, linkage.clusters
    )
    result.seconds = round(time.perf_counter() - started, 3)
    if report_path is not None:
        report.write(report_path, records, linkage, target_of)
    return result


def record_decision(
    *,
    record_a: SourceRecord,
    record_b: SourceRecord,
    decision: Decision | str,
    actor: AnyUser,
    note: str = "",
) -> PairDecision:
    """Append a human decision on a pair (by stable keys), journal it and re-apply linkage."""
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
    run_linkage()
    return row
