"""The statistics dashboard, its CSV export, and `GET /api/v1/statistiques`."""

import csv

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from maillon.accounts.api_tokens import api_token_required
from maillon.accounts.models import TokenScope
from maillon.activities.statistics.filters import parse_filters, scope_of
from maillon.activities.statistics.queries import Statistics, compute
from maillon.activities.vocabulary import Thematique, TypeActivite


def _key_figures(stats: Statistics) -> list[dict[str, str]]:
    def shown(value: int | None) -> str:
        return "< 5" if value is None else f"{value:n}"

    figures = [
        {"label": "Activités", "value": shown(stats.activites)},
        {"label": "Accompagnements", "value": shown(stats.accompagnements)},
        {"label": "Bénéficiaires accompagnés", "value": shown(stats.beneficiaires)},
        {"label": "dont bénéficiaires suivis", "value": shown(stats.beneficiaires_suivis)},
    ]
    if stats.nouveaux_beneficiaires is not None or stats.suppressed_small_cells:
        figures.append(
            {"label": "Nouveaux bénéficiaires", "value": shown(stats.nouveaux_beneficiaires)}
        )
    return figures


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    filters, errors = parse_filters(request.GET)
    stats = compute(scope_of(request.user), filters)
    tables = [
        {
            "caption": d.title,
            "rows": [[c.label, c.display, c.percent] for c in d.cells],
        }
        for d in stats.distributions
    ]
    tables.append(
        {
            "caption": "Accompagnements par mois",
            "rows": [[c.label, c.display, c.percent] for c in stats.monthly],
        }
    )
    return render(
        request,
        "activities/statistics/dashboard.html",
        {
            "stats": stats,
            "errors": errors,
            "figures": _key_figures(stats),
            "tables": tables,
            "headers": ["Valeur", "Nombre", "Part"],
            "params": request.GET,
            "types": TypeActivite.choices,
            "thematiques": Thematique.choices,
            "query": request.GET.urlencode(),
            "numeric_columns": [1, 2],
        },
    )


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    filters, errors = parse_filters(request.GET)
    if errors:
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")
    stats = compute(scope_of(request.user), filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statistiques.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["section", "code", "libelle", "nombre", "part"])
    for label, value in (
        ("activites", stats.activites),
        ("accompagnements", stats.accompagnements),
        ("beneficiaires", stats.beneficiaires),
        ("beneficiaires_suivis", stats.beneficiaires_suivis),
        ("beneficiaires_anonymes", stats.beneficiaires_anonymes),
        ("nouveaux_beneficiaires", stats.nouveaux_beneficiaires),
    ):
        writer.writerow(["totaux", label, label, "< 5" if value is None else value, ""])
    sections = [(d.key, d.cells) for d in stats.distributions]
    sections.append(("accompagnements_par_mois", stats.monthly))
    for key, cells in sections:
        for cell in cells:
            writer.writerow(
                [key, cell.code, cell.label, cell.display.replace("\u202f", ""), cell.share or ""]
            )
    return response


@require_GET
@api_token_required(TokenScope.STATISTIQUES)
def api_statistics(request: HttpRequest) -> JsonResponse:
    filters, errors = parse_filters(request.GET)
    if errors:
        return JsonResponse({"erreurs": errors}, status=400)
    stats = compute(scope_of(request.user), filters)
    return JsonResponse(stats.to_json(), json_dumps_params={"ensure_ascii": False})
