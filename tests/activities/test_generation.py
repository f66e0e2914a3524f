"""`manage.py generate_activites`: volumes, real distributions, counters, first accompaniments."""

from collections import Counter
from io import StringIO
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Min, Q
from django.test import override_settings

from maillon.accounts.models import Membership, Role
from maillon.activities.generation import generate, load_territory, sources
from maillon.activities.generation.plan import draw
from maillon.activities.models import Accompaniment, Activity
from maillon.activities.participants import refresh_counts
from maillon.activities.vocabulary import (
    THEMATIQUES_ADMINISTRATIVES,
    Thematique,
    TypeActivite,
    TypeLieu,
)
from maillon.beneficiaries.matching import search_key
from maillon.beneficiaries.models import Beneficiary, TrancheAge
from maillon.territory.models import Commune, Zone
from maillon.territory.names import normalize_name
from tests.factories.territory import DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db

COUNT = 2000


@pytest.fixture
def territory(db: None) -> None:
    """Ten communes in Mayenne (53) and ten in Sarthe (72), without the commune factory."""
    region = RegionFactory.create(code="52")
    for code, name in (("53", "Mayenne"), ("72", "Sarthe")):
        departement = DepartementFactory.create(code=code, name=name, region=region)
        for n in range(1, 11):
            Commune.objects.create(
                code_insee=f"{code}{n:03d}",
                name=f"Commune {code}-{n}",
                search_name=normalize_name(f"Commune {code}-{n}"),
                zone=Zone.METRO,
                departement=departement,
                population=1000 * n,
            )


def _figures_row(code: str) -> int:
    return sources.load_figures().codes.index(code)


def test_it_creates_the_requested_volumes(territory: None) -> None:
    result = generate(count=COUNT, seed=3)

    assert Activity.objects.count() == COUNT == result.activities
    assert Accompaniment.objects.count() == result.accompaniments
    assert Beneficiary.objects.count() == result.beneficiaries
    # About one beneficiary per three activities, anonymous and identified ones.
    assert abs(result.beneficiaries - COUNT / 3) < 0.1 * COUNT / 3
    anonymous = Beneficiary.objects.filter(is_anonymous=True).count()
    assert 0.3 < anonymous / result.beneficiaries < 0.6
    assert Beneficiary.objects.filter(is_anonymous=False, first_name="").count() == 0
    # About one mediator per thousand activities, each a mediator of a structure in the area.
    assert result.mediators == Membership.objects.filter(role=Role.MEDIATOR).count()
    assert 2 <= result.mediators <= 3
    departements = set(
        Activity.objects.values_list("structure__commune__departement_id", flat=True)
    )
    assert departements == {"53", "72"}


def test_every_activity_is_recorded_by_a_mediator_of_its_structure(territory: None) -> None:
    generate(count=COUNT, seed=3)

    members = set(
        Membership.objects.filter(role=Role.MEDIATOR).values_list("user_id", "structure_id")
    )
    pairs = set(Activity.objects.values_list("mediator_id", "structure_id"))
    assert pairs <= members
    # Beneficiaries belong to the structure of every activity they took part in.
    assert not Accompaniment.objects.exclude(
        beneficiary__structure_id=F("activity__structure_id")
    ).exists()


def test_generated_activities_follow_the_rules_of_the_services(territory: None) -> None:
    generate(count=COUNT, seed=5)
    activities = Activity.objects.all()

    assert not activities.filter(commune__isnull=True).exists()
    assert not activities.filter(place_kind=TypeLieu.LIEU_ACTIVITE, place__isnull=True).exists()
    assert not activities.exclude(place_kind=TypeLieu.LIEU_ACTIVITE).filter(place__isnull=False)
    assert not activities.filter(themes_mask=0).exists()
    assert not activities.filter(type=TypeActivite.COLLECTIF).exclude(autonomy="").exists()
    assert not activities.filter(type=TypeActivite.COLLECTIF, redirected=True).exists()
    assert not activities.filter(type=TypeActivite.INDIVIDUEL).exclude(workshop_title="")
    assert not activities.filter(redirected=True, redirect_category="").exists()
    help_code = Thematique.AIDE_AUX_DEMARCHES_ADMINISTRATIVES.value
    for themes, mask, equipment, mask_equipment in activities.values_list(
        "themes", "themes_mask", "equipment", "equipment_mask"
    ):
        probe = Activity()
        probe.set_themes(themes)
        probe.set_equipment(equipment)
        assert (probe.themes_mask, probe.equipment_mask) == (mask, mask_equipment)
        if THEMATIQUES_ADMINISTRATIVES.intersection(themes):
            assert help_code in themes
    durations = activities.aggregate(low=Min("duration_minutes"))
    assert durations["low"] is not None and durations["low"] > 0


