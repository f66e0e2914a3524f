# ruff: noqa: RUF001 — typographic apostrophes in French labels.
"""The structure's beneficiary file: list, form, page with the autonomy trajectory, rights.

Only members of the structure (mediators, managers) reach these pages; anyone else, coordinators
and administrators included, gets a 404. Every display of personal data is journaled: the page
and the form through `read_personal_data`, the list one read of the names per row shown, all
the rows of a page in one INSERT.
"""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from maillon.accounts.models import Structure, User, structure_memberships_of
from maillon.beneficiaries import rights, services
from maillon.beneficiaries.duplicates import find_pairs
from maillon.beneficiaries.forms import NOTICE_TEXT, BeneficiaryForm, EraseForm
from maillon.beneficiaries.matching import search_key
from maillon.beneficiaries.models import Beneficiary
from maillon.beneficiaries.trajectory import trajectory_of
from maillon.core.audit import record_many
from maillon.core.models import AuditAction

PAGE_SIZE = 25
LIST_READ_FIELDS = ("first_name", "last_name")
# French headings of the access export's keys (the JSON keeps the stable keys).
ACCESS_LABELS = {
    "identifiant": "Identifiant",
    "structure": "Structure",
    "first_name": "Prénom",
    "last_name": "Nom",
    "phone": "Téléphone",
    "has_no_phone": "Pas de téléphone",
    "email": "Adresse électronique",
    "birth_year": "Année de naissance",
    "address": "Adresse",
    "commune": "Commune de résidence",
    "notes": "Notes supplémentaires",
    "information_notice_given_on": "Notice d’information remise le",
    "genre": "Genre",
    "tranche_age": "Tranche d’âge",
    "statut_social": "Statut social",
    "deja_accompagne": "Déjà accompagné avant Maillon",
    "cree_le": "Fiche créée le",
    "date": "Date",
    "type": "Type",
    "type_de_lieu": "Type de lieu",
    "lieu": "Lieu",
    "duree_minutes": "Durée (minutes)",
    "thematiques": "Thématiques",
    "demarche_administrative": "Démarche administrative",
    "materiel": "Matériel",
    "autonomie": "Autonomie",
    "structure_de_redirection": "Structure de redirection",
    "atelier": "Atelier",
    "niveau_atelier": "Niveau de l’atelier",
    "commune_activite": "Commune",
    "notes_activite": "Notes de l’activité",
    "premier_accompagnement": "Premier accompagnement",
}
ACCESS_COLUMNS = (
    "date",
    "type",
    "structure",
    "type_de_lieu",
    "lieu",
    "commune_activite",
    "duree_minutes",
    "thematiques",
    "demarche_administrative",
    "materiel",
    "autonomie",
    "structure_de_redirection",
    "atelier",
    "niveau_atelier",
    "notes_activite",
    "premier_accompagnement",
)


def _member(request: HttpRequest) -> User:
    """The current user if a mediator or manager of some structure; otherwise a 404."""
    user = request.user
    if not isinstance(user, User) or not _structures(user).exists():
        raise Http404
    return user


def _structures(user: User) -> "QuerySet[Structure]":
    memberships = structure_memberships_of(user).values("structure_id")
    return Structure.objects.filter(pk__in=memberships).order_by("name")


def _files(user: User) -> "QuerySet[Beneficiary]":
    """Files with personal data that the user may open: identified, current, not anonymised."""
    return Beneficiary.objects.visible_to(user).current()


def _file(request: HttpRequest, pk: int) -> tuple[User, Beneficiary]:
    user = _member(request)
    return user, get_object_or_404(_files(user).select_related("structure"), pk=pk)


