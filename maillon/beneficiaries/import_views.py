"""Import (deposit → analysis page → commit), export and the import template.

Members of a structure only (mediators and managers); anyone else gets a 404, like every page
of the beneficiary file.
"""

import uuid

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maillon.accounts.models import Structure
from maillon.beneficiaries import exporting
from maillon.beneficiaries.importing import service
from maillon.beneficiaries.importing.analysis import Analysis, Status
from maillon.beneficiaries.importing.reading import COLUMNS, MAX_FILE_BYTES, MAX_ROWS, FileError
from maillon.beneficiaries.models import PendingImport
from maillon.beneficiaries.views import _files, _member, _structures


class ImportForm(forms.Form):
    structure = forms.ModelChoiceField(
        queryset=Structure.objects.none(), label="Structure", empty_label=None
    )
    file = forms.FileField(
        label="Fichier des bénéficiaires",
        help_text=(
            f"XLSX ou CSV, {MAX_FILE_BYTES // (1024 * 1024)} Mo et {MAX_ROWS} lignes au plus, "
            "avec les colonnes du modèle."
        ),
        error_messages={"required": "Choisissez le fichier à importer."},
    )

    def __init__(self, *args: object, structures: "QuerySet[Structure]", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["structure"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = structures
        self.fixed_structure: Structure | None = None
        if len(structures) == 1:  # nothing to choose
            del self.fields["structure"]
            self.fixed_structure = structures[0]

    def chosen_structure(self) -> Structure:
        if self.fixed_structure is not None:
            return self.fixed_structure
        structure: Structure = self.cleaned_data["structure"]
        return structure


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    structures = _structures(user)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        structures=structures,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            form.add_error("file", f"Le fichier dépasse {MAX_FILE_BYTES // (1024 * 1024)} Mo.")
        else:
            try:
                pending = service.deposit(
                    actor=user,
                    structure=form.chosen_structure(),
                    name=upload.name or "",
                    content=upload.read(),
                )
            except FileError as error:
                form.add_error("file", str(error))
            else:
                return redirect("beneficiaries:import_analysis", pk=pending.pk)
    return render(
        request,
        "beneficiaries/import_upload.html",
        {"form": form, "columns": [column.label for column in COLUMNS]},
    )


def _pending(request: HttpRequest, pk: uuid.UUID) -> PendingImport:
    _member(request)
    try:
        return service.pending_for(request.user, pk)
    except PendingImport.DoesNotExist as error:
        raise Http404 from error


def _analysis_context(pending: PendingImport, analysis: Analysis) -> dict[str, object]:
    keys = [column.key for column in COLUMNS]
    rows = []
    for row in analysis.rows:
        wrong = {error.column for error in row.errors}
        rows.append(
            {
                "line": row.line,
                "status": row.status_label,
                "is_invalid": row.status is Status.INVALID,
                "cells": [
                    {"text": row.cells.get(key, ""), "is_wrong": key in wrong} for key in keys
                ],
                # The row says the line already: « colonne : motif » keeps its column narrow.
                "errors": [f"{error.column_label} : {error.reason}" for error in row.errors],
            }
        )
    return {
        "pending": pending,
        "headers": [column.label for column in COLUMNS],
        "rows": rows,
        "errors": [error.describe() for error in analysis.errors],
        "to_create": analysis.count(Status.NEW),
        "known": analysis.count(Status.KNOWN),
        "repeated": analysis.count(Status.REPEATED),
        "can_commit": analysis.can_commit and analysis.count(Status.NEW) > 0,
    }


@require_GET
def import_analysis(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    pending = _pending(request, pk)
    analysis = service.analyse_pending(pending)
    return render(
        request, "beneficiaries/import_analysis.html", _analysis_context(pending, analysis)
    )


@require_POST
def import_commit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _member(request)
    pending = _pending(request, pk)
    try:
        result = service.commit(actor=user, pending=pending)
    except service.ImportRefusedError as refused:
        context = _analysis_context(pending, refused.analysis)
        return render(request, "beneficiaries/import_analysis.html", context, status=422)
    except PendingImport.DoesNotExist as error:
        raise Http404 from error
    messages.success(
        request,
        f"Import terminé : {result.created} bénéficiaire{'s' if result.created > 1 else ''} "
        f"créé{'s' if result.created > 1 else ''}, {result.skipped} ligne"
        f"{'s' if result.skipped > 1 else ''} ignorée{'s' if result.skipped > 1 else ''}.",
    )
    return redirect("beneficiaries:list")


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _member(request)
    response = HttpResponse(exporting.import_template(), content_type=exporting.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="modele-import-beneficiaires.xlsx"'
    return response


@require_GET
def export(request: HttpRequest, extension: str) -> HttpResponse:
    """The files of the user's structures (of one with ?structure=ID); each person journaled."""
    user = _member(request)
    people = _files(user).order_by("last_name", "first_name", "pk")
    structure_id = request.GET.get("structure", "")
    if structure_id:
        if not structure_id.isdigit() or not _structures(user).filter(pk=structure_id).exists():
            raise Http404
        people = people.filter(structure_id=int(structure_id))
    listed = list(exporting.with_communes(people))
    rows = list(exporting.export_rows(listed))
    exporting.journal_export(actor=user, people=listed)
    stamp = timezone.localdate().isoformat()
    if extension == "csv":
        response = HttpResponse(exporting.to_csv(rows), content_type=exporting.CSV_CONTENT_TYPE)
    else:
        response = HttpResponse(exporting.to_xlsx(rows), content_type=exporting.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="beneficiaires-{stamp}.{extension}"'
    return response
