"""Diagnosis pages and PDF per territory (France, région, département, EPCI, commune).

Public, like the territory pages: every figure comes from public data (INSEE, IFN, the public
directory). Figures drawn from activity reports are shown only to administrators and to the
coordinators of the whole territory (docs/adr/0014-pages-du-diagnostic-publiques.md).
"""

from __future__ import annotations

import numpy as np
from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from maillon.accounts.models import AnyUser, Role, communes_open_to, is_administrator, roles_of
from maillon.activities.exports.pdf import CONTENT_TYPE as PDF_CONTENT_TYPE
from maillon.diagnosis import pdf
from maillon.diagnosis.management.commands.diagnostic import csv_text
from maillon.diagnosis.report import (
    Computed,
    DiagnosisError,
    Scope,
    commune_rows,
    compute,
    parse_scope,
    territory_mask,
)
from maillon.diagnosis.tables import departement_names, region_names
from maillon.diagnosis.views_sections import (
    ACTIVITY_KEYS,
    LISTED_COMMUNES,
    PDF_ROWS,
    ROWS_PER_PAGE,
    Report,
    build,
    gap_rows,
    territory_url,
)
from maillon.places.vocabulary import Service
from maillon.territory.models import Epci


class ServiceForm(forms.Form):
    """Which places count for distances and gaps: all of them, or those offering a service."""

    service = forms.ChoiceField(
        label="Lieux pris en compte pour les distances et les manques",
        choices=[("", "Tous les lieux de médiation numérique"), *Service.choices],
        required=False,
    )


def _service(request: HttpRequest) -> str | None:
    """The service chosen in the query string; an unknown code is a 404 (no such page)."""
    form = ServiceForm(request.GET)
    if not form.is_valid():
        raise Http404("Service inconnu.")
    return form.cleaned_data["service"] or None


def _scope(kind: str, code: str) -> Scope:
    try:
        return parse_scope("fr" if kind == "fr" else f"{kind}:{code}")
    except DiagnosisError:
        raise Http404("Territoire inconnu.") from None


def may_see_activity(user: AnyUser, computed: Computed, scope: Scope) -> bool:
    """Administrators; coordinators whose scope holds every commune of the territory."""
    if not user.is_authenticated:
        return False
    if is_administrator(user):
        return True
    if scope.kind == "fr" or Role.COORDINATOR not in roles_of(user):
        return False
    mask = territory_mask(computed, scope)
    open_codes = set(communes_open_to(user).values_list("pk", flat=True))
    codes = computed.communes.codes
    return all(codes[index] in open_codes for index in np.flatnonzero(mask).tolist())


def _breadcrumb(computed: Computed, scope: Scope) -> list[dict[str, str]]:
    links = [{"text": "Diagnostic : France", "url": territory_url("fr", "fr")}]
    if scope.kind in {"fr", "reg"}:
        return links if scope.kind == "reg" else []
    mask = territory_mask(computed, scope)
    first = int(np.flatnonzero(mask)[0]) if mask.any() else -1
    if first < 0:
        return links
    region = computed.communes.regions[first]
    links.append({"text": region_names().get(region, region), "url": territory_url("reg", region)})
    if scope.kind in {"epci", "com"}:
        departement = computed.communes.departements[first]
        links.append(
            {
                "text": departement_names().get(departement, departement),
                "url": territory_url("dep", departement),
            }
        )
    if scope.kind == "com" and computed.communes.epcis[first]:
        epci = computed.communes.epcis[first]
        name = Epci.objects.filter(pk=epci).values_list("name", flat=True).first()
        links.append({"text": name or f"EPCI {epci}", "url": territory_url("epci", epci)})
    return links


def _prepare(request: HttpRequest, kind: str, code: str) -> tuple[Computed, Report]:
    scope = _scope(kind, code)
    computed = compute(service=_service(request))
    report = build(computed, scope, shows_activity=may_see_activity(request.user, computed, scope))
    return computed, report


def _outline_urls(report: Report) -> list[str]:
    outlines = report.map_data.get("outlines", [])
    return [
        static(
            "maillon/places/departements.geojson"
            if name == "departements"
            else f"maillon/places/communes/{name}.geojson"
        )
        for name in outlines
    ]


def _territory_page(scope: Scope) -> str:
    names = {"reg": "region", "dep": "departement", "epci": "epci", "com": "commune"}
    if scope.kind not in names:
        return reverse("territory:search")
    return reverse(f"territory:{names[scope.kind]}", args=[scope.code])


def _service_query(computed: Computed) -> str:
    """The query string that keeps the chosen service in links (downloads, pages)."""
    return urlencode({"service": computed.service}) if computed.service else ""


@require_GET
def territory(request: HttpRequest, kind: str = "fr", code: str = "fr") -> HttpResponse:
    computed, report = _prepare(request, kind, code)
    scope = report.scope
    # A région or France lists its first communes only (ten pages): the CSV has them all.
    listed = min(report.gap_count, LISTED_COMMUNES)
    page = Paginator(range(listed), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    mask = territory_mask(computed, scope)
    rows = gap_rows(computed, mask, page.start_index() - 1, page.end_index())
    return render(
        request,
        "diagnosis/report.html",
        {
            "report": report,
            "scope": scope,
            "breadcrumb_links": _breadcrumb(computed, scope),
            "page": page,
            "listed": listed,
            "gap_rows": rows,
            "numeric_gap": [0, *range(2, 10)],
            "age_numeric": [1, 2, 3, 4],
            "area_numeric": [1, 2, 3],
            "service_headers": ["Service", "Lieux"],
            "service_numeric": [1],
            "comparison_numeric": list(range(1, len(report.comparison_headers))),
            "outline_urls": _outline_urls(report),
            "territory_page": _territory_page(scope),
            "self_url": territory_url(scope.kind, scope.code),
            "tiles_url": settings.MAILLON_MAP_TILES_URL,
            "service_form": ServiceForm(request.GET),
            "service_query": _service_query(computed),
        },
    )


@require_GET
def report_pdf(request: HttpRequest, kind: str = "fr", code: str = "fr") -> HttpResponse:
    computed, report = _prepare(request, kind, code)
    mask = territory_mask(computed, report.scope)
    html = render_to_string(
        "diagnosis/print.html",
        {
            "report": report,
            "gap_rows": gap_rows(computed, mask, 0, PDF_ROWS, links=False),
            "pdf_rows": PDF_ROWS,
            "map_svg": pdf.choropleth_svg(report),
            "print_css": pdf.print_css(),
            "generated_at": timezone.localtime(),
        },
    )
    response = HttpResponse(pdf.render(html), content_type=PDF_CONTENT_TYPE)
    name = report.scope.key.replace(":", "-")
    response["Content-Disposition"] = f'attachment; filename="diagnostic-{name}.pdf"'
    return response


@require_GET
def communes_csv(request: HttpRequest, kind: str = "fr", code: str = "fr") -> HttpResponse:
    """One row per commune of the territory, ranked, the columns of `manage.py diagnostic`."""
    scope = _scope(kind, code)
    computed = compute(service=_service(request))
    shows_activity = may_see_activity(request.user, computed, scope)
    rows = commune_rows(computed, territory_mask(computed, scope))
    if not shows_activity:
        rows = [{k: v for k, v in row.items() if k not in ACTIVITY_KEYS} for row in rows]
    response = HttpResponse(csv_text({"communes": rows}), content_type="text/csv; charset=utf-8")
    name = scope.key.replace(":", "-")
    response["Content-Disposition"] = f'attachment; filename="diagnostic-{name}-communes.csv"'
    return response
