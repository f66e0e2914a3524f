"""What the public pages show of a place: cards of the result list and sections of the detail page
(the national map's sections, lieux-standard.md §11.2), as plain data for the templates."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import phonenumbers
from django.utils import timezone

from maillon.places import opening_hours
from maillon.places.models import Place
from maillon.places.record import FRESHNESS_HINTS, LocationPrecision, freshness
from maillon.places.vocabulary import (
    Dispositif,
    FormationLabel,
    Frais,
    ModaliteAcces,
    ModaliteAccompagnement,
    PriseEnCharge,
    Public,
    Service,
    labels_of,
)

# Service groups of the detail page (§11.2), in the map's order.
SERVICE_GROUPS: tuple[tuple[str, tuple[Service, ...]], ...] = (
    (
        "Compétences numériques de base",
        (
            Service.AIDE_DEMARCHES,
            Service.OUTILS_QUOTIDIEN,
            Service.INSERTION_PRO,
            Service.UTILISATION_SECURISEE,
            Service.PARENTALITE,
        ),
    ),
    ("Culture numérique", (Service.LOISIRS_CREATIONS, Service.COMPREHENSION)),
    ("Matériel informatique", (Service.ACCES_MATERIEL, Service.MATERIEL_SOLIDAIRE)),
)
OSM_ROUTE_URL = "https://www.openstreetmap.org/directions"


@dataclass(frozen=True)
class OpenState:
    """Whether a place is open at an instant; `is_known` is false without parsable hours."""

    is_known: bool
    is_open: bool = False

    @property
    def label(self) -> str:
        if not self.is_known:
            return ""
        return "Ouvert actuellement" if self.is_open else "Fermé actuellement"


def place_zone(place: Place) -> ZoneInfo:
    return opening_hours.timezone_for(place.commune_ref_id or "")


def open_state(place: Place, now: dt.datetime | None = None) -> OpenState:
    """« Ouvert actuellement » in the place's own time zone (overseas places have theirs)."""
    if not place.horaires or not opening_hours.is_valid(place.horaires):
        return OpenState(is_known=False)
    is_open = opening_hours.is_open_at(place.horaires, now or timezone.now(), tz=place_zone(place))
    return OpenState(is_known=True, is_open=is_open)


def address_lines(place: Place) -> list[str]:
    lines = [place.adresse, place.complement_adresse, f"{place.code_postal} {place.commune}"]
    return [line.strip() for line in lines if line.strip()]


@dataclass
class Card:
    """One place in a result list."""

    place: Place
    url: str
    address: str
    distance: str
    state: OpenState
    services: list[str]


def format_distance(km: float | None) -> str:
    if km is None:
        return ""
    if km < 1:
        return f"{round(km * 1000 / 50) * 50:.0f} m"
    text = f"{km:.1f}".replace(".", ",")
    return f"{text} km"


def card(place: Place, url: str, distance_km: float | None, now: dt.datetime) -> Card:
    return Card(
        place=place,
        url=url,
        address=", ".join(address_lines(place)),
        distance=format_distance(distance_km),
        state=open_state(place, now),
        services=labels_of(Service, place.services),
    )


@dataclass
class HoursRow:
    day: str
    text: str
    is_closed: bool


def week_hours(place: Place, today: dt.date) -> list[HoursRow]:
    """The current week's timetable, one row per day (empty when the hours are not in OSM form)."""
    if not place.horaires:
        return []
    monday = today - dt.timedelta(days=today.weekday())
    return [
        HoursRow(
            day=day.name,
            text="Fermé" if day.is_closed or not day.intervals else ", ".join(day.intervals),
            is_closed=day.is_closed,
        )
        for day in opening_hours.week_table(place.horaires, monday)
    ]


def route_url(place: Place) -> str:
    if place.latitude is None or place.longitude is None:
        return ""
    return f"{OSM_ROUTE_URL}?{urlencode({'route': f';{place.latitude},{place.longitude}'})}"


@dataclass
class Contact:
    heading: str
    address: list[str]
    phone: str
    phone_href: str
    emails: list[str]
    websites: list[str]
    acces_libre: str
    booking: str


def readable_phone(phone: str) -> str:
    """« 05 87 66 00 00 » for a metropolitan number, « +262 262 12 34 56 » overseas.

    Numbers are stored in the standard's international form, which few people read aloud."""
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return phone
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def contact(place: Place) -> Contact:
    is_france_services = Dispositif.FRANCE_SERVICES.value in place.dispositif_programmes_nationaux
    phone = place.telephone.strip()
    return Contact(
        heading=(
            "Contactez un conseiller France Services" if is_france_services else "Contactez le lieu"
        ),
        address=address_lines(place),
        phone=readable_phone(phone),
        phone_href="tel:" + phone.replace(" ", "") if phone else "",
        emails=list(place.courriels),
        websites=list(place.site_web),
        acces_libre=place.fiche_acces_libre,
        booking=place.prise_rdv,
    )


@dataclass
class Detail:
    """Everything the detail page shows, section by section."""

    state: OpenState
    hours: list[HoursRow]
    hours_text: str
    labels: list[str]
    service_groups: list[tuple[str, list[str]]]
    accompagnements: list[str]
    publics: list[str]
    modalites_acces: list[str]
    frais: list[str]
    prises_en_charge: list[str]
    dispositifs: list[str]
    description: str
    contact: Contact
    is_approximate: bool
    route_url: str
    sources: list[str]
    date_maj: str
    completeness: int
    freshness: str
    freshness_hint: str


def detail(place: Place, now: dt.datetime | None = None) -> Detail:
    now = now or timezone.now()
    local_today = now.astimezone(place_zone(place)).date()
    wanted = set(place.services)
    groups = [
        (title, [str(service.label) for service in services if service.value in wanted])
        for title, services in SERVICE_GROUPS
    ]
    sources = sorted(
        {
            str(record.source)
            for record in place.records.select_related("source")
            if record.retired_at is None
        }
    )
    if place.source and place.source not in sources:
        sources.insert(0, place.source)
    fresh = freshness(place.date_maj, timezone.localdate())
    return Detail(
        state=open_state(place, now),
        hours=week_hours(place, local_today),
        hours_text=place.horaires_texte,
        labels=[
            *labels_of(FormationLabel, place.formations_labels),
            *place.autres_formations_labels,
        ],
        service_groups=[(title, labels) for title, labels in groups if labels],
        accompagnements=labels_of(ModaliteAccompagnement, place.modalites_accompagnement),
        publics=labels_of(Public, place.publics_specifiquement_adresses) or ["Tout public"],
        modalites_acces=labels_of(ModaliteAcces, place.modalites_acces),
        frais=labels_of(Frais, place.frais_a_charge),
        prises_en_charge=labels_of(PriseEnCharge, place.prise_en_charge_specifique),
        dispositifs=labels_of(Dispositif, place.dispositif_programmes_nationaux),
        description=place.presentation_detail or place.presentation_resume,
        contact=contact(place),
        is_approximate=place.location_precision == LocationPrecision.COMMUNE,
        route_url=route_url(place),
        sources=sources,
        date_maj=place.date_maj.strftime("%d/%m/%Y"),
        completeness=place.completeness,
        freshness=str(fresh.label),
        freshness_hint=FRESHNESS_HINTS[fresh],
    )