def test_counters_equal_the_raw_rows(territory: None) -> None:
    generate(count=COUNT, seed=11)

    activities = Activity.objects.annotate(raw=Count("accompaniments"))
    assert all(n == raw for n, raw in activities.values_list("participants_count", "raw"))
    assert not Activity.objects.filter(type=TypeActivite.INDIVIDUEL).exclude(participants_count=1)
    people = Beneficiary.objects.annotate(raw=Count("accompaniments"))
    assert all(n == raw for n, raw in people.values_list("accompaniments_count", "raw"))
    assert not Beneficiary.objects.filter(accompaniments_count=0).exists()
    # The search key is written with the names: generated people are found like the others.
    for first, last, key in Beneficiary.objects.values_list(
        "first_name", "last_name", "search_key"
    ):
        assert key == search_key(first, last)


def test_first_accompaniments_are_on_each_persons_earliest_activity(territory: None) -> None:
    generate(count=COUNT, seed=13)

    firsts = Counter(
        Accompaniment.objects.filter(is_first=True).values_list("beneficiary_id", flat=True)
    )
    new_people = Beneficiary.objects.filter(was_already_accompanied=False)
    assert set(firsts) == set(new_people.values_list("pk", flat=True))
    assert set(firsts.values()) == {1}
    earliest = dict(
        Beneficiary.objects.annotate(first=Min("accompaniments__activity__date")).values_list(
            "pk", "first"
        )
    )
    for beneficiary_id, date in Accompaniment.objects.filter(is_first=True).values_list(
        "beneficiary_id", "activity__date"
    ):
        assert date == earliest[beneficiary_id]
    # The services' own recomputation finds nothing to change.
    before = set(Accompaniment.objects.filter(is_first=True).values_list("pk", flat=True))
    refresh_counts(
        activity_ids=[], beneficiary_ids=Beneficiary.objects.values_list("pk", flat=True)
    )
    after = set(Accompaniment.objects.filter(is_first=True).values_list("pk", flat=True))
    assert before == after


def test_distributions_follow_the_real_figures_of_the_departement(territory: None) -> None:
    count = 6000
    generate(count=count, seed=17, territory="dep:53")
    figures = sources.load_figures()
    row = _figures_row("53")

    collective = Activity.objects.filter(type=TypeActivite.COLLECTIF).count() / count
    assert collective == pytest.approx(figures.collective_share[row], abs=0.02)

    # Share of activities mentioning each V2 thématique vs the V1 rate of its V1 themes.
    mentions = Counter(
        code for themes in Activity.objects.values_list("themes", flat=True) for code in themes
    )
    for v1, rate in zip(sources.V1_THEMES, figures.theme_rates[row], strict=True):
        targets = sources.V1_THEMES[v1]
        if (
            len(targets) == 1
            and sum(t == targets[0] for ts in sources.V1_THEMES.values() for t in ts) == 1
        ):
            assert mentions[targets[0]] / count == pytest.approx(rate, abs=0.04), v1

    people = Beneficiary.objects.all()
    total = people.count()
    statuts = Counter(people.values_list("statut_social", flat=True))
    for share, code in zip(figures.statut_shares[row], sources.V1_STATUTS.values(), strict=True):
        assert statuts[code] / total == pytest.approx(share, abs=0.04), code
    brackets = Counter(person.tranche_age for person in people.only("birth_year", "age_bracket"))
    ages = dict(zip(sources.AGE_BRACKETS, figures.age_shares[row], strict=True))
    seniors = TrancheAge.SOIXANTE_SOIXANTE_NEUF, TrancheAge.SOIXANTE_DIX_PLUS
    expected = sum(ages[b] for b in seniors)
    assert sum(brackets[b] for b in seniors) / total == pytest.approx(expected, abs=0.05)
    assert brackets[TrancheAge.MOINS_DE_DOUZE] / total == pytest.approx(
        ages[TrancheAge.MOINS_DE_DOUZE], abs=0.04
    )


