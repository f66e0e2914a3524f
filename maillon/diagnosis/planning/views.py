# ruff: noqa: RUF001 — typographic apostrophes in French texts.
"""« Planifier l'aller-vers »: the form, the plan, its downloads.

A plan is solved once on submission (bounded: at most 10 s of HiGHS) and kept in the user's
session (request + chosen stops + proof, see saved.py); the result page and every download
rebuild it from there without solving again, so they all show the same plan. Another user's
(or an expired) plan is a 404. Only administrateurs, coordinateurs and responsables plan
(scope.py); the others get a 404.
"""

import json
import secrets

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from maillon.activities.exports.pdf import CONTENT_TYPE as PDF_CONTENT_TYPE
from maillon.activities.exports.pdf import render_pdf
from maillon.diagnosis.planning import presentation
from maillon.diagnosis.planning.forms import PlanningForm
from maillon.diagnosis.planning.ical import itinerary_to_ics
from maillon.diagnosis.planning.instance import InstanceError
from maillon.diagnosis.planning.outputs import plan_to_csv, plan_to_json
from maillon.diagnosis.planning.saved import SavedPlan, StalePlanError, restore, solve
from maillon.diagnosis.planning.scope import may_plan, territory_choices
from maillon.diagnosis.planning.services import Planning, stop_descriptions

SESSION_KEY = "itinerance_plans"
KEPT_PLANS = 5
DOWNLOADS = {
    "plan.csv": "Plan, une ligne par arrêt (CSV)",
    "plan.json": "Plan complet avec la preuve et la tournée (JSON)",
    "instance.json": "Instance du problème, pour qu’un autre solveur vérifie le plan (JSON)",
    "plan.pdf": "Plan imprimable (PDF)",
    "tournee.ics": "Tournée de la semaine pour un agenda (iCalendar)",
}


def _planner(request: HttpRequest) -> None:
    if not may_plan(request.user):
        raise Http404


def _keep(request: HttpRequest, saved: SavedPlan) -> str:
    plans: dict[str, object] = dict(request.session.get(SESSION_KEY, {}))
    key = secrets.token_urlsafe(9)
    plans[key] = saved.to_data()
    request.session[SESSION_KEY] = dict(list(plans.items())[-KEPT_PLANS:])
    return key


def _saved(request: HttpRequest, key: str) -> SavedPlan:
    data = request.session.get(SESSION_KEY, {}).get(key)
    if data is None:
        raise Http404("Plan inconnu ou expiré.")
    saved = SavedPlan.from_data(data)
    # The user's scope may have shrunk since: the plan must still be within it.
    if saved.request.territory not in dict(territory_choices(request.user)):
        raise Http404
    return saved


def _error_summary(form: PlanningForm) -> list[str]:
    return [
        f"{form.fields[name].label} : {' '.join(str(error) for error in errors)}"
        for name, errors in form.errors.items()
        if name != "__all__"
    ]


@require_http_methods(["GET", "POST"])
def plan_form(request: HttpRequest) -> HttpResponse:
    _planner(request)
    territories = territory_choices(request.user)
    today = timezone.localdate()
    if request.method != "POST":
        form = PlanningForm(territories=territories, today=today)
        return render(request, "itinerance/form.html", {"form": form})
    form = PlanningForm(request.POST, request.FILES, territories=territories, today=today)
    if form.is_valid():
        try:
            saved, _planning = solve(form.plan_request(), now=timezone.now())
        except InstanceError as error:
            form.add_error(None, str(error))
        else:
            return redirect("itinerance:result", key=_keep(request, saved))
    return render(
        request, "itinerance/form.html", {"form": form, "error_summary": _error_summary(form)}
    )


def _restored(request: HttpRequest, key: str) -> tuple[SavedPlan, Planning]:
    saved = _saved(request, key)
    try:
        return saved, restore(saved)
    except StalePlanError as error:
        messages.warning(request, str(error))
        raise


@require_http_methods(["GET"])
def result(request: HttpRequest, key: str) -> HttpResponse:
    _planner(request)
    try:
        saved, planning = _restored(request, key)
    except StalePlanError:
        return redirect("itinerance:form")
    downloads = [
        {"text": text, "url": reverse("itinerance:download", kwargs={"key": key, "name": name})}
        for name, text in DOWNLOADS.items()
    ]
    context = presentation.context(planning, saved)
    return render(
        request,
        "itinerance/result.html",
        {
            **context,
            "map": presentation.map_data(planning),
            "outlines": presentation.outline_urls(planning),
            "downloads": downloads,
            "numeric_stops": [1, 2, 3],
            "numeric_communes": [1],
            "unscheduled_text": "Ne tiennent pas dans la semaine : "
            + ", ".join(context["unscheduled"])
            + ". Ajoutez des jours ou des arrêts par jour.",
            "tiles_url": settings.MAILLON_MAP_TILES_URL,
        },
    )


def _file_name(planning: Planning, saved: SavedPlan, suffix: str) -> str:
    territory = slugify(planning.built.territory) or "territoire"
    return f"aller-vers-{territory}-{saved.computed_at:%Y%m%d-%H%M}-{suffix}"


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET"])
def download(request: HttpRequest, key: str, name: str) -> HttpResponse:
    _planner(request)
    if name not in DOWNLOADS:
        raise Http404
    try:
        saved, planning = _restored(request, key)
    except StalePlanError:
        return redirect("itinerance:form")
    built, plan, itinerary = planning.built, planning.plan, planning.itinerary
    file_name = _file_name(planning, saved, name)
    response: HttpResponse
    if name == "plan.csv":
        text = plan_to_csv(built, plan, itinerary)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    elif name == "plan.json":
        response = JsonResponse(
            plan_to_json(built, plan, itinerary), json_dumps_params={"ensure_ascii": False}
        )
    elif name == "instance.json":
        response = HttpResponse(
            json.dumps(built.instance.to_json(), ensure_ascii=False),
            content_type="application/json",
        )
    elif name == "tournee.ics":
        monday = saved.request.monday or timezone.localdate()
        ics = itinerary_to_ics(
            itinerary,
            monday=monday,
            weeks=saved.request.weeks,
            descriptions=stop_descriptions(planning),
        )
        response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
        file_name = _file_name(planning, saved, "tournee.ics")
    else:
        html = render(
            request,
            "itinerance/pdf.html",
            {**presentation.context(planning, saved), "generated_at": timezone.now()},
        ).content.decode("utf-8")
        response = HttpResponse(render_pdf(html), content_type=PDF_CONTENT_TYPE)
    return _attachment(response, file_name)
