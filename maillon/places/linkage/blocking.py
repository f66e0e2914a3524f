"""Candidate pairs: the union of several cheap keys, never every pair of a département.

Keys (doublons.md §7): code INSEE, a ~500 m neighbourhood of precise positions (k-d tree on
projected metres), SIREN, phone, e-mail and a sorted-name prefix within the département. A key
shared by too many records (a big city, a département council's SIREN) is not discriminating:
such blocks are split by name prefix instead of paired exhaustively.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from scipy.spatial import cKDTree

from maillon.places.linkage.normalise import Entry

EARTH_RADIUS_M = 6_371_000.0
NEIGHBOURHOOD_M = 500.0
MAX_BLOCK = 40
# Same sorted-name prefix in a département: only small blocks are worth pairing exhaustively.
MAX_NAME_BLOCK = 12
NAME_PREFIX = 6


def _sorted_name(entry: Entry) -> str:
    return "".join(sorted(entry.name_key.split()))[:NAME_PREFIX]


def _pairs_of_block(members: list[int], out: set[tuple[int, int]]) -> None:
    for i, left in enumerate(members):
        for right in members[i + 1 :]:
            out.add((left, right) if left < right else (right, left))


def _add_blocks(
    keys: Iterable[tuple[object, int]],
    entries: Sequence[Entry],
    out: set[tuple[int, int]],
    split_large: bool,
    limit: int = MAX_BLOCK,
) -> None:
    blocks: dict[object, list[int]] = defaultdict(list)
    for key, index in keys:
        blocks[key].append(index)
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= limit:
            _pairs_of_block(members, out)
        elif split_large:
            sub: dict[str, list[int]] = defaultdict(list)
            for index in members:
                sub[entries[index].name_key[:3]].append(index)
            for part in sub.values():
                if 1 < len(part) <= MAX_BLOCK:
                    _pairs_of_block(part, out)


def project(entries: Sequence[Entry]) -> tuple[list[int], np.ndarray]:
    """Indexes of precisely located entries and their positions in metres (local projection)."""
    located = [i for i, entry in enumerate(entries) if entry.is_located]
    lat = np.radians(np.array([entries[i].latitude for i in located], dtype=float))
    lon = np.radians(np.array([entries[i].longitude for i in located], dtype=float))
    points = np.column_stack((EARTH_RADIUS_M * lon * np.cos(lat), EARTH_RADIUS_M * lat))
    return located, points


def candidate_pairs(entries: Sequence[Entry]) -> set[tuple[int, int]]:
    """Pairs of indexes into `entries` (i < j) that share at least one blocking key."""
    out: set[tuple[int, int]] = set()
    _add_blocks(
        ((("insee", e.code_insee), i) for i, e in enumerate(entries) if e.code_insee),
        entries,
        out,
        split_large=True,
    )
    _add_blocks(
        ((("siren", e.siren), i) for i, e in enumerate(entries) if e.siret),
        entries,
        out,
        split_large=True,
    )
    _add_blocks(
        ((("phone", e.phone), i) for i, e in enumerate(entries) if e.phone),
        entries,
        out,
        split_large=False,
    )
    _add_blocks(
        ((("email", email), i) for i, e in enumerate(entries) for email in e.emails),
        entries,
        out,
        split_large=False,
    )
    _add_blocks(
        (
            (("name", e.department, _sorted_name(e)), i)
            for i, e in enumerate(entries)
            if e.department and e.name_key
        ),
        entries,
        out,
        split_large=False,
        limit=MAX_NAME_BLOCK,
    )
    located, points = project(entries)
    if len(located) > 1:
        tree = cKDTree(points)
        for a, b in tree.query_pairs(NEIGHBOURHOOD_M, output_type="ndarray").tolist():
            left, right = located[a], located[b]
            out.add((left, right) if left < right else (right, left))
    return out


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
