"""The coordinateur's screens: « Mes activités de coordination », new, edit, duplicate, delete,
and the statistics of coordination activities with their CSV export.

Whoever does not act as a coordinateur gets a 404, as does another coordinator's activity.
"""

import dataclasses
import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from maillon.accounts.models import Role, User, roles_of
from maillon.activities.forms import error_summary
from maillon.activities.tags import create_tag, usable_by_coordinator
from maillon.coordination.forms import FORMS, SERVICE_FIELDS, CoordinationForm, initial_from
from maillon.coordination.models import CoordinationActivity
from maillon.coordination.services import (
    CoordinationData,
    delete_coordination,
    may_record,
    record_coordination,
    update_coordination,
)
from maillon.coordination.statistics import (
    COLUMNS,
    CoordinationFilters,
    compute,
    parse_filters,
    write_csv,
)
from maillon.coordination.vocabulary import TypeActiviteCoordination

PAGE_SIZE = 25
# Widgets drawn as a fieldset of options: an error links to the first option.
KINDS = set(TypeActiviteCoordination.values)
TITLES: dict[str, str] = {
    TypeActiviteCoordination.ANIMATION: "une animation",
    TypeActiviteCoordination.EVENEMENT: "un évènement",
    TypeActiviteCoordination.PARTENARIAT: "un partenariat",
}
ANOTHER = "autre"
_PARTNER_LINE = re.compile(r"^Structure partenaire (\d+) :")


