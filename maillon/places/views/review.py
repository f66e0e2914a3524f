"""The review queue of record linkage: coordinators compare two records side by side and decide.

Coordinators see the pairs where either record's place is in their territory, administrators
all of them; anyone else gets a 404 (it does not reveal that a pair exists).
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillon.accounts.models import Role, acts_as
from maillon.accounts.typologies import Typologie
from maillon.places.linkage.pipeline import ordered_keys
from maillon.places.linkage.scoring import REVIEW
from maillon.places.linkage.service import record_decision
from maillon.places.models import CandidatePair, Decision, PairDecision, Place, SourceRecord
from maillon.places.record import LIST_FIELDS, LocationPrecision, PlaceData
from maillon.places.vocabulary import ENUM_FIELDS, labels_of

PAIRS_PER_PAGE = 50
SIGNAL_LABELS = {
    "nom": "Nom",
    "adresse": "Adresse",
    "distance": "Distance",
    "siret": "SIRET",
    "telephone": "Téléphone",
    "courriel": "Courriel",
    "commune": "Commune",
}
GUARD_LABELS = {
    "services_differents": "Un seul des deux noms désigne un service (EPN, médiathèque, CCAS, "
    "France Services…) : jamais de fusion automatique.",
    "services_incompatibles": "Les deux noms désignent des services différents (par exemple "
    "une mairie et son CCAS) : ce sont en principe deux lieux.",
    "typologies_incompatibles": "Les typologies ne se recoupent pas.",
    "meme_siret_noms_differents": "Même SIRET mais noms différents : souvent deux services "
    "d'une même collectivité.",
    "communes_differentes": "Codes INSEE différents et positions éloignées ou inconnues.",
    "peu_de_signaux": "Moins de trois éléments comparables : la preuve est faible.",
}


def _pairs_for(request: HttpRequest) -> Any:
    if not acts_as(request.user, Role.COORDINATOR):
        raise Http404
    territory = Place.objects.in_territory_of(request.user)
    return CandidatePair.objects.filter(
        Q(record_a__place__in=territory) | Q(record_b__place__in=territory)
    ).select_related("record_a__source", "record_b__source", "record_a__place", "record_b__place")


def _keys(pair: CandidatePair) -> tuple[tuple[str, str], tuple[str, str]]:
    return ordered_keys(
        (pair.record_a.source.slug, pair.record_a.external_id),
        (pair.record_b.source.slug, pair.record_b.external_id),
    )


def _decision_of(pair: CandidatePair) -> PairDecision | None:
    (sa, ia), (sb, ib) = _keys(pair)
    return (
        PairDecision.objects.filter(source_a=sa, external_id_a=ia, source_b=sb, external_id_b=ib)
        .order_by("-decided_at", "-pk")
        .first()
    )


def pair_list(request: HttpRequest) -> HttpResponse:
    pairs = _pairs_for(request).filter(outcome=REVIEW).order_by("-score", "pk")
    decided = PairDecision.objects.latest_per_pair()
    pending = []
    for pair in pairs:
        (sa, ia), (sb, ib) = _keys(pair)
        decision = decided.get((sa, ia, sb, ib))
        if decision in (None, Decision.INCERTAIN):
            pending.append((pair, decision))
    page = Paginator(pending, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        [
            {
                "text": f"{pair.record_a.place_data.nom} / {pair.record_b.place_data.nom}",
                "url": reverse("places:review_detail", args=[pair.pk]),
            },
            pair.record_a.place_data.commune or pair.record_b.place_data.commune,
            f"{pair.record_a.source.name} / {pair.record_b.source.name}",
            f"{pair.score:.2f}".replace(".", ","),
            "Incertain" if decision == Decision.INCERTAIN else "À examiner",
        ]
        for pair, decision in page
    ]
    return render(
        request,
        "places/review/list.html",
        {
            "page": page,
            "rows": rows,
            "count": len(pending),
            "headers": ["Paire", "Commune", "Sources", "Score", "État"],
        },
    )


def _display(data: PlaceData, name: str) -> str:
    """A field as a person reads it: labels rather than codes, French dates, rounded degrees."""
    value = getattr(data, name)
    if name in ENUM_FIELDS:
        return " ; ".join(labels_of(ENUM_FIELDS[name], value))
    if name == "typologie":
        names = dict(Typologie.choices)
        return " ; ".join(f"{names.get(code, code)} ({code})" for code in value)
    if isinstance(value, tuple):
        return " ; ".join(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if name == "location_precision":
        return str(LocationPrecision(value).label)
    return str(value)


def comparison_rows(a: PlaceData, b: PlaceData) -> list[dict[str, Any]]:
    """Every standard field of both records, flagged where they differ."""
    labels = {
        field.name: str(field.verbose_name)
        for field in Place._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    labels["code_insee"] = "Code INSEE"
    rows = []
    for name in PlaceData.field_names():
        left, right = _display(a, name), _display(b, name)
        if name in LIST_FIELDS:
            differs = set(getattr(a, name)) != set(getattr(b, name))
        else:
            differs = left != right
        label = labels.get(name, name)
        rows.append(
            {"label": label[:1].upper() + label[1:], "a": left, "b": right, "differs": differs}
        )
    return rows


def _number(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def signal_items(signals: dict[str, Any]) -> list[dict[str, str]]:
    """Each signal of the score, in French, with what it means."""
    scores: dict[str, float] = signals.get("scores", {})
    weights: dict[str, float] = signals.get("poids", {})
    items = []
    for name, label in SIGNAL_LABELS.items():
        if name not in scores:
            value = "non comparé : valeur absente d'un côté (ce n'est pas une preuve)"
        else:
            score = scores[name]
            if name == "distance":
                value = (
                    f"{signals.get('distance_m', '?')} m entre les deux positions précises, "
                    f"score {_number(score)} (1 sous 50 m, 0 au-delà de 500 m)"
                )
            elif name in {"siret", "telephone", "courriel"}:
                value = {1.0: "identique", 0.5: "même SIREN, établissements différents"}.get(
                    score, "différent"
                )
            elif name == "commune":
                value = "même commune" if score == 1.0 else "communes différentes"
            elif name == "adresse" and score == 1.0:
                value = "identique ou contenue dans l'autre"
            else:
                value = f"similarité {_number(score)} sur 1"
            weight = weights.get(name)
            value += f" — poids {_number(weight)}" if weight else " — non pris en compte"
        items.append({"label": label, "value": value})
    for guard in signals.get("garde_fous", []):
        items.append({"label": "Garde-fou", "value": GUARD_LABELS.get(guard, guard)})
    if signals.get("meme_source"):
        items.append(
            {"label": "Même source", "value": "les deux fiches viennent du même producteur"}
        )
    return items


def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pair = get_object_or_404(_pairs_for(request), pk=pk)
    a, b = pair.record_a.place_data, pair.record_b.place_data
    decision = _decision_of(pair)
    return render(
        request,
        "places/review/detail.html",
        {
            "pair": pair,
            "title": f"{a.nom} / {b.nom}",
            "source_a": f"{pair.record_a.source.name} ({pair.record_a.external_id})",
            "source_b": f"{pair.record_b.source.name} ({pair.record_b.external_id})",
            "rows": comparison_rows(a, b),
            "signals": signal_items(pair.signals),
            "score": _number(pair.score),
            "outcome": pair.get_outcome_display(),
            "decision": decision,
            "breadcrumb": [{"text": "Doublons à examiner", "url": reverse("places:review_list")}],
        },
    )


def _decide(request: HttpRequest, pk: int, decision: Decision) -> HttpResponse:
    pair = get_object_or_404(_pairs_for(request), pk=pk)
    records = SourceRecord.objects.select_related("source")
    record_decision(
        record_a=records.get(pk=pair.record_a_id),
        record_b=records.get(pk=pair.record_b_id),
        decision=decision,
        actor=request.user,
    )
    messages.success(request, f"Décision enregistrée : « {decision.label} ».")
    return redirect("places:review_list")


@require_POST
def decide_same(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, Decision.DOUBLON)


@require_POST
def decide_distinct(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, Decision.NON_DOUBLON)


@require_POST
def decide_uncertain(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, Decision.INCERTAIN)
