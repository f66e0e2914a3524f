"""Read-only public JSON API of the places directory (open data: no login, CORS open).

Same parameters and semantics as the public search page (`maillon.places.search`); the
OpenAPI document is generated from the same definitions.
"""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from maillon.places.models import MASK_COLUMNS, Place
from maillon.places.openapi import ENUM_FIELD_NAMES, openapi_document
from maillon.places.record import LocationPrecision
from maillon.places.search import (
    PARAMETER_NAMES,
    PARAMETERS,
    PlaceFilters,
    open_now_of,
    search,
)
from maillon.places.vocabulary import ENUM_FIELDS

CACHE_SECONDS = 60
# Enum members' labels are costly to read one by one (50 places by 9 fields on a page).
_VALUES = {field: list(ENUM_FIELDS[field].values) for field in ENUM_FIELD_NAMES}
_LABELS = {field: dict(ENUM_FIELDS[field].choices) for field in ENUM_FIELD_NAMES}


def _json(data: dict[str, Any], *, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _errors(messages: list[str], *, status: int = 400) -> JsonResponse:
    return _json({"erreurs": messages}, status=status)


def detail_url_pattern(request: HttpRequest) -> str:
    """Absolute URL of a place's page, with `{id}` where its public id goes."""
    placeholder = uuid.UUID(int=0)
    try:
        path = reverse("places:detail", args=[placeholder])
    except NoReverseMatch:
        path = f"/lieux/{placeholder}/"
    return request.build_absolute_uri(path).replace(str(placeholder), "{id}")


def _codes_of(field: str, mask: int) -> list[str]:
    return [value for index, value in enumerate(_VALUES[field]) if mask & (1 << index)]


def place_json(
    place: Place, *, url_pattern: str, open_now: bool | None, distance_m: float | None
) -> dict[str, Any]:
    """One place as the API returns it (the `Lieu` schema of the OpenAPI document)."""
    has_point = place.latitude is not None and place.longitude is not None
    codes = {field: _codes_of(field, getattr(place, MASK_COLUMNS[field])) for field in _VALUES}
    public_id = str(place.public_id)
    return {
        "id": public_id,
        "url": url_pattern.replace("{id}", public_id),
        "nom": place.nom,
        "pivot": place.pivot,
        "structure_parente": place.structure_parente,
        "adresse": place.adresse,
        "complement_adresse": place.complement_adresse,
        "code_postal": place.code_postal,
        "commune": place.commune,
        "code_insee": place.commune_ref_id or "",
        "latitude": place.latitude if has_point else None,
        "longitude": place.longitude if has_point else None,
        "position_approximative": has_point
        and place.location_precision != LocationPrecision.PRECISE,
        "typologie": list(place.typologie),
        "telephone": place.telephone,
        "courriels": list(place.courriels),
        "site_web": list(place.site_web),
        "horaires": place.horaires,
        "ouvert_maintenant": open_now,
        "presentation_resume": place.presentation_resume,
        "presentation_detail": place.presentation_detail,
        "source": place.source,
        **{field: [str(_LABELS[field][code]) for code in codes[field]] for field in _VALUES},
        "autres_formations_labels": list(place.autres_formations_labels),
        "fiche_acces_libre": place.fiche_acces_libre,
        "prise_rdv": place.prise_rdv,
        "date_maj": place.date_maj.isoformat(),
        "completude": place.completeness,
        "distance_m": None if distance_m is None else round(distance_m),
        "codes": codes,
    }


@require_GET
def places(request: HttpRequest) -> HttpResponse:
    filters, errors = PlaceFilters.from_query(request.GET)
    unknown = sorted(set(request.GET) - PARAMETER_NAMES)
    if unknown:
        accepted = ", ".join(parameter.name for parameter in PARAMETERS)
        errors += [
            f"{name} : paramètre inconnu (paramètres acceptés : {accepted})." for name in unknown
        ]
    if errors:
        return _errors(errors)
    result = search(filters)
    if result.errors:
        return _errors(result.errors)

    def page_url(page: int) -> str:
        return request.build_absolute_uri(f"{request.path}?{filters.query_string(page=page)}")

    url_pattern = detail_url_pattern(request)
    return _json(
        {
            "count": result.total,
            "page": result.page,
            "par_page": result.per_page,
            "pages": result.pages,
            "next": page_url(result.page + 1) if result.has_next else None,
            "previous": page_url(min(result.page - 1, result.pages))
            if result.has_previous
            else None,
            "results": [
                place_json(
                    place,
                    url_pattern=url_pattern,
                    open_now=result.open_now.get(place.pk),
                    distance_m=result.distances.get(place.pk),
                )
                for place in result.places
            ],
        }
    )


@require_GET
def place(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        wanted = uuid.UUID(public_id)
    except ValueError:
        wanted = None
    found = (
        Place.objects.published().filter(public_id=wanted).defer("field_provenance").first()
        if wanted
        else None
    )
    if found is None:
        return _errors([f"Aucun lieu publié ne porte l'identifiant « {public_id} »."], status=404)
    now: dt.datetime = timezone.now()
    return _json(
        place_json(
            found,
            url_pattern=detail_url_pattern(request),
            open_now=open_now_of([found], now).get(found.pk),
            distance_m=None,
        )
    )


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    detail = reverse("api:lieu", args=["ID"]).replace("ID", "{id}")
    return _json(openapi_document(list_path=reverse("api:lieux"), detail_path=detail))
