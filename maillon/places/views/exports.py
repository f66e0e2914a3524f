"""Public downloads of the published places (no login): standard CSV, data·inclusion, GeoJSON.

Each accepts `?territoire=dep:53` (see `exporting.territories`); responses are streamed so a
national export never sits whole in memory.
"""

from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from maillon.places.exporting.data_inclusion import iter_data_inclusion_json
from maillon.places.exporting.geojson import iter_geojson
from maillon.places.exporting.standard import iter_standard_csv, standard_file_name
from maillon.places.exporting.territories import Territory, file_label, parse_territories
from maillon.places.models import Place, PlaceQuerySet

FILE_STEM = "lieux-de-mediation-numerique"


def _producer_id() -> str:
    producer: str = getattr(settings, "MAILLON_PRODUCER_ID", "")
    return producer or "maillon"


def _selection(request: HttpRequest) -> tuple[PlaceQuerySet, list[Territory]]:
    """Published places of the requested territory; ValueError on a bad `territoire`."""
    places = Place.objects.published()
    spec = request.GET.get("territoire", "").strip()
    if not spec:
        return places, []
    territories = parse_territories(spec)
    query = territories[0].places_filter()
    for territory in territories[1:]:
        query |= territory.places_filter()
    return places.filter(query), territories


def _bad_territory(error: ValueError) -> HttpResponse:
    return HttpResponseBadRequest(f"{error}\n", content_type="text/plain; charset=utf-8")


def _stream(pieces: Iterator[str], *, content_type: str, file_name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(pieces, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@require_safe
def export_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "places/exports.html",
        {
            "example_name": standard_file_name(
                producer_id=_producer_id(), territory_label="Mayenne", day=timezone.localdate()
            ),
            "published_count": Place.objects.published().count(),
        },
    )


def _download(
    request: HttpRequest,
    *,
    serialise: Callable[[Iterator[Place]], Iterator[str]],
    content_type: str,
    file_name: Callable[[str], str],
) -> HttpResponseBase:
    """Stream the selected places through `serialise`; `file_name` gets the territory label."""
    try:
        places, territories = _selection(request)
    except ValueError as error:
        return _bad_territory(error)
    return _stream(
        serialise(places.iterator(chunk_size=2000)),
        content_type=content_type,
        file_name=file_name(file_label(territories)),
    )


def _dated_name(stem: str, extension: str) -> Callable[[str], str]:
    def name(territory_label: str) -> str:
        day = timezone.localdate().isoformat()
        return f"{day}_{_producer_id()}_{stem}_{territory_label}.{extension}"

    return name


def _standard_name(territory_label: str) -> str:
    return standard_file_name(
        producer_id=_producer_id(), territory_label=territory_label, day=timezone.localdate()
    )


@require_safe
def standard_csv(request: HttpRequest) -> HttpResponseBase:
    return _download(
        request,
        serialise=iter_standard_csv,
        content_type="text/csv; charset=utf-8",
        file_name=_standard_name,
    )


@require_safe
def data_inclusion_json(request: HttpRequest) -> HttpResponseBase:
    return _download(
        request,
        serialise=iter_data_inclusion_json,
        content_type="application/json",
        file_name=_dated_name("data-inclusion", "json"),
    )


@require_safe
def geojson(request: HttpRequest) -> HttpResponseBase:
    return _download(
        request,
        serialise=iter_geojson,
        content_type="application/geo+json",
        file_name=_dated_name(FILE_STEM, "geojson"),
    )
