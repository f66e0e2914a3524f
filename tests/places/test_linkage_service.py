"""run_linkage and record_decision on the database: merges, idempotence, decisions, report."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from maillon.core.models import AuditEvent
from maillon.places.linkage.service import record_decision, relink_around, run_linkage
from maillon.places.models import CandidatePair, Decision, Place, SourceRecord
from tests.factories.accounts import UserFactory
from tests.factories.places import create_place, place_data

pytestmark = pytest.mark.django_db

SIRET = "21530130000017"


def two_copies() -> tuple[Place, Place]:
    first = create_place(
        source_slug="dep",
        external_id="1",
        nom="Mairie de Laval",
        pivot=SIRET,
        telephone="0243494300",
    )
    second = create_place(
        source_slug="hub",
        external_id="A",
        nom="Commune de Laval",
        pivot=SIRET,
        telephone="+33243494300",
        presentation_resume="Accueil numérique",
    )
    return first, second


def record(source: str, external_id: str) -> SourceRecord:
    return SourceRecord.objects.select_related("source").get(
        source__slug=source, external_id=external_id
    )


def reimport(source: str, external_id: str, **fields: object) -> None:
    """What an importer does on a changed row: update the record, rebuild its place."""
    row = record(source, external_id)
    data = place_data(**{**row.data, **fields, "date_maj": row.date_maj})
    row.data, row.fingerprint = data.to_json(), data.fingerprint()
    row.save()


def test_it_merges_duplicates_into_the_oldest_place_with_provenance() -> None:
    first, second = two_copies()
    result = run_linkage()
    assert result.auto_merges == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into == first
    assert first.records.count() == 2
    assert first.presentation_resume == "Accueil numérique"
    assert first.field_provenance["presentation_resume"]["source"] == "hub"


def test_it_is_idempotent() -> None:
    two_copies()
    create_place(source_slug="hub", external_id="B", nom="Médiathèque", pivot=SIRET)
    run_linkage()
    pairs = list(CandidatePair.objects.values_list("pk", "score", "outcome"))
    again = run_linkage()
    assert (again.new_pairs, again.merged_records, again.place_writes) == (0, 0, 0)
    assert list(CandidatePair.objects.values_list("pk", "score", "outcome")) == pairs


def test_it_keeps_missing_coordinates_apart() -> None:
    create_place(
        source_slug="a",
        nom="Cyber Espace",
        adresse="",
        latitude=None,
        longitude=None,
        location_precision="none",
    )
    create_place(
        source_slug="b",
        nom="Relais numérique",
        adresse="",
        latitude=None,
        longitude=None,
        location_precision="none",
    )
    run_linkage()
    assert Place.objects.current().count() == 2


def test_it_does_not_auto_merge_an_epn_with_its_town_hall() -> None:
    create_place(source_slug="a", nom="Mairie de Laval", pivot=SIRET, telephone="0243494300")
    create_place(source_slug="b", nom="EPN de Laval", pivot=SIRET, telephone="0243494300")
    result = run_linkage()
    assert result.auto_merges == 0
    assert Place.objects.current().count() == 2


def test_it_splits_a_merge_on_non_doublon_and_reuses_the_old_place() -> None:
    first, second = two_copies()
    run_linkage()
    user = UserFactory.create()
    record_decision(
        record_a=record("dep", "1"),
        record_b=record("hub", "A"),
        decision=Decision.NON_DOUBLON,
        actor=user,
    )
    second.refresh_from_db()
    assert second.merged_into is None
    assert record("hub", "A").place_id == second.pk
    assert record("dep", "1").place_id == first.pk
    assert AuditEvent.objects.count() == 1


def test_review_decisions_survive_a_reimport() -> None:
    create_place(
        source_slug="dep", external_id="1", nom="Espace numérique Laval", adresse="1 rue de la Paix"
    )
    create_place(
        source_slug="hub",
        external_id="A",
        nom="Espace numérique de Laval",
        adresse="1 rue de la Paix",
    )
    run_linkage()
    pair = CandidatePair.objects.get()
    assert pair.outcome == "review"
    record_decision(
        record_a=record("dep", "1"),
        record_b=record("hub", "A"),
        decision=Decision.DOUBLON,
        actor=UserFactory.create(),
    )
    assert Place.objects.current().count() == 1
    reimport("hub", "A", telephone="0243000000")
    run_linkage()
    assert Place.objects.current().count() == 1
    assert record("dep", "1").place_id == record("hub", "A").place_id


def test_a_non_doublon_decision_survives_a_reimport() -> None:
    two_copies()
    record_decision(
        record_a=record("dep", "1"),
        record_b=record("hub", "A"),
        decision=Decision.NON_DOUBLON,
        actor=UserFactory.create(),
    )
    reimport("hub", "A", presentation_resume="Nouveau texte")
    run_linkage()
    assert record("dep", "1").place_id != record("hub", "A").place_id


def test_the_command_writes_one_report_row_per_record(tmp_path: Path) -> None:
    first, _ = two_copies()
    create_place(
        source_slug="hub",
        external_id="B",
        nom="Fablab",
        adresse="9 rue Loin",
        latitude=47.0,
        longitude=-1.0,
    )
    path = tmp_path / "rapport.csv"
    call_command("dedupe_lieux", report=path, stdout=io.StringIO())
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3
    merged = [row for row in rows if row["source_id"] in {"1", "A"}]
    assert {row["cluster_id"] for row in merged} == {str(first.public_id)}
    assert {row["decision"] for row in merged} == {"fusion automatique"}


def test_a_decision_relinks_only_the_records_around_its_pair() -> None:
    create_place(
        source_slug="dep", external_id="2", nom="Espace numérique Laval", adresse="1 rue de la Paix"
    )
    create_place(
        source_slug="hub",
        external_id="B",
        nom="Espace numérique de Laval",
        adresse="1 rue de la Paix",
    )
    for n in range(5):  # elsewhere: no pair with the decided records
        create_place(
            source_slug="other",
            external_id=f"x{n}",
            nom=f"Atelier {n}",
            commune="Angers",
            code_postal="49000",
            adresse=f"{n} place du Ralliement",
            latitude=47.47 + n / 100,
            longitude=-0.55,
        )
    run_linkage()
    pair = CandidatePair.objects.get(
        record_a_id__in=[record("dep", "2").pk, record("hub", "B").pk],
        record_b_id__in=[record("dep", "2").pk, record("hub", "B").pk],
    )
    assert pair.outcome == "review"

    relinked = relink_around([pair.record_a_id, pair.record_b_id])
    assert relinked.records == 2
    assert (relinked.new_pairs, relinked.merged_records, relinked.place_writes) == (0, 0, 0)

    record_decision(
        record_a=record("dep", "2"),
        record_b=record("hub", "B"),
        decision=Decision.DOUBLON,
        actor=UserFactory.create(),
    )
    assert record("dep", "2").place_id == record("hub", "B").place_id
    assert Place.objects.current().count() == 1 + 5
    # The full run finds exactly what the local re-link did.
    again = run_linkage()
    assert (again.new_pairs, again.merged_records, again.place_writes) == (0, 0, 0)
