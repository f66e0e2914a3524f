import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillon.accounts.models import Structure, User
from maillon.core.models import AuditEvent
from maillon.places.editing import (
    EDITING_SOURCE_SLUG,
    freshness_counts,
    freshness_filter,
    save_edit,
)
from maillon.places.models import Place, SourceKind, SourceRecord
from maillon.places.record import Freshness, LocationPrecision, freshness
from maillon.territory.models import Commune
from tests.factories.accounts import MembershipFactory, StructureFactory
from tests.factories.places import create_place
from tests.factories.territory import (
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    PostalCodeFactory,
    RegionFactory,
)


@dataclass
class World:
    laval: Commune
    le_mans: Commune
    structure: Structure
    elsewhere: Structure
    place: Place
    other_place: Place
    manager: User
    other_manager: User
    mediator: User
    coordinator: User
    other_coordinator: User
    administrator: User


@pytest.fixture
def world(db: None) -> World:
    laval = CommuneFactory.create(code_insee="53130", name="Laval", latitude=48.06, longitude=-0.77)
    PostalCodeFactory.create(code="53000", commune=laval)
    change = CommuneFactory.create(
        code_insee="53054", name="Changé", latitude=48.1, longitude=-0.79
    )
    PostalCodeFactory.create(code="53810", commune=change)
    sarthe = DepartementFactory.create(
        code="72", name="Sarthe", region=RegionFactory.create(code="52")
    )
    le_mans = CommuneFactory.create(
        code_insee="72181",
        name="Le Mans",
        departement=sarthe,
        epci=EpciFactory.create(siren="247200132", name="Le Mans Métropole"),
    )
    structure = StructureFactory.create(name="CCAS de Laval", commune=laval)
    elsewhere = StructureFactory.create(name="Centre social du Mans", commune=le_mans)
    place = create_place(
        nom="EPN de Laval",
        code_insee="53130",
        code_postal="53000",
        commune="Laval",
        telephone="+33243000000",
        date_maj=dt.date(2023, 1, 1),
    )
    place.structure = structure
    place.save()
    other_place = create_place(
        nom="EPN du Mans", code_insee="72181", code_postal="72000", commune="Le Mans"
    )
    other_place.structure = elsewhere
    other_place.save()
    return World(
        laval=laval,
        le_mans=le_mans,
        structure=structure,
        elsewhere=elsewhere,
        place=place,
        other_place=other_place,
        manager=MembershipFactory.create(manager=True, structure=structure).user,
        other_manager=MembershipFactory.create(manager=True, structure=elsewhere).user,
        mediator=MembershipFactory.create(mediator=True, structure=structure).user,
        coordinator=MembershipFactory.create(coordinator=True).user,  # département 53
        other_coordinator=MembershipFactory.create(coordinator=True, departements=[sarthe]).user,
        administrator=MembershipFactory.create(administrator=True).user,
    )


def _form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "nom": "EPN de Laval",
        "adresse": "1 rue de la Paix",
        "complement_adresse": "",
        "code_postal": "53000",
        "commune": "Laval",
        "telephone": "02 43 00 00 00",
        "courriels": "contact@epn-laval.fr",
        "site_web": "https://epn-laval.fr",
        "presentation_resume": "Accès libre et ateliers.",
        "presentation_detail": "",
        "prise_rdv": "",
        "fiche_acces_libre": "",
        "services": ["aide_demarches", "acces_materiel"],
        "frais_a_charge": ["gratuit"],
        "modalites_accompagnement": ["individuel"],
        "horaires_mode": "grille",
        "horaires": "",
    }
    for code in ("Mo", "Tu", "We", "Th", "Fr"):
        data[f"{code}_matin_debut"] = "09:00"
        data[f"{code}_matin_fin"] = "12:00"
        data[f"{code}_apres_midi_debut"] = "14:00"
        data[f"{code}_apres_midi_fin"] = "17:00"
    data["Sa_matin_debut"] = "09:30"
    data["Sa_matin_fin"] = "12:00"
    data.update(overrides)
    return data


