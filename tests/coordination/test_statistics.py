# ruff: noqa: RUF001 — typographic apostrophes are part of the French texts checked.
"""Statistics of coordination activities: figures on hand-built data with known totals, filters,
who counts what, a constant number of queries, and the CSV export."""

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillon.accounts.models import User
from maillon.activities.models import Tag
from maillon.coordination.models import CoordinationActivity
from maillon.coordination.statistics import (
    CoordinationFilters,
    CoordinationStatistics,
    Distribution,
    Row,
    compute,
    parse_filters,
)
from maillon.core.models import AuditEvent
from tests.coordination.conftest import Coordinators
from tests.factories.activities import TagFactory, Teams

PAGE = reverse("coordination:statistics")
CSV = reverse("coordination:statistics_csv")
QUERIES = 6  # session, user, roles, aggregates, étiquettes (+1 of margin for the page)


def make(coordinator: User, kind: str, day: dt.date, *tags: Tag, **fields: Any) -> None:
    activity = CoordinationActivity.objects.create(
        type=kind, coordinator=coordinator, date=day, **fields
    )
    activity.tags.set(tags)


@pytest.fixture
def data(coordinators: Coordinators) -> tuple[Tag, Tag]:
    """Four activities of the coordinator, one deleted, one of another coordinator."""
    mine = coordinators.coordinator
    territory = TagFactory.create(
        territory=True,
        name="Schéma départemental",
        owner_departement=coordinators.teams.laval.departement,
    )
    personal = TagFactory.create(personal=True, name="Astreinte", owner_user=mine)
    make(
        mine,
        "animation",
        dt.date(2026, 3, 2),
        territory,
        duration_minutes=90,
        animation_type="comite",
        initiative="initiative",
        mediators_count=8,
        structures_count=2,
        other_actors_count=1,
        animation_themes=["partage", "reseau"],
    )
    make(
        mine,
        "animation",
        dt.date(2026, 3, 20),
        territory,
        personal,
        duration_minutes=60,
        animation_type="webinaire",
        mediators_count=4,
        # A value twice in the list still counts once for the activity.
        animation_themes=["reseau", "reseau"],
    )
    make(
        mine,
        "evenement",
        dt.date(2026, 4, 5),
        personal,
        name="NEC local",
        event_type="nec_local",
        participants_count=40,
        organisers=["hub", "commune"],
        territorial_level="departemental",
    )
    make(
        mine,
        "partenariat",
        dt.date(2026, 4, 15),
        duration_minutes=30,
        name="Parcours France Services",
        partnership_natures=["subvention", "rdv_elu"],
        partner_structures=[{"name": "CAF", "type": "etat", "type_other": ""}],
        notes="Note privée de la coordinatrice",
    )
    make(
        mine,
        "animation",
        dt.date(2026, 3, 25),
        duration_minutes=120,
        animation_type="comite",
        mediators_count=100,
        animation_themes=["rh"],
        deleted_at=timezone.now(),
    )
    make(
        coordinators.other,
        "evenement",
        dt.date(2026, 4, 10),
        territory,
        event_type="grand_public",
        participants_count=500,
        organisers=["hub"],
        territorial_level="national",
    )
    return territory, personal


def figures(stats: CoordinationStatistics) -> dict[str, int | float]:
    return {f.code: f.value for f in stats.figures}


def table(stats: CoordinationStatistics, key: str) -> Distribution:
    return next(d for d in stats.distributions if d.key == key)


def counts(stats: CoordinationStatistics, key: str) -> dict[str, tuple[int, float | None]]:
    """Non-zero lines of a distribution: code → (count, share)."""
    return {r.code: (r.count, r.share) for r in table(stats, key).rows if r.count}


def of(user: User, **filters: Any) -> CoordinationStatistics:
    return compute(user, CoordinationFilters(**filters), is_administrator=False)


