"""Import one file into places, all or nothing, idempotently.

Every row is read and validated first; a single error refuses the whole file (nothing written
but the refused `ImportRun`). Otherwise, in one transaction, each row updates the `SourceRecord`
of (source, id): new ids create a place, changed fingerprints update the record and rebuild its
place, identical ones are not touched, and records of the source missing from the file are
retired (they come back, same record and place, if a later file has them again).
"""

import hashlib
import re
import time
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from maillon.accounts.models import Structure
from maillon.places import merge
from maillon.places.importing.communes import CommuneIndex
from maillon.places.importing.normalize import KNOWN_COLUMNS, Normalized, RowNormalizer
from maillon.places.importing.readers import Format, Parsed, ReadError, Row, read_path
from maillon.places.importing.report import ImportReport, Issue
from maillon.places.models import ImportRun, ImportStatus, Place, Source, SourceKind, SourceRecord

_KINDS = {
    Format.STANDARD_CSV: SourceKind.STANDARD,
    Format.STANDARD_JSON: SourceKind.STANDARD,
    Format.DATA_INCLUSION: SourceKind.DATA_INCLUSION,
    Format.MAPPING: SourceKind.MAPPING,
}


def import_file(
    path: Path,
    *,
    source_slug: str | None = None,
    mapping: str | None = None,
    dry_run: bool = False,
    communes: CommuneIndex | None = None,
) -> ImportReport:
    """Import `path` (standard v1/v0.1 CSV or JSON, data·inclusion structures JSON, or a
    producer file read through the declarative `mapping`) as the source `source_slug`.

    `communes`: a `CommuneIndex` built once by a caller importing several files in a row (it
    takes a few hundred milliseconds to load); by default each import loads its own."""
    started = time.monotonic()
    path = Path(path)
    content_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    file_issues: list[Issue] = []
    warnings: list[Issue] = []
    slug = source_slug
    name = ""
    parsed = Parsed(Format.MAPPING if mapping else Format.STANDARD_CSV, [])
    try:
        if mapping:
            parsed, slug, name, warnings = _read_with_mapping(path, mapping, slug)
        else:
            parsed = read_path(path)
    except ReadError as error:
        file_issues.append(error.issue)
    slug = slug or slugify(path.stem)[:80] or "import"
    source = _source(slug, name or path.stem, _KINDS[parsed.format], mapping or "", dry_run)
    report = ImportReport(source=source, format=parsed.format, errors=file_issues + parsed.issues)
    report.warnings.extend(warnings)
    if parsed.format in (Format.STANDARD_CSV, Format.STANDARD_JSON):
        report.warnings.extend(_unknown_columns(parsed.rows))
    rows = _normalize(
        parsed.rows,
        strict=parsed.format != Format.MAPPING,
        report=report,
        communes=communes or CommuneIndex(),
    )
    report.rows = len(rows)

    if report.errors:
        if not dry_run:
            _record_run(report, path, content_hash, ImportStatus.REFUSED, started)
        return report
    # The stored data and raw row are not needed to compare fingerprints: left unloaded.
    existing = (
        {}
        if source.pk is None
        else {
            record.external_id: record
            for record in source.records.only(
                "pk", "source_id", "external_id", "fingerprint", "retired_at", "place_id"
            )
        }
    )
    if dry_run:
        _count(report, rows, existing)
        return report
    with transaction.atomic():
        _apply(report, rows, existing)
        _record_run(report, path, content_hash, ImportStatus.APPLIED, started)
    report.applied = True
    return report


def _read_with_mapping(
    path: Path, name_or_path: str, slug: str | None
) -> tuple[Parsed, str, str, list[Issue]]:
    from maillon.places.importing.mapping import MappingError, load_mapping

    try:
        mapping = load_mapping(name_or_path)
        rows = list(mapping.read(path))
    except MappingError as error:
        line = re.search(r"ligne (\d+)", str(error))
        raise ReadError(Issue(int(line[1]) if line else None, "", "", str(error))) from error
    except UnicodeDecodeError as error:  # pragma: no cover - the mapping reports it itself
        raise ReadError(Issue(None, "", "", f"encodage illisible : {error}")) from error
    warnings = [
        Issue(None, column, term, f"terme sans correspondance ({count} fois) : ignoré")
        for (column, term), count in sorted(mapping.unknown_terms.items())
    ]
    if mapping.skipped_lines:
        warnings.append(
            Issue(
                None,
                "",
                "",
                f"{len(mapping.skipped_lines)} ligne(s) écartée(s) par la correspondance "
                f"(règle « skip ») : {', '.join(map(str, mapping.skipped_lines[:20]))}"
                + ("…" if len(mapping.skipped_lines) > 20 else ""),
            )
        )
    return Parsed(Format.MAPPING, rows), slug or mapping.source_slug, mapping.source_name, warnings


