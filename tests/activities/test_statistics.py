"""Statistics: pre-aggregates equal to raw rows, known totals, scopes, suppression, API."""

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from maillon.accounts.models import TokenScope, User
from maillon.accounts.services import create_api_token
from maillon.activities.participants import AnonymousParticipants
from maillon.activities.services import delete_activity, record_activity, update_activity
from maillon.activities.statistics import aggregates, rollups
from maillon.activities.statistics.filters import StatisticsFilters, scope_of
from maillon.activities.statistics.queries import compute
from maillon.activities.statistics.rebuild import rebuild_rollups
from maillon.activities.vocabulary import Materiel, Thematique, TypeLieu
from maillon.beneficiaries.models import Genre
from tests.factories.activities import Teams, activity_data
from tests.factories.beneficiaries import BeneficiaryFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 9, 10)


def _assert_aggregates_equal_raw() -> None:
    assert aggregates.stored() == aggregates.recount_from_raw()
    raw = rollups.recount_from_raw()
    for table in rollups.ALL_TABLES:
        assert rollups.stored(table) == raw[table], table.model.__name__
    assert rollups.stored_trends() == rollups.trends_from_raw()


def _same_figures(user: User, **filters: Any) -> None:
    """The aggregate path and the raw path give the same statistics."""
    scope = scope_of(user)
    from_aggregates = compute(scope, StatisticsFilters(**filters)).to_json()
    # An all-thématiques filter keeps every activity but forces the raw rows.
    raw = StatisticsFilters(**filters, thematiques=tuple(Thematique.values))
    assert compute(scope, raw).to_json() == from_aggregates


def test_aggregates_equal_raw_counts_after_inserts_edits_and_deletes(teams: Teams) -> None:
    a = teams.a
    person = BeneficiaryFactory.create(structure=a, genre=Genre.FEMININ, birth_year=1950)
    solo = record_activity(
        actor=teams.mediator_a, data=activity_data(a, beneficiary=person, date=DAY)
    )
    workshop = record_activity(
        actor=teams.mediator_a,
        data=activity_data(
            a,
            collective=True,
            date=DAY,
            anonymous_participants=AnonymousParticipants(total=6, genres={"feminin": 2}),
            equipment=(Materiel.ORDINATEUR,),
        ),
        seed=1,
    )
    other = record_activity(actor=teams.colleague_a, data=activity_data(a, date=DAY))
    _assert_aggregates_equal_raw()

    # Move the date, change the themes, the place kind and the duration.
    update_activity(
        actor=teams.mediator_a,
        activity=solo,
        data=activity_data(
            a,
            beneficiary=person,
            date=DAY - dt.timedelta(days=40),
            duration_minutes=150,
            place_kind=TypeLieu.DOMICILE,
            commune=teams.laval,
            themes=(Thematique.SANTE, Thematique.AIDE_AUX_DEMARCHES_ADMINISTRATIVES),
        ),
    )
    _assert_aggregates_equal_raw()
    # Fewer participants in the workshop.
    update_activity(
        actor=teams.mediator_a,
        activity=workshop,
        data=activity_data(
            a, collective=True, date=DAY, anonymous_participants=AnonymousParticipants(total=2)
        ),
        seed=2,
    )
    _assert_aggregates_equal_raw()
    delete_activity(actor=teams.colleague_a, activity=other)
    _assert_aggregates_equal_raw()
    _same_figures(teams.administrator)
    _same_figures(teams.manager_a, du=DAY - dt.timedelta(days=60), au=DAY)

    before = {table: rollups.stored(table) for table in rollups.ALL_TABLES}
    aggregates.rebuild()
    rebuild_rollups()
    assert {table: rollups.stored(table) for table in rollups.ALL_TABLES} == before