def _edit_url(place: Place) -> str:
    return reverse("places:edit", args=[place.public_id])


# --------------------------------------------------------------------------- permissions


@pytest.mark.parametrize("name", ["places:my_places", "places:to_refresh"])
def test_anonymous_people_are_sent_to_the_login_page(
    client: Client, world: World, name: str
) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_people_cannot_open_the_edit_form(client: Client, world: World) -> None:
    response = client.get(_edit_url(world.place))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["manager", "administrator"])
def test_managers_and_administrators_open_the_edit_form(
    client: Client, world: World, who: str
) -> None:
    client.force_login(getattr(world, who))

    assert client.get(_edit_url(world.place)).status_code == 200
    assert client.get(reverse("places:my_places")).status_code == 200


@pytest.mark.parametrize("who", ["other_manager", "mediator", "coordinator", "other_coordinator"])
def test_it_hides_a_place_from_whoever_does_not_manage_it(
    client: Client, world: World, who: str
) -> None:
    client.force_login(getattr(world, who))

    assert client.get(_edit_url(world.place)).status_code == 404


@pytest.mark.parametrize("who", ["mediator", "coordinator"])
def test_my_places_is_only_for_managers(client: Client, world: World, who: str) -> None:
    client.force_login(getattr(world, who))

    assert client.get(reverse("places:my_places")).status_code == 404


def test_my_places_lists_only_the_places_of_managed_structures(
    client: Client, world: World
) -> None:
    client.force_login(world.manager)

    html = client.get(reverse("places:my_places")).content.decode()

    assert "EPN de Laval" in html
    assert "EPN du Mans" not in html


@pytest.mark.parametrize("who", ["other_manager", "mediator", "coordinator"])
def test_a_post_by_a_non_manager_changes_nothing(client: Client, world: World, who: str) -> None:
    client.force_login(getattr(world, who))

    response = client.post(_edit_url(world.place), _form_data(nom="Piraté"))

    assert response.status_code == 404
    world.place.refresh_from_db()
    assert world.place.nom == "EPN de Laval"
    assert not SourceRecord.objects.filter(source__slug=EDITING_SOURCE_SLUG).exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "administrator"])
def test_coordinators_and_administrators_see_places_to_refresh(
    client: Client, world: World, who: str
) -> None:
    client.force_login(getattr(world, who))

    assert client.get(reverse("places:to_refresh")).status_code == 200
    assert client.get(reverse("places:to_refresh_class", args=["a-actualiser"])).status_code == 200


@pytest.mark.parametrize("who", ["manager", "mediator"])
def test_places_to_refresh_is_not_for_managers_or_mediators(
    client: Client, world: World, who: str
) -> None:
    client.force_login(getattr(world, who))

    assert client.get(reverse("places:to_refresh")).status_code == 404


def test_places_to_refresh_are_those_of_the_coordinators_territory(
    client: Client, world: World
) -> None:
    client.force_login(world.other_coordinator)

    html = client.get(reverse("places:to_refresh")).content.decode()

    assert "EPN du Mans" in html
    assert "EPN de Laval" not in html


def test_an_unknown_freshness_class_is_not_found(client: Client, world: World) -> None:
    client.force_login(world.coordinator)

    assert client.get(reverse("places:to_refresh_class", args=["perime"])).status_code == 404


# --------------------------------------------------------------------------- editing


def test_the_form_shows_the_current_hours_as_a_weekly_timetable(
    client: Client, world: World
) -> None:
    client.force_login(world.manager)

    html = client.get(_edit_url(world.place)).content.decode()

    assert 'name="Mo_matin_debut"' in html and 'value="09:00"' in html
    assert 'type="time"' in html
    assert "Aide aux démarches administratives" in html  # the standard's labels
    assert 'name="horaires"' not in html


