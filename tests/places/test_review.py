"""The review queue: who sees which pair, and what each decision does."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from maillon.accounts.models import User
from maillon.core.models import AuditEvent
from maillon.places.linkage.service import run_linkage
from maillon.places.models import CandidatePair, Decision, PairDecision, Place, SourceRecord
from maillon.places.views.review import comparison_rows
from tests.accounts.conftest import World, world
from tests.factories.places import create_place, place_data

pytestmark = pytest.mark.django_db
__all__ = ["world"]


def pair_near(world: World, commune: Any = None) -> CandidatePair:
    """Two fiches of one place, similar enough for review, not for an automatic merge."""
    commune = commune or world.laval
    fields: dict[str, Any] = {
        "code_insee": commune.code_insee,
        "commune": commune.name,
        "adresse": "1 rue de la Paix",
    }
    create_place(source_slug="dep", external_id="1", nom="Espace numérique Laval", **fields)
    create_place(source_slug="hub", external_id="A", nom="Espace numérique de Laval", **fields)
    run_linkage()
    pair = CandidatePair.objects.get()
    assert pair.outcome == "review"
    return pair


def logged(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def urls(pair: CandidatePair) -> list[str]:
    return [reverse("places:review_list"), reverse("places:review_detail", args=[pair.pk])]


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, world: World) -> None:
    pair = pair_near(world)
    for url in urls(pair):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    client.post(reverse("places:review_same", args=[pair.pk]))
    assert not PairDecision.objects.exists()


@pytest.mark.parametrize("role", ["stranger", "mediator", "manager"])
def test_it_hides_the_queue_from_other_roles(client: Client, world: World, role: str) -> None:
    pair = pair_near(world)
    logged(client, getattr(world, role))
    for url in urls(pair):
        assert client.get(url).status_code == 404
    assert client.post(reverse("places:review_distinct", args=[pair.pk])).status_code == 404
    assert not PairDecision.objects.exists()


def test_it_hides_pairs_outside_the_coordinators_territory(client: Client, world: World) -> None:
    pair = pair_near(world, commune=world.le_mans)
    logged(client, world.coordinator)
    assert client.get(reverse("places:review_detail", args=[pair.pk])).status_code == 404
    assert "Espace numérique" not in client.get(reverse("places:review_list")).content.decode()
    assert client.post(reverse("places:review_same", args=[pair.pk])).status_code == 404


@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_it_shows_the_pair_side_by_side(client: Client, world: World, role: str) -> None:
    pair = pair_near(world)
    logged(client, getattr(world, role))
    listing = client.get(reverse("places:review_list")).content.decode()
    assert "Espace numérique Laval / Espace numérique de Laval" in listing
    html = client.get(reverse("places:review_detail", args=[pair.pk])).content.decode()
    assert "Même lieu (fusionner)" in html
    assert "Lieux distincts" in html
    assert "0 m entre les deux positions précises" in html
    assert "Différent" in html
    assert "non comparé : valeur absente" in html


def test_a_same_place_decision_merges_and_leaves_the_queue(client: Client, world: World) -> None:
    pair = pair_near(world)
    logged(client, world.coordinator)
    response = client.post(reverse("places:review_same", args=[pair.pk]))
    assert response.status_code == 302
    assert Place.objects.current().count() == 1
    assert PairDecision.objects.get().decision == Decision.DOUBLON
    assert PairDecision.objects.get().decided_by == world.coordinator
    assert AuditEvent.objects.count() == 1
    listing = client.get(reverse("places:review_list")).content.decode()
    assert "Espace numérique Laval /" not in listing


def test_a_distinct_decision_keeps_both_places(client: Client, world: World) -> None:
    pair = pair_near(world)
    logged(client, world.coordinator)
    client.post(reverse("places:review_distinct", args=[pair.pk]))
    assert Place.objects.current().count() == 2
    first, second = SourceRecord.objects.order_by("pk")
    assert first.place_id != second.place_id


def test_an_uncertain_decision_keeps_the_pair_in_review(client: Client, world: World) -> None:
    pair = pair_near(world)
    logged(client, world.coordinator)
    client.post(reverse("places:review_uncertain", args=[pair.pk]))
    assert Place.objects.current().count() == 2
    assert "Incertain" in client.get(reverse("places:review_list")).content.decode()


def test_the_decision_buttons_refuse_get(client: Client, world: World) -> None:
    pair = pair_near(world)
    logged(client, world.coordinator)
    assert client.get(reverse("places:review_same", args=[pair.pk])).status_code == 405


def test_the_comparison_shows_labels_french_dates_and_rounded_positions() -> None:
    left = place_data(services=("aide_demarches",), typologie=("RFS",), latitude=48.403482000000004)
    right = place_data(services=("aide_demarches",), typologie=("RFS",), latitude=48.40348)

    rows = {row["label"]: row for row in comparison_rows(left, right)}

    assert rows["Services"]["a"] == "Aide aux démarches administratives"
    assert rows["Typologie"]["a"] == "Réseau France Services (RFS)"
    assert rows["Date de mise à jour"]["a"] == "01/09/2026"
    assert (rows["Latitude"]["a"], rows["Latitude"]["differs"]) == ("48.403482", True)
