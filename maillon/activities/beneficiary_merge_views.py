# ruff: noqa: RUF001 — typographic apostrophes in French labels.
"""The merge screen of two beneficiary files, under /beneficiaires/doublons/ (config/urls.py).

In the activities app because the merge moves accompaniments (beneficiary_merge.py). Members of
the structure only, anyone else 404; opening the screen is a journaled read of both files.
"""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from maillon.activities.beneficiary_merge import EMPTY_VALUES, MERGE_FIELDS, merge_beneficiaries
from maillon.beneficiaries.models import Beneficiary
from maillon.beneficiaries.services import read_personal_data
from maillon.beneficiaries.views import _files, _member

FIRST, SECOND = "first", "second"


LABELS = {
    "last_name": "Nom",
    "first_name": "Prénom",
    "birth_year": "Année de naissance",
    "phone": "Téléphone",
    "has_no_phone": "Pas de téléphone",
    "email": "Adresse électronique",
    "address": "Adresse",
    "commune": "Commune de résidence",
    "genre": "Genre",
    "statut_social": "Statut social",
    "notes": "Notes supplémentaires",
    "information_notice_given_on": "Notice d’information remise le",
    "accompaniments_count": "Accompagnements",
}

# Labels that read badly followed by « à garder ».
CHOICE_LABELS = {"information_notice_given_on": "Date de remise de la notice d’information"}


def _shown(person: Beneficiary, name: str) -> str:
    value = getattr(person, name)
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if name in ("genre", "statut_social"):
        return str(getattr(person, f"get_{name}_display")())
    if value is None or value == "":
        return "(vide)"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _describe(person: Beneficiary) -> str:
    count = person.accompaniments_count
    plural = "s" if count > 1 else ""
    return (
        f"{person.last_name} {person.first_name}, fiche n° {person.pk} "
        f"({count} accompagnement{plural})"
    )


class MergeForm(forms.Form):
    def __init__(self, *args: Any, first: Beneficiary, second: Beneficiary, **kwargs: Any):
        super().__init__(*args, **kwargs)
        default = SECOND if second.accompaniments_count > first.accompaniments_count else FIRST
        self.fields["kept"] = forms.ChoiceField(
            label="Fiche conservée",
            help_text="L’autre fiche est fermée ; ses accompagnements rejoignent celle-ci.",
            choices=[(FIRST, _describe(first)), (SECOND, _describe(second))],
            widget=forms.RadioSelect,
            initial=default,
        )
        self.differing: list[str] = []
        for name in MERGE_FIELDS:
            a, b = _shown(first, name), _shown(second, name)
            raw = (getattr(first, name), getattr(second, name))
            if a == b or any(value in EMPTY_VALUES for value in raw) or name == "has_no_phone":
                continue  # equal, or an empty value that the other fills anyway
            self.differing.append(name)
            self.fields[name] = forms.ChoiceField(
                label=f"{CHOICE_LABELS.get(name, LABELS[name])} à garder",
                choices=[(FIRST, a), (SECOND, b)],
                widget=forms.RadioSelect,
                initial=default,
            )

    def choices(self) -> tuple[str, list[str]]:
        """Which file is kept, and the fields whose value comes from the other one."""
        kept = self.cleaned_data["kept"]
        return kept, [name for name in self.differing if self.cleaned_data[name] != kept]


@require_http_methods(["GET", "POST"])
def merge_view(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    user = _member(request)
    first = get_object_or_404(_files(user).select_related("commune"), pk=pk)
    second = get_object_or_404(
        _files(user).select_related("commune").filter(structure_id=first.structure_id),
        pk=other,
    )
    if first.pk == second.pk:
        return redirect("beneficiaries:detail", pk=first.pk)
    form = MergeForm(request.POST if request.method == "POST" else None, first=first, second=second)
    if request.method == "POST" and form.is_valid():
        kept, from_other = form.choices()
        destination, source = (first, second) if kept == FIRST else (second, first)
        try:
            result = merge_beneficiaries(
                actor=user, source=source, destination=destination, take_from_source=from_other
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Fiches fusionnées : {result.moved} accompagnement"
                f"{'s' if result.moved > 1 else ''} rattaché{'s' if result.moved > 1 else ''} "
                "à cette fiche.",
            )
            return redirect("beneficiaries:detail", pk=destination.pk)
    for person in (first, second):
        read_personal_data(actor=user, beneficiary=person)
    rows = [
        [LABELS[name], _shown(first, name), _shown(second, name)]
        for name in (*MERGE_FIELDS, "accompaniments_count")
    ]
    return render(
        request,
        "beneficiaries/merge.html",
        {
            "first": first,
            "second": second,
            "form": form,
            "choice_fields": [form[name] for name in ["kept", *form.differing]],
            "headers": ["Champ", f"Fiche n° {first.pk}", f"Fiche n° {second.pk}"],
            "rows": rows,
        },
        status=422 if form.errors else 200,
    )