def test_hours_richer_than_a_week_are_edited_as_osm_text(client: Client, world: World) -> None:
    client.force_login(world.administrator)
    place = create_place(nom="Alterné", horaires="week 1-53/2 Mo 09:30-12:30; PH off")

    html = client.get(_edit_url(place)).content.decode()

    assert 'name="horaires"' in html
    assert "la grille ne peut pas les afficher" in html
    assert 'name="Mo_matin_debut"' not in html


def test_saving_records_an_edit_and_rebuilds_the_place(client: Client, world: World) -> None:
    client.force_login(world.manager)

    response = client.post(_edit_url(world.place), _form_data(nom="EPN Laval centre"))

    assert response.status_code == 302
    world.place.refresh_from_db()
    assert world.place.nom == "EPN Laval centre"
    assert world.place.horaires == "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:30-12:00"
    assert world.place.services == ["aide_demarches", "acces_materiel"]
    assert world.place.courriels == ["contact@epn-laval.fr"]
    assert world.place.date_maj == timezone.localdate()
    assert world.place.field_provenance["nom"]["rule"] == "saisie"
    record = SourceRecord.objects.get(source__slug=EDITING_SOURCE_SLUG)
    assert record.external_id == str(world.place.public_id)
    assert record.source.kind == SourceKind.EDITING and record.source.priority == 100
    event = AuditEvent.objects.get()
    assert event.actor == world.manager
    assert "nom" in event.fields and "horaires" in event.fields
    assert event.structure_id == world.structure.pk


def test_saving_twice_keeps_one_edit_record(client: Client, world: World) -> None:
    client.force_login(world.manager)

    client.post(_edit_url(world.place), _form_data())
    client.post(_edit_url(world.place), _form_data(telephone=""))

    assert SourceRecord.objects.filter(source__slug=EDITING_SOURCE_SLUG).count() == 1
    world.place.refresh_from_db()
    assert world.place.telephone == ""  # an edit defines every field, empty ones included
    assert AuditEvent.objects.count() == 2


def test_a_new_address_moves_the_place_to_its_communes_centre(client: Client, world: World) -> None:
    client.force_login(world.manager)

    client.post(
        _edit_url(world.place),
        _form_data(adresse="3 place de la Mairie", code_postal="53810", commune="change"),
    )

    world.place.refresh_from_db()
    assert world.place.commune_ref_id == "53054"
    assert world.place.commune == "Changé"
    assert (world.place.latitude, world.place.longitude) == (48.1, -0.79)
    assert world.place.location_precision == LocationPrecision.COMMUNE


