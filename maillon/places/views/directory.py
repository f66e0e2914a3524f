"""The public directory of places: search, map, printable list, CSV, detail page, error report.

No login: these URL names are in settings.MAILLON_PUBLIC_URL_NAMES. Only published places are
shown; a place merged into another one redirects to it.
"""

import dataclasses
import io
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from maillon.places.exporting.standard import write_standard_csv
from maillon.places.forms_directory import FILTER_GROUPS, ReportForm
from maillon.places.models import ErrorReport, Place, ReportCategory
from maillon.places.search import PlaceFilters, SearchResult, search
from maillon.places.views import place_sections

# A merge chain longer than this is a data error, not a reason to loop.
MAX_MERGE_HOPS = 10
PLACES_PER_PAGE = 20
# The map draws every matching place up to this; beyond, it asks to narrow the search.
MAX_MAP_MARKERS = 3000
MAX_OUTLINED_DEPARTEMENTS = 3
MAX_PRINTED = 500
# Parameters the form has no field for (they come from a link): carried over on each submit.
KEPT_PARAMETERS = frozenset({"commune", "rayon", "source", "territoire", "formations_labels"})
# SQLite and PostgreSQL both accept this many values in one IN clause.
FETCH_CHUNK = 500


def _filters(
    request: HttpRequest, per_page: int = PLACES_PER_PAGE
) -> tuple[PlaceFilters, list[str]]:
    filters, errors = PlaceFilters.from_query(request.GET)
    if "par_page" not in request.GET:
        filters = dataclasses.replace(filters, par_page=per_page)
    return filters, errors


def _filter_groups(filters: PlaceFilters) -> list[dict[str, Any]]:
    """The filter checkboxes with their ticked state, for components/place_filters.html."""
    groups = []
    for group in FILTER_GROUPS:
        sections = []
        count = 0
        for index, (title, options) in enumerate(group.sections):
            rendered = []
            for option in options:
                value = getattr(filters, option.param)
                checked = bool(value) if isinstance(value, bool) else option.value in value
                count += checked
                rendered.append(
                    {
                        "name": option.param,
                        "value": option.value,
                        "label": option.label,
                        "checked": checked,
                        "id": f"filtre-{option.param}-{option.value}",
                    }
                )
            sections.append(
                {"title": title, "id": f"filtres-{group.key}-{index}", "options": rendered}
            )
        groups.append(
            {
                "key": group.key,
                "legend": group.legend,
                "sections": sections,
                "count": count,
                "is_open": bool(count) or group.key in {"besoins", "disponibilite"},
            }
        )
    return groups


def _cards(result: SearchResult) -> list[place_sections.Card]:
    now = result.now or timezone.now()
    return [
        place_sections.card(
            place,
            reverse("places:detail", args=[place.public_id]),
            result.distances[place.pk] / 1000 if place.pk in result.distances else None,
            now,
        )
        for place in result.places
    ]


def _search_context(
    request: HttpRequest, url_name: str, result: SearchResult, errors: list[str]
) -> dict[str, Any]:
    filters = result.filters
    base = reverse(url_name)
    query = filters.query_string()
    pages = [
        {"number": number, "url": f"{base}?{filters.query_string(page=number)}#resultats"}
        for number in range(1, result.pages + 1)
    ]
    return {
        "filters": filters,
        "result": result,
        "errors": [*errors, *result.errors],
        "groups": _filter_groups(filters),
        "cards": _cards(result),
        "active_filters": [
            {"label": active.text, "remove_url": f"{base}?{active.remove_query}"}
            for active in result.active
        ],
        "clear_url": base,
        "query": query,
        "pages": pages,
        "list_url": f"{reverse('places:search')}?{query}",
        "map_url": f"{reverse('places:map')}?{query}",
        "print_url": f"{reverse('places:print')}?{query}",
        "csv_url": f"{reverse('places:csv')}?{query}",
        "lat": "" if filters.lat is None else f"{filters.lat:g}",
        "lon": "" if filters.lon is None else f"{filters.lon:g}",
        "kept_parameters": [
            {"name": name, "value": value}
            for name, value in filters.to_query()
            if name in KEPT_PARAMETERS
        ],
    }


def search_page(request: HttpRequest) -> HttpResponse:
    filters, errors = _filters(request)
    result = search(filters)
    context = _search_context(request, "places:search", result, errors)
    return render(request, "places/directory/search.html", context)


def map_page(request: HttpRequest) -> HttpResponse:
    filters, errors = _filters(request)
    result = search(filters)
    context = _search_context(request, "places:map", result, errors)
    everything = search(filters, paginate=False) if result.pages > 1 else result
    markers = [
        {
            "nom": place.nom,
            "url": reverse("places:detail", args=[place.public_id]),
            "lat": place.latitude,
            "lon": place.longitude,
            "approx": place.location_precision != "precise",
            "ouvert": everything.open_now.get(place.pk),
        }
        for place in everything.places[:MAX_MAP_MARKERS]
        if place.latitude is not None and place.longitude is not None
    ]
    context.update(
        {
            "markers": markers,
            "commune_outlines": commune_outline_urls(everything.places[:MAX_MAP_MARKERS]),
            "is_truncated": everything.total > MAX_MAP_MARKERS,
            "max_markers": MAX_MAP_MARKERS,
            "tiles_url": settings.MAILLON_MAP_TILES_URL,
            "center": result.center,
            "breadcrumb": [_search_link()],
        }
    )
    return render(request, "places/directory/map.html", context)


