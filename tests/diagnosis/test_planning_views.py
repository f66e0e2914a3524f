# ruff: noqa: RUF001 — typographic apostrophes in French texts.
"""« Planifier l'aller-vers » (/itinerance/): permissions, the plan shown equals the engine's,
uploaded sites with errors named by line and column, and every download.

The mini territory of test_planning_command: five communes on 48° N, 10 % of people at risk,
a fixed place in E. One stop at B reaches A, B and C (230 people); two stops add D (30).
"""

import datetime as dt
import html
import io
import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from maillon.accounts.models import User
from maillon.diagnosis import cache
from maillon.diagnosis.planning.itinerary import ItineraryOptions
from maillon.diagnosis.planning.outputs import plan_to_json
from maillon.diagnosis.planning.services import plan_itinerance
from maillon.territory.models import Commune
from tests.diagnosis.test_planning_command import mini_territory  # noqa: F401 — fixture
from tests.factories.accounts import MembershipFactory, StructureFactory
from tests.factories.places import create_place
from tests.factories.territory import DepartementFactory, RegionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mini_territory")]

URL = "/itinerance/"
MONDAY = "2026-11-23"


def text_of(response: Any) -> str:
    return html.unescape(str(response.content.decode()))


def form_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "territoire": "dep:53",
        "arrets": 2,
        "seuil_minutes": 20,
        "service": "",
        "limite_secondes": 5,
        "jours": 5,
        "arrets_par_jour": 2,
        "budget_conduite_minutes": 120,
        "depart": "",
        "debut": MONDAY,
        "semaines": 4,
    }
    data.update(changes)
    return data


