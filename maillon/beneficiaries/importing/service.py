# ruff: noqa: RUF001 — typographic apostrophes in French messages.
"""Keep an analysed file for one hour, then create all its people in one transaction, or none.

The pending import holds the cells of the known columns only (never the file), is readable
by the member who deposited it only, and is deleted by the commit, by the next deposit of any
member, and by the daily retention job (`purge_expired_imports`).
"""

import dataclasses
import datetime as dt
import uuid
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from maillon.accounts.models import AnyUser, Structure, User
from maillon.beneficiaries.importing.analysis import Analysis, analyse
from maillon.beneficiaries.importing.reading import Row, read_file
from maillon.beneficiaries.models import Beneficiary, PendingImport
from maillon.beneficiaries.services import fields_of, is_member
from maillon.core.audit import record_many
from maillon.core.models import AuditAction


class ImportRefusedError(Exception):
    """The file still has errors at commit time (the structure's file or the territory changed)."""

    def __init__(self, analysis: Analysis) -> None:
        super().__init__(f"{len(analysis.errors)} erreur(s)")
        self.analysis = analysis


@dataclasses.dataclass(frozen=True)
class ImportResult:
    created: int
    skipped: int


def purge_expired_imports(now: dt.datetime | None = None) -> int:
    """Delete the analyses older than an hour (their cells are personal data)."""
    deleted, _ = PendingImport.objects.expired(now or timezone.now()).delete()
    return deleted


def deposit(*, actor: User, structure: Structure, name: str, content: bytes) -> PendingImport:
    """Read the file and keep its rows for the analysis page; `FileError` if unreadable."""
    if not is_member(actor, structure):
        raise PermissionDenied("Vous n’êtes pas membre de cette structure.")
    rows = read_file(name, content)
    purge_expired_imports()
    # One pending import per person: a new deposit replaces the previous one.
    PendingImport.objects.filter(created_by=actor).delete()
    return PendingImport.objects.create(
        structure=structure,
        created_by=actor,
        file_name=name[:255],
        rows=[{"line": row.line, "cells": row.cells} for row in rows],
    )


def pending_for(user: AnyUser, pk: uuid.UUID) -> PendingImport:
    """The user's own live pending import, else `PendingImport.DoesNotExist` (→ 404)."""
    if not user.is_authenticated:
        raise PendingImport.DoesNotExist
    pending = (
        PendingImport.objects.select_related("structure")
        .exclude(pk__in=PendingImport.objects.expired(timezone.now()).values("pk"))
        .get(pk=pk, created_by_id=user.pk)
    )
    if not is_member(user, pending.structure):
        raise PendingImport.DoesNotExist
    return pending


def rows_of(pending: PendingImport) -> list[Row]:
    return [Row(int(row["line"]), dict(row["cells"])) for row in pending.rows]


def analyse_pending(pending: PendingImport) -> Analysis:
    return analyse(rows_of(pending), structure=pending.structure, today=timezone.localdate())


@transaction.atomic
def commit(*, actor: User, pending: PendingImport) -> ImportResult:
    """Create every new person of the file, or nobody if a single cell is wrong.

    The analysis is run again inside the transaction, on the structure's current file, so a
    person added meanwhile is skipped rather than doubled. Each creation is journaled.
    """
    if not is_member(actor, pending.structure) or pending.created_by_id != actor.pk:
        raise PermissionDenied("Cet import ne vous appartient pas.")
    # Locks the row: a double click cannot import twice (the second finds nothing to lock).
    locked = PendingImport.objects.select_for_update().filter(pk=pending.pk).first()
    if locked is None:
        raise PendingImport.DoesNotExist
    analysis = analyse_pending(locked)
    if analysis.errors:
        raise ImportRefusedError(analysis)
    now = timezone.now()
    people = [
        Beneficiary(
            structure=locked.structure,
            created_by=actor,
            is_anonymous=False,
            imported_at=now,
            **fields_of(data),
        )
        for data in analysis.to_create
    ]
    for person in people:
        person.refresh_search_key()  # bulk_create skips save()
    created = Beneficiary.objects.bulk_create(people, batch_size=500)
    # The journal names the fields filled; rows filling the same fields share one INSERT.
    by_fields: dict[tuple[str, ...], list[Beneficiary]] = defaultdict(list)
    for person, data in zip(created, analysis.to_create, strict=True):
        filled = tuple(name for name, value in fields_of(data).items() if value not in ("", None))
        by_fields[filled].append(person)
    for filled, group in by_fields.items():
        record_many(
            actor=actor,
            action=AuditAction.CREATE,
            targets=group,
            structure_id_of=lambda person: person.structure_id,
            fields=(*filled, "imported_at"),
        )
    locked.delete()
    return ImportResult(created=len(created), skipped=len(analysis.rows) - len(created))
