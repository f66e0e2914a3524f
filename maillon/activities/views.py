"""The mediator's recording screens: « Mes activités », new, edit, duplicate, delete.

Thin views over `maillon.activities.services`: the forms parse, the services decide, and the
services' French messages come back next to their fields. Whoever is neither a mediator nor a
manager of a structure gets a 404, like an activity he may not edit.
"""

import dataclasses
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from maillon.accounts.models import User
from maillon.activities.beneficiary_picker import (
    Picker,
    build_picker,
    form_after_picker_action,
    is_picker_action,
)
from maillon.activities.beneficiary_search import files_of
from maillon.activities.forms import (
    FORMS,
    SERVICE_FIELDS,
    ActivityForm,
    CollectiveForm,
    duration_initial,
    error_summary,
    initial_from,
    member_structures,
)
from maillon.activities.models import Activity
from maillon.activities.services import delete_activity, record_activity, update_activity
from maillon.activities.tags import create_tag
from maillon.activities.vocabulary import (
    TYPES_LIEU_WITH_COMMUNE,
    Thematique,
    TypeActivite,
    TypeLieu,
)
from maillon.places.models import Place

PAGE_SIZE = 25
# Widgets drawn as a fieldset of options: an error links to the first option.
KINDS: dict[str, str] = {
    "individuelle": TypeActivite.INDIVIDUEL,
    "collective": TypeActivite.COLLECTIF,
}
KIND_OF_TYPE: dict[str, str] = {value: key for key, value in KINDS.items()}
TITLES: dict[str, str] = {
    TypeActivite.INDIVIDUEL: "Accompagnement individuel",
    TypeActivite.COLLECTIF: "Atelier collectif",
}
ANOTHER = "autre"
PRESELECTED = "beneficiaire"


def _recorder(request: HttpRequest) -> User:
    """The user, if he records activities somewhere (mediator or manager); else 404."""
    user = request.user
    if not isinstance(user, User) or not member_structures(user).exists():
        raise Http404
    return user


def _editable(user: User, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.editable_by(user).select_related("structure", "commune", "place"), pk=pk
    )


def smart_initial(user: User, activity_type: str) -> dict[str, Any]:
    """Today, the place of the user's last activity (or his structure's first published
    place), and the duration of his last activity of this type."""
    structures = member_structures(user)
    initial: dict[str, Any] = {"date": timezone.localdate()}
    mine = Activity.objects.active().filter(mediator_id=user.pk, structure__in=structures)
    last = mine.select_related("commune").order_by("-created_at", "-pk").first()
    last_of_type = mine.filter(type=activity_type).order_by("-created_at", "-pk").first()
    if last_of_type is not None:
        initial.update(duration_initial(last_of_type.duration_minutes))
    if last is not None:
        initial["structure"] = last.structure_id
        initial["place_kind"] = last.place_kind
        if last.place_kind == TypeLieu.LIEU_ACTIVITE:
            initial["place"] = last.place_id
        if last.commune is not None and (
            last.place_kind in TYPES_LIEU_WITH_COMMUNE or last.is_itinerant
        ):
            initial["commune"] = str(last.commune)
        return initial
    first_place = (
        Place.objects.published().filter(structure__in=structures).order_by("nom", "pk").first()
    )
    if first_place is not None:
        initial["place_kind"] = TypeLieu.LIEU_ACTIVITE
        initial["place"] = first_place.pk
        initial["structure"] = first_place.structure_id
    return initial


def _preselected(request: HttpRequest, user: User, activity_type: str) -> dict[str, Any]:
    """`?beneficiaire=<id>` (from a beneficiary's page): that person, and her structure.
    A file the user may not open is a 404, like its page."""
    value = request.GET.get(PRESELECTED, "")
    if not value or activity_type != TypeActivite.INDIVIDUEL:
        return {}
    person = files_of(user).filter(pk=int(value)).first() if value.isdigit() else None
    if person is None:
        raise Http404
    return {"beneficiary": person.pk, "structure": person.structure_id}


