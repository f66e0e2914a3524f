"""Technical administration of places: consultation only.

Places are written through source records and the merge rules (imports, the editing form,
linkage decisions); an admin form that wrote a `Place` directly would be overwritten by the
next rebuild and would leave no provenance, so every model here is read-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from maillon.places.models import ErrorReport, ImportRun, PairDecision, Place, Source

if TYPE_CHECKING:
    ReadOnlyBase = admin.ModelAdmin[Any]
else:
    ReadOnlyBase = admin.ModelAdmin


class ReadOnlyAdmin(ReadOnlyBase):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ["slug", "name", "kind", "mapping", "priority"]
    list_filter = ["kind"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = [
        "started_at",
        "source",
        "file_name",
        "status",
        "created",
        "updated",
        "unchanged",
        "retired",
        "errors",
        "warnings",
        "duration_ms",
    ]
    list_filter = ["status", "source"]


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    list_display = ["nom", "commune", "code_postal", "date_maj", "completeness", "is_public"]
    list_filter = ["is_public", "location_precision"]
    search_fields = ["nom", "commune", "code_postal", "pivot"]
    # Foreign keys as ids: a select of 35,000 communes would make the page unusable.
    raw_id_fields = ["commune_ref", "structure", "merged_into"]


@admin.register(PairDecision)
class PairDecisionAdmin(ReadOnlyAdmin):
    list_display = [
        "decided_at",
        "decision",
        "source_a",
        "external_id_a",
        "source_b",
        "external_id_b",
    ]
    list_filter = ["decision"]


@admin.register(ErrorReport)
class ErrorReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "place", "status"]
    list_filter = ["status"]
    # The reporter's e-mail is for the moderators' reply, not for the technical admin.
    exclude = ["email"]
    raw_id_fields = ["place", "handled_by"]