def test_it_counts_known_totals_and_distributions(teams: Teams) -> None:
    a = teams.a
    person = BeneficiaryFactory.create(structure=a, genre=Genre.MASCULIN, birth_year=1990)
    for day in (DAY, DAY + dt.timedelta(days=1)):
        record_activity(actor=teams.mediator_a, data=activity_data(a, beneficiary=person, date=day))
    record_activity(
        actor=teams.mediator_a,
        data=activity_data(
            a,
            collective=True,
            date=DAY,
            duration_minutes=90,
            anonymous_participants=AnonymousParticipants(total=4, already_accompanied=1),
        ),
    )
    stats = compute(scope_of(teams.mediator_a), StatisticsFilters(du=DAY, au=DAY))
    assert (stats.activites, stats.accompagnements) == (2, 5)
    assert (stats.beneficiaires, stats.beneficiaires_suivis, stats.beneficiaires_anonymes) == (
        5,
        1,
        4,
    )
    assert stats.nouveaux_beneficiaires == 4  # the followed person, 3 anonymous not yet helped
    by_key = {d.key: {c.code: (c.count, c.share) for c in d.cells} for d in stats.distributions}
    assert by_key["types"] == {"individuel": (1, 0.2), "collectif": (4, 0.8)}
    assert by_key["durees"]["de_1_h_a_2_h"] == (4, 0.8)
    assert by_key["thematiques"]["email"] == (5, 1.0)
    assert by_key["genres"]["masculin"] == (1, 0.2)
    assert [(c.code, c.count) for c in stats.daily] == [("2026-09-10", 5)]
    whole = compute(scope_of(teams.mediator_a), StatisticsFilters())
    assert (whole.activites, whole.accompagnements, whole.beneficiaires) == (3, 6, 5)
    assert whole.nouveaux_beneficiaires is None  # only with a period


def test_scopes_follow_roles(teams: Teams) -> None:
    record_activity(actor=teams.mediator_a, data=activity_data(teams.a, date=DAY))
    record_activity(actor=teams.colleague_a, data=activity_data(teams.a, date=DAY))
    record_activity(actor=teams.mediator_b, data=activity_data(teams.b, date=DAY))

    def count(user: User, **filters: Any) -> int:
        return compute(scope_of(user), StatisticsFilters(**filters)).activites

    assert count(teams.mediator_a) == 1
    assert count(teams.manager_a) == 2
    assert count(teams.mediator_b) == 1
    assert count(teams.coordinator) == 2  # Laval (53), not Le Mans (72)
    assert count(teams.coordinator, territoire="dep:72") == 0
    assert count(teams.administrator) == 3
    assert count(teams.administrator, territoire="dep:72") == 1
    assert count(teams.administrator, territoire="com:53130") == 2
    assert count(teams.stranger) == 0


def test_territory_views_suppress_cells_under_five_people(teams: Teams) -> None:
    record_activity(actor=teams.mediator_a, data=activity_data(teams.a, date=DAY))
    mine = compute(scope_of(teams.mediator_a), StatisticsFilters())
    territory = compute(scope_of(teams.coordinator), StatisticsFilters())
    assert (mine.accompagnements, mine.beneficiaires) == (1, 1)
    assert (territory.accompagnements, territory.beneficiaires) == (None, None)
    genres = next(d for d in territory.distributions if d.key == "genres")
    assert [c.display for c in genres.cells if c.suppressed] == ["< 5"]


