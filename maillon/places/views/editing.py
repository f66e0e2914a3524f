"""Managers edit their structures' places; coordinators see which places need refreshing."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from maillon.accounts.models import Role, acts_as
from maillon.places.editing import (
    FRESHNESS_ORDER,
    freshness_counts,
    freshness_filter,
    save_edit,
)
from maillon.places.forms_editing import MODE_OSM, PlaceEditForm
from maillon.places.models import Place
from maillon.places.record import FRESHNESS_HINTS, Freshness, freshness

PAGE_SIZE = 50


def my_places(request: HttpRequest) -> HttpResponse:
    if not acts_as(request.user, Role.MANAGER):
        raise Http404
    places = Place.objects.managed_by(request.user).select_related("structure")
    rows = [
        [
            {"text": place.nom, "url": reverse("places:edit", args=[place.public_id])},
            place.structure.name if place.structure else None,
            f"{place.code_postal} {place.commune}".strip() or None,
            place.date_maj.strftime("%d/%m/%Y"),
            freshness(place.date_maj, timezone.localdate()).label,
        ]
        for place in places.order_by("nom", "pk")
    ]
    return render(
        request,
        "places/editing/my_places.html",
        {
            "headers": ["Lieu", "Structure", "Commune", "Mise à jour", "Fraîcheur"],
            "rows": rows,
        },
    )


def edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    place = get_object_or_404(Place.objects.managed_by(request.user), public_id=public_id)
    current = place.to_data()
    if request.method == "POST":
        form = PlaceEditForm(request.POST, place_data=current)
        if form.is_valid():
            changed = save_edit(place=place, data=form.to_data(), actor=request.user)
            if changed:
                messages.success(request, "Les informations du lieu sont enregistrées.")
            else:
                messages.info(request, "Aucune modification : le lieu était déjà à jour.")
            return redirect("places:my_places")
    else:
        form = PlaceEditForm(place_data=current)
    return render(
        request,
        "places/editing/edit.html",
        {
            "place": place,
            "form": form,
            "raw_hours": form.mode == MODE_OSM,
            "unconverted_hours": current.horaires_texte,
        },
    )


def _freshness_or_404(slug: str | None) -> Freshness | None:
    if slug is None:
        return None
    try:
        return Freshness(slug.replace("-", "_"))
    except ValueError as error:
        raise Http404 from error


def to_refresh(request: HttpRequest, klass: str | None = None) -> HttpResponse:
    if not acts_as(request.user, Role.COORDINATOR):
        raise Http404
    wanted = _freshness_or_404(klass)
    today = timezone.localdate()
    places = Place.objects.in_territory_of(request.user)
    counts = freshness_counts(places, today)
    if wanted is not None:
        places = places.filter(freshness_filter(wanted, today))
    page = Paginator(places.order_by("date_maj", "nom", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    figures: list[dict[str, Any]] = [
        {
            "label": klass_.label,
            "value": str(counts[klass_]),
            "note": f"dernière mise à jour il y a {FRESHNESS_HINTS[klass_]}",
        }
        for klass_ in FRESHNESS_ORDER
    ]
    filters = [
        {
            "text": "Tous les lieux",
            "url": reverse("places:to_refresh"),
            "current": wanted is None,
        }
    ] + [
        {
            "text": f"{klass_.label} ({counts[klass_]})",
            "url": reverse("places:to_refresh_class", args=[klass_.value.replace("_", "-")]),
            "current": wanted == klass_,
        }
        for klass_ in FRESHNESS_ORDER
    ]
    rows = [
        [
            {"text": place.nom, "url": reverse("places:detail", args=[place.public_id])},
            f"{place.code_postal} {place.commune}".strip() or None,
            place.date_maj.strftime("%d/%m/%Y"),
            freshness(place.date_maj, today).label,
            place.source or None,
        ]
        for place in page.object_list
    ]
    return render(
        request,
        "places/editing/to_refresh.html",
        {
            "figures": figures,
            "filters": filters,
            "wanted": wanted,
            "headers": ["Lieu", "Commune", "Mise à jour", "Fraîcheur", "Source"],
            "rows": rows,
            "page": page,
            "caption": f"{page.paginator.count} lieu(x), du plus ancien au plus récent",
        },
    )