def test_the_territory_limits_where_activities_happen(territory: None) -> None:
    generate(count=500, seed=19, territory="dep:72")

    assert not Activity.objects.exclude(commune__departement_id="72").exists()
    assert (
        not Beneficiary.objects.filter(~Q(commune__isnull=True))
        .exclude(commune__departement_id="72")
        .exists()
    )


def test_the_same_seed_draws_the_same_data(territory: None) -> None:
    area = load_territory("fr")
    first, again, other = (draw(COUNT, seed, area, 739_000) for seed in (7, 7, 8))

    for name in ("days_ago", "themes_mask", "structure", "accompaniment_beneficiary"):
        assert np.array_equal(getattr(first, name), getattr(again, name))
    assert not np.array_equal(first.themes_mask, other.themes_mask)


@override_settings(DEBUG=True)
def test_it_refuses_to_reuse_a_seed(territory: None) -> None:
    call_command("generate_activites", count=100, seed=23, stdout=StringIO())

    with pytest.raises(CommandError, match="graine 23"):
        call_command("generate_activites", count=100, seed=23, stdout=StringIO())


@override_settings(DEBUG=False)
def test_it_refuses_to_run_without_debug_unless_forced(territory: None) -> None:
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_activites", count=100, seed=29, stdout=StringIO())
    assert not Activity.objects.exists()

    out = StringIO()
    call_command("generate_activites", count=100, seed=29, force=True, stdout=out)
    assert Activity.objects.count() == 100
    assert "100 activités" in out.getvalue()


@override_settings(DEBUG=True)
def test_it_names_a_territory_without_communes(territory: None) -> None:
    with pytest.raises(CommandError, match="load_territory"):
        call_command(
            "generate_activites", count=10, seed=31, territoire="dep:29", stdout=StringIO()
        )
    with pytest.raises(CommandError, match="Territoire invalide"):
        call_command(
            "generate_activites", count=10, seed=31, territoire="pays:fr", stdout=StringIO()
        )


def test_a_second_generation_keeps_indexes_and_counters_right(territory: None) -> None:
    generate(count=400, seed=37)
    generate(count=100, seed=41, rebuild_indexes=False)

    assert Activity.objects.count() == 500
    activities = Activity.objects.annotate(raw=Count("accompaniments"))
    assert all(n == raw for n, raw in activities.values_list("participants_count", "raw"))
    assert Accompaniment.objects.filter(is_first=True).count() == (
        Beneficiary.objects.filter(was_already_accompanied=False).count()
    )
    # New rows continue after the generated ids: the ORM can still create activities.
    sample = Activity.objects.first()
    assert sample is not None
    Activity.objects.create(
        type=TypeActivite.INDIVIDUEL,
        mediator_id=sample.mediator_id,
        structure_id=sample.structure_id,
        date="2026-01-05",
        duration_minutes=30,
        place_kind=TypeLieu.A_DISTANCE,
    )


@pytest.mark.django_db(transaction=True)
def test_a_load_outside_a_transaction_checks_the_foreign_keys_once(territory: None) -> None:
    """Outside a transaction, SQLite loads with its foreign keys off and PostgreSQL without
    the big tables' keys: both are back, and checked, after the load."""

    def foreign_keys() -> list[Any]:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_key_list(activities_accompaniment)")
                return sorted(row[2:5] for row in cursor.fetchall())
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' "
                "AND conrelid::regclass::text IN "
                "('activities_activity', 'activities_accompaniment', 'beneficiaries_beneficiary')"
            )
            return sorted(cursor.fetchall())

    before = foreign_keys()
    generate(count=300, seed=43, rebuild_indexes=True)

    assert foreign_keys() == before
    assert Accompaniment.objects.count() > 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert cursor.execute("PRAGMA foreign_key_check").fetchall() == []
