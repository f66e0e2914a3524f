"""Autonomy progression in the statistics, and the whole-territory path equal to the raw rows."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from maillon.accounts.models import User
from maillon.activities.models import Accompaniment, Activity
from maillon.activities.participants import refresh_counts
from maillon.activities.services import (
    ActivityData,
    delete_activity,
    record_activity,
    update_activity,
)
from maillon.activities.statistics import rollups
from maillon.activities.statistics.filters import StatisticsFilters, scope_of, whole_territory
from maillon.activities.statistics.queries import compute
from maillon.activities.statistics.rebuild import rebuild_rollups
from maillon.activities.statistics.tracking import beneficiaries_changing
from maillon.activities.vocabulary import Autonomie, Thematique
from maillon.beneficiaries.models import (
    NO_AUTONOMY_TREND,
    NON_PERSONAL_FIELDS,
    PERSONAL_FIELDS,
    Beneficiary,
    Genre,
)
from maillon.beneficiaries.rights import erase
from maillon.beneficiaries.trajectory import Verdict
from tests.factories.activities import Teams, activity_data
from tests.factories.beneficiaries import BeneficiaryFactory

pytestmark = pytest.mark.django_db
JUNE, JULY, SEPTEMBER = dt.date(2026, 6, 3), dt.date(2026, 7, 15), dt.date(2026, 9, 10)
LEVELS = {
    1: Autonomie.ENTIEREMENT_ACCOMPAGNE,
    2: Autonomie.PARTIELLEMENT_AUTONOME,
    3: Autonomie.AUTONOME,
}


def _sessions(teams: Teams, person: Beneficiary | None, *levels: int, **fields: Any) -> None:
    for index, level in enumerate(levels):
        record_activity(
            actor=teams.mediator_a,
            data=activity_data(
                teams.a,
                beneficiary=person,
                date=fields.get("date", JULY) + dt.timedelta(days=index),
                autonomy=LEVELS[level] if level else "",
                themes=fields.get("themes", (Thematique.EMAIL,)),
            ),
        )


def _known_population(teams: Teams) -> list[Beneficiary]:
    people = [BeneficiaryFactory.create(structure=teams.a, birth_year=1960) for _ in range(4)]
    _sessions(teams, people[0], 1, 3, themes=(Thematique.SANTE,))  # progression
    _sessions(teams, people[1], 2, 0, 2)  # stable (an unrated session in between)
    _sessions(teams, people[2], 3, 1)  # recul
    _sessions(teams, people[3], 2)  # a single rating: not measurable
    _sessions(teams, None, 1, 3)  # anonymous people are not followed
    return people


def _assert_tables_equal_raw() -> None:
    raw = rollups.recount_from_raw()
    for table in rollups.ALL_TABLES:
        assert rollups.stored(table) == raw[table], table.model.__name__
    assert rollups.stored_trends() == rollups.trends_from_raw()


def _fast_equals_raw(user: User, **filters: Any) -> dict[str, Any]:
    scope = scope_of(user)
    selection = StatisticsFilters(**filters)
    assert whole_territory(scope, selection, today=dt.date.today()) is not None
    fast = compute(scope, selection).to_json()
    raw = compute(scope, StatisticsFilters(**filters, thematiques=tuple(Thematique.values)))
    assert raw.to_json() == fast
    return fast


def test_progression_counts_rose_stayed_fell_among_followed_people(teams: Teams) -> None:
    _known_population(teams)
    stats = compute(scope_of(teams.manager_a), StatisticsFilters())
    total = stats.to_json()["progression_autonomie"]["ensemble"]
    assert (total["mesurables"], total["non_mesurables"]) == (3, 1)
    assert [(v["code"], v["nombre"], v["part"]) for v in total["valeurs"]] == [
        ("progression", 1, 0.333),
        ("stable", 1, 0.333),
        ("recul", 1, 0.333),
    ]
    themes = {row.code: row for row in stats.progression.by_theme}
    assert themes[Thematique.SANTE].counts == (1, 0, 0)
    assert themes[Thematique.EMAIL].counts == (0, 1, 1)
    assert themes[Thematique.EMAIL].not_measured == 1
    assert sum(row.measured or 0 for row in stats.progression.by_territory) == 3


def test_progression_is_masked_under_five_people_in_territory_views(teams: Teams) -> None:
    _known_population(teams)
    fast = _fast_equals_raw(teams.administrator)
    total = fast["progression_autonomie"]["ensemble"]
    assert total["mesurables"] is None  # 3 people
    assert [v["nombre"] for v in total["valeurs"]] == [None, None, None]
    assert all(v["masque"] for v in total["valeurs"])


def test_whole_territory_path_needs_whole_months(teams: Teams) -> None:
    scope = scope_of(teams.administrator)
    today = dt.date(2026, 11, 22)

    def whole(**filters: Any) -> bool:
        return whole_territory(scope, StatisticsFilters(**filters), today=today) is not None

    assert whole(du=dt.date(2026, 7, 1), au=dt.date(2026, 9, 30))
    assert whole(du=dt.date(2026, 7, 1), au=dt.date(2026, 12, 3))  # after today
    assert whole(territoire="dep:53", au=dt.date(2026, 2, 28))
    assert not whole(du=dt.date(2026, 7, 2))
    assert not whole(au=dt.date(2026, 9, 29))
    assert not whole(territoire="com:53130")
    assert not whole(types=("individuel",))
    assert not whole_territory(scope_of(teams.manager_a), StatisticsFilters(), today=today)
    coordinator = scope_of(teams.coordinator)
    assert whole_territory(coordinator, StatisticsFilters(), today=today) is not None


def test_fast_path_equals_raw_after_beneficiary_edits_merge_and_erasure(teams: Teams) -> None:
    people = _known_population(teams)
    _sessions(teams, people[0], 2, 3, date=SEPTEMBER)
    for _ in range(6):
        _sessions(teams, BeneficiaryFactory.create(structure=teams.a), 1, 2, date=SEPTEMBER)
    _assert_tables_equal_raw()
    periods: list[dict[str, Any]] = [
        {},
        {"du": dt.date(2026, 8, 1)},
        {"du": dt.date(2026, 7, 1), "au": dt.date(2026, 7, 31)},
    ]
    for period in periods:
        _fast_equals_raw(teams.administrator, **period)
        _fast_equals_raw(teams.coordinator, **period)

    # A category changed by a plain save: the receivers follow it.
    people[1].genre = Genre.FEMININ
    people[1].birth_year = 2010
    people[1].save()
    _assert_tables_equal_raw()
    # A merge: the accompaniments of people[3] move to people[2].
    with beneficiaries_changing([people[2].pk, people[3].pk]):
        Accompaniment.objects.filter(beneficiary=people[3]).update(beneficiary=people[2])
        refresh_counts(activity_ids=[], beneficiary_ids=[people[2].pk, people[3].pk])
    _assert_tables_equal_raw()
    erase(actor=teams.manager_a, beneficiary=people[0])
    _assert_tables_equal_raw()
    for period in periods:
        _fast_equals_raw(teams.administrator, **period)
    stats = compute(scope_of(teams.administrator), StatisticsFilters())
    assert stats.beneficiaires == 11


def _trend(person: Beneficiary) -> str:
    person.refresh_from_db()
    return person.autonomy_trend


def test_stored_trend_follows_inserts_edits_deletes_merges_and_rebuild(teams: Teams) -> None:
    """The trend kept in each file (read by the raw path) equals the one of the raw rows."""
    person, other = (BeneficiaryFactory.create(structure=teams.a) for _ in range(2))
    assert _trend(person) == Verdict.PAS_ASSEZ

    def session(who: Beneficiary, level: int, day: dt.date) -> ActivityData:
        return activity_data(teams.a, beneficiary=who, date=day, autonomy=LEVELS[level])

    first = record_activity(actor=teams.mediator_a, data=session(person, 1, JULY))
    assert _trend(person) == Verdict.PAS_ASSEZ
    latest = record_activity(actor=teams.mediator_a, data=session(person, 3, SEPTEMBER))
    _assert_tables_equal_raw()
    assert _trend(person) == Verdict.PROGRESSION
    # An instance read before the change and saved whole does not write back its stale trend.
    stale = Beneficiary.objects.get(pk=person.pk)
    stale.autonomy_trend = Verdict.RECUL
    stale.genre = Genre.MASCULIN
    stale.save()
    assert _trend(person) == Verdict.PROGRESSION
    # A changed autonomy level, then a changed date order.
    update_activity(actor=teams.mediator_a, activity=first, data=session(person, 3, JULY))
    _assert_tables_equal_raw()
    assert _trend(person) == Verdict.STABLE
    update_activity(actor=teams.mediator_a, activity=latest, data=session(person, 1, JUNE))
    _assert_tables_equal_raw()
    assert _trend(person) == Verdict.PROGRESSION  # 1 in June, then 3 in July
    _fast_equals_raw(teams.administrator)
    # A deletion leaves one rated session.
    delete_activity(actor=teams.mediator_a, activity=latest)
    _assert_tables_equal_raw()
    assert _trend(person) == Verdict.PAS_ASSEZ
    # A merge: the other file's sessions move to the person; the other file is left with none.
    record_activity(actor=teams.mediator_a, data=session(other, 2, SEPTEMBER))
    record_activity(actor=teams.mediator_a, data=session(other, 1, SEPTEMBER))
    assert _trend(other) == Verdict.RECUL
    with beneficiaries_changing([person.pk, other.pk]):
        Accompaniment.objects.filter(beneficiary=other).update(beneficiary=person)
        refresh_counts(activity_ids=[], beneficiary_ids=[person.pk, other.pk])
    _assert_tables_equal_raw()
    assert (_trend(person), _trend(other)) == (Verdict.RECUL, Verdict.PAS_ASSEZ)
    _fast_equals_raw(teams.administrator)
    # A rebuild writes every trend from the raw rows.
    Beneficiary.objects.update(autonomy_trend=Verdict.STABLE)
    rebuild_rollups()
    _assert_tables_equal_raw()
    assert (_trend(person), _trend(other)) == (Verdict.RECUL, Verdict.PAS_ASSEZ)
    # With no activity left, every trend falls back to « pas assez de données ».
    Activity.objects.update(deleted_at=timezone.now())
    Beneficiary.objects.update(autonomy_trend=Verdict.STABLE)
    rebuild_rollups()
    assert set(rollups.stored_trends().values()) == {NO_AUTONOMY_TREND}


def test_new_files_get_the_no_data_trend() -> None:
    assert NO_AUTONOMY_TREND == Verdict.PAS_ASSEZ
    assert "autonomy_trend" in NON_PERSONAL_FIELDS
    assert "autonomy_trend" not in PERSONAL_FIELDS
