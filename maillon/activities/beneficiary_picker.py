"""The search picker of the activity forms: its endpoint, and the form's state around it.

With JavaScript, the picker's text field asks `search_results` (htmx) for at most ten people of
the chosen structure; a result becomes a chip carrying a hidden input. Without JavaScript, the
picker's « Rechercher » and « Retirer » buttons post the whole form back to its own URL: the form
comes back with every typed value kept, the results as radio buttons or checkboxes, and nothing
saved. ADR 0015.
"""

import dataclasses
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse

from maillon.accounts.models import Structure, User
from maillon.activities.beneficiary_search import (
    MIN_QUERY_LENGTH,
    SearchResult,
    chosen,
    search,
)
from maillon.activities.forms import ActivityForm, IndividualForm, member_structures
from maillon.beneficiaries.models import Beneficiary

SEARCH_BUTTON = "rechercher_beneficiaire"
REMOVE_BUTTON = "retirer_beneficiaire"
QUERY = "q"
# The result of a search without JavaScript, for an individual report (see IndividualForm).
FOUND = "beneficiary_found"


@dataclasses.dataclass(frozen=True)
class Picker:
    """What `components/beneficiary_picker.html` draws."""

    field_name: str
    input_id: str
    is_multiple: bool
    query: str
    chosen: list[Beneficiary]
    results: SearchResult | None
    search_url: str
    errors: list[str]
    min_length: int = MIN_QUERY_LENGTH

    @property
    def results_name(self) -> str:
        """Name of the fallback's result inputs: they add to the participants of a workshop,
        and replace the person of an individual report."""
        return self.field_name if self.is_multiple else FOUND

    @property
    def chosen_items(self) -> list[tuple[int, str]]:
        return [(person.pk, person_label(person)) for person in self.chosen]

    @property
    def result_items(self) -> list[tuple[int, str]]:
        """The results not chosen yet, as (identifier, label)."""
        chosen_pks = {person.pk for person in self.chosen}
        people = self.results.people if self.results is not None else []
        return [(p.pk, person_label(p)) for p in people if p.pk not in chosen_pks]


def person_label(person: Beneficiary) -> str:
    if person.anonymised_at is not None or not (person.first_name or person.last_name):
        return f"Fiche anonymisée n° {person.pk}"
    name = f"{person.first_name} {person.last_name}".strip()
    return f"{name} ({person.birth_year})" if person.birth_year else name


def _values(form: ActivityForm, name: str) -> list[str]:
    """The identifiers the form holds for a picker field: posted, or initial."""
    if form.is_bound:
        raw = form.fields[name].widget.value_from_datadict(
            form.data, form.files, form.add_prefix(name)
        )
    else:
        raw = form.initial.get(name, form.fields[name].initial)
    if raw in (None, ""):
        return []
    if isinstance(raw, list | tuple):
        return [str(getattr(value, "pk", value)) for value in raw if value not in (None, "")]
    return [str(getattr(raw, "pk", raw))]


def chosen_values(form: ActivityForm) -> list[str]:
    values = _values(form, form.picker_field)
    if isinstance(form, IndividualForm):
        found = _values(form, FOUND)
        return found[-1:] if found else values[-1:]
    return values


def build_picker(
    user: User, form: ActivityForm, *, results: SearchResult | None = None, query: str = ""
) -> Picker:
    """The picker of a form; the chosen people's names are displayed, hence journaled."""
    bound = form[form.picker_field]
    return Picker(
        field_name=form.picker_field,
        input_id=bound.auto_id or f"id_{form.picker_field}",
        is_multiple=form.picker_field == "participants",
        query=query,
        chosen=chosen(user, chosen_values(form)),
        results=results,
        search_url=reverse("activities:beneficiary_search"),
        errors=[str(error) for error in bound.errors] if form.is_bound else [],
    )


def is_picker_action(data: QueryDict) -> bool:
    return SEARCH_BUTTON in data or REMOVE_BUTTON in data


def _member_structure(user: User, value: object) -> Structure | None:
    """The structure of that identifier if the user is a member of it."""
    if not str(value).isdigit():
        return None
    return member_structures(user).filter(pk=int(str(value))).first()


def form_after_picker_action(
    user: User, form_class: type[ActivityForm], data: QueryDict
) -> tuple[ActivityForm, Picker]:
    """The form as posted, unbound (no error shown, nothing saved), after a search or a
    removal made without JavaScript."""
    posted = form_class(data, user=user)
    initial: dict[str, Any] = {
        name: field.widget.value_from_datadict(data, posted.files, posted.add_prefix(name))
        for name, field in posted.fields.items()
    }
    people = chosen_values(posted)
    removed = data.get(REMOVE_BUTTON)
    people = [pk for pk in people if pk != removed]
    initial[form_class.picker_field] = (
        people if form_class.picker_field == "participants" else (people[0] if people else None)
    )
    initial.pop(FOUND, None)
    form = form_class(user=user, initial=initial)
    query = data.get(QUERY, "")
    results = None
    if SEARCH_BUTTON in data:
        structure = _member_structure(user, data.get("structure")) or (
            member_structures(user).first()
        )
        if structure is not None:
            results = search(user, structure, query)
    return form, build_picker(user, form, results=results, query=query)


def search_results(request: HttpRequest) -> HttpResponse:
    """At most ten people of one of the user's structures, as choice buttons (htmx).

    Only a mediator or manager of that structure gets an answer; anyone else, a 404.
    """
    user = request.user
    if not isinstance(user, User):
        raise Http404
    structure = _member_structure(user, request.GET.get("structure", ""))
    if structure is None:
        raise Http404
    result = search(user, structure, request.GET.get(QUERY, ""))
    return render(
        request,
        "activities/beneficiary_results.html",
        {
            "results": result,
            "labels": [(person.pk, person_label(person)) for person in result.people],
        },
    )
