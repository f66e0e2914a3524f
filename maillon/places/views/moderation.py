"""Moderation of the errors the public reports on places.

Coordinators see the reports on places of their territory, structure managers those on their
structures' places, administrators all of them (`ErrorReport.objects.visible_to`). Anything else
is a 404, never a 403: it does not reveal that a report exists.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from maillon.core import audit
from maillon.core.models import AuditAction
from maillon.places.models import ErrorReport, Place, ReportCategory, ReportStatus

REPORTS_PER_PAGE = 50
CATEGORY_LABELS = dict(ReportCategory.choices)


def _category_labels(report: ErrorReport) -> list[str]:
    return [str(CATEGORY_LABELS.get(code, code)) for code in report.categories]


def edit_url(place: Place) -> str:
    # Editing belongs to another area; its URL name may not exist in every deployment yet.
    try:
        return reverse("places:edit", args=[place.public_id])
    except NoReverseMatch:
        return f"/lieux/{place.public_id}/modifier/"


def report_list(request: HttpRequest) -> HttpResponse:
    reports = (
        ErrorReport.objects.visible_to(request.user)
        .select_related("place")
        .annotate(
            is_pending=Case(
                When(status=ReportStatus.NEW, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("is_pending", "-created_at", "-pk")
    )
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        [
            {
                "text": report.place.nom,
                "url": reverse("places:report_detail", args=[report.pk]),
            },
            f"{report.place.code_postal} {report.place.commune}".strip(),
            ", ".join(_category_labels(report)),
            report.created_at.strftime("%d/%m/%Y"),
            report.get_status_display(),
        ]
        for report in page
    ]
    return render(
        request,
        "places/moderation/list.html",
        {
            "page": page,
            "rows": rows,
            "headers": ["Lieu", "Commune", "Éléments concernés", "Signalé le", "Statut"],
            "pending": ErrorReport.objects.visible_to(request.user).pending().count(),
        },
    )


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        ErrorReport.objects.visible_to(request.user).select_related("place", "handled_by"), pk=pk
    )
    place = report.place
    items = [
        {
            "label": "Lieu",
            "value": place.nom,
            "url": reverse("places:detail", args=[place.public_id])
            if place.merged_into_id is None and place.retired_at is None and place.is_public
            else "",
        },
        {"label": "Adresse", "value": f"{place.adresse}, {place.code_postal} {place.commune}"},
        {"label": "Éléments concernés", "value": ", ".join(_category_labels(report))},
        {"label": "Précisions", "value": report.message},
        {
            "label": "Courriel de la personne",
            "value": report.email,
            "url": f"mailto:{report.email}" if report.email else "",
        },
        {"label": "Signalé le", "value": report.created_at.strftime("%d/%m/%Y")},
        {"label": "Statut", "value": report.get_status_display()},
    ]
    if report.handled_at:
        items.append(
            {
                "label": "Traité",
                "value": f"le {report.handled_at:%d/%m/%Y}"
                + (f" par {report.handled_by.get_short_name()}" if report.handled_by else ""),
            }
        )
    return render(
        request,
        "places/moderation/detail.html",
        {
            "report": report,
            "items": items,
            "is_pending": report.status == ReportStatus.NEW,
            "edit_url": edit_url(place),
            "breadcrumb": [{"text": "Signalements", "url": reverse("places:reports")}],
        },
    )


def _decide(request: HttpRequest, pk: int, status: ReportStatus) -> HttpResponse:
    report = get_object_or_404(ErrorReport.objects.visible_to(request.user), pk=pk)
    # The reporter's e-mail served only to ask them a question: once handled, it is erased.
    changed = ErrorReport.objects.filter(pk=report.pk, status=ReportStatus.NEW).update(
        status=status, handled_by=request.user, handled_at=timezone.now(), email=""
    )
    if not changed:
        messages.warning(request, "Ce signalement avait déjà été traité.")
        return redirect("places:report_detail", report.pk)
    audit.record(
        actor=request.user,
        action=AuditAction.UPDATE,
        target=report,
        structure_id=report.place.structure_id,
        fields=["status", "handled_by", "handled_at", "email"],
    )
    messages.success(request, f"Signalement marqué « {status.label} ».")
    return redirect("places:reports")


@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, ReportStatus.ACCEPTED)


@require_POST
def report_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, ReportStatus.REJECTED)