def test_the_figures_of_a_coordinator_count_his_activities_only(
    coordinators: Coordinators, data: tuple[Tag, Tag]
) -> None:
    stats = of(coordinators.coordinator)

    assert figures(stats) == {
        "activites": 4,
        "duree_heures": 3.0,
        "participants_animations": 15,
        "mediateurs": 12,
        "structures": 2,
        "autres_acteurs": 1,
        "participants_evenements": 40,
    }
    assert counts(stats, "types") == {
        "animation": (2, 0.5),
        "evenement": (1, 0.25),
        "partenariat": (1, 0.25),
    }
    assert counts(stats, "echelons") == {"departemental": (1, 0.5), "non_renseigne": (1, 0.5)}
    assert counts(stats, "types_animation") == {"comite": (1, 0.5), "webinaire": (1, 0.5)}
    assert counts(stats, "initiatives") == {"initiative": (1, 0.5), "non_renseigne": (1, 0.5)}
    assert counts(stats, "thematiques_animation") == {"partage": (1, 0.5), "reseau": (2, 1.0)}
    assert counts(stats, "types_evenement") == {"nec_local": (1, 1.0)}
    assert counts(stats, "organisateurs") == {"hub": (1, 1.0), "commune": (1, 1.0)}
    assert counts(stats, "natures_partenariat") == {"subvention": (1, 1.0), "rdv_elu": (1, 1.0)}
    tags = table(stats, "etiquettes").rows
    assert [(r.label, r.count, r.share) for r in tags] == [
        ("Astreinte", 2, 0.5),
        ("Schéma départemental", 2, 0.5),
    ]


def test_every_value_of_each_enumeration_has_its_line_in_the_reference_order(
    coordinators: Coordinators, data: tuple[Tag, Tag]
) -> None:
    stats = of(coordinators.coordinator)

    assert [r.label for r in table(stats, "types").rows] == [
        "Animation",
        "Évènement",
        "Partenariat",
    ]
    assert [r.code for r in table(stats, "echelons").rows] == [
        "communal",
        "intercommunal",
        "departemental",
        "regional",
        "national",
        "non_renseigne",
    ]
    assert len(table(stats, "organisateurs").rows) == 11
    assert table(stats, "thematiques_animation").rows[4].label == "Soutien RH auprès des structures"
    assert table(stats, "types_evenement").rows[0].share == 0.0


def test_shares_are_rounded_to_three_decimals(coordinators: Coordinators) -> None:
    for day in (1, 2, 3):
        make(
            coordinators.coordinator,
            "partenariat",
            dt.date(2026, 5, day),
            partnership_natures=["subvention"] if day == 1 else ["autre"],
        )

    assert counts(of(coordinators.coordinator), "natures_partenariat") == {
        "subvention": (1, 0.333),
        "autre": (2, 0.667),
    }


def test_a_share_is_shown_rounded_to_one_decimal_of_a_percent() -> None:
    # 0.011 * 100 is 1.0999999999999999 as a float: cut instead of rounded, it would read 1,0 %.
    assert Row("x", "x", 1, 0.011).percent == "1,1 %"
    assert Row("x", "x", 2, 0.667).percent == "66,7 %"


def test_an_administrator_counts_every_coordinator_without_their_personal_tags(
    coordinators: Coordinators, data: tuple[Tag, Tag]
) -> None:
    stats = compute(coordinators.teams.administrator, CoordinationFilters(), is_administrator=True)

    assert figures(stats)["activites"] == 5
    assert figures(stats)["participants_evenements"] == 540
    assert counts(stats, "echelons") == {
        "departemental": (1, 0.333),
        "national": (1, 0.333),
        "non_renseigne": (1, 0.333),
    }
    # The coordinator's personal étiquette is never named to someone else.
    assert [(r.label, r.count) for r in table(stats, "etiquettes").rows] == [
        ("Schéma départemental", 3)
    ]


def test_another_coordinator_sees_only_his_own(
    coordinators: Coordinators, data: tuple[Tag, Tag]
) -> None:
    stats = of(coordinators.other)

    assert figures(stats)["activites"] == 1
    assert figures(stats)["participants_evenements"] == 500
    assert counts(stats, "types") == {"evenement": (1, 1.0)}


