"""Places edited in Maillon by the people who run them, and places whose data have aged.

An edit is one more source record (source `maillon-saisie`, one record per place) rather than
a write on the golden record: the merge rules then let it define every field, and a later
import of a producer's file cannot silently undo what a manager typed.
"""

import dataclasses
import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from maillon.core import audit
from maillon.core.models import AuditAction
from maillon.places import merge
from maillon.places.models import Place, PlaceQuerySet, Source, SourceKind, SourceRecord
from maillon.places.record import Freshness, LocationPrecision, PlaceData, freshness_cutoffs
from maillon.territory.models import Commune
from maillon.territory.names import normalize_query

EDITING_SOURCE_SLUG = "maillon-saisie"
EDITING_PRIORITY = 100
# Fields whose change moves the place: its position falls back to the commune's centre.
ADDRESS_FIELDS = ("adresse", "code_postal", "commune")


def editing_source() -> Source:
    source, _ = Source.objects.get_or_create(
        slug=EDITING_SOURCE_SLUG,
        defaults={
            "name": "Saisie dans Maillon",
            "kind": SourceKind.EDITING,
            "priority": EDITING_PRIORITY,
        },
    )
    return source


def communes_for(code_postal: str, commune: str) -> tuple[list[Commune], list[Commune]]:
    """Communes served by `code_postal`, and among them those named like `commune`."""
    served = list(Commune.objects.with_postal_code(code_postal).order_by("name"))
    wanted = normalize_query(commune)
    named = [c for c in served if c.search_name == wanted or normalize_query(c.name) == wanted]
    return served, named


def located(previous: PlaceData, data: PlaceData, commune: Commune | None) -> PlaceData:
    """Keep the position unless the address changed; then use the commune's centre."""
    moved = any(getattr(previous, name) != getattr(data, name) for name in ADDRESS_FIELDS)
    if not moved:
        return data
    if commune is None or commune.latitude is None or commune.longitude is None:
        return dataclasses.replace(
            data, latitude=None, longitude=None, location_precision=LocationPrecision.NONE.value
        )
    return dataclasses.replace(
        data,
        latitude=commune.latitude,
        longitude=commune.longitude,
        location_precision=LocationPrecision.COMMUNE.value,
    )


@transaction.atomic
def save_edit(
    *, place: Place, data: PlaceData, actor: AbstractBaseUser | AnonymousUser | None
) -> list[str]:
    """Record `data` as the place's Maillon edit (dated today), rebuild it, journal the change.

    Returns the names of the fields of the place that changed.
    """
    data = dataclasses.replace(data, date_maj=timezone.localdate())
    SourceRecord.objects.update_or_create(
        source=editing_source(),
        external_id=str(place.public_id),
        defaults={
            "place": place,
            "data": data.to_json(),
            "fingerprint": data.fingerprint(),
            "date_maj": data.date_maj,
            "retired_at": None,
        },
    )
    changed = [name for name in merge.rebuild(place) if name != "field_provenance"]
    if changed:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=place,
            structure_id=place.structure_id,
            fields=changed,
        )
    return changed


FRESHNESS_ORDER = (
    Freshness.A_ACTUALISER,
    Freshness.A_VERIFIER,
    Freshness.A_SURVEILLER,
    Freshness.A_JOUR,
)


def freshness_filter(wanted: Freshness, today: dt.date) -> Q:
    """Condition on Place matching one freshness class (lieux-standard.md §9.2)."""
    cutoffs = freshness_cutoffs(today)
    # Each cutoff is the oldest date still inside its class, hence `gte` / `lt`.
    if wanted == Freshness.A_JOUR:
        return Q(date_maj__gte=cutoffs[Freshness.A_JOUR])
    if wanted == Freshness.A_SURVEILLER:
        return Q(
            date_maj__gte=cutoffs[Freshness.A_SURVEILLER], date_maj__lt=cutoffs[Freshness.A_JOUR]
        )
    if wanted == Freshness.A_VERIFIER:
        return Q(
            date_maj__gte=cutoffs[Freshness.A_VERIFIER],
            date_maj__lt=cutoffs[Freshness.A_SURVEILLER],
        )
    return Q(date_maj__lt=cutoffs[Freshness.A_VERIFIER]) | Q(date_maj__isnull=True)


def freshness_counts(places: PlaceQuerySet, today: dt.date) -> dict[Freshness, int]:
    """How many of `places` fall in each freshness class, in one query."""
    totals = places.aggregate(
        **{klass.value: Count("pk", filter=freshness_filter(klass, today)) for klass in Freshness}
    )
    return {klass: totals[klass.value] for klass in FRESHNESS_ORDER}
