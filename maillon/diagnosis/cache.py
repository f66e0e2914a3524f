"""In-process cache of the column tables the diagnosis reads (communes, places, need).

Reading 35,000 communes is most of the cost of a diagnosis (about 1 s on SQLite); they change
only when the territory is reloaded, and places when the directory changes. The tables are
kept in memory, keyed by a version stamp read in one cheap aggregate query per table:

- communes: count, total population, and the sum of the town-hall latitudes (a reload that
  moves or adds a commune changes it);
- places open to the public: count, sum of the ids and latest `updated_at` (a new, edited,
  merged, retired or unpublished place changes it);
- a generation counter bumped by the `post_save` / `post_delete` signals of communes,
  départements and places in this process (tests and edits made through the ORM).

A stamp that changes means a full reload: correctness first, the cache only saves repeated
reads. Recent activity is never cached (`offer.offer_per_commune` reads it on every call).
See docs/adr/0014-pages-du-diagnostic-publiques.md.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Sum
from django.db.models.signals import post_delete, post_save

from maillon.diagnosis.need import AtRisk, people_at_risk
from maillon.diagnosis.tables import CommuneTable, PlaceTable, load_communes, load_places
from maillon.places.models import Place
from maillon.territory.models import Commune, Departement

Stamp = tuple[Any, ...]


@dataclass(frozen=True)
class Tables:
    communes: CommuneTable
    places: PlaceTable
    need: AtRisk
    stamp: Stamp


_lock = threading.Lock()
_state: dict[str, Any] = {"generation": 0, "tables": None}


def bump(**_kwargs: Any) -> None:
    """Forget the tables (signal receiver; also callable directly)."""
    with _lock:
        _state["generation"] += 1
        _state["tables"] = None


for _model in (Commune, Departement, Place):
    post_save.connect(bump, sender=_model, dispatch_uid=f"diagnosis-cache-save-{_model.__name__}")
    post_delete.connect(
        bump, sender=_model, dispatch_uid=f"diagnosis-cache-delete-{_model.__name__}"
    )


def stamp() -> Stamp:
    """The version of the communes and places tables (two aggregate queries)."""
    communes = Commune.objects.aggregate(
        count=Count("pk"), people=Sum("population"), lat=Sum("town_hall_latitude")
    )
    places = Place.objects.published().aggregate(
        count=Count("pk"), ids=Sum("pk"), updated=Max("updated_at")
    )
    return (
        _state["generation"],
        communes["count"],
        communes["people"],
        communes["lat"],
        places["count"],
        places["ids"],
        places["updated"],
    )


def tables() -> Tables:
    """The communes, places and need tables, read from the database only when their stamp
    changed since the last call."""
    current = stamp()
    cached: Tables | None = _state["tables"]
    if cached is not None and cached.stamp == current:
        return cached
    communes = load_communes()
    places = load_places(communes)
    fresh = Tables(communes=communes, places=places, need=people_at_risk(communes), stamp=current)
    with _lock:
        # A signal received while reading makes this copy stale: keep it for this call only.
        if _state["generation"] == current[0]:
            _state["tables"] = fresh
    return fresh