def test_the_period_filter_keeps_the_dates_in_between_inclusive(
    coordinators: Coordinators, data: tuple[Tag, Tag]
) -> None:
    stats = of(coordinators.coordinator, du=dt.date(2026, 3, 20), au=dt.date(2026, 4, 5))

    assert figures(stats)["activites"] == 2
    assert figures(stats)["duree_heures"] == 1.0
    assert counts(stats, "types") == {"animation": (1, 0.5), "evenement": (1, 0.5)}


def test_the_types_filter_leaves_out_the_distributions_of_other_types(
    coordinators: Coordinators, data: tuple[Tag, Tag]
) -> None:
    stats = of(coordinators.coordinator, types=("animation", "partenariat"))

    assert figures(stats)["activites"] == 3
    assert figures(stats)["participants_evenements"] == 0
    keys = [d.key for d in stats.distributions]
    assert "types_evenement" not in keys
    assert "organisateurs" not in keys
    assert counts(stats, "echelons") == {"non_renseigne": (1, 1.0)}


def test_no_activity_gives_zeros_and_no_share(coordinators: Coordinators) -> None:
    stats = of(coordinators.coordinator)

    assert set(figures(stats).values()) == {0}
    assert table(stats, "types").rows[0].percent == "—"
    assert table(stats, "etiquettes").rows == ()


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("du=2026-13-01", "« du » attend une date au format AAAA-MM-JJ, pas « 2026-13-01 »."),
        ("au=hier", "« au » attend une date au format AAAA-MM-JJ, pas « hier »."),
        (
            "du=2026-05-01&au=2026-04-01",
            "La date de début « du » doit précéder la date de fin « au ».",
        ),
        (
            "types=animation,atelier",
            "Type d’activité de coordination inconnu : « atelier » (animation, evenement ou "
            "partenariat).",
        ),
    ],
)
def test_invalid_filters_are_named_in_french(
    client: Client, coordinators: Coordinators, query: str, error: str
) -> None:
    assert parse_filters(QueryDict(query))[1] == [error]
    client.force_login(coordinators.coordinator)

    page = client.get(f"{PAGE}?{query}")
    export = client.get(f"{CSV}?{query}")

    assert page.status_code == 200
    assert error in page.content.decode()
    assert export.status_code == 400
    assert export.content.decode() == error


def test_types_are_read_repeated_or_comma_separated() -> None:
    assert parse_filters(QueryDict("types=animation&types=evenement"))[0].types == (
        "animation",
        "evenement",
    )
    assert parse_filters(QueryDict("types=partenariat,animation"))[0].types == (
        "partenariat",
        "animation",
    )


# --- the page -----------------------------------------------------------------------------------


def test_the_page_shows_each_chart_with_its_table(
    client: Client, coordinators: Coordinators, data: tuple[Tag, Tag]
) -> None:
    client.force_login(coordinators.coordinator)

    html = client.get(PAGE).content.decode()

    assert "Statistiques des activités de coordination" in html
    assert html.count("<caption") == 9
    assert html.count("<figure") == 9
    assert "Thématiques d’animation : nombre et part des animations" in html
    assert "Maillage territorial - faire réseau / créer du lien" in html
    assert "100,0 %" in html
    assert f'href="{CSV}"' in html


def test_the_page_keeps_the_filters_in_the_export_link(
    client: Client, coordinators: Coordinators
) -> None:
    client.force_login(coordinators.coordinator)

    html = client.get(PAGE, {"du": "2026-03-01", "types": "animation"}).content.decode()

    assert f'href="{CSV}?du=2026-03-01&amp;types=animation"' in html
    assert 'value="2026-03-01"' in html
    assert 'value="animation" checked' in html


def test_the_list_and_the_dashboard_link_to_the_statistics(
    client: Client, coordinators: Coordinators
) -> None:
    client.force_login(coordinators.coordinator)

    for url in (reverse("coordination:list"), reverse("accounts:dashboard")):
        assert f'href="{PAGE}"' in client.get(url).content.decode(), url


