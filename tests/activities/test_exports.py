# ruff: noqa: RUF001 — typographic apostrophes are part of the column labels.
"""Statistics exports (CSV, XLSX, PDF), the activity export and the API: who gets what.

Structure A (Laval, 53) and structure B (Le Mans, 72) each record an individual session with
an identified person; every body any role receives is searched for the other structure's
people, and coordinators' and administrators' bodies for anybody's.
"""

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.http import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from maillon.accounts.models import ApiToken, Membership, TokenScope, User
from maillon.accounts.services import create_api_token, revoke_api_token
from maillon.activities.exports import activities as activity_export
from maillon.activities.models import Activity
from maillon.activities.services import record_activity
from maillon.activities.vocabulary import Autonomie, Thematique, TypeLieu
from maillon.beneficiaries.models import Beneficiary, Genre
from maillon.core.models import AuditAction, AuditEvent
from tests.factories.accounts import MembershipFactory
from tests.factories.activities import Teams, activity_data
from tests.factories.beneficiaries import BeneficiaryFactory
from tests.factories.territory import DepartementFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 9, 10)
EXPORTS = ("export_csv", "export_xlsx", "export_pdf", "export_activities")


@dataclass
class World:
    teams: Teams
    person_a: Beneficiary
    person_b: Beneficiary
    coordinator_72: User

    @property
    def secrets_a(self) -> tuple[str, ...]:
        return ("Zéphyrine", "Secretnoma", "zephyrine@exemple-a.fr", "Note privée A")

    @property
    def secrets_b(self) -> tuple[str, ...]:
        return ("Théodoric", "Cachenomb", "theodoric@exemple-b.fr", "Note privée B")


@pytest.fixture
def world(teams: Teams) -> World:
    person_a = BeneficiaryFactory.create(
        structure=teams.a,
        first_name="Zéphyrine",
        last_name="Secretnoma",
        email="zephyrine@exemple-a.fr",
        birth_year=1961,
        genre=Genre.FEMININ,
        commune=teams.laval,
    )
    person_b = BeneficiaryFactory.create(
        structure=teams.b,
        first_name="Théodoric",
        last_name="Cachenomb",
        email="theodoric@exemple-b.fr",
        birth_year=1990,
        commune=teams.le_mans,
    )
    record_activity(
        actor=teams.mediator_a,
        data=activity_data(
            teams.a,
            beneficiary=person_a,
            date=DAY,
            notes="Note privée A",
            autonomy=Autonomie.AUTONOME,
            themes=(Thematique.EMAIL, Thematique.SANTE),
        ),
    )
    record_activity(
        actor=teams.mediator_b,
        data=activity_data(
            teams.b,
            beneficiary=person_b,
            date=DAY,
            notes="Note privée B",
            place_kind=TypeLieu.DOMICILE,
            commune=teams.le_mans,
        ),
    )
    sarthe = DepartementFactory._meta.model.objects.get(code="72")
    coordinator_72 = MembershipFactory.create(coordinator=True, departements=[sarthe]).user
    return World(teams, person_a, person_b, coordinator_72)


def _body(response: HttpResponseBase) -> bytes:
    if response.streaming:
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        # Read to the end, the test client's wrapper closes the response (and deletes the
        # temporary file); closing it again would close the test's PostgreSQL connection.
        return body
    return response.content  # type: ignore[attr-defined, no-any-return]


