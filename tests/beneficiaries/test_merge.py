"""Duplicates and merge: detection by two signals, the declared-distinct list, the merge moving
accompaniments with first accompaniments, counters and statistics kept equal to raw rows."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from maillon.activities.beneficiary_merge import merge_beneficiaries
from maillon.activities.models import Accompaniment
from maillon.activities.services import record_activity
from maillon.activities.statistics import aggregates, rollups
from maillon.activities.statistics.filters import StatisticsFilters, scope_of
from maillon.activities.statistics.queries import compute
from maillon.beneficiaries.duplicates import declare_distinct, find_pairs
from maillon.beneficiaries.models import Beneficiary, Genre
from maillon.core.models import AuditAction, AuditEvent
from tests.factories.activities import Teams, activity_data
from tests.factories.beneficiaries import BeneficiaryFactory

OCT_1 = dt.date(2026, 10, 1)
OCT_10 = dt.date(2026, 10, 10)


def person(teams: Teams, **fields: object) -> Beneficiary:
    values: dict[str, object] = {
        "structure": teams.a,
        "created_by": teams.mediator_a,
        "first_name": "Josette",
        "last_name": "Lebrun",
    }
    values.update(fields)
    return BeneficiaryFactory.create(**values)


# Detection -----------------------------------------------------------------------------------


def test_two_matching_signals_make_a_pair_whatever_accents_case_and_hyphens(
    teams: Teams,
) -> None:
    a = person(teams, last_name="Le Brun-Évrard", first_name="Josette")
    b = person(teams, last_name="lebrunevrard", first_name="JOSETTE")
    person(teams, last_name="Lebrun-Evrard", first_name="Paul", phone="")  # one signal only
    [pair] = find_pairs(teams.a.pk)
    assert {pair.first.pk, pair.second.pk} == {a.pk, b.pk}
    assert pair.signals == ("last_name", "first_name")


def test_phone_and_email_count_and_an_empty_value_never_matches(teams: Teams) -> None:
    a = person(teams, last_name="Martin", phone="06 12 34 56 78", email="j@exemple.fr")
    b = person(
        teams, last_name="Durand", first_name="Jo", phone="+33612345678", email=" J@exemple.fr"
    )
    person(teams, last_name="Petit", first_name="Léa")
    person(teams, last_name="Blanc", first_name="Léo")  # both without phone nor e-mail
    [pair] = find_pairs(teams.a.pk)
    assert {pair.first.pk, pair.second.pk} == {a.pk, b.pk}
    assert pair.signals == ("phone", "email")


def test_a_typo_in_a_name_still_matches_and_conflicts_are_shown(teams: Teams) -> None:
    person(teams, last_name="Lebrun", birth_year=1950)
    person(teams, last_name="Lebrum", birth_year=1951)
    [pair] = find_pairs(teams.a.pk)
    assert pair.signals == ("last_name", "first_name")
    assert pair.conflict_labels == ["Année de naissance"]


def test_other_structures_deleted_anonymised_and_declared_distinct_are_left_out(
    teams: Teams,
) -> None:
    a, b = person(teams), person(teams)
    person(teams, deleted=True)
    BeneficiaryFactory.create(structure=teams.b, first_name="Josette", last_name="Lebrun")
    assert len(find_pairs(teams.a.pk)) == 1
    assert find_pairs(teams.b.pk) == []
    declare_distinct(structure_id=teams.a.pk, first=b.pk, second=a.pk, by_id=teams.mediator_a.pk)
    assert find_pairs(teams.a.pk) == []


# Merge ---------------------------------------------------------------------------------------


def _stats_json(teams: Teams) -> dict[str, object]:
    result: dict[str, object] = compute(scope_of(teams.manager_a), StatisticsFilters()).to_json()
    return result


def _assert_statistics_equal_raw(teams: Teams) -> None:
    assert aggregates.stored() == aggregates.recount_from_raw()
    raw = rollups.recount_from_raw()
    for table in rollups.ALL_TABLES:
        assert rollups.stored(table) == raw[table], table.model.__name__
    shown = _stats_json(teams)
    call_command("rebuild_statistics", verbosity=0)
    assert _stats_json(teams) == shown


def test_merge_moves_accompaniments_recomputes_firsts_and_keeps_statistics_right(
    teams: Teams,
) -> None:
    kept = person(teams, genre=Genre.FEMININ, phone="", birth_year=1950)
    merged = person(
        teams,
        genre=Genre.NON_COMMUNIQUE,
        phone="+33612345678",
        birth_year=1948,
        notes="Préfère le matin",
    )
    early = record_activity(
        actor=teams.mediator_a, data=activity_data(teams.a, beneficiary=merged, date=OCT_1)
    )
    record_activity(
        actor=teams.mediator_a, data=activity_data(teams.a, beneficiary=kept, date=OCT_10)
    )
    # A workshop both files attended: one accompaniment must remain.
    workshop = record_activity(
        actor=teams.mediator_a,
        data=activity_data(teams.a, collective=True, date=OCT_10, participants=(kept, merged)),
    )
    _assert_statistics_equal_raw(teams)

    result = merge_beneficiaries(
        actor=teams.mediator_a, source=merged, destination=kept, take_from_source=["birth_year"]
    )

    assert (result.moved, result.removed_duplicates) == (1, 1)
    kept.refresh_from_db()
    merged.refresh_from_db()
    assert (kept.phone, kept.birth_year, kept.genre, kept.notes) == (
        "+33612345678",
        1948,
        Genre.FEMININ,
        "Préfère le matin",
    )
    assert merged.merged_into == kept and merged.deleted_at is not None
    assert kept.accompaniments_count == 3 and merged.accompaniments_count == 0
    firsts = Accompaniment.objects.filter(beneficiary=kept, is_first=True)
    assert [a.activity_id for a in firsts] == [early.pk]
    workshop.refresh_from_db()
    assert workshop.participants_count == workshop.accompaniments.count() == 4  # 3 anonymous
    _assert_statistics_equal_raw(teams)
    events = AuditEvent.objects.filter(action__in=[AuditAction.UPDATE, AuditAction.DELETE])
    assert {(e.action, e.object_id) for e in events} >= {
        (AuditAction.UPDATE, str(kept.pk)),
        (AuditAction.DELETE, str(merged.pk)),
    }


def test_the_kept_file_is_found_by_the_names_it_takes(teams: Teams) -> None:
    kept = person(teams, first_name="Helene", last_name="Dupre", email="")
    merged = person(teams, first_name="Hélène", last_name="Dupré", email="h.dupre@exemple.fr")

    merge_beneficiaries(
        actor=teams.mediator_a, source=merged, destination=kept, take_from_source=["first_name"]
    )

    kept.refresh_from_db()
    assert kept.search_key == "helene dupre h.dupre@exemple.fr"


def test_merge_refuses_other_structures_and_closed_files(teams: Teams) -> None:
    a = person(teams)
    other = BeneficiaryFactory.create(structure=teams.b)
    with pytest.raises(PermissionDenied):
        merge_beneficiaries(actor=teams.mediator_a, source=other, destination=a)
    with pytest.raises(PermissionDenied):
        merge_beneficiaries(actor=teams.mediator_b, source=person(teams), destination=a)
    with pytest.raises(ValidationError):
        merge_beneficiaries(
            actor=teams.mediator_a, source=person(teams, deleted=True), destination=a
        )
    assert not Beneficiary.objects.filter(merged_into__isnull=False).exists()


# Views ---------------------------------------------------------------------------------------


def test_duplicates_page_and_merge_screen_for_a_member(client: Client, teams: Teams) -> None:
    a = person(teams, birth_year=1950)
    b = person(teams, birth_year=1951, phone="+33612345678")
    client.force_login(teams.colleague_a)
    body = client.get(reverse("beneficiaries:duplicates")).content.decode()
    assert "Lebrun Josette" in body and "Année de naissance" in body
    reads = AuditEvent.objects.filter(action=AuditAction.READ)
    assert sorted(e.object_id for e in reads) == sorted([str(a.pk), str(b.pk)])

    detail = client.get(reverse("beneficiaries:detail", args=[a.pk])).content.decode()
    assert "Doublon potentiel" in detail
    url = reverse("beneficiary_merge:merge", args=[a.pk, b.pk])
    page = client.get(url).content.decode()
    assert "Année de naissance à garder" in page
    response = client.post(url, {"kept": "first", "birth_year": "second"})
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.birth_year, a.phone, b.merged_into_id) == (1951, "+33612345678", a.pk)


def test_the_merge_screen_writes_dates_the_french_way(client: Client, teams: Teams) -> None:
    a = person(teams, information_notice_given_on=dt.date(2025, 6, 23))
    b = person(teams, information_notice_given_on=dt.date(2025, 5, 20))
    client.force_login(teams.mediator_a)
    page = client.get(reverse("beneficiary_merge:merge", args=[a.pk, b.pk])).content.decode()
    assert "23/06/2025" in page and "20/05/2025" in page
    assert "2025-06-23" not in page
    assert "Date de remise de la notice d\u2019information à garder" in page


def test_declaring_two_people_distinct(client: Client, teams: Teams) -> None:
    a, b = person(teams), person(teams)
    client.force_login(teams.mediator_a)
    response = client.post(reverse("beneficiaries:not_duplicate", args=[a.pk, b.pk]))
    assert response.status_code == 302
    assert find_pairs(teams.a.pk) == []


@pytest.mark.parametrize("who", ["mediator_b", "coordinator", "administrator", "stranger"])
def test_anyone_else_gets_404_and_no_name(client: Client, teams: Teams, who: str) -> None:
    a, b = person(teams, last_name="Secretnom"), person(teams, last_name="Secretnom")
    client.force_login(getattr(teams, who))
    merge_url = reverse("beneficiary_merge:merge", args=[a.pk, b.pk])
    for response in [
        client.get(merge_url),
        client.post(merge_url, {"kept": "first"}),
        client.post(reverse("beneficiaries:not_duplicate", args=[a.pk, b.pk])),
    ]:
        assert response.status_code == 404
        assert "Secretnom" not in response.content.decode()
    list_response = client.get(reverse("beneficiaries:duplicates"))
    assert "Secretnom" not in list_response.content.decode()
    if who != "mediator_b":
        assert list_response.status_code == 404
    assert not Beneficiary.objects.filter(merged_into__isnull=False).exists()
    assert not AuditEvent.objects.exists()


def test_anonymous_is_sent_to_login(client: Client, teams: Teams) -> None:
    a, b = person(teams), person(teams)
    for url in [
        reverse("beneficiaries:duplicates"),
        reverse("beneficiary_merge:merge", args=[a.pk, b.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