def beneficiary_list(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    query = request.GET.get("q", "").strip()
    files = _files(user).select_related("structure").order_by("last_name", "first_name", "pk")
    # Accents and case aside, like the search of the activity forms (ADR 0015).
    for word in search_key(query).split():
        files = files.filter(search_key__contains=word)
    page: Page[Beneficiary] = Paginator(files, PAGE_SIZE).get_page(request.GET.get("page"))
    # One journal row per person shown, written in one INSERT.
    record_many(
        actor=user,
        action=AuditAction.READ,
        targets=page.object_list,
        structure_id_of=lambda beneficiary: beneficiary.structure_id,
        fields=LIST_READ_FIELDS,
    )
    several = _structures(user).count() > 1
    rows = [
        [
            {
                "text": f"{beneficiary.last_name} {beneficiary.first_name}",
                "url": reverse("beneficiaries:detail", args=[beneficiary.pk]),
            },
            *([beneficiary.structure.name] if several else []),
            beneficiary.get_genre_display(),
            beneficiary.tranche_age.label,
            beneficiary.accompaniments_count,
        ]
        for beneficiary in page
    ]
    headers = ["Nom", *(["Structure"] if several else []), "Genre", "Tranche d’âge"]
    return render(
        request,
        "beneficiaries/list.html",
        {
            "query": query,
            "page": page,
            "headers": [*headers, "Accompagnements"],
            "rows": rows,
            "numeric": [len(headers)],
            "total": page.paginator.count,
            "pages": [
                {"number": number, "url": "?" + urlencode({"q": query, "page": number})}
                for number in page.paginator.page_range
            ],
        },
    )


def _save(request: HttpRequest, form: BeneficiaryForm, user: User) -> Beneficiary | None:
    """Write through the services; their errors land on the form's fields."""
    data = form.to_data(today=timezone.localdate())
    try:
        if form.instance is None:
            return services.create_beneficiary(
                actor=user, structure=form.chosen_structure(), data=data
            )
        services.update_beneficiary(actor=user, beneficiary=form.instance, data=data)
        return form.instance
    except ValidationError as error:
        form.add_error(None, error)
        return None


@require_http_methods(["GET", "POST"])
def beneficiary_create(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    structures = _structures(user)
    form = BeneficiaryForm(
        request.POST if request.method == "POST" else None, structures=structures
    )
    if request.method == "POST" and form.is_valid():
        beneficiary = _save(request, form, user)
        if beneficiary is not None:
            messages.success(request, "Le bénéficiaire a été créé.")
            return redirect("beneficiaries:detail", pk=beneficiary.pk)
    return render(
        request,
        "beneficiaries/form.html",
        {"form": form, "title": "Nouveau bénéficiaire", "notice_text": NOTICE_TEXT},
    )


@require_http_methods(["GET", "POST"])
def beneficiary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, beneficiary = _file(request, pk)
    if request.method == "GET":
        # The form shows the personal fields: a journaled read like the page.
        services.read_personal_data(actor=user, beneficiary=beneficiary)
    form = BeneficiaryForm(
        request.POST if request.method == "POST" else None,
        structures=_structures(user),
        instance=beneficiary,
    )
    if request.method == "POST" and form.is_valid() and _save(request, form, user) is not None:
        messages.success(request, "Les modifications ont été enregistrées.")
        return redirect("beneficiaries:detail", pk=beneficiary.pk)
    return render(
        request,
        "beneficiaries/form.html",
        {
            "form": form,
            "beneficiary": beneficiary,
            "title": f"Modifier {beneficiary.first_name} {beneficiary.last_name}",
            "notice_text": NOTICE_TEXT,
        },
    )


def beneficiary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, beneficiary = _file(request, pk)
    personal = services.read_personal_data(actor=user, beneficiary=beneficiary)
    notice = personal["information_notice_given_on"]
    phone = "Pas de téléphone" if personal["has_no_phone"] else personal["phone"]
    items = [
        {"label": "Structure", "value": beneficiary.structure.name},
        {"label": "Téléphone", "value": phone},
        {"label": "Adresse électronique", "value": personal["email"]},
        {"label": "Année de naissance", "value": personal["birth_year"]},
        {"label": "Tranche d’âge", "value": beneficiary.tranche_age.label},
        {"label": "Adresse", "value": personal["address"]},
        {"label": "Commune de résidence", "value": personal["commune"]},
        {"label": "Genre", "value": beneficiary.get_genre_display()},
        {"label": "Statut social", "value": beneficiary.get_statut_social_display()},
        {
            "label": "Notice d’information",
            "value": f"Remise le {notice:%d/%m/%Y}" if notice else "Non remise",
        },
        {"label": "Notes supplémentaires", "value": personal["notes"]},
    ]
    return render(
        request,
        "beneficiaries/detail.html",
        {
            "duplicates": _duplicate_alerts(user, beneficiary),
            "beneficiary": beneficiary,
            "name": f"{personal['first_name']} {personal['last_name']}",
            "items": items,
            "trajectory": trajectory_of(beneficiary),
        },
    )


def _duplicate_alerts(user: User, beneficiary: Beneficiary) -> list[dict[str, str]]:
    """The files that may be the same person; their names shown are a journaled read."""
    pairs = find_pairs(beneficiary.structure_id, involving=beneficiary.pk)
    others = [pair.second if pair.first.pk == beneficiary.pk else pair.first for pair in pairs]
    record_many(
        actor=user,
        action=AuditAction.READ,
        targets=others,
        structure_id_of=lambda other: other.structure_id,
        fields=LIST_READ_FIELDS,
    )
    return [
        {
            "text": (
                f"La fiche de {other.first_name} {other.last_name} (n° {other.pk}) concorde "
                f"sur : {', '.join(pair.signal_labels).lower()}"
                + (
                    f" ; conflit : {', '.join(pair.conflict_labels).lower()}"
                    if pair.conflicts
                    else ""
                )
                + "."
            ),
            "link_text": f"Comparer avec la fiche de {other.first_name} {other.last_name}",
            "url": reverse("beneficiary_merge:merge", args=[beneficiary.pk, other.pk]),
        }
        for pair, other in zip(pairs, others, strict=True)
    ]


def beneficiary_access(request: HttpRequest, pk: int) -> HttpResponse:
    user, beneficiary = _file(request, pk)
    export = rights.access_export(actor=user, beneficiary=beneficiary)
    identity = export["beneficiaire"]
    steps = export["accompagnements"]
    return render(
        request,
        "beneficiaries/access.html",
        {
            "beneficiary": beneficiary,
            "name": f"{identity['first_name']} {identity['last_name']}",
            "items": [
                {"label": ACCESS_LABELS.get(key, key), "value": _text(value)}
                for key, value in identity.items()
            ],
            "headers": [ACCESS_LABELS.get(key, key) for key in ACCESS_COLUMNS],
            "rows": [[_text(step[key]) for key in ACCESS_COLUMNS] for step in steps],
        },
    )


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def beneficiary_access_json(request: HttpRequest, pk: int) -> HttpResponse:
    user, beneficiary = _file(request, pk)
    export = rights.access_export(actor=user, beneficiary=beneficiary)
    response = HttpResponse(
        json.dumps(export, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"beneficiaire-{beneficiary.pk}-donnees.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def beneficiary_erase(request: HttpRequest, pk: int) -> HttpResponse:
    user, beneficiary = _file(request, pk)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        rights.erase(actor=user, beneficiary=beneficiary)
        messages.success(
            request,
            "Les données personnelles ont été effacées ; les accompagnements restent, anonymes.",
        )
        return redirect("beneficiaries:list")
    return render(
        request,
        "beneficiaries/erase.html",
        {"beneficiary": beneficiary, "form": form},
    )
