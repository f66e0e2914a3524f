"""Rankings (§6.2, ADR 0016): top lieux, top communes, étiquettes, residence of the people.

Known figures on hand-built data, the same figures on the three paths (territory roll-ups, daily
aggregates, raw rows), the roll-ups equal to the raw rows after every kind of write, the
département grouping above a département, personal étiquettes shown to their owner only.
"""

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from maillon.accounts.models import User
from maillon.activities.services import delete_activity, record_activity, update_activity
from maillon.activities.statistics import rollups
from maillon.activities.statistics.filters import StatisticsFilters, scope_of, whole_territory
from maillon.activities.statistics.queries import compute
from maillon.activities.vocabulary import Thematique, TypeLieu
from maillon.beneficiaries.models import Beneficiary
from maillon.beneficiaries.rights import erase
from tests.factories.activities import TagFactory, Teams, activity_data
from tests.factories.beneficiaries import BeneficiaryFactory

pytestmark = pytest.mark.django_db
DAY = dt.date.today().replace(day=1) - dt.timedelta(days=20)


def _assert_tables_equal_raw() -> None:
    raw = rollups.recount_from_raw()
    for table in rollups.ALL_TABLES:
        assert rollups.stored(table) == raw[table], table.model.__name__


def _rankings(user: User, **filters: Any) -> dict[str, list[tuple[str, int | None]]]:
    """Each ranking as (code, count) pairs; the raw path must give the same JSON."""
    scope = scope_of(user)
    stats = compute(scope, StatisticsFilters(**filters)).to_json()
    raw = StatisticsFilters(**filters, thematiques=tuple(Thematique.values))
    assert compute(scope, raw).to_json() == stats
    return {
        key: [(v["code"], v["nombre"]) for v in stats["repartitions"][key]["valeurs"]]
        for key in ("lieux", "communes", "etiquettes", "residences")
    }


def _population(teams: Teams) -> dict[str, Any]:
    """Structure A: 6 people living in Laval and 5 anonymous ones at the Laval lieu (tagged),
    one at-home session in Laval; structure B: one person from Laval seen in Le Mans."""
    shared = TagFactory.create(name="Permanence CAF", owner_structure=teams.a)
    own = TagFactory.create(personal=True, owner_user=teams.mediator_a, name="Mes suivis")
    residents = [
        BeneficiaryFactory.create(structure=teams.a, commune=teams.laval) for _ in range(6)
    ]
    at_place = {"place_kind": TypeLieu.LIEU_ACTIVITE, "place": teams.place, "date": DAY}
    for person in residents:
        record_activity(
            actor=teams.mediator_a,
            data=activity_data(teams.a, beneficiary=person, tags=(shared, own), **at_place),
        )
    for _ in range(5):
        record_activity(actor=teams.mediator_a, data=activity_data(teams.a, **at_place))
    home = record_activity(
        actor=teams.mediator_a,
        data=activity_data(
            teams.a,
            beneficiary=residents[0],
            place_kind=TypeLieu.DOMICILE,
            commune=teams.laval,
            date=DAY,
        ),
    )
    visitor = BeneficiaryFactory.create(structure=teams.b, commune=teams.laval)
    away = record_activity(
        actor=teams.mediator_b,
        data=activity_data(
            teams.b,
            beneficiary=visitor,
            place_kind=TypeLieu.AUTRE,
            commune=teams.le_mans,
            date=DAY,
        ),
    )
    return {"shared": shared, "own": own, "residents": residents, "home": home, "away": away}


def test_structure_rankings_by_commune_with_known_figures(teams: Teams) -> None:
    data = _population(teams)
    ranked = _rankings(teams.mediator_a)
    place = str(teams.place.pk)
    assert ranked["lieux"] == [(place, 11)]
    assert ranked["communes"] == [("53130", 12)]
    # Ties in code order.
    assert ranked["etiquettes"] == sorted([(str(data["own"].pk), 6), (str(data["shared"].pk), 6)])
    assert ranked["residences"] == [("53130", 6), ("", 5)]
    # The manager does not see the mediator's personal étiquette.
    assert _rankings(teams.manager_a)["etiquettes"] == [(str(data["shared"].pk), 6)]
    stats = compute(scope_of(teams.mediator_a), StatisticsFilters())
    titles = {d.key: d.title for d in stats.distributions}
    assert titles["communes"] == "Principales communes des activités"
    assert titles["residences"] == "Communes de résidence des bénéficiaires"
    residences = next(d for d in stats.distributions if d.key == "residences")
    assert [(c.label, c.share) for c in residences.cells] == [
        ("Laval (53130)", 0.545),
        ("Non renseignée", 0.455),
    ]


def test_territory_views_rank_by_departement_above_a_departement(teams: Teams) -> None:
    _population(teams)
    scope = scope_of(teams.administrator)
    assert whole_territory(scope, StatisticsFilters(), today=dt.date.today()) is not None
    ranked = _rankings(teams.administrator)
    assert ranked["communes"] == [("53", 12), ("72", None)]  # 1 accompaniment: masked
    assert ranked["residences"] == [("53", 7), ("", 5)]
    titles = {d.key: d.title for d in compute(scope, StatisticsFilters()).distributions}
    assert titles["communes"] == "Principaux départements des activités"
    assert titles["residences"] == "Départements de résidence des bénéficiaires"
    # A département (the coordinator's, or chosen by the administrator): communes again.
    assert _rankings(teams.coordinator)["communes"] == [("53130", 12)]
    chosen = _rankings(teams.administrator, territoire="dep:72")
    assert chosen["communes"] == [("72181", None)]
    assert chosen["residences"] == [("53130", None)]
    # A filter outside the roll-ups' dimensions goes through the daily aggregates.
    assert _rankings(teams.administrator, types=("individuel",))["lieux"] == [
        (str(teams.place.pk), 11)
    ]


def test_ranking_tables_follow_every_write(teams: Teams) -> None:
    data = _population(teams)
    _assert_tables_equal_raw()
    for table in (rollups.PLACE_MONTH, rollups.COMMUNE_MONTH, rollups.TAG_MONTH):
        assert rollups.stored(table), table.model.__name__
    assert rollups.stored(rollups.RESIDENCE)

    # An edit moves the session to another month and drops its étiquettes.
    home = data["home"]
    update_activity(
        actor=teams.mediator_a,
        activity=home,
        data=activity_data(
            teams.a,
            beneficiary=data["residents"][0],
            tags=(data["shared"],),
            place_kind=TypeLieu.LIEU_ACTIVITE,
            place=teams.place,
            date=DAY - dt.timedelta(days=45),
        ),
    )
    _assert_tables_equal_raw()
    delete_activity(actor=teams.mediator_b, activity=data["away"])
    _assert_tables_equal_raw()

    # Moving house (a save outside any statistics block) and erasure move the person.
    person = Beneficiary.objects.get(pk=data["residents"][1].pk)
    person.commune = teams.le_mans
    person.save()
    _assert_tables_equal_raw()
    erase(actor=teams.mediator_a, beneficiary=data["residents"][2])
    _assert_tables_equal_raw()
    ranked = _rankings(teams.mediator_a)
    assert ranked["residences"] == [("53130", 4), ("72181", 1), ("", 6)]

    call_command("rebuild_statistics", verbosity=0)
    _assert_tables_equal_raw()