def test_the_administrator_page_names_nobody(
    client: Client, coordinators: Coordinators, data: tuple[Tag, Tag]
) -> None:
    client.force_login(coordinators.teams.administrator)

    for url in (PAGE, CSV):
        body = client.get(url).content.decode()
        for user in (coordinators.coordinator, coordinators.other):
            assert user.email not in body
            assert (user.last_name or user.email) not in body
        assert "Note privée" not in body
        assert "Parcours France Services" not in body
        assert "Astreinte" not in body


@pytest.mark.parametrize("volume", [3, 30])
def test_the_number_of_queries_does_not_grow_with_the_activities(
    client: Client,
    coordinators: Coordinators,
    django_assert_max_num_queries: Callable[..., Any],
    volume: int,
) -> None:
    tags = TagFactory.create_batch(3, personal=True, owner_user=coordinators.coordinator)
    for index in range(volume):
        make(
            coordinators.coordinator,
            ("animation", "evenement", "partenariat")[index % 3],
            dt.date(2026, 1, 1) + dt.timedelta(days=index),
            tags[index % 3],
            duration_minutes=30,
            animation_themes=["reseau"],
            organisers=["hub"],
            partnership_natures=["autre"],
        )
    client.force_login(coordinators.coordinator)

    for url in (PAGE, f"{PAGE}?du=2026-01-01&types=animation", CSV):
        with django_assert_max_num_queries(QUERIES):
            assert client.get(url).status_code == 200


# --- who ----------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client) -> None:
    for url in (PAGE, CSV):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"], url


@pytest.mark.parametrize("who", ["mediator_a", "colleague_a", "manager_a", "stranger"])
def test_people_who_do_not_coordinate_get_404(client: Client, teams: Teams, who: str) -> None:
    client.force_login(getattr(teams, who))

    for url in (PAGE, CSV):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["coordinator", "administrator"])
def test_a_coordinator_and_an_administrator_open_the_page_and_the_export(
    client: Client, teams: Teams, who: str
) -> None:
    client.force_login(getattr(teams, who))

    for url in (PAGE, CSV):
        assert client.get(url).status_code == 200, url


def test_the_page_and_the_export_count_the_viewer_s_activities_only(
    client: Client, coordinators: Coordinators, data: tuple[Tag, Tag]
) -> None:
    for user, activities, participants in (
        (coordinators.coordinator, "4", "40"),
        (coordinators.other, "1", "500"),
        (coordinators.teams.administrator, "5", "540"),
    ):
        client.force_login(user)
        rows = list(csv.reader(io.StringIO(client.get(CSV).content.decode()), delimiter=";"))
        assert rows[1][3] == activities, user
        assert rows[7][:2] == ["totaux", "participants_evenements"]
        assert rows[7][3] == participants, user


# --- the CSV ------------------------------------------------------------------------------------


def test_the_csv_gives_the_page_s_figures(
    client: Client, coordinators: Coordinators, data: tuple[Tag, Tag]
) -> None:
    journal = AuditEvent.objects.count()
    client.force_login(coordinators.coordinator)

    response = client.get(CSV, {"au": "2026-04-30"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "statistiques-coordination.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("section;code;libelle;nombre;part\r\n")  # no BOM, as the other CSV
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1:3] == [
        ["totaux", "activites", "Activités", "4", ""],
        ["totaux", "duree_heures", "Durée totale (heures)", "3.0", ""],
    ]
    assert ["types", "animation", "Animation", "2", "0.5"] in rows
    assert ["echelons", "non_renseigne", "Non renseigné", "1", "0.5"] in rows
    assert [
        "thematiques_animation",
        "reseau",
        "Maillage territorial - faire réseau / créer du lien",
        "2",
        "1.0",
    ] in rows
    assert ["organisateurs", "ma_structure", "Ma structure (moi - même)", "0", "0.0"] in rows
    assert ["etiquettes", str(data[0].pk), "Schéma départemental", "2", "0.5"] in rows
    assert {row[0] for row in rows[1:]} == {
        "totaux",
        "types",
        "echelons",
        "types_animation",
        "initiatives",
        "thematiques_animation",
        "types_evenement",
        "organisateurs",
        "natures_partenariat",
        "etiquettes",
    }
    assert AuditEvent.objects.count() == journal