def _source(slug: str, name: str, kind: str, mapping: str, dry_run: bool) -> Source:
    found = Source.objects.filter(slug=slug).first()
    if found is not None:
        return found
    source = Source(slug=slug, name=name[:200], kind=kind, mapping=mapping[:120])
    if not dry_run:
        source.save()
    return source


def _unknown_columns(rows: list[Row]) -> list[Issue]:
    if not rows:
        return []
    columns = [column for column in rows[0][1] if column not in KNOWN_COLUMNS]
    return [Issue(1, column, "", "colonne inconnue du standard : ignorée") for column in columns]


def _normalize(
    rows: list[Row], *, strict: bool, report: ImportReport, communes: CommuneIndex
) -> list[Normalized]:
    normalizer = RowNormalizer(communes, strict=strict)
    seen: dict[str, int] = {}
    results: list[Normalized] = []
    for line, raw in rows:
        result = normalizer.normalize(line, raw)
        first = seen.setdefault(result.external_id, line)
        if first != line:
            result.errors.append(
                Issue(
                    line,
                    "id",
                    result.external_id,
                    f"identifiant en double (lignes {first} et {line})",
                )
            )
        report.errors.extend(result.errors)
        report.warnings.extend(result.warnings)
        results.append(result)
    return results


def _count(report: ImportReport, rows: list[Normalized], existing: dict[str, SourceRecord]) -> None:
    ids = set()
    for row in rows:
        assert row.data is not None
        ids.add(row.external_id)
        record = existing.get(row.external_id)
        if record is None:
            report.created += 1
        elif record.fingerprint == row.data.fingerprint() and record.retired_at is None:
            report.unchanged += 1
        else:
            report.updated += 1
    report.retired = sum(
        1 for key, record in existing.items() if key not in ids and record.retired_at is None
    )


_RECORD_CONTENT = ["data", "raw", "fingerprint", "date_maj", "line_number"]


def _apply(report: ImportReport, rows: list[Normalized], existing: dict[str, SourceRecord]) -> None:
    source = report.source
    now = timezone.now()
    new_places: list[Place] = []
    new_records: list[SourceRecord] = []
    touched: set[int] = set()
    for row in rows:
        data = row.data
        assert data is not None
        fingerprint = data.fingerprint()
        record = existing.get(row.external_id)
        if record is None:
            record = SourceRecord(
                source=source,
                external_id=row.external_id,
                data=data.to_json(),
                raw=row.raw,
                fingerprint=fingerprint,
                date_maj=data.date_maj,
                line_number=row.line,
            )
            # A new place has this record only: its golden record is the record itself.
            golden, provenance = merge.golden([record])
            place = Place(nom=golden.nom, date_maj=golden.date_maj)
            place.apply(golden)
            place.field_provenance = provenance
            new_places.append(place)
            new_records.append(record)
            report.created += 1
            continue
        if record.fingerprint == fingerprint and record.retired_at is None:
            report.unchanged += 1
            continue
        record.data = data.to_json()
        record.raw = row.raw
        record.fingerprint = fingerprint
        record.date_maj = data.date_maj
        record.line_number = row.line
        record.retired_at = None
        record.save(update_fields=[*_RECORD_CONTENT, "retired_at", "updated_at"])
        touched.add(record.place_id)
        report.updated += 1

    Place.objects.bulk_create(new_places, batch_size=500)
    for place, record in zip(new_places, new_records, strict=True):
        record.place = place
    SourceRecord.objects.bulk_create(new_records, batch_size=500)

    seen = {row.external_id for row in rows}
    for key, record in existing.items():
        if key not in seen and record.retired_at is None:
            record.retired_at = now
            record.save(update_fields=["retired_at", "updated_at"])
            touched.add(record.place_id)
            report.retired += 1

    for place in Place.objects.filter(pk__in=touched):
        merge.rebuild(place)
    _link_structures([place.pk for place in new_places] + sorted(touched))


def _link_structures(place_ids: Iterable[int]) -> None:
    """Give a place without structure the active structure whose SIRET is its pivot."""
    places = Place.objects.filter(pk__in=list(place_ids), structure__isnull=True).exclude(pivot="")
    by_pivot: dict[str, list[int]] = {}
    for pk, pivot in places.values_list("pk", "pivot"):
        by_pivot.setdefault(pivot, []).append(pk)
    if not by_pivot:
        return
    structures = Structure.objects.filter(siret__in=list(by_pivot), is_active=True)
    for structure_id, siret in structures.values_list("pk", "siret"):
        Place.objects.filter(pk__in=by_pivot[siret]).update(structure_id=structure_id)


def _record_run(
    report: ImportReport, path: Path, content_hash: str, status: str, started: float
) -> None:
    if report.source.pk is None:
        report.source.save()
    ImportRun.objects.create(
        source=report.source,
        file_name=path.name[:255],
        file_sha256=content_hash,
        status=status,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        retired=report.retired,
        errors=len(report.errors),
        warnings=len(report.warnings),
        duration_ms=int((time.monotonic() - started) * 1000),
    )
