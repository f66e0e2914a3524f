"""Build a place's golden record from its source records, with per-field provenance.

Rules (shared/domain/doublons.md §7):
- records are ranked newest first (`date_maj`, then source priority, then oldest record);
- a single-valued field takes the first non-empty value in that order (« plus récent »);
- a multi-valued field is the union of every record's values, in rank order (« union »);
- the position comes from the best-ranked record with a precise position, else the best
  approximate one; `horaires_texte` is kept only when no record has convertible hours;
- when the best-ranked record is an edit made in Maillon, it defines every field, empty ones
  included (« saisie »): a manager who removes a phone number must not see it come back.
"""

import dataclasses
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from maillon.places.models import Place, SourceKind, SourceRecord
from maillon.places.record import LIST_FIELDS, LocationPrecision, PlaceData

POSITION_FIELDS = ("latitude", "longitude", "location_precision")
RULE_ONLY = "seule source"
RULE_NEWEST = "plus récent"
RULE_UNION = "union"
RULE_EDIT = "saisie"


def rank(records: Sequence[SourceRecord]) -> list[SourceRecord]:
    return sorted(
        records,
        key=lambda record: (-record.date_maj.toordinal(), -record.source.priority, record.pk),
    )


def _origin(record: SourceRecord, rule: str) -> dict[str, Any]:
    return {
        "source": record.source.slug,
        "external_id": record.external_id,
        "date_maj": record.date_maj.isoformat(),
        "rule": rule,
    }


def golden(records: Sequence[SourceRecord]) -> tuple[PlaceData, dict[str, Any]]:
    """The merged data of `records` (at least one) and where each field came from."""
    ranked = rank(records)
    best = ranked[0]
    if len(ranked) == 1 or best.source.kind == SourceKind.EDITING:
        rule = RULE_EDIT if best.source.kind == SourceKind.EDITING else RULE_ONLY
        return best.place_data, {name: _origin(best, rule) for name in PlaceData.field_names()}

    datas = [(record, record.place_data) for record in ranked]
    values: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    for name in PlaceData.field_names():
        if name in POSITION_FIELDS or name == "horaires_texte":
            continue
        if name in LIST_FIELDS:
            union: list[str] = []
            contributors: list[SourceRecord] = []
            for record, data in datas:
                added = [value for value in getattr(data, name) if value not in union]
                if added:
                    union.extend(added)
                    contributors.append(record)
            values[name] = tuple(union)
            if contributors:
                provenance[name] = _origin(contributors[0], RULE_UNION) | {
                    "contributors": [f"{r.source.slug}:{r.external_id}" for r in contributors]
                }
            continue
        if name == "date_maj":
            values[name] = max(data.date_maj for _, data in datas)
            provenance[name] = _origin(ranked[0], RULE_NEWEST)
            continue
        for record, data in datas:
            value = getattr(data, name)
            if value not in ("", None):
                values[name] = value
                provenance[name] = _origin(record, RULE_NEWEST)
                break

    for wanted in (LocationPrecision.PRECISE, LocationPrecision.COMMUNE):
        located = [(r, d) for r, d in datas if d.location_precision == wanted]
        if located:
            record, data = located[0]
            for name in POSITION_FIELDS:
                values[name] = getattr(data, name)
            provenance["latitude"] = provenance["longitude"] = _origin(record, RULE_NEWEST)
            break
    if not values.get("horaires"):
        for record, data in datas:
            if data.horaires_texte:
                values["horaires_texte"] = data.horaires_texte
                provenance["horaires_texte"] = _origin(record, RULE_NEWEST)
                break
    base = datas[0][1]
    return dataclasses.replace(base, **values), provenance


@transaction.atomic
def rebuild(place: Place) -> list[str]:
    """Recompute `place` from its active records; retire it when none is left.

    Returns the names of the fields that changed (empty when nothing did), so callers can
    count updates honestly and skip writes.
    """
    records = list(place.records.active().select_related("source"))
    if not records:
        if place.retired_at is None:
            place.retired_at = timezone.now()
            place.save(update_fields=["retired_at", "updated_at"])
            return ["retired_at"]
        return []
    data, provenance = golden(records)
    changed = place.apply(data)
    if place.field_provenance != provenance:
        place.field_provenance = provenance
        changed.append("field_provenance")
    if place.retired_at is not None:
        place.retired_at = None
        changed.append("retired_at")
    if changed or place.pk is None:
        place.save()
    return changed
