"""The optional road router: off by default, used pair by pair when configured."""

from typing import Any

import numpy as np
import pytest
from django.test import override_settings

from maillon.diagnosis import routing


def test_no_router_means_no_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAILLON_ROUTING_URL", raising=False)

    def refuse(*args: Any) -> None:
        raise AssertionError("aucune requête sans réglage")

    monkeypatch.setattr(routing, "_table", refuse)
    assert routing.route_minutes(np.zeros(2), np.zeros(2), np.ones(2), np.ones(2)) is None


@override_settings(MAILLON_ROUTING_URL="http://127.0.0.1:5000/")
def test_each_origin_reads_the_duration_to_its_own_place(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, int, int]] = []

    def table(url: str, origins: list[Any], targets: list[Any]) -> list[list[float]]:
        asked.append((url, len(origins), len(targets)))
        # Seconds: origin i to target j = 600 * (i + 1) + 60 * j.
        return [
            [600.0 * (i + 1) + 60.0 * j for j in range(len(targets))] for i in range(len(origins))
        ]

    monkeypatch.setattr(routing, "_table", table)
    minutes = routing.route_minutes(
        np.array([48.0, 48.1, 48.2]),
        np.array([-0.7, -0.7, -0.7]),
        np.array([47.0, 46.0, 47.0]),  # targets sorted: (46, 0) is 0, (47, 0) is 1
        np.array([0.0, 0.0, 0.0]),
    )
    assert asked == [("http://127.0.0.1:5000", 3, 2)]
    assert minutes is not None
    assert list(minutes) == pytest.approx([11.0, 20.0, 31.0])


@override_settings(MAILLON_ROUTING_URL="http://127.0.0.1:5000")
def test_a_failed_request_keeps_the_estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any) -> None:
        raise OSError("connexion refusée")

    monkeypatch.setattr(routing, "_table", fail)
    minutes = routing.route_minutes(np.zeros(1), np.zeros(1), np.ones(1), np.ones(1))
    assert minutes is not None and np.isnan(minutes[0])