def _xlsx_cells(body: bytes) -> list[list[Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    rows = [list(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def _text(name: str, body: bytes) -> str:
    """Everything readable in an export, whatever its format."""
    if name == "export_pdf":
        return _pdf_text(body)
    if name in {"export_xlsx", "export_activities"}:
        return "\n".join(str(v) for row in _xlsx_cells(body) for v in row if v is not None)
    return body.decode()


def _exports(client: Client, **params: str) -> Iterator[tuple[str, HttpResponseBase]]:
    for name in EXPORTS:
        yield name, client.get(reverse(f"statistics:{name}"), params)


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, world: World) -> None:
    for name in ("dashboard", *EXPORTS):
        response = client.get(reverse(f"statistics:{name}"))
        assert response.status_code == 302, name
        assert "connexion" in response["Location"] or "login" in response["Location"]


def test_no_body_shows_another_structures_people(client: Client, world: World) -> None:
    t = world.teams
    own_people = {
        t.mediator_a: world.secrets_a,
        t.colleague_a: (),
        t.manager_a: world.secrets_a,
        t.mediator_b: world.secrets_b,
    }
    forbidden = {
        t.mediator_a: world.secrets_b,
        t.colleague_a: world.secrets_b,
        t.manager_a: world.secrets_b,
        t.mediator_b: world.secrets_a,
        t.coordinator: world.secrets_a + world.secrets_b,
        world.coordinator_72: world.secrets_a + world.secrets_b,
        t.administrator: world.secrets_a + world.secrets_b,
    }
    for user, secrets in forbidden.items():
        client.force_login(user)
        texts = {}
        dashboard = client.get(reverse("statistics:dashboard"))
        for name, response in [("dashboard", dashboard), *_exports(client)]:
            assert response.status_code == 200, (user.email, name)
            texts[name] = _text(name, _body(response))
            for secret in secrets:
                assert secret not in texts[name], (user.email, name, secret)
        # The activity export names one's own structure's people (and notes, for the author).
        for secret in own_people.get(user, ()):
            if secret == "Note privée A" and user == t.colleague_a:
                continue
            if "@" in secret:
                continue  # e-mail addresses are never exported
            assert secret in texts["export_activities"], (user.email, secret)


def test_each_role_exports_the_activities_of_its_scope(client: Client, world: World) -> None:
    t = world.teams
    expected = {
        t.mediator_a: {"CCAS de Laval"},
        t.colleague_a: set(),  # his own activities: none
        t.manager_a: {"CCAS de Laval"},
        t.mediator_b: {"Centre social du Mans"},
        t.coordinator: {"CCAS de Laval"},
        world.coordinator_72: {"Centre social du Mans"},
        t.administrator: {"CCAS de Laval", "Centre social du Mans"},
    }
    for user, structures in expected.items():
        client.force_login(user)
        rows = _xlsx_cells(_body(client.get(reverse("statistics:export_activities"))))
        header, data = rows[0], rows[1:]
        assert {row[header.index("Structure")] for row in data} == structures, user.email
        has_people = user in {t.mediator_a, t.colleague_a, t.manager_a, t.mediator_b}
        assert ("Bénéficiaire" in header) is has_people, user.email
        assert ("Notes supplémentaires" in header) is has_people, user.email


def test_users_without_a_role_see_zeros_and_cannot_export_activities(
    client: Client, world: World
) -> None:
    client.force_login(world.teams.stranger)
    assert client.get(reverse("statistics:dashboard")).status_code == 200
    assert (
        "totaux;activites;activites;0"
        in client.get(reverse("statistics:export_csv")).content.decode()
    )
    assert client.get(reverse("statistics:export_activities")).status_code == 404


def test_the_activity_export_has_the_reference_columns_and_values(
    client: Client, world: World
) -> None:
    client.force_login(world.teams.mediator_a)
    response = client.get(reverse("statistics:export_activities"), {"du": "2026-09-01"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    header, row = _xlsx_cells(_body(response))
    values = dict(zip(header, row, strict=True))
    assert values["Date"] == dt.datetime(2026, 9, 10)
    assert values["Type"] == "Accompagnement individuel"
    assert values["Participants"] == 1
    assert values["Rôle"] == "Médiateur numérique"
    assert values["Bénéficiaire"] == "Zéphyrine Secretnoma"
    assert values["Thématique(s) d’accompagnement"] == "E-mail, Santé"
    assert values["Niveau d’autonomie (ou de l’atelier)"] == "Autonome"
    assert values["Commune du bénéficiaire"] == "Laval"
    assert values["Code Insee du bénéficiaire"] == "53130"
    assert values["Genre"] == "Féminin"
    assert values["Notes supplémentaires"] == "Note privée A"
    assert isinstance(values["ID CRA"], int)
    # The read of the person's name is journaled.
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_id=str(world.person_a.pk), actor=world.teams.mediator_a
    ).exists()


def test_the_activity_export_names_each_mediators_role_and_conum_id(
    client: Client, world: World
) -> None:
    t = world.teams
    Membership.objects.filter(user=t.colleague_a, structure=t.a).update(
        conseiller_numerique_id="5f3a9c2e"
    )
    record_activity(actor=t.colleague_a, data=activity_data(t.a, date=DAY))
    client.force_login(t.administrator)
    header, *data = _xlsx_cells(_body(client.get(reverse("statistics:export_activities"))))
    # The reference's order (§6.3): right after the mediator's names.
    assert header[3:7] == ["Prénom du médiateur", "Nom du médiateur", "Rôle", "ID - Conum"]
    assert "Source de la donnée" not in header
    by_name = {row[header.index("Nom du médiateur")]: row for row in data}
    conseiller = by_name[t.colleague_a.last_name]
    assert conseiller[header.index("Rôle")] == "Conseiller numérique"
    assert conseiller[header.index("ID - Conum")] == "5f3a9c2e"
    for mediator in (t.mediator_a, t.mediator_b):
        row = by_name[mediator.last_name]
        assert row[header.index("Rôle")] == "Médiateur numérique"
        assert row[header.index("ID - Conum")] is None  # an empty cell


def test_the_activity_export_reads_each_mediators_role_once(world: World) -> None:
    t = world.teams
    for _ in range(3):
        record_activity(actor=t.colleague_a, data=activity_data(t.a, date=DAY))
    reader = activity_export.reader_of(t.administrator)
    with CaptureQueriesContext(connection) as queries:
        rows = list(activity_export.rows(reader, Activity.objects.all(), chunk_size=1))
    assert len(rows) == 5
    lookups = [q["sql"] for q in queries.captured_queries if "accounts_membership" in q["sql"]]
    # Five batches of one row, three (mediator, structure) pairs: each pair is read once.
    assert len(lookups) == 3
    assert {tuple(row[5:7]) for row in rows} == {
        ("Conseiller numérique", ""),
        ("Médiateur numérique", ""),
    }


def test_the_activity_export_follows_the_filters(client: Client, world: World) -> None:
    client.force_login(world.teams.administrator)
    url = reverse("statistics:export_activities")
    assert len(_xlsx_cells(_body(client.get(url)))) == 3
    assert len(_xlsx_cells(_body(client.get(url, {"thematiques": "sante"})))) == 2
    assert len(_xlsx_cells(_body(client.get(url, {"territoire": "dep:72"})))) == 2
    assert len(_xlsx_cells(_body(client.get(url, {"du": "2026-10-01"})))) == 1
    assert client.get(url, {"du": "hier"}).status_code == 400


def test_the_files_name_their_filters_in_words(client: Client, world: World) -> None:
    client.force_login(world.teams.administrator)
    chosen = {"types": "individuel", "thematiques": "sante", "territoire": "com:53130"}
    rows = _xlsx_cells(_body(client.get(reverse("statistics:export_xlsx"), chosen)))
    head = {row[0]: row[1] for row in rows[:8] if row and len(row) > 1}
    assert head["Types"] == "Accompagnement individuel"
    assert head["Thématiques"] == "Santé"
    assert head["Territoire"] == "Commune Laval (53130)"


def test_user_text_is_never_written_as_a_formula(client: Client, world: World) -> None:
    t = world.teams
    record_activity(
        actor=t.mediator_a,
        data=activity_data(t.a, collective=True, workshop_title='=HYPERLINK("x")', date=DAY),
    )
    client.force_login(t.mediator_a)
    body = _body(client.get(reverse("statistics:export_activities")))
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    cells = [c for row in workbook.active.iter_rows() for c in row if c.value]
    titles = [c for c in cells if str(c.value).startswith("=HYPERLINK")]
    assert titles and all(c.data_type == "s" for c in titles)


def test_statistics_xlsx_has_the_three_sections_and_the_dashboards_numbers(
    client: Client, world: World
) -> None:
    client.force_login(world.teams.manager_a)
    body = _body(client.get(reverse("statistics:export_xlsx")))
    rows = _xlsx_cells(body)
    firsts = [row[0] for row in rows if row]
    for title in (
        "Statistiques générales",
        "Statistiques sur vos accompagnements",
        "Statistiques sur vos bénéficiaires",
    ):
        assert title in firsts
    values = {row[0]: row[1] for row in rows if row and len(row) > 1}
    assert values["Activités"] == 1
    assert values["Bénéficiaires accompagnés"] == 1
    api = client.get(reverse("statistics:dashboard"))
    assert api.context["stats"].activites == 1
    # A distribution: header row then one row per value, shares as fractions.
    index = firsts.index("Genre des bénéficiaires")
    assert rows[index + 1][:3] == ["Valeur", "Nombre", "Part"]
    feminin = next(r for r in rows[index + 2 :] if r[0] == "Féminin")
    assert feminin[1:3] == [1, 1.0]


def test_territory_exports_suppress_small_cells(client: Client, world: World) -> None:
    client.force_login(world.teams.coordinator)
    rows = _xlsx_cells(_body(client.get(reverse("statistics:export_xlsx"))))
    values = {row[0]: row[1] for row in rows if row and len(row) > 1}
    assert values["Activités"] == 1  # activities are not people
    assert values["Bénéficiaires accompagnés"] == "< 5"
    assert values["Féminin"] == "< 5"
    assert (
        "totaux;beneficiaires;beneficiaires;< 5"
        in client.get(reverse("statistics:export_csv")).content.decode()
    )
    text = _pdf_text(_body(client.get(reverse("statistics:export_pdf"))))
    assert "< 5" in text


def test_new_beneficiaries_need_a_period_and_are_never_shown_masked_without_one(
    client: Client, world: World
) -> None:
    """« Nouveaux » has no meaning over all time: without a period the page leaves the figure
    out and the files leave it empty, even in a territory view where « < 5 » means masked."""
    client.force_login(world.teams.coordinator)
    page = client.get(reverse("statistics:dashboard")).content.decode()
    assert "Nouveaux bénéficiaires" not in page
    csv_text = client.get(reverse("statistics:export_csv")).content.decode()
    assert "totaux;nouveaux_beneficiaires;nouveaux_beneficiaires;;" in csv_text
    rows = _xlsx_cells(_body(client.get(reverse("statistics:export_xlsx"))))
    assert not [row for row in rows if row and row[0] == "Nouveaux bénéficiaires"]
    with_period = {"du": "2026-01-01", "au": "2026-12-31"}
    page = client.get(reverse("statistics:dashboard"), with_period).content.decode()
    assert "Nouveaux bénéficiaires" in page
    csv_text = client.get(reverse("statistics:export_csv"), with_period).content.decode()
    assert "totaux;nouveaux_beneficiaires;nouveaux_beneficiaires;< 5;" in csv_text


def test_the_daily_series_shows_the_last_30_days_of_the_period_with_empty_days(
    client: Client, world: World
) -> None:
    client.force_login(world.teams.manager_a)
    period = {"du": "2026-09-01", "au": "2026-09-15"}
    csv_lines = client.get(reverse("statistics:export_csv"), period).content.decode()
    days = [line for line in csv_lines.splitlines() if line.startswith("accompagnements_par_jour;")]
    assert len(days) == 15  # the period is shorter than 30 days
    assert "accompagnements_par_jour;2026-09-10;10/09/2026;1;1.0" in days
    assert "accompagnements_par_jour;2026-09-11;11/09/2026;0;0.0" in days
    whole_year = {"du": "2026-01-01", "au": "2026-09-30"}
    csv_lines = client.get(reverse("statistics:export_csv"), whole_year).content.decode()
    days = [line for line in csv_lines.splitlines() if line.startswith("accompagnements_par_jour;")]
    assert (len(days), days[0].split(";")[1], days[-1].split(";")[1]) == (
        30,
        "2026-09-01",
        "2026-09-30",
    )
    page = client.get(reverse("statistics:dashboard"), whole_year).content.decode()
    assert "Accompagnements par jour" in page


def test_the_pdf_shows_the_sections_with_local_fonts(client: Client, world: World) -> None:
    client.force_login(world.teams.manager_a)
    response = client.get(reverse("statistics:export_pdf"), {"periode": "12mois"})
    assert response["Content-Type"] == "application/pdf"
    body = _body(response)
    assert body.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(body))
    assert 1 <= len(reader.pages) <= 6
    text = _pdf_text(body)
    assert "Statistiques générales" in text
    assert "Statistiques sur vos bénéficiaires" in text
    assert "Période" in text


def test_the_pdf_fetches_nothing_outside(settings: Any) -> None:
    from maillon.activities.exports.pdf import render_pdf

    html = (
        '<link rel="stylesheet" href="https://example.org/x.css">'
        '<img src="http://127.0.0.1:9/x.png" alt=""><p>Bonjour</p>'
    )
    assert render_pdf(html).startswith(b"%PDF")  # rendered, the URLs refused without waiting


def _token(user: User, scopes: list[str], **changes: Any) -> str:
    row, secret = create_api_token(user=user, name="test", scopes=scopes, actor=None)
    if changes.get("expired"):
        ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    if changes.get("revoked"):
        revoke_api_token(api_token=row, actor=None)
    return secret


def test_api_tokens_by_scope_state_and_role(client: Client, world: World) -> None:
    t = world.teams
    url = reverse("statistics_api:statistiques")

    def call(secret: str, **params: str) -> Any:
        return client.get(url, params, headers={"Authorization": f"Bearer {secret}"})

    assert call(_token(t.manager_a, [TokenScope.LIEUX])).status_code == 401
    assert call(_token(t.manager_a, [TokenScope.STATISTIQUES], expired=True)).status_code == 401
    assert call(_token(t.manager_a, [TokenScope.STATISTIQUES], revoked=True)).status_code == 401
    expected = {
        t.mediator_a: 1,
        t.manager_a: 1,
        t.mediator_b: 1,
        t.coordinator: 1,
        world.coordinator_72: 1,
        t.administrator: 2,
    }
    for user, activities in expected.items():
        response = call(_token(user, [TokenScope.STATISTIQUES, TokenScope.LIEUX]))
        assert response.status_code == 200
        assert response.json()["activites"] == activities, user.email
        for secret in world.secrets_a + world.secrets_b:
            assert secret not in response.content.decode()
    # Out of scope: a coordinator of 53 asking for Sarthe gets nothing.
    assert (
        call(_token(t.coordinator, [TokenScope.STATISTIQUES]), territoire="dep:72").json()[
            "activites"
        ]
        == 0
    )
