# ruff: noqa: RUF001 — typographic apostrophes in French messages.
"""Potential duplicates of the structure's file; the merge screen lives in the activities app.

Members of the structure only; showing a pair is a journaled read of both names.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from maillon.accounts.models import User
from maillon.beneficiaries.duplicates import DuplicatePair, declare_distinct, find_pairs, people_in
from maillon.beneficiaries.models import Beneficiary
from maillon.beneficiaries.views import LIST_READ_FIELDS, _files, _member, _structures
from maillon.core.audit import record_many
from maillon.core.models import AuditAction

MAX_PAIRS_SHOWN = 200


def journal_pairs(user: User, pairs: list[DuplicatePair]) -> None:
    record_many(
        actor=user,
        action=AuditAction.READ,
        targets=people_in(pairs),
        structure_id_of=lambda person: person.structure_id,
        fields=LIST_READ_FIELDS,
    )


def _name(person: Beneficiary) -> str:
    return f"{person.last_name} {person.first_name}"


def pair_row(pair: DuplicatePair) -> list[object]:
    return [
        {
            "text": _name(pair.first),
            "url": reverse("beneficiaries:detail", args=[pair.first.pk]),
        },
        {
            "text": _name(pair.second),
            "url": reverse("beneficiaries:detail", args=[pair.second.pk]),
        },
        ", ".join(pair.signal_labels),
        ", ".join(pair.conflict_labels) or "Aucun",
        {
            "text": f"Comparer {_name(pair.first)} et {_name(pair.second)}",
            "url": reverse("beneficiary_merge:merge", args=[pair.first.pk, pair.second.pk]),
        },
    ]


@require_GET
def duplicate_list(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    pairs: list[DuplicatePair] = []
    for structure_id in _structures(user).values_list("pk", flat=True):
        pairs.extend(find_pairs(structure_id))
    shown = pairs[:MAX_PAIRS_SHOWN]
    journal_pairs(user, shown)
    return render(
        request,
        "beneficiaries/duplicates.html",
        {
            "total": len(pairs),
            "shown": len(shown),
            "headers": ["Fiche", "Autre fiche", "Concordances", "Conflits", "Action"],
            "rows": [pair_row(pair) for pair in shown],
        },
    )


@require_POST
def declare_not_duplicate(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    user = _member(request)
    first = get_object_or_404(_files(user), pk=pk)
    second = get_object_or_404(_files(user).filter(structure_id=first.structure_id), pk=other)
    declare_distinct(
        structure_id=first.structure_id, first=first.pk, second=second.pk, by_id=user.pk
    )
    messages.success(request, "C’est noté : ces deux fiches ne seront plus proposées.")
    return redirect("beneficiaries:duplicates")
