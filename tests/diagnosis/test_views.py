"""Diagnosis pages and CSV: who sees what (ADR 0014), 404 for unknown codes, the engine's
figures on a hand-built territory, and the in-process cache following the database."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from maillon.activities.statistics.models import DailyActivityStat
from maillon.activities.vocabulary import DurationBucket
from maillon.diagnosis import cache
from maillon.diagnosis.report import diagnose
from maillon.diagnosis.views_sections import number
from maillon.places.models import Place
from tests.factories.accounts import MembershipFactory
from tests.factories.places import create_place
from tests.factories.territory import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("diagnosis:france"),
    reverse("diagnosis:territory", args=["reg", "52"]),
    reverse("diagnosis:territory", args=["dep", "53"]),
    reverse("diagnosis:territory", args=["epci", "200083392"]),
    reverse("diagnosis:territory", args=["com", "53130"]),
]
ACTIVITY_LABEL = "Accompagnements sur 12 mois"


def build_mayenne() -> None:
    """Laval with a place at its town hall, Changé 10 km away (15.6 min), Mayenne 55 km away
    (beyond 30 min); real codes, so that the shipped outlines draw them. Sarthe (72) next door."""
    CommuneFactory.create(
        code_insee="53130",
        name="Laval",
        population=50_000,
        density=1450.0,
        area_km2=34.0,
        town_hall_latitude=48.07,
        town_hall_longitude=-0.77,
    )
    CommuneFactory.create(
        code_insee="53062",
        name="Changé",
        population=6_000,
        density=200.0,
        area_km2=30.0,
        town_hall_latitude=48.07 + 10 / 111.2,
        town_hall_longitude=-0.77,
    )
    CommuneFactory.create(
        code_insee="53147",
        name="Mayenne",
        population=13_000,
        density=60.0,
        area_km2=200.0,
        town_hall_latitude=48.07 + 0.5,
        town_hall_longitude=-0.77,
    )
    sarthe = DepartementFactory.create(code="72", name="Sarthe", region=RegionFactory.create())
    CommuneFactory.create(
        code_insee="72181",
        name="Le Mans",
        departement=sarthe,
        epci=None,
        population=145_000,
        density=2800.0,
        area_km2=52.0,
        town_hall_latitude=48.0,
        town_hall_longitude=0.2,
    )
    create_place(code_insee="53130", latitude=48.07, longitude=-0.77)


def add_activity(code_insee: str, accompaniments: int) -> None:
    DailyActivityStat.objects.create(
        date=dt.date.today() - dt.timedelta(days=10),
        structure_id=1,
        mediator_id=1,
        commune_id=code_insee,
        type="individuel",
        place_kind="lieu_activite",
        duration_bucket=DurationBucket.MOINS_DE_30_MIN,
        activities=accompaniments,
        accompaniments=accompaniments,
    )


@pytest.fixture
def mayenne() -> None:
    build_mayenne()


def test_every_territory_page_is_public(mayenne: None, client: Client) -> None:
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "estimation" in html
        assert 'href="#methode"' in html
    # A commune's breadcrumb leads to its région, département and EPCI (by name).
    commune = client.get(reverse("diagnosis:territory", args=["com", "53130"])).content.decode()
    for url, name in (
        (reverse("diagnosis:territory", args=["reg", "52"]), "Pays de la Loire"),
        (reverse("diagnosis:territory", args=["dep", "53"]), "Mayenne"),
        (reverse("diagnosis:territory", args=["epci", "200083392"]), "Laval Agglomération"),
    ):
        assert f'href="{url}">{name}</a>' in commune


def test_unknown_territories_are_not_found(mayenne: None, client: Client) -> None:
    for kind, code in [("dep", "99"), ("com", "99999"), ("epci", "123456789"), ("reg", "99")]:
        for name in ("diagnosis:territory", "diagnosis:pdf", "diagnosis:csv"):
            assert client.get(reverse(name, args=[kind, code])).status_code == 404, (name, code)
    assert client.get("/diagnostic/pays/1/").status_code == 404


def test_the_page_shows_the_engines_figures(mayenne: None, client: Client) -> None:
    expected = diagnose("dep:53")
    territory = expected["territoire"]
    html = client.get(reverse("diagnosis:territory", args=["dep", "53"])).content.decode()
    for key in (
        "population",
        "personnes_en_risque",
        "personnes_en_risque_bas",
        "personnes_en_risque_haut",
        "personnes_en_risque_au_dela_15_min",
        "personnes_en_risque_au_dela_30_min",
    ):
        assert number(territory[key]) in html, key
    assert number(territory["taux_de_risque_pct"], 1, "%") in html
    # The ranked gap list follows the engine's ranking: Mayenne (beyond 30 min) first.
    names = [f"{row['nom']} ({row['code_insee']})" for row in expected["communes"]]
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)
    assert names[0] == "Mayenne (53147)"
    # Compared with the région and France (Sarthe's Le Mans only counts in those).
    france = expected["comparaison"]["indicateurs"]["taux_de_risque_pct"]["france"]
    assert number(france, 1) in html
    assert "Pays de la Loire (reg:52)" in html
    # Every place has known hours here; with one place more without hours, the ratio says it
    # only counts the known hours.
    assert "1 lieu sur 1 aux horaires connus" in html
    assert "sur les seules heures connues" not in html
    create_place(code_insee="53062", latitude=48.16, longitude=-0.77, horaires="")
    html = client.get(reverse("diagnosis:territory", args=["dep", "53"])).content.decode()
    assert "1 lieu sur 2 aux horaires connus" in html
    assert "estimation, sur les seules heures connues" in html


def test_the_map_data_covers_each_commune_and_its_outline_file(
    mayenne: None, client: Client
) -> None:
    response = client.get(reverse("diagnosis:territory", args=["dep", "53"]))
    html = response.content.decode()
    assert 'id="diagnostic-carte-donnees"' in html
    assert "maillon/places/communes/53.geojson" in html
    assert '"53147": [' in html and '"72181"' not in html
    france = client.get(reverse("diagnosis:france")).content.decode()
    assert "maillon/places/departements.geojson" in france
    # The département table is the map's text alternative.
    assert "Mayenne (53)" in france and "Sarthe (72)" in france


@pytest.mark.parametrize(
    ("role", "departement", "sees"),
    [
        (None, None, False),
        ("mediator", None, False),
        ("coordinator", "72", False),
        ("coordinator", "53", True),
        ("administrator", None, True),
    ],
)
def test_activity_figures_are_for_administrators_and_the_territorys_coordinators(
    mayenne: None, client: Client, role: str | None, departement: str | None, sees: bool
) -> None:
    add_activity("53130", 40)
    add_activity("53062", 3)
    if role:
        options: dict[str, object] = {role: True}
        if departement:
            options["departements"] = [DepartementFactory.create(code=departement)]
        client.force_login(MembershipFactory.create(**options).user)
    html = client.get(reverse("diagnosis:territory", args=["dep", "53"])).content.decode()
    assert (ACTIVITY_LABEL in html) is sees
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("diagnosis:csv", args=["dep", "53"])).content.decode())
        )
    )
    assert ("accompagnements_12_mois" in rows[0]) is sees
    # A commune of the territory: the same rule; France: administrators only.
    commune = client.get(reverse("diagnosis:territory", args=["com", "53062"])).content.decode()
    assert (ACTIVITY_LABEL in commune) is sees
    if sees:
        assert "&lt; 5" in commune  # 3 accompaniments are masked
    france = client.get(reverse("diagnosis:france")).content.decode()
    assert (ACTIVITY_LABEL in france) is (role == "administrator")


def test_the_csv_has_the_commands_rows(mayenne: None, client: Client) -> None:
    client.force_login(MembershipFactory.create(administrator=True).user)
    response = client.get(reverse("diagnosis:csv", args=["dep", "53"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    expected = diagnose("dep:53")["communes"]
    assert [row["code_insee"] for row in rows] == [row["code_insee"] for row in expected]
    assert [int(row["personnes_en_risque"]) for row in rows] == [
        row["personnes_en_risque"] for row in expected
    ]


def test_a_page_number_past_the_end_shows_the_last_page(mayenne: None, client: Client) -> None:
    response = client.get(reverse("diagnosis:france"), {"page": "2"})
    assert response.status_code == 200  # 4 communes: one page
    assert "Laval (53130)" in response.content.decode()


def test_the_cache_follows_places_added_and_hidden(mayenne: None, client: Client) -> None:
    first = cache.tables()
    assert cache.tables() is first
    url = reverse("diagnosis:territory", args=["com", "53147"])
    before = diagnose("com:53147")["territoire"]["personnes_en_risque_au_dela_30_min"]
    assert before > 0
    place = create_place(code_insee="53147", latitude=48.57, longitude=-0.77)
    assert cache.tables() is not first
    assert diagnose("com:53147")["territoire"]["personnes_en_risque_au_dela_30_min"] == 0
    assert client.get(url).status_code == 200
    # A bulk update sends no signal: the stamp (count of places open to the public) sees it.
    cached = cache.tables()
    Place.objects.filter(pk=place.pk).update(is_public=False)
    assert cache.tables() is not cached
    assert diagnose("com:53147")["territoire"]["personnes_en_risque_au_dela_30_min"] == before


def test_every_page_answers_before_the_territory_is_loaded(client: Client) -> None:
    assert client.get(reverse("diagnosis:france")).status_code == 200
    assert client.get(reverse("diagnosis:france_pdf")).status_code == 200
    assert client.get(reverse("diagnosis:france_csv")).status_code == 200


def test_mon_espace_links_coordinators_and_administrators_to_their_diagnosis(
    mayenne: None, client: Client
) -> None:
    dashboard = reverse("accounts:dashboard")
    client.force_login(MembershipFactory.create(coordinator=True).user)
    html = client.get(dashboard).content.decode()
    assert reverse("diagnosis:territory", args=["dep", "53"]) in html
    assert "Diagnostic : Mayenne" in html
    client.force_login(MembershipFactory.create(administrator=True).user)
    assert reverse("diagnosis:france") in client.get(dashboard).content.decode()
    client.force_login(MembershipFactory.create(mediator=True).user)
    html = client.get(dashboard).content.decode()
    assert "Diagnostic : " not in html and "Diagnostic de la France" not in html


def test_a_large_territory_lists_its_first_communes_and_points_to_the_csv(
    mayenne: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("maillon.diagnosis.views.LISTED_COMMUNES", 2)
    html = client.get(reverse("diagnosis:france")).content.decode()
    assert "Les 2 premières communes sur 4 (toutes dans le fichier CSV)" in html
    assert "Mayenne (53147)" in html and "Laval (53130)" not in html


def test_distances_can_count_only_the_places_offering_a_service(
    mayenne: None, client: Client
) -> None:
    create_place(code_insee="53147", latitude=48.57, longitude=-0.77, services=("parentalite",))
    url = reverse("diagnosis:territory", args=["dep", "53"])
    everything = diagnose("dep:53")["territoire"]
    parenting = diagnose("dep:53", service="parentalite")["territoire"]
    assert (
        parenting["personnes_en_risque_au_dela_30_min"]
        != everything["personnes_en_risque_au_dela_30_min"]
    )

    html = client.get(url, {"service": "parentalite"}).content.decode()

    assert number(parenting["personnes_en_risque_au_dela_30_min"]) in html
    assert '<option value="parentalite" selected>' in html
    assert "rapport.pdf?service=parentalite" in html
    assert "communes.csv?service=parentalite" in html
    assert "Parentalité et éducation avec le numérique" in html
    csv_url = reverse("diagnosis:csv", args=["dep", "53"])
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(csv_url, {"service": "parentalite"}).content.decode())
        )
    )
    by_code = {row["code_insee"]: row for row in rows}
    expected = diagnose("dep:53", service="parentalite")["communes"]
    for row in expected:
        assert float(by_code[row["code_insee"]]["distance_lieu_plus_proche_km"]) == pytest.approx(
            row["distance_lieu_plus_proche_km"]
        )
    assert client.get(url, {"service": "inconnu"}).status_code == 404


def test_france_is_shown_as_the_reference_not_compared_with_itself(
    mayenne: None, client: Client
) -> None:
    france = client.get(reverse("diagnosis:france")).content.decode()
    departement = client.get(reverse("diagnosis:territory", args=["dep", "53"])).content.decode()

    assert "Indicateurs de la France, référence des autres territoires" in france
    assert "Ce territoire" not in france and france.count("France (fr)") == 1
    assert "Comparaison avec la région et la France" in departement
    assert "Ce territoire" in departement and "France (fr)" in departement
    assert "non-couverture 4G" in departement  # the first letter only is lowered
    # A département is compared with its région and France, not with itself.
    assert "Mayenne (dep:53)" not in departement
    region = client.get(reverse("diagnosis:territory", args=["reg", "52"])).content.decode()
    assert "Pays de la Loire (reg:52)" not in region and "France (fr)" in region
    assert "Comparaison avec la France" in region
    commune = client.get(reverse("diagnosis:territory", args=["com", "53130"])).content.decode()
    columns = ("Ce territoire", "Mayenne (dep:53)", "Pays de la Loire (reg:52)", "France (fr)")
    positions = [commune.index(column) for column in columns]
    assert positions == sorted(positions)


def test_a_territory_without_any_published_place_says_so(mayenne: None, client: Client) -> None:
    # Sarthe (72) has Le Mans but no place: its gaps are measured to Laval's place.
    sarthe = client.get(reverse("diagnosis:territory", args=["dep", "72"])).content.decode()
    mayenne_page = client.get(reverse("diagnosis:territory", args=["dep", "53"])).content.decode()

    note = "Aucun lieu de médiation numérique n&#x27;est publié dans l&#x27;annuaire Maillon"
    assert note in sarthe
    assert note not in mayenne_page
