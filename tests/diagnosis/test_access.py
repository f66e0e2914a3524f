"""Nearest places against a brute-force haversine, and the travel-time model's arithmetic."""

from typing import Any

import numpy as np
import pytest

from maillon.diagnosis.access import (
    DETOUR_FACTOR,
    EARTH_RADIUS_KM,
    density_class,
    nearest,
    travel_minutes,
    within,
)


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_nearest_matches_brute_force_haversine(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # The whole globe, so that the antimeridian and high latitudes are covered.
    origins = rng.uniform(-89, 89, 400), rng.uniform(-180, 180, 400)
    targets = rng.uniform(-89, 89, 300), rng.uniform(-180, 180, 300)
    found = nearest(*origins, *targets)
    every = haversine_km(
        origins[0][:, None], origins[1][:, None], targets[0][None, :], targets[1][None, :]
    )
    assert found.distance_km == pytest.approx(every.min(axis=1), abs=1e-6)
    assert every[np.arange(400), found.index] == pytest.approx(every.min(axis=1), abs=1e-6)


def test_origins_without_position_or_targets_get_no_nearest() -> None:
    found = nearest(
        np.array([np.nan, 48.0]), np.array([0.0, -0.7]), np.array([48.1]), np.array([-0.7])
    )
    assert found.index[0] == -1 and np.isnan(found.distance_km[0])
    assert found.index[1] == 0
    assert found.distance_km[1] == pytest.approx(haversine_km(48.0, -0.7, 48.1, -0.7))
    none = nearest(np.array([48.0]), np.array([-0.7]), np.zeros(0), np.zeros(0))
    assert none.index[0] == -1


def test_within_matches_brute_force() -> None:
    rng = np.random.default_rng(4)
    lat, lon = rng.uniform(47, 49, 200), rng.uniform(-1, 1, 200)
    plat, plon = rng.uniform(47, 49, 50), rng.uniform(-1, 1, 50)
    sets = within(lat, lon, plat, plon, 20.0)
    every = haversine_km(lat[:, None], lon[:, None], plat[None, :], plon[None, :])
    for i, found in enumerate(sets):
        assert sorted(found) == list(np.flatnonzero(every[i] <= 20.0))


def test_density_classes_follow_their_bounds() -> None:
    classes = density_class(np.array([5.0, 25.0, 299.0, 300.0, 1499.0, 1500.0, np.nan]))
    assert list(classes) == [0, 1, 1, 2, 2, 3, 1]


def test_travel_minutes_is_distance_times_detour_over_speed() -> None:
    # One degree of latitude ≈ 111.2 km, in a « peu dense » commune (50 km/h).
    minutes = travel_minutes(47.0, 0.0, 48.0, 0.0, 1)
    expected = haversine_km(47.0, 0.0, 48.0, 0.0) * DETOUR_FACTOR / 50 * 60
    assert minutes[0] == pytest.approx(expected)
    pairs = travel_minutes([47.0, 47.0], [0.0, 0.0], 48.0, 0.0, np.array([0, 3]))
    assert pairs[0] == pytest.approx(expected * 50 / 60)
    assert pairs[1] == pytest.approx(expected * 50 / 20)
