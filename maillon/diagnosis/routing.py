"""Optional road travel times from an OSRM-compatible server (docs/adr/0012).

Off by default: without the MAILLON_ROUTING_URL setting (or environment variable), nothing is
requested and the estimate of `access.py` is used. When set (e.g. a self-hosted OSRM at
`http://127.0.0.1:5000`), the travel time of each (commune, nearest place) pair is asked to
its `table` service by batches of origins; a failed batch keeps the estimate (NaN returned).
The nearest place itself is still chosen by straight-line distance.
"""

from __future__ import annotations

import json
import os
import urllib.request

import numpy as np
from django.conf import settings

from maillon.diagnosis.arrays import FloatArray

BATCH = 100
TIMEOUT_SECONDS = 10
ROUTED_LABEL = "Temps de trajet routier fourni par le calculateur d'itinéraire configuré."


def routing_url() -> str:
    return str(
        getattr(settings, "MAILLON_ROUTING_URL", "") or os.environ.get("MAILLON_ROUTING_URL", "")
    ).rstrip("/")


def _table(
    url: str, origins: list[tuple[float, float]], targets: list[tuple[float, float]]
) -> list[list[float | None]]:
    points = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in [*origins, *targets])
    sources = ";".join(str(i) for i in range(len(origins)))
    destinations = ";".join(str(len(origins) + j) for j in range(len(targets)))
    query = f"{url}/table/v1/driving/{points}?sources={sources}&destinations={destinations}"
    if not query.startswith(("http://", "https://")):
        raise ValueError("MAILLON_ROUTING_URL doit commencer par http:// ou https://")
    with urllib.request.urlopen(query, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        payload = json.load(response)
    durations: list[list[float | None]] = payload["durations"]
    return durations


def route_minutes(
    from_lat: FloatArray, from_lon: FloatArray, to_lat: FloatArray, to_lon: FloatArray
) -> FloatArray | None:
    """Road minutes of each pair, or None when no router is configured."""
    url = routing_url()
    if not url:
        return None
    result = np.full(len(from_lat), np.nan)
    for start in range(0, len(from_lat), BATCH):
        stop = min(start + BATCH, len(from_lat))
        targets = sorted({(float(to_lat[i]), float(to_lon[i])) for i in range(start, stop)})
        position = {target: j for j, target in enumerate(targets)}
        origins = [(float(from_lat[i]), float(from_lon[i])) for i in range(start, stop)]
        try:
            durations = np.array(_table(url, origins, targets), dtype=np.float64)
        except (OSError, ValueError, KeyError):
            continue
        columns = [position[(float(to_lat[i]), float(to_lon[i]))] for i in range(start, stop)]
        result[start:stop] = durations[np.arange(stop - start), columns] / 60.0
    return result