@pytest.mark.parametrize("size", [3, 30])
def test_it_uses_a_constant_number_of_queries(
    teams: Teams, size: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for index in range(size):
        record_activity(
            actor=teams.mediator_a,
            data=activity_data(teams.a, date=DAY - dt.timedelta(days=index % 40)),
        )
    for user in (teams.mediator_a, teams.coordinator, teams.administrator):
        with django_assert_max_num_queries(15):
            compute(scope_of(user), StatisticsFilters(du=DAY - dt.timedelta(days=90), au=DAY))
        with django_assert_max_num_queries(15):
            compute(scope_of(user), StatisticsFilters(thematiques=(Thematique.EMAIL,)))


def _token(user: User, scopes: list[str]) -> str:
    _token_row, secret = create_api_token(user=user, name="test", scopes=scopes, actor=None)
    return secret


def _api(client: Client, token: str | None, **params: str) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(reverse("statistics_api:statistiques"), params, headers=headers)


def test_api_answers_within_the_token_users_scope(client: Client, teams: Teams) -> None:
    person = BeneficiaryFactory.create(
        structure=teams.a, first_name="Camille", last_name="Secretnom", birth_year=1961
    )
    record_activity(
        actor=teams.mediator_a, data=activity_data(teams.a, beneficiary=person, date=DAY)
    )
    record_activity(actor=teams.mediator_b, data=activity_data(teams.b, date=DAY))
    expected = {
        teams.mediator_a: 1,
        teams.manager_a: 1,
        teams.mediator_b: 1,
        teams.coordinator: 1,
        teams.administrator: 2,
    }
    for user, activities in expected.items():
        response = _api(client, _token(user, [TokenScope.STATISTIQUES]))
        assert response.status_code == 200
        body = response.json()
        assert body["activites"] == activities
        assert {"accompagnements", "beneficiaires"} <= body.keys()
        text = json.dumps(body)
        for secret in ("Camille", "Secretnom", "1961", person.email or "@"):
            assert secret not in text
    out_of_scope = _api(
        client, _token(teams.coordinator, [TokenScope.STATISTIQUES]), territoire="dep:72"
    )
    assert out_of_scope.json()["activites"] == 0


def test_api_refuses_missing_or_unscoped_tokens_and_bad_filters(
    client: Client, teams: Teams
) -> None:
    assert _api(client, None).status_code == 401
    client.force_login(teams.administrator)  # a session gives no access to the API
    assert _api(client, None).status_code == 401
    assert _api(client, _token(teams.manager_a, [TokenScope.LIEUX])).status_code == 401
    bad = _api(
        client,
        _token(teams.manager_a, [TokenScope.STATISTIQUES]),
        du="hier",
        territoire="pays:fr",
        types="groupe",
    )
    assert bad.status_code == 400
    assert len(bad.json()["erreurs"]) == 3


def test_dashboard_and_csv_need_login_and_show_the_users_figures(
    client: Client, teams: Teams
) -> None:
    record_activity(actor=teams.mediator_b, data=activity_data(teams.b, date=DAY))
    url = reverse("statistics:dashboard")
    assert client.get(url).status_code == 302
    client.force_login(teams.mediator_a)
    page = client.get(url, {"du": "2026-01-01", "au": "2026-12-31"})
    assert page.status_code == 200
    assert b"Canaux des accompagnements" in page.content
    export = client.get(reverse("statistics:export_csv"))
    assert export.status_code == 200
    assert "totaux;activites;activites;0" in export.content.decode()
    client.force_login(teams.administrator)
    assert (
        "totaux;activites;activites;1"
        in client.get(reverse("statistics:export_csv")).content.decode()
    )
    assert client.get(url, {"du": "n'importe"}).status_code == 200


def test_filters_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        StatisticsFilters().du = DAY  # type: ignore[misc]


def test_each_distribution_is_drawn_then_given_as_a_table(client: Client, teams: Teams) -> None:
    record_activity(actor=teams.mediator_a, data=activity_data(teams.a, date=DAY))
    client.force_login(teams.mediator_a)

    html = client.get(reverse("statistics:dashboard")).content.decode()

    chart = html.index('<svg viewBox="0 0 640')
    assert 'aria-hidden="true"' in html[chart : chart + 200]
    assert html.index("<table", chart) < html.index("<svg", chart + 10)  # table after each chart
    assert "Canaux des accompagnements : graphique, détail dans le tableau suivant" in html


def test_a_coordinator_picks_an_epci_of_his_departement_and_sees_a_typed_commune_named(
    client: Client, teams: Teams
) -> None:
    client.force_login(teams.coordinator)
    laval_epci = teams.laval.epci
    assert laval_epci is not None
    page = client.get(reverse("statistics:dashboard"), {"territoire": "com:53130"})
    html = page.content.decode()
    assert f'<option value="epci:{laval_epci.siren}"' in html
    assert "Le Mans Métropole" not in html  # another département's EPCI
    assert '<option value="com:53130" selected>Commune Laval (53130)</option>' in html
    assert 'name="tags"' not in html  # no tag to pick: no empty list
    assert 'size="1"' not in html  # Chromium would draw a closed « 0 selected » box