def coordinator() -> User:
    user: User = MembershipFactory.create(coordinator=True).user  # département 53
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submit(client: Client, **changes: Any) -> str:
    """Post the form, follow to the plan's page; the plan's URL."""
    response = client.post(URL, form_data(**changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    location: str = response["Location"]
    return location


def test_it_sends_anonymous_people_to_the_login_page() -> None:
    client = Client()

    for url in (URL, "/itinerance/plan/abc/", "/itinerance/plan/abc/plan.csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_a_mediator_cannot_plan() -> None:
    mediator = MembershipFactory.create(
        mediator=True, structure=StructureFactory.create(commune=Commune.objects.get(pk="53501"))
    ).user
    client = logged_in(mediator)

    assert client.get(URL).status_code == 404
    assert client.post(URL, form_data()).status_code == 404


def test_a_coordinator_plans_for_his_territory_and_sees_the_engines_plan() -> None:
    client = logged_in(coordinator())

    page = client.get(URL).content.decode()
    plan_url = submit(client)
    result = client.get(plan_url)

    assert '<option value="dep:53" selected>Département 53' in page
    assert result.status_code == 200
    text = result.content.decode()
    engine = plan_itinerance(
        territory="dep:53",
        k=2,
        threshold_minutes=20,
        time_limit=5,
        options=ItineraryOptions(days=5, stops_per_day=2, driving_budget_minutes=120),
    )
    expected = plan_to_json(engine.built, engine.plan, engine.itinerary)
    shown = json.loads(client.get(plan_url + "plan.json").content)
    for key in ("couverts", "arrets", "detail_arrets", "demande", "itineraire", "parametres"):
        assert shown[key] == expected[key], key
    assert shown["arrets"] == ["53502", "53504"]
    assert shown["couverts"] == 260
    assert shown["resolution"]["optimal_prouve"] is True
    assert "Optimal prouvé (écart 0 %)" in text
    assert "1. Mairie de Commune 2" in text and "2. Mairie de Commune 4" in text
    assert re.search(r'maillon-number">\s*230\s*<', text)  # marginal gain of the first stop
    assert "Commune 1 (53501)" in text  # the communes' table, the map's alternative
    assert 'id="itinerance-carte-donnees"' in text
    # Each département's outline file once, not once per commune.
    assert text.count("maillon/places/communes/53.geojson") == 1


def test_a_coordinator_cannot_plan_outside_his_territory() -> None:
    region = RegionFactory.create()
    elsewhere = DepartementFactory.create(code="49", name="Maine-et-Loire", region=region)
    user = MembershipFactory.create(coordinator=True, departements=[elsewhere]).user
    client = logged_in(user)

    response = client.post(URL, form_data(territoire="dep:53"))

    assert response.status_code == 200
    assert "pas dans votre périmètre" in text_of(response)
    assert "itinerance_plans" not in client.session


def test_an_administrator_plans_anywhere() -> None:
    admin = MembershipFactory.create(administrator=True).user
    client = logged_in(admin)

    plan_url = submit(client, territoire="reg:52", arrets=1)

    assert "Mairie de Commune 2" in client.get(plan_url).content.decode()


def test_a_manager_plans_for_his_structures_departement_only() -> None:
    structure = StructureFactory.create(commune=Commune.objects.get(pk="53501"))
    manager = MembershipFactory.create(manager=True, structure=structure).user
    client = logged_in(manager)
    DepartementFactory.create(code="49", name="Maine-et-Loire")

    submit(client)
    refused = client.post(URL, form_data(territoire="dep:49"))

    assert "pas dans votre périmètre" in text_of(refused)


def test_another_persons_plan_is_not_found() -> None:
    plan_url = submit(logged_in(coordinator()))
    stranger = logged_in(coordinator())

    assert stranger.get(plan_url).status_code == 404
    assert stranger.get(plan_url + "plan.csv").status_code == 404


def test_an_unknown_download_is_not_found() -> None:
    client = logged_in(coordinator())
    plan_url = submit(client)

    assert client.get(plan_url + "plan.exe").status_code == 404


def test_uploaded_sites_errors_are_named_by_line_and_column() -> None:
    client = logged_in(coordinator())
    upload = SimpleUploadedFile(
        "sites.csv",
        b"id;nom;latitude;longitude\nP1;Parking;48,0;-0,64\nP2;Salle;quarante-huit;0.31\n"
        b";Sans id;48;95\n",
        content_type="text/csv",
    )

    response = client.post(URL, {**form_data(arrets=1), "sites": upload})

    text = text_of(response)
    assert response.status_code == 200
    assert "Fichier de sites refusé, rien n'est importé" in text
    assert "ligne 3, colonne « latitude »" in text
    assert "ligne 4, colonne « id »" in text
    assert "itinerance_plans" not in client.session


def test_a_sites_file_without_the_columns_says_which_are_missing() -> None:
    client = logged_in(coordinator())
    upload = SimpleUploadedFile("sites.csv", b"id,name,lat,lon\nP1,X,48,0\n")

    text = text_of(client.post(URL, {**form_data(arrets=1), "sites": upload}))

    assert "colonne(s) manquante(s) « nom », « latitude », « longitude »" in text


def test_uploaded_sites_become_the_candidates() -> None:
    client = logged_in(coordinator())
    upload = SimpleUploadedFile(
        "sites.csv", "id;nom;latitude;longitude\nP1;Parking du marché;48,0;-0,64\n".encode()
    )

    plan_url = submit(client, arrets=1, sites=upload)

    plan = json.loads(client.get(plan_url + "plan.json").content)
    assert plan["arrets"] == ["P1"]
    assert plan["couverts"] == 230
    assert "Fichier déposé (1 sites)" in client.get(plan_url).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"limite_secondes": 11}, "inférieure ou égale à 10"),
        ({"debut": "2026-11-24"}, "n’est pas un lundi"),
        ({"depart": "99999"}, "Aucune commune ne porte le code INSEE « 99999 »"),
        ({"arrets": 6}, "6 arrêts demandés, mais seulement 5 sites candidats"),
    ],
)
def test_the_form_explains_what_is_wrong(changes: dict[str, Any], message: str) -> None:
    client = logged_in(coordinator())

    response = client.post(URL, form_data(**changes))

    assert response.status_code == 200
    assert message in text_of(response)