def test_an_unchanged_address_keeps_the_precise_position(client: Client, world: World) -> None:
    client.force_login(world.manager)

    client.post(_edit_url(world.place), _form_data(nom="Autre nom"))

    world.place.refresh_from_db()
    assert world.place.location_precision == LocationPrecision.PRECISE
    assert world.place.latitude == 48.0706


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nom": ""}, "Ce champ est obligatoire."),
        ({"code_postal": "5300"}, "Le code postal doit comporter 5 chiffres."),
        ({"code_postal": "99999"}, "Code postal : aucune commune ne porte ce code."),
        ({"commune": "Mayenne"}, "Commune : elle ne correspond pas au code postal 53000"),
        ({"telephone": "12"}, "Téléphone : numéro"),
        (
            {"courriels": "pas-une-adresse"},
            "Courriel(s) : « pas-une-adresse » n&#x27;est pas valide.",
        ),
        ({"site_web": "epn laval"}, "Site(s) web : « epn » n&#x27;est pas une adresse complète"),
        ({"presentation_resume": "x" * 281}, "280"),
        (
            {"Mo_matin_fin": ""},
            "Lundi matin : indiquez l&#x27;heure d&#x27;ouverture et de fermeture.",
        ),
        ({"Tu_matin_fin": "08:00"}, "Mardi matin : la fermeture doit suivre l&#x27;ouverture."),
        (
            {"We_apres_midi_debut": "11:00"},
            "Mercredi après-midi : ce créneau chevauche celui du matin.",
        ),
        (
            {"horaires_mode": "osm", "horaires": "Lu-Ve 9h-12h"},
            "Horaires (format OpenStreetMap) : expression invalide",
        ),
    ],
)
def test_it_refuses_invalid_values_naming_the_field(
    client: Client, world: World, overrides: dict[str, Any], message: str
) -> None:
    client.force_login(world.manager)

    response = client.post(_edit_url(world.place), _form_data(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    world.place.refresh_from_db()
    assert world.place.nom == "EPN de Laval"
    assert not AuditEvent.objects.exists()


def test_raw_osm_hours_are_saved_when_valid(client: Client, world: World) -> None:
    client.force_login(world.manager)

    client.post(
        _edit_url(world.place),
        _form_data(horaires_mode="osm", horaires="Mo-Fr 09:00-12:00; PH off"),
    )

    world.place.refresh_from_db()
    assert world.place.horaires == "Mo-Fr 09:00-12:00; PH off"


def test_save_edit_journals_nothing_when_nothing_changed(world: World) -> None:
    data = world.place.to_data()
    save_edit(place=world.place, data=data, actor=world.manager)
    count = AuditEvent.objects.count()

    changed = save_edit(place=world.place, data=world.place.to_data(), actor=world.manager)

    assert changed == []
    assert AuditEvent.objects.count() == count


# --------------------------------------------------------------------------- freshness


def test_freshness_filters_agree_with_the_freshness_rule(db: None) -> None:
    today = dt.date(2026, 11, 22)
    for days in range(0, 700, 7):
        create_place(nom=f"Lieu {days}", date_maj=today - dt.timedelta(days=days))
    for days in (182, 183, 365, 366, 547, 548):
        create_place(nom=f"Bord {days}", date_maj=today - dt.timedelta(days=days))
    places = Place.objects.current()

    for klass in Freshness:
        expected = {p.pk for p in places if freshness(p.date_maj, today) == klass}
        assert (
            set(places.filter(freshness_filter(klass, today)).values_list("pk", flat=True))
            == expected
        )
    counts = freshness_counts(places, today)
    assert sum(counts.values()) == places.count()
    assert list(counts) == [
        Freshness.A_ACTUALISER,
        Freshness.A_VERIFIER,
        Freshness.A_SURVEILLER,
        Freshness.A_JOUR,
    ]


def test_places_to_refresh_shows_counts_and_oldest_first(client: Client, world: World) -> None:
    recent = create_place(
        nom="Tout neuf", code_insee="53130", date_maj=timezone.localdate() - dt.timedelta(days=3)
    )
    client.force_login(world.coordinator)

    response = client.get(reverse("places:to_refresh"))
    html = response.content.decode()

    assert "À actualiser" in html and "À vérifier" in html and "À surveiller" in html
    assert html.index("EPN de Laval") < html.index(recent.nom)
    filtered = client.get(reverse("places:to_refresh_class", args=["a-jour"])).content.decode()
    assert "Tout neuf" in filtered and "EPN de Laval" not in filtered


def test_closed_on_public_holidays_stays_editable_in_the_timetable(
    client: Client, world: World
) -> None:
    client.force_login(world.administrator)
    place = create_place(nom="Fériés", horaires="Mo-Fr 09:00-12:00; PH off")

    html = client.get(_edit_url(place)).content.decode()

    assert 'name="Mo_matin_debut"' in html
    assert 'name="ferme_jours_feries"' in html and "checked" in html
    client.post(_edit_url(place), _form_data(nom="Fériés", ferme_jours_feries="on"))
    place.refresh_from_db()
    assert place.horaires == "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:30-12:00; PH off"
