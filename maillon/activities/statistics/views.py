"""The statistics dashboard, its exports (CSV, XLSX, PDF), the activity export, and
`GET /api/v1/statistiques`. Every view counts within `scope_of(request.user)`."""

import csv

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from maillon.accounts.api_tokens import api_token_required
from maillon.accounts.models import TokenScope
from maillon.activities.exports import activities as activity_export
from maillon.activities.exports import xlsx
from maillon.activities.exports.pdf import CONTENT_TYPE as PDF_CONTENT_TYPE
from maillon.activities.exports.pdf import render_pdf
from maillon.activities.exports.sections import (
    COLUMNS,
    PROGRESSION,
    describe_filters,
    progression_tables,
    sections,
    totals,
)
from maillon.activities.statistics.filters import StatisticsFilters, parse_filters, scope_of
from maillon.activities.statistics.masking import exported
from maillon.activities.statistics.pickers import pickers, with_period
from maillon.activities.statistics.queries import Statistics, activity_rows, compute


def _filters(request: HttpRequest) -> tuple[QueryDict, StatisticsFilters, list[str]]:
    """The query parameters with the period preset resolved, the filters, and their errors."""
    params = with_period(request.GET, timezone.localdate())
    filters, errors = parse_filters(params)
    return params, filters, errors


def _bad_filters(errors: list[str]) -> HttpResponse:
    return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")


def _query(params: QueryDict) -> str:
    """The resolved filters for export links: the files show the same period as the page."""
    kept = params.copy()
    kept.pop("periode", None)
    return kept.urlencode()


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    params, filters, errors = _filters(request)
    scope = scope_of(request.user)
    stats = compute(scope, filters)
    query = _query(params)
    return render(
        request,
        "activities/statistics/dashboard.html",
        {
            "stats": stats,
            "errors": errors,
            "figures": [{"label": t.label, "value": t.display} for t in totals(stats, filters)],
            "sections": sections(stats, filters),
            "headers": list(COLUMNS),
            "numeric_columns": [1, 2],
            "params": params,
            "filters": pickers(request.user, scope, params),
            "is_filtered": any(k != "periode" and v for k, v in params.items()),
            "query": f"?{query}" if query else "",
            "may_export_activities": not scope.is_empty,
        },
    )


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    _params, filters, errors = _filters(request)
    if errors:
        return _bad_filters(errors)
    stats = compute(scope_of(request.user), filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statistiques.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["section", "code", "libelle", "nombre", "part"])
    # The code twice (code, libellé): the format of the first version, which scripts read.
    for total in totals(stats, filters, always=True):
        writer.writerow(["totaux", total.code, total.code, total.value, ""])
    for section in sections(stats, filters):
        for table in section.tables:
            for cell in table.cells:
                writer.writerow(
                    [
                        table.key,
                        cell.code,
                        cell.label,
                        exported(cell.count),
                        "" if cell.share is None else cell.share,
                    ]
                )
    return response


def _timestamp() -> str:
    return f"{timezone.localtime():%Y-%m-%d}"


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    _params, filters, errors = _filters(request)
    if errors:
        return _bad_filters(errors)
    stats = compute(scope_of(request.user), filters)
    target = xlsx.temporary_file()
    workbook = xlsx.new_workbook(target)
    xlsx.write_statistics(workbook, stats, filters, generated_at=timezone.localtime())
    workbook.close()
    return xlsx.attachment(target, f"statistiques-{_timestamp()}.xlsx")


def _print_context(stats: Statistics, filters: StatisticsFilters) -> dict[str, object]:
    return {
        "stats": stats,
        "figures": totals(stats, filters),
        "sections": sections(stats, filters),
        "headers": list(COLUMNS),
        "filters": describe_filters(filters),
        "progression_title": PROGRESSION,
        "progression": progression_tables(stats),
        "generated_at": timezone.localtime(),
    }


@require_GET
def export_pdf(request: HttpRequest) -> HttpResponse:
    _params, filters, errors = _filters(request)
    if errors:
        return _bad_filters(errors)
    stats = compute(scope_of(request.user), filters)
    html = render_to_string("activities/statistics/print.html", _print_context(stats, filters))
    response = HttpResponse(render_pdf(html), content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="statistiques-{_timestamp()}.pdf"'
    return response


@require_GET
def export_activities(request: HttpRequest) -> HttpResponseBase:
    """One row per activity of the user's scope, with the dashboard's filters (§6.3)."""
    _params, filters, errors = _filters(request)
    if errors:
        return _bad_filters(errors)
    scope = scope_of(request.user)
    if scope.is_empty:
        raise Http404
    reader = activity_export.reader_of(request.user)
    target = xlsx.temporary_file()
    workbook = xlsx.new_workbook(target)
    xlsx.write_table(
        workbook,
        "Activités",
        activity_export.headers(reader),
        activity_export.rows(reader, activity_rows(scope, filters)),
        date_columns=activity_export.DATE_COLUMNS,
        datetime_columns=activity_export.DATETIME_COLUMNS,
    )
    workbook.close()
    return xlsx.attachment(target, f"activites-{_timestamp()}.xlsx")


@require_GET
@api_token_required(TokenScope.STATISTIQUES)
def api_statistics(request: HttpRequest) -> JsonResponse:
    _params, filters, errors = _filters(request)
    if errors:
        return JsonResponse({"erreurs": errors}, status=400)
    stats = compute(scope_of(request.user), filters)
    return JsonResponse(stats.to_json(), json_dumps_params={"ensure_ascii": False})