def test_the_downloads_carry_the_same_plan() -> None:
    client = logged_in(coordinator())
    plan_url = submit(client, depart="53501")

    csv_response = client.get(plan_url + "plan.csv")
    instance = json.loads(client.get(plan_url + "instance.json").content)
    ics_response = client.get(plan_url + "tournee.ics")
    pdf_response = client.get(plan_url + "plan.pdf")

    rows = csv_response.content.decode().splitlines()
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    assert rows[0].startswith("ordre,id,nom,latitude,longitude,personnes_a_portee")
    assert rows[1].startswith("1,53502,Mairie de Commune 2,")
    assert instance["k"] == 2
    assert [row["weight"] for row in instance["demand"]] == [100, 50, 80, 30]
    ics = ics_response.content.decode()
    assert ics.startswith("BEGIN:VCALENDAR\r\n")
    assert "DTSTART;TZID=Europe/Paris:20261123T" in ics
    assert "RRULE:FREQ=WEEKLY;COUNT=4" in ics
    assert pdf_response["Content-Type"] == "application/pdf"
    pdf_text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf_response.content)).pages
    )
    assert "Plan d’aller-vers" in pdf_text
    assert "Mairie de Commune 2" in pdf_text
    assert "Optimal prouvé" in pdf_text


def test_a_plan_whose_data_changed_asks_to_compute_again() -> None:
    client = logged_in(coordinator())
    plan_url = submit(client, arrets=1)
    # A new fixed place in B: A, B and C are now within reach of help.
    create_place(code_insee="53502", latitude=48.0, longitude=-0.59)

    response = client.get(plan_url, follow=True)

    assert response.redirect_chain[-1][0] == URL
    assert "relancez" in text_of(response)


def test_the_form_proposes_next_monday() -> None:
    client = logged_in(coordinator())

    text = client.get(URL).content.decode()

    today = dt.date.today()
    monday = today + dt.timedelta(days=7 - today.weekday())
    assert f'value="{monday:%Y-%m-%d}"' in text


def test_my_space_links_to_the_planning_for_planners_only() -> None:
    mediator = MembershipFactory.create(
        mediator=True, structure=StructureFactory.create(commune=Commune.objects.get(pk="53501"))
    ).user

    planner_page = text_of(logged_in(coordinator()).get(reverse("accounts:dashboard")))
    mediator_page = text_of(logged_in(mediator).get(reverse("accounts:dashboard")))

    assert 'href="/itinerance/"' in planner_page
    assert "/itinerance/" not in mediator_page


def test_a_plan_outside_a_shrunk_scope_is_not_found() -> None:
    membership = MembershipFactory.create(coordinator=True)
    client = logged_in(membership.user)
    plan_url = submit(client)
    membership.departements.set([DepartementFactory.create(code="49", name="Maine-et-Loire")])

    assert client.get(plan_url).status_code == 404
    assert client.get(plan_url + "plan.json").status_code == 404


def test_a_plan_reaching_nobody_has_no_tour(monkeypatch: pytest.MonkeyPatch) -> None:
    def nobody(communes: Any) -> Any:
        return SimpleNamespace(central=communes.population * 0.0)

    monkeypatch.setattr(cache, "people_at_risk", nobody)
    cache.bump()
    client = logged_in(coordinator())

    plan_url = submit(client)
    text = text_of(client.get(plan_url))

    assert "pas de tournée à prévoir avec ces paramètres" in text
    assert "Passages de la semaine" not in text
    calendar = client.get(plan_url + "tournee.ics").content.decode()
    assert "BEGIN:VEVENT" not in calendar and "BEGIN:VTIMEZONE" in calendar