def _coordinator(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not may_record(user):
        raise Http404
    return user


def _editable(user: User, pk: int) -> CoordinationActivity:
    return get_object_or_404(CoordinationActivity.objects.editable_by(user), pk=pk)


def _apply_service_errors(form: CoordinationForm, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            target = SERVICE_FIELDS.get(field)
            line = _PARTNER_LINE.match(message)
            if field == "partner_structures" and line:
                target = f"partner_{line.group(1)}_name"
            form.add_error(target if target in form.fields else None, message)


def _save(
    user: User, form: CoordinationForm, activity: CoordinationActivity | None
) -> CoordinationActivity | None:
    """Create the new tag (if any) and record; all or nothing. None when refused."""
    data: CoordinationData = form.to_data()
    try:
        with transaction.atomic():
            requested = form.new_tag()
            if requested is not None:
                name, scope, departement = requested
                try:
                    tag = create_tag(actor=user, name=name, scope=scope, departement=departement)
                except PermissionDenied as error:
                    raise ValidationError({"new_tag": str(error)}) from error
                data = dataclasses.replace(data, tags=(*data.tags, tag))
            if activity is None:
                return record_coordination(actor=user, data=data)
            return update_coordination(actor=user, activity=activity, data=data)
    except ValidationError as error:
        _apply_service_errors(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


def _render_form(
    request: HttpRequest,
    form: CoordinationForm,
    *,
    title: str,
    action: str,
    activity: CoordinationActivity | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "action": action,
        "activity": activity,
        "kind": form.activity_type,
        "error_summary": error_summary(form) if form.is_bound else [],
        "list_url": reverse("coordination:list"),
    }
    return render(request, "coordination/form.html", context)


def _parse_date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def activity_list(request: HttpRequest) -> HttpResponse:
    user = _coordinator(request)
    activities = CoordinationActivity.objects.editable_by(user).prefetch_related("tags")
    kind = request.GET.get("type", "")
    if kind in KINDS:
        activities = activities.filter(type=kind)
    start = _parse_date(request.GET.get("du"))
    end = _parse_date(request.GET.get("au"))
    if start:
        activities = activities.filter(date__gte=start)
    if end:
        activities = activities.filter(date__lte=end)
    tags = usable_by_coordinator(user).order_by("name", "pk")
    tag = request.GET.get("etiquette", "")
    if tag.isdigit():
        activities = activities.filter(tags__pk=int(tag)).distinct()
    page = Paginator(activities.order_by("-date", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "activity": activity,
            "type": activity.get_type_display(),
            "date": activity.date,
            "summary": _summary(activity),
            "tags": [t.name for t in activity.tags.all()],
            "edit_url": reverse("coordination:edit", args=[activity.pk]),
            "duplicate_url": reverse("coordination:duplicate", args=[activity.pk]),
            "delete_url": reverse("coordination:delete", args=[activity.pk]),
        }
        for activity in page
    ]
    return render(
        request,
        "coordination/list.html",
        {
            "page": page,
            "rows": rows,
            "filters": {"type": kind, "du": start, "au": end, "etiquette": tag},
            "types": TypeActiviteCoordination.choices,
            "tags": tags,
            "query": _query_without_page(request),
            "new_urls": [
                (reverse("coordination:create", args=[code]), f"Saisir {TITLES[code]}")
                for code in TypeActiviteCoordination.values
            ],
        },
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _summary(activity: CoordinationActivity) -> str:
    """What the list shows of an activity: its name or type, and its count of people."""
    if activity.type == TypeActiviteCoordination.ANIMATION:
        total = sum(
            count or 0
            for count in (
                activity.mediators_count,
                activity.structures_count,
                activity.other_actors_count,
            )
        )
        return f"{activity.get_animation_type_display()} — {total} participant{'s' * (total > 1)}"
    if activity.type == TypeActiviteCoordination.EVENEMENT:
        count = activity.participants_count or 0
        label = activity.name or activity.get_event_type_display()
        return f"{label} — {count} participant{'s' * (count > 1)}"
    partners = ", ".join(p.get("name", "") for p in activity.partner_structures)
    return f"{activity.name or 'Partenariat'} — {partners}"


def create(request: HttpRequest, kind: str) -> HttpResponse:
    user = _coordinator(request)
    if kind not in KINDS:
        raise Http404
    form_class = FORMS[kind]
    action = reverse("coordination:create", args=[kind])
    title = f"Saisir {TITLES[kind]}"
    if request.method != "POST":
        form = form_class(user=user, initial={"date": timezone.localdate()})
        return _render_form(request, form, title=title, action=action)
    form = form_class(request.POST, user=user)
    if form.is_valid() and _save(user, form, None) is not None:
        messages.success(request, "Activité de coordination enregistrée")
        if request.POST.get("ensuite") == ANOTHER:
            return redirect(action)
        return redirect("coordination:list")
    return _render_form(request, form, title=title, action=action)


def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    """A new activity prefilled from an existing one, dated today; it posts to `create`."""
    user = _coordinator(request)
    source = _editable(user, pk)
    initial = initial_from(source, date=timezone.localdate())
    form = FORMS[source.type](user=user, initial=initial)
    return _render_form(
        request,
        form,
        title=f"Dupliquer {TITLES[source.type]}",
        action=reverse("coordination:create", args=[source.type]),
    )


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _coordinator(request)
    activity = _editable(user, pk)
    form_class = FORMS[activity.type]
    title = f"Modifier {TITLES[activity.type]}"
    action = reverse("coordination:edit", args=[activity.pk])
    form: Any
    if request.method != "POST":
        form = form_class(user=user, initial=initial_from(activity))
        return _render_form(request, form, title=title, action=action, activity=activity)
    form = form_class(request.POST, user=user)
    if form.is_valid() and _save(user, form, activity) is not None:
        messages.success(request, "Activité de coordination enregistrée")
        if request.POST.get("ensuite") == ANOTHER:
            return redirect("coordination:create", activity.type)
        return redirect("coordination:list")
    activity.refresh_from_db()
    return _render_form(request, form, title=title, action=action, activity=activity)


def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes (softly)."""
    user = _coordinator(request)
    activity = _editable(user, pk)
    if request.method == "POST":
        delete_coordination(actor=user, activity=activity)
        messages.success(request, "Activité de coordination supprimée")
        return redirect("coordination:list")
    return render(
        request,
        "coordination/delete.html",
        {
            "activity": activity,
            "action": reverse("coordination:delete", args=[activity.pk]),
            "list_url": reverse("coordination:list"),
        },
    )


def _statistics_reader(request: HttpRequest) -> tuple[User, bool]:
    """The user and whether he is an administrator (who counts every coordinator's activities);
    404 for whoever does not act as a coordinateur. One query for both."""
    user = request.user
    roles = roles_of(user) if isinstance(user, User) else set()
    if not isinstance(user, User) or not roles & {Role.COORDINATOR, Role.ADMINISTRATOR}:
        raise Http404
    return user, Role.ADMINISTRATOR in roles


def _type_options(filters: CoordinationFilters) -> list[dict[str, object]]:
    return [
        {
            "name": "types",
            "value": code,
            "label": label,
            "checked": code in filters.types,
            "id": f"statistiques-types-{code}",
        }
        for code, label in TypeActiviteCoordination.choices
    ]


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    user, is_administrator = _statistics_reader(request)
    filters, errors = parse_filters(request.GET)
    stats = compute(user, filters, is_administrator=is_administrator)
    query = request.GET.urlencode()
    return render(
        request,
        "coordination/statistics.html",
        {
            "stats": stats,
            "figures": [
                {"label": f.label, "value": f.display, "note": f.note} for f in stats.figures
            ],
            "headers": list(COLUMNS),
            "numeric_columns": [1, 2],
            "errors": errors,
            # A date input cannot show an invalid value (the browser would warn): the error says it.
            "params": {
                "du": filters.du.isoformat() if filters.du else "",
                "au": filters.au.isoformat() if filters.au else "",
            },
            "type_options": _type_options(filters),
            "is_administrator": is_administrator,
            "csv_url": reverse("coordination:statistics_csv") + (f"?{query}" if query else ""),
            "list_url": reverse("coordination:list"),
        },
    )


@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse:
    """The page's figures as CSV (`;`, UTF-8, as the activity statistics'); invalid filters:
    400 with the French errors. Nothing personal in it, so nothing is journaled."""
    user, is_administrator = _statistics_reader(request)
    filters, errors = parse_filters(request.GET)
    if errors:
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statistiques-coordination.csv"'
    write_csv(compute(user, filters, is_administrator=is_administrator), response)
    return response
