"""Explainable pair scores: one score per signal in [0, 1], weights re-normalised over the
signals both records carry, guards that forbid an automatic merge, and three outcomes.

A missing value is no evidence (doublons.md §7): its signal is left out, never counted as
equal. A position counts only when both records have a precise one.
"""

import dataclasses
from typing import Any

from rapidfuzz.distance import Indel

from maillon.places.linkage.blocking import haversine_m
from maillon.places.linkage.normalise import Entry

WEIGHTS: dict[str, float] = {
    "nom": 0.35,
    "adresse": 0.25,
    "distance": 0.20,
    "siret": 0.15,
    "telephone": 0.10,
    "courriel": 0.10,
    "commune": 0.10,
}
NEAR_M = 50.0
FAR_M = 500.0
# Calibrated on the calibration half of the labelled set (data/evaluation/README.md).
AUTO_MERGE_THRESHOLD = 0.85
REVIEW_THRESHOLD = 0.62
SAME_SOURCE_MARGIN = 0.08
# Two names at least this close are « the same name » for the strong-evidence rule.
SAME_NAME = 0.75
SAME_NAME_CLOSE = 0.9
# Typologie codes that designate the same kind of place although they differ (mednum-cli).
COMPATIBLE_TYPOLOGIES = {frozenset({"RFS", "PIMMS"})}

AUTO_MERGE = "auto_merge"
REVIEW = "review"
DISTINCT = "distinct"


@dataclasses.dataclass(frozen=True)
class PairScore:
    score: float
    outcome: str
    values: dict[str, float]
    weights: dict[str, float]
    guards: list[str]
    same_source: bool
    metres: float | None

    @property
    def signals(self) -> dict[str, Any]:
        """The explanation stored with the pair (built on demand: most pairs are discarded)."""
        total = sum(self.weights.values())
        signals: dict[str, Any] = {
            "scores": {name: round(value, 3) for name, value in self.values.items()},
            "poids": {
                name: round(weight / total, 3) for name, weight in self.weights.items() if weight
            },
            "garde_fous": self.guards,
            "meme_source": self.same_source,
        }
        if self.metres is not None:
            signals["distance_m"] = round(self.metres)
        return signals


def dice(left: frozenset[str], right: frozenset[str]) -> float:
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


def name_score(a: Entry, b: Entry) -> float:
    """Best of bigram Dice and token-order-insensitive similarity; 1 if one name holds the other."""
    if not a.name_key or not b.name_key:
        return 0.0
    if a.name_key == b.name_key:
        return 1.0
    ratio = Indel.normalized_similarity(a.name_sorted, b.name_sorted)
    score = max(dice(a.bigrams, b.bigrams), ratio)
    short, long = sorted((a.name_tokens, b.name_tokens), key=len)
    if len(short) >= 2 and short <= long:
        score = max(score, 0.9)
    return score


def address_score(a: Entry, b: Entry, allow_contained: bool) -> float:
    left, right = a.address_key, b.address_key
    if allow_contained and len(left) >= 5 and len(right) >= 5 and (left in right or right in left):
        return 1.0
    return dice(a.address_bigrams, b.address_bigrams)


def distance_score(metres: float) -> float:
    if metres <= NEAR_M:
        return 1.0
    if metres >= FAR_M:
        return 0.0
    return (FAR_M - metres) / (FAR_M - NEAR_M)


def typologies_compatible(a: Entry, b: Entry) -> bool:
    if not a.typologie or not b.typologie or a.typologie & b.typologie:
        return True
    return frozenset(a.typologie | b.typologie) in COMPATIBLE_TYPOLOGIES


def score_pair(a: Entry, b: Entry) -> PairScore:
    """Score and classify one pair; `signals` explains every part of the decision."""
    asymmetric = a.keywords != b.keywords
    # Both names say what service they are, and the services differ: a town hall and its
    # CCAS, a médiathèque and the job centre across the square.
    # A mobile service (bus, itinérance) is never the fixed place it stops at.
    conflicting = bool(a.keywords and b.keywords and not a.keywords & b.keywords) or (
        "itinerant" in a.keywords ^ b.keywords
    )
    values: dict[str, float] = {}
    values["nom"] = name_score(a, b)
    if a.address_key and b.address_key:
        values["adresse"] = address_score(a, b, allow_contained=not asymmetric)
    metres: float | None = None
    if a.is_located and b.is_located:
        assert a.latitude is not None and a.longitude is not None
        assert b.latitude is not None and b.longitude is not None
        metres = haversine_m(a.latitude, a.longitude, b.latitude, b.longitude)
        values["distance"] = distance_score(metres)
    if a.siret and b.siret:
        values["siret"] = 1.0 if a.siret == b.siret else 0.5 if a.siren == b.siren else 0.0
    if a.phone and b.phone:
        values["telephone"] = float(a.phone == b.phone)
    if a.emails and b.emails:
        values["courriel"] = float(bool(a.emails & b.emails))
    if a.code_insee and b.code_insee:
        values["commune"] = 1.0 if a.code_insee == b.code_insee else 0.0
    elif a.commune_key and b.commune_key:
        values["commune"] = float(a.commune_key == b.commune_key)

    weights = {name: WEIGHTS[name] for name in values}
    # Two geocoders put one address tens of metres apart: with the same address the distance
    # says nothing more (La Coop), unless the names describe different services.
    if "distance" in weights and values.get("adresse", 0.0) >= 0.85 and not asymmetric:
        weights["distance"] = 0.0
    total = sum(weights.values())
    score = sum(values[name] * weight for name, weight in weights.items()) / total

    guards: list[str] = []
    if conflicting:
        guards.append("services_incompatibles")
    elif asymmetric:
        guards.append("services_differents")
    if not typologies_compatible(a, b):
        guards.append("typologies_incompatibles")
    if values.get("siret") == 1.0 and values["nom"] < SAME_NAME:
        guards.append("meme_siret_noms_differents")
    if (
        a.code_insee
        and b.code_insee
        and a.code_insee != b.code_insee
        and (metres is None or metres > FAR_M)
    ):
        guards.append("communes_differentes")
    if len(values) < 3:
        guards.append("peu_de_signaux")

    same_source = a.source == b.source
    margin = SAME_SOURCE_MARGIN if same_source else 0.0
    identifier = bool(
        values.get("siret") == 1.0
        or values.get("telephone") == 1.0
        or values.get("courriel") == 1.0
    )
    co_located = values.get("adresse", 0.0) >= 0.95 or (metres is not None and metres <= NEAR_M)
    strong = identifier and co_located and values["nom"] >= SAME_NAME
    blocking_guards = [g for g in guards if g != "peu_de_signaux"]
    near = metres is not None and metres < FAR_M
    if score >= AUTO_MERGE_THRESHOLD + margin and strong and not blocking_guards:
        outcome = AUTO_MERGE
    elif conflicting:
        outcome = DISTINCT
    elif score >= REVIEW_THRESHOLD + margin and (
        "peu_de_signaux" not in guards or values["nom"] >= 0.95
    ):
        outcome = REVIEW
    elif (
        values["nom"] >= SAME_NAME_CLOSE
        and (identifier or near)
        and not asymmetric
        and not same_source
    ):
        # The same name with a shared phone or e-mail, or a few hundred metres apart: a
        # move or a second address of one place is worth a human look.
        outcome = REVIEW
    else:
        outcome = DISTINCT

    return PairScore(
        score=round(score, 3),
        outcome=outcome,
        values=values,
        weights=weights,
        guards=guards,
        same_source=same_source,
        metres=metres,
    )