def _apply_service_errors(form: ActivityForm, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        target = SERVICE_FIELDS.get(field)
        form.add_error(target if target in form.fields else None, messages_)


def _save(user: User, form: ActivityForm, activity: Activity | None) -> Activity | None:
    """Create the tag typed in the form (if any), then record or update; all or nothing.
    None when a rule or a right refused it (the form then carries the messages)."""
    data = form.to_data()
    try:
        with transaction.atomic():
            requested = form.new_tag()
            if requested is not None:
                name, scope, departement = requested
                try:
                    tag = create_tag(
                        actor=user,
                        name=name,
                        scope=scope,
                        structure=data.structure,
                        departement=departement,
                    )
                except PermissionDenied as error:
                    raise ValidationError({"new_tag": str(error)}) from error
                data = dataclasses.replace(data, tags=(*data.tags, tag))
            if activity is None:
                return record_activity(actor=user, data=data)
            return update_activity(actor=user, activity=activity, data=data)
    except ValidationError as error:
        _apply_service_errors(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


def _render_form(
    request: HttpRequest,
    form: ActivityForm,
    *,
    title: str,
    action: str,
    activity: Activity | None = None,
    picker: Picker | None = None,
) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    context = {
        "form": form,
        "picker": picker or build_picker(user, form),
        "title": title,
        "action": action,
        "activity": activity,
        "is_collective": isinstance(form, CollectiveForm),
        "error_summary": error_summary(form) if form.is_bound else [],
        "aid_code": Thematique.AIDE_AUX_DEMARCHES_ADMINISTRATIVES.value,
        "list_url": reverse("activities:list"),
    }
    return render(request, "activities/form.html", context)


def activity_list(request: HttpRequest) -> HttpResponse:
    user = _recorder(request)
    activities = (
        Activity.objects.editable_by(user)
        .select_related("place", "commune", "mediator", "structure")
        .order_by("-date", "-created_at", "-pk")
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    theme_labels = dict(Thematique.choices)
    rows = [
        {
            "activity": activity,
            "type": activity.get_type_display(),
            "date": activity.date,
            "place": activity.place.nom
            if activity.place is not None
            else activity.get_place_kind_display(),
            "commune": str(activity.commune) if activity.commune else "",
            "themes": [theme_labels[code] for code in activity.themes if code in theme_labels],
            "participants": activity.participants_count,
            "title": activity.workshop_title,
            "author": "" if activity.mediator_id == user.pk else activity.mediator.get_full_name(),
            "edit_url": reverse("activities:edit", args=[activity.pk]),
            "duplicate_url": reverse("activities:duplicate", args=[activity.pk]),
            "delete_url": reverse("activities:delete", args=[activity.pk]),
        }
        for activity in page
    ]
    return render(
        request,
        "activities/list.html",
        {
            "page": page,
            "rows": rows,
            "new_individual_url": reverse("activities:create", args=["individuelle"]),
            "new_collective_url": reverse("activities:create", args=["collective"]),
        },
    )


def create(request: HttpRequest, kind: str) -> HttpResponse:
    user = _recorder(request)
    activity_type = KINDS.get(kind)
    if activity_type is None:
        raise Http404
    form_class = FORMS[activity_type]
    action = reverse("activities:create", args=[kind])
    title = f"Saisir un {TITLES[activity_type].lower()}"
    if request.method != "POST":
        initial = smart_initial(user, activity_type)
        initial.update(_preselected(request, user, activity_type))
        form = form_class(user=user, initial=initial)
        return _render_form(request, form, title=title, action=action)
    if is_picker_action(request.POST):
        form, picker = form_after_picker_action(user, form_class, request.POST)
        return _render_form(request, form, title=title, action=action, picker=picker)
    form = form_class(request.POST, user=user)
    if form.is_valid() and _save(user, form, None) is not None:
        messages.success(request, "Activité enregistrée")
        if request.POST.get("ensuite") == ANOTHER:
            return redirect(action)
        return redirect("activities:list")
    return _render_form(request, form, title=title, action=action)


def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    """A new activity prefilled from an existing one, dated today; it posts to `create`."""
    user = _recorder(request)
    source = _editable(user, pk)
    form = FORMS[source.type](user=user, initial=initial_from(source, date=timezone.localdate()))
    kind = KIND_OF_TYPE[source.type]
    return _render_form(
        request,
        form,
        title=f"Dupliquer un {TITLES[source.type].lower()}",
        action=reverse("activities:create", args=[kind]),
    )


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _recorder(request)
    activity = _editable(user, pk)
    form_class = FORMS[activity.type]
    title = f"Modifier un {TITLES[activity.type].lower()}"
    action = reverse("activities:edit", args=[activity.pk])
    if request.method != "POST":
        form = form_class(user=user, initial=initial_from(activity))
        return _render_form(request, form, title=title, action=action, activity=activity)
    if is_picker_action(request.POST):
        form, picker = form_after_picker_action(user, form_class, request.POST)
        return _render_form(
            request, form, title=title, action=action, activity=activity, picker=picker
        )
    form = form_class(request.POST, user=user)
    if form.is_valid() and _save(user, form, activity) is not None:
        messages.success(request, "Activité enregistrée")
        if request.POST.get("ensuite") == ANOTHER:
            return redirect("activities:create", KIND_OF_TYPE[activity.type])
        return redirect("activities:list")
    activity.refresh_from_db()
    return _render_form(request, form, title=title, action=action, activity=activity)


def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes (softly: the row leaves every count)."""
    user = _recorder(request)
    activity = _editable(user, pk)
    if request.method == "POST":
        delete_activity(actor=user, activity=activity)
        messages.success(request, "Activité supprimée")
        return redirect("activities:list")
    return render(
        request,
        "activities/delete.html",
        {
            "activity": activity,
            "action": reverse("activities:delete", args=[activity.pk]),
            "list_url": reverse("activities:list"),
        },
    )