def commune_outline_urls(places: list[Place]) -> list[str]:
    """Commune outlines to draw under a local search: those of the places' départements, when
    they are few (a search over a région or the country stays at the département outlines)."""
    departements = {
        code[:3] if code.startswith("97") else code[:2]
        for code in (place.commune_ref_id for place in places)
        if code
    }
    if not departements or len(departements) > MAX_OUTLINED_DEPARTEMENTS:
        return []
    return [static(f"maillon/places/communes/{code}.geojson") for code in sorted(departements)]


def _all_places(filters: PlaceFilters, limit: int | None = None) -> list[Place]:
    """Every place of the search, fully loaded, in the search's order."""
    pks = [place.pk for place in search(filters, paginate=False).places][:limit]
    loaded: dict[int, Place] = {}
    for start in range(0, len(pks), FETCH_CHUNK):
        loaded.update(Place.objects.in_bulk(pks[start : start + FETCH_CHUNK]))
    return [loaded[pk] for pk in pks if pk in loaded]


def print_page(request: HttpRequest) -> HttpResponse:
    filters, errors = _filters(request)
    places = _all_places(filters, MAX_PRINTED + 1)
    today = timezone.localdate()
    rows = [
        [
            place.nom,
            ", ".join(place_sections.address_lines(place)),
            place.telephone,
            " ; ".join(f"{row.day} {row.text}" for row in place_sections.week_hours(place, today))
            or place.horaires_texte,
        ]
        for place in places[:MAX_PRINTED]
    ]
    return render(
        request,
        "places/directory/print.html",
        {
            "rows": rows,
            "headers": ["Lieu", "Adresse", "Téléphone", "Horaires de la semaine"],
            "errors": errors,
            "is_truncated": len(places) > MAX_PRINTED,
            "max_printed": MAX_PRINTED,
            "active_filters": [active.text for active in filters.active()],
            "list_url": f"{reverse('places:search')}?{filters.query_string()}",
            "printed_on": today.strftime("%d/%m/%Y"),
        },
    )


def csv_export(request: HttpRequest) -> HttpResponse:
    """The current search in the national standard (CSV v1.0.2)."""
    filters, _ = _filters(request)
    out = io.StringIO()
    write_standard_csv(_all_places(filters), out, strict_v102=True)
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    name = f"lieux-mediation-numerique-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _published_place(public_id: uuid.UUID) -> tuple[Place, bool]:
    """The published place (or the one it was merged into) and whether it is another; else 404."""
    place = get_object_or_404(Place, public_id=public_id)
    golden = place
    for _ in range(MAX_MERGE_HOPS):
        if golden.merged_into_id is None:
            break
        golden = Place.objects.get(pk=golden.merged_into_id)
    if golden.merged_into_id is not None or golden.retired_at is not None or not golden.is_public:
        raise Http404("Lieu introuvable.")
    return golden, golden.pk != place.pk


def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    place, was_merged = _published_place(public_id)
    if was_merged:
        return HttpResponsePermanentRedirect(reverse("places:detail", args=[place.public_id]))
    return render(
        request,
        "places/directory/detail.html",
        {
            "place": place,
            "detail": place_sections.detail(place),
            "breadcrumb": [_search_link()],
        },
    )


def report(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    place, was_merged = _published_place(public_id)
    if was_merged:
        return HttpResponsePermanentRedirect(reverse("places:report", args=[place.public_id]))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A robot that filled the hidden field gets the same thanks and creates nothing.
        if not form.is_spam():
            # Anonymous reports write no audit row: the journal records what users do.
            ErrorReport.objects.create(
                place=place,
                categories=form.cleaned_data["categories"],
                message=form.cleaned_data["message"],
                email=form.cleaned_data["email"],
            )
        messages.success(
            request,
            "Merci ! Votre signalement a été transmis aux personnes qui mettent à jour ce lieu.",
        )
        return redirect("places:detail", place.public_id)
    selected = set(form["categories"].value() or [])
    return render(
        request,
        "places/directory/report.html",
        {
            "place": place,
            "form": form,
            "category_options": [
                {
                    "name": "categories",
                    "value": value,
                    "label": label,
                    "checked": value in selected,
                    "id": f"signalement-{value}",
                }
                for value, label in ReportCategory.choices
            ],
            "breadcrumb": [
                _search_link(),
                {"text": place.nom, "url": reverse("places:detail", args=[place.public_id])},
            ],
        },
    )


def _search_link() -> dict[str, str]:
    return {"text": "Lieux de médiation numérique", "url": reverse("places:search")}
