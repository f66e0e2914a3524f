"""In-process cache of the column tables the diagnosis reads (communes, places, need).

Reading 35,000 communes is most of the cost of a diagnosis (about 1 s on SQLite); they change
only when the territory is reloaded, and places when the directory changes. The tables are
kept in memory, keyed by a version stamp read in one cheap aggregate query per table:

- communes: their count on every call; total population and the sum of the town-hall
  latitudes (a reload that changes values in place changes them) at most once a minute;
- places open to the public: count, sum of the ids and latest `updated_at` (a new, edited,
  merged, retired or unpublished place changes it);
- a generation counter bumped by the `post_save` / `post_delete` signals of communes,
  départements and places in this process (tests and edits made through the ORM).

A stamp that changes means a full reload: correctness first, the cache only saves repeated
reads. The nearest place of every commune is kept with the tables, per service. Recent
activity is never cached (`offer.offer_per_commune` reads it on every call).
See docs/adr/0014-pages-du-diagnostic-publiques.md.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Max, Sum
from django.db.models.signals import post_delete, post_save

from maillon.diagnosis import access
from maillon.diagnosis.access import Nearest
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
    _nearest: dict[str | None, Nearest] = field(default_factory=dict, compare=False)

    def nearest(self, service: str | None) -> Nearest:
        """Nearest place (offering `service`, any place when None) of every commune; index
        into the offering places, as `access.nearest` returns it. Computed once per service."""
        if service not in self._nearest:
            offering = np.flatnonzero(self.places.offering(service))
            self._nearest[service] = access.nearest(
                self.communes.lat,
                self.communes.lon,
                self.places.lat[offering],
                self.places.lon[offering],
            )
        return self._nearest[service]


COMMUNE_CHECK_SECONDS = 60.0

_lock = threading.Lock()
_state: dict[str, Any] = {"generation": 0, "tables": None, "communes_checked": None}


def bump(**_kwargs: Any) -> None:
    """Forget the tables (signal receiver; also callable directly)."""
    with _lock:
        _state["generation"] += 1
        _state["tables"] = None
        _state["communes_checked"] = None


for _model in (Commune, Departement, Place):
    post_save.connect(bump, sender=_model, dispatch_uid=f"diagnosis-cache-save-{_model.__name__}")
    post_delete.connect(
        bump, sender=_model, dispatch_uid=f"diagnosis-cache-delete-{_model.__name__}"
    )


def _commune_stamp() -> tuple[Any, ...]:
    """Count of communes on every call (an index count, well under 1 ms); the sums that see a
    reload changing values in place (a full scan, about 25 ms) at most every
    COMMUNE_CHECK_SECONDS, since only `load_territory` changes communes without a signal."""
    count = Commune.objects.count()
    now = time.monotonic()
    checked = _state.get("communes_checked")
    if checked is None or checked[0] != count or now - checked[1] > COMMUNE_CHECK_SECONDS:
        sums = Commune.objects.aggregate(people=Sum("population"), lat=Sum("town_hall_latitude"))
        _state["communes_checked"] = (count, now, sums["people"], sums["lat"])
    _count, _at, people, lat = _state["communes_checked"]
    return (count, people, lat)


def stamp() -> Stamp:
    """The version of the communes and places tables (see the module's docstring)."""
    communes = _commune_stamp()
    places = Place.objects.published().aggregate(
        count=Count("pk"), ids=Sum("pk"), updated=Max("updated_at")
    )
    return (
        _state["generation"],
        *communes,
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
