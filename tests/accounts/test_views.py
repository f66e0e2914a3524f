"""Every object view: a stranger gets 404, each allowed role 200, a role that may only see 404."""

import pytest
from django.test import Client
from django.urls import reverse

from maillon.accounts.models import Membership, Role, Structure, User
from maillon.core.models import AuditEvent
from tests.accounts.conftest import World

ROLES = ["mediator", "manager", "coordinator", "administrator", "stranger"]


def get_as(client: Client, user: User, url: str) -> int:
    client.force_login(user)
    return client.get(url).status_code


def test_anonymous_is_sent_to_login(client: Client, world: World) -> None:
    response = client.get(reverse("accounts:structure_detail", args=[world.structure.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_and_list_open_to_every_user(client: Client, world: World, role: str) -> None:
    user = getattr(world, role)
    assert get_as(client, user, reverse("accounts:dashboard")) == 200
    response = client.get(reverse("accounts:structure_list"))
    assert response.status_code == 200
    names = {s.name for s in Structure.objects.visible_to(user)}
    for structure in Structure.objects.all():
        assert (structure.name in response.content.decode()) == (structure.name in names)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("mediator", 200),
        ("manager", 200),
        ("coordinator", 200),
        ("administrator", 200),
        ("stranger", 404),
    ],
)
def test_structure_detail(client: Client, world: World, role: str, expected: int) -> None:
    url = reverse("accounts:structure_detail", args=[world.structure.pk])
    assert get_as(client, getattr(world, role), url) == expected


def test_structure_detail_links_to_its_commune_page(client: Client, world: World) -> None:
    client.force_login(world.mediator)
    response = client.get(reverse("accounts:structure_detail", args=[world.structure.pk]))
    commune_url = reverse("territory:commune", args=[world.structure.commune_id])
    assert f'href="{commune_url}"' in response.content.decode()


@pytest.mark.parametrize(
    "view",
    ["structure_detail", "structure_edit", "member_list", "invitation_create"],
)
def test_data_of_another_structure_is_a_404(client: Client, world: World, view: str) -> None:
    url = reverse(f"accounts:{view}", args=[world.elsewhere.pk])
    for role in ["mediator", "manager", "coordinator", "stranger"]:
        assert get_as(client, getattr(world, role), url) == 404, role


@pytest.mark.parametrize("view", ["membership_edit", "membership_deactivate"])
def test_membership_of_another_structure_is_a_404(client: Client, world: World, view: str) -> None:
    # Right structure in the URL, but the membership belongs elsewhere (and vice versa).
    other = Membership.objects.create(
        user=world.stranger, structure=world.elsewhere, role=Role.MEDIATOR
    )
    client.force_login(world.manager)
    url = reverse(f"accounts:{view}", args=[world.structure.pk, other.pk])
    assert client.post(url).status_code == 404
    url = reverse(f"accounts:{view}", args=[world.elsewhere.pk, other.pk])
    assert client.post(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("mediator", 404),
        ("manager", 200),
        ("coordinator", 404),
        ("administrator", 200),
        ("stranger", 404),
    ],
)
@pytest.mark.parametrize("view", ["structure_edit", "member_list", "invitation_create"])
def test_management_views(
    client: Client, world: World, role: str, expected: int, view: str
) -> None:
    url = reverse(f"accounts:{view}", args=[world.structure.pk])
    assert get_as(client, getattr(world, role), url) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("mediator", 404),
        ("manager", 200),
        ("coordinator", 404),
        ("administrator", 200),
        ("stranger", 404),
    ],
)
def test_membership_edit(client: Client, world: World, role: str, expected: int) -> None:
    url = reverse(
        "accounts:membership_edit", args=[world.structure.pk, world.mediator_membership.pk]
    )
    assert get_as(client, getattr(world, role), url) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("mediator", 404),
        ("manager", 404),
        ("coordinator", 200),
        ("administrator", 200),
        ("stranger", 404),
    ],
)
def test_structure_create(client: Client, world: World, role: str, expected: int) -> None:
    assert get_as(client, getattr(world, role), reverse("accounts:structure_create")) == expected


def structure_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Espace numérique de Laval",
        "siret": "732 829 320 00074",
        "rna": "",
        "typologie": "EPN",
        "address": "1 rue du Lieu",
        "postal_code": "53000",
        "commune": "53130",
        "email": "",
        "phone": "",
        "website": "",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_structure_within_scope(client: Client, world: World) -> None:
    client.force_login(world.coordinator)
    response = client.post(reverse("accounts:structure_create"), structure_data())
    structure = Structure.objects.get(name="Espace numérique de Laval")
    assert response.status_code == 302
    assert structure.siret == "73282932000074"
    event = AuditEvent.objects.about(structure).get()
    assert event.action == "create"
    assert event.actor == world.coordinator


def test_coordinator_cannot_create_outside_scope(client: Client, world: World) -> None:
    client.force_login(world.coordinator)
    response = client.post(reverse("accounts:structure_create"), structure_data(commune="72181"))
    assert response.status_code == 200
    assert "hors de votre périmètre" in response.content.decode()
    assert not Structure.objects.filter(name="Espace numérique de Laval").exists()


def test_structure_form_explains_identifier_errors(client: Client, world: World) -> None:
    client.force_login(world.administrator)
    url = reverse("accounts:structure_create")
    page = client.post(url, structure_data(siret="73282932000075")).content.decode()
    assert "clé de contrôle est fausse" in page
    page = client.post(url, structure_data(siret="")).content.decode()
    assert "Indiquez au moins un identifiant" in page
    page = client.post(url, structure_data(siret=world.structure.siret)).content.decode()
    assert "Une structure active porte déjà ce SIRET." in page


def test_structure_edit_journals_changed_field_names_only(client: Client, world: World) -> None:
    client.force_login(world.manager)
    url = reverse("accounts:structure_edit", args=[world.structure.pk])
    data = structure_data(
        name=world.structure.name,
        siret=world.structure.siret,
        typologie=world.structure.typologie,
        address=world.structure.address,
        postal_code=world.structure.postal_code,
        phone="02 43 00 00 00",
        email="ccas@laval.example",
    )
    before = AuditEvent.objects.count()
    assert client.post(url, data).status_code == 302
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.about(world.structure).get()
    assert event.action == "update"
    assert event.fields == ["email", "phone"]
    assert event.structure_id == world.structure.pk
    assert "02 43" not in str(event.fields)


def test_manager_changes_a_role_then_deactivates(client: Client, world: World) -> None:
    membership = world.mediator_membership
    client.force_login(world.manager)
    url = reverse("accounts:membership_edit", args=[world.structure.pk, membership.pk])
    response = client.post(url, {"role": "mediator", "is_conseiller_numerique": "on"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_conseiller_numerique
    assert AuditEvent.objects.about(membership).first().fields == ["is_conseiller_numerique"]  # type: ignore[union-attr]

    url = reverse("accounts:membership_deactivate", args=[world.structure.pk, membership.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert Structure.objects.visible_to(world.mediator).count() == 0


def test_conseiller_numerique_only_for_mediators(client: Client, world: World) -> None:
    client.force_login(world.manager)
    url = reverse(
        "accounts:membership_edit", args=[world.structure.pk, world.mediator_membership.pk]
    )
    response = client.post(url, {"role": "manager", "is_conseiller_numerique": "on"})
    assert "Seul un médiateur peut être conseiller numérique." in response.content.decode()


def test_app_templates_have_no_design_system_classes() -> None:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "templates" / "accounts"
    for template in folder.rglob("*.html"):
        assert "fr-" not in template.read_text(encoding="utf-8"), template.name
