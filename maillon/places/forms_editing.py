"""The form a structure manager fills to update one of the structure's places."""

import dataclasses
import datetime as dt
import re
from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, RegexValidator, URLValidator

from maillon.places.editing import communes_for, located
from maillon.places.opening_hours import (
    DAY_CODES,
    DAY_NAMES,
    is_valid,
    osm_to_timetable,
    timetable_to_osm,
)
from maillon.places.record import PlaceData
from maillon.places.vocabulary import (
    Frais,
    Itinerance,
    ModaliteAcces,
    ModaliteAccompagnement,
    PriseEnCharge,
    Public,
    Service,
)
from maillon.territory.models import Commune

MODE_TIMETABLE = "grille"
MODE_OSM = "osm"
HALVES = (("matin", "matin"), ("apres_midi", "après-midi"))
# The standard's telephone pattern (lieux-standard.md §3, field 12).
PHONE_PATTERN = re.compile(r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)\d{6,9}$")
LIST_SEPARATORS = re.compile(r"[\s|;,]+")
# "Closed on public holidays" is so common that the timetable offers it as a checkbox.
HOLIDAYS_OFF = re.compile(r"^(?P<week>.*?);\s*PH\s+(?:off|closed)$")

# The fields the form shows as they are stored (one value, edited as text).
TEXT_FIELDS = (
    "nom",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune",
    "telephone",
    "presentation_resume",
    "presentation_detail",
    "prise_rdv",
    "fiche_acces_libre",
    "horaires",
)

ENUM_CHOICES: dict[str, tuple[str, Any]] = {
    "services": ("Services", Service),
    "publics_specifiquement_adresses": ("Publics spécifiquement adressés", Public),
    "prise_en_charge_specifique": ("Prise en charge spécifique", PriseEnCharge),
    "frais_a_charge": ("Frais à charge", Frais),
    "modalites_acces": ("Modalités d'accès", ModaliteAcces),
    "modalites_accompagnement": ("Modalités d'accompagnement", ModaliteAccompagnement),
    "itinerance": ("Itinérance", Itinerance),
}


def slot_name(code: str, half: str, end: str) -> str:
    return f"{code}_{half}_{end}"


def _split(value: str) -> list[str]:
    return [item for item in LIST_SEPARATORS.split(value.strip()) if item]


class PlaceEditForm(forms.Form):
    nom = forms.CharField(label="Nom du lieu", max_length=255)
    adresse = forms.CharField(
        label="Adresse", max_length=255, help_text="Numéro et voie, ex. : 12 rue de la Paix"
    )
    complement_adresse = forms.CharField(
        label="Complément d'adresse", max_length=255, required=False
    )
    code_postal = forms.CharField(
        label="Code postal",
        validators=[RegexValidator(r"^\d{5}$", "Le code postal doit comporter 5 chiffres.")],
    )
    commune = forms.CharField(label="Commune", max_length=120)
    telephone = forms.CharField(
        label="Téléphone", required=False, help_text="Un seul numéro, ex. : 02 43 00 00 00"
    )
    courriels = forms.CharField(
        label="Courriel(s)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Adresses génériques, une par ligne",
    )
    site_web = forms.CharField(
        label="Site(s) web",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Adresses complètes (https://…), une par ligne",
    )
    presentation_resume = forms.CharField(
        label="Présentation résumée",
        max_length=280,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="280 caractères au plus",
    )
    presentation_detail = forms.CharField(
        label="Présentation détaillée", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    prise_rdv = forms.URLField(
        label="Prise de rendez-vous en ligne",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Adresse de la page de réservation, ex. : https://rdv.anct.gouv.fr/…",
    )
    fiche_acces_libre = forms.URLField(
        label="Fiche Accès libre",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Adresse de la fiche du lieu sur acceslibre.beta.gouv.fr",
    )
    horaires_mode = forms.CharField(widget=forms.HiddenInput)
    ferme_jours_feries = forms.BooleanField(label="Fermé les jours fériés", required=False)
    horaires = forms.CharField(
        label="Horaires (format OpenStreetMap)",
        required=False,
        max_length=1000,
        help_text="Ex. : Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off",
    )

    def __init__(self, *args: Any, place_data: PlaceData, **kwargs: Any) -> None:
        self.place_data = place_data
        holidays = HOLIDAYS_OFF.match(place_data.horaires)
        week = holidays.group("week") if holidays else place_data.horaires
        timetable = osm_to_timetable(week)
        fits = timetable is not None and all(len(slots) <= 2 for slots in timetable.values())
        initial: dict[str, Any] = {name: getattr(place_data, name) for name in TEXT_FIELDS}
        initial["courriels"] = "\n".join(place_data.courriels)
        initial["site_web"] = "\n".join(place_data.site_web)
        initial["horaires_mode"] = MODE_TIMETABLE if fits else MODE_OSM
        initial["ferme_jours_feries"] = holidays is not None
        for name in ENUM_CHOICES:
            initial[name] = list(getattr(place_data, name))
        if fits and timetable is not None:
            for code, slots in timetable.items():
                for (half, _), (begin, end) in zip(HALVES, _halves(slots), strict=True):
                    initial[slot_name(code, half, "debut")] = begin
                    initial[slot_name(code, half, "fin")] = end
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name, (label, enum) in ENUM_CHOICES.items():
            self.fields[name] = forms.MultipleChoiceField(
                label=label,
                choices=enum.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        for code, day in zip(DAY_CODES, DAY_NAMES, strict=True):
            for half, half_label in HALVES:
                for edge, edge_label in (("debut", "ouverture"), ("fin", "fermeture")):
                    self.fields[slot_name(code, half, edge)] = forms.TimeField(
                        label=f"{day} {half_label}, {edge_label}",
                        required=False,
                        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    )
        self.commune_ref: Commune | None = None

    @property
    def mode(self) -> str:
        value = self.data.get("horaires_mode") if self.is_bound else self.initial["horaires_mode"]
        return MODE_OSM if value == MODE_OSM else MODE_TIMETABLE

    def timetable_rows(self) -> list[dict[str, Any]]:
        """One row per day for the timetable component."""
        return [
            {
                "day": day,
                "cells": [
                    self[slot_name(code, half, end)]
                    for half, _ in HALVES
                    for end in ("debut", "fin")
                ],
            }
            for code, day in zip(DAY_CODES, DAY_NAMES, strict=True)
        ]

    def enum_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ENUM_CHOICES]

    def text_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in (
                "nom",
                "adresse",
                "complement_adresse",
                "code_postal",
                "commune",
                "telephone",
                "courriels",
                "site_web",
                "presentation_resume",
                "presentation_detail",
                "prise_rdv",
                "fiche_acces_libre",
            )
        ]

    def clean_telephone(self) -> str:
        value: str = self.cleaned_data["telephone"].strip()
        if not value:
            return ""
        try:
            number = phonenumbers.parse(value, "FR")
        except phonenumbers.NumberParseException as error:
            raise ValidationError("Téléphone : numéro illisible (ex. : 02 43 00 00 00).") from error
        formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if not phonenumbers.is_valid_number(number) or not PHONE_PATTERN.match(formatted):
            raise ValidationError("Téléphone : numéro invalide (ex. : 02 43 00 00 00).")
        return formatted

    def clean_courriels(self) -> list[str]:
        addresses = _split(self.cleaned_data["courriels"])
        for address in addresses:
            try:
                EmailValidator()(address)
            except ValidationError as error:
                raise ValidationError(f"Courriel(s) : « {address} » n'est pas valide.") from error
        return list(dict.fromkeys(addresses))

    def clean_site_web(self) -> list[str]:
        urls = _split(self.cleaned_data["site_web"])
        for url in urls:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError as error:
                raise ValidationError(
                    f"Site(s) web : « {url} » n'est pas une adresse complète (https://…)."
                ) from error
        return list(dict.fromkeys(urls))

    def clean_horaires(self) -> str:
        value: str = " ".join(self.cleaned_data["horaires"].split())
        if self.mode == MODE_OSM and value and not is_valid(value):
            raise ValidationError(
                "Horaires (format OpenStreetMap) : expression invalide, "
                "ex. : Mo-Fr 09:00-12:00,14:00-17:00."
            )
        return value

    def _timetable(self) -> str:
        slots: dict[str, list[tuple[dt.time, dt.time]]] = {}
        for code, day in zip(DAY_CODES, DAY_NAMES, strict=True):
            previous_end: dt.time | None = None
            for half, half_label in HALVES:
                begin = self.cleaned_data.get(slot_name(code, half, "debut"))
                end = self.cleaned_data.get(slot_name(code, half, "fin"))
                field = slot_name(code, half, "debut")
                if begin is None and end is None:
                    continue
                if begin is None or end is None:
                    self.add_error(
                        field, f"{day} {half_label} : indiquez l'heure d'ouverture et de fermeture."
                    )
                    continue
                if end <= begin:
                    self.add_error(
                        field, f"{day} {half_label} : la fermeture doit suivre l'ouverture."
                    )
                    continue
                if previous_end is not None and begin < previous_end:
                    self.add_error(
                        field, f"{day} {half_label} : ce créneau chevauche celui du matin."
                    )
                    continue
                previous_end = end
                slots.setdefault(code, []).append((begin, end))
        osm = timetable_to_osm(slots)
        if osm and self.cleaned_data.get("ferme_jours_feries"):
            osm += "; PH off"
        return osm

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.mode == MODE_TIMETABLE:
            cleaned["horaires"] = self._timetable()
        code_postal, commune = cleaned.get("code_postal"), cleaned.get("commune")
        if code_postal and commune:
            served, named = communes_for(code_postal, commune)
            if not served:
                self.add_error("code_postal", "Code postal : aucune commune ne porte ce code.")
            elif len(named) != 1:
                names = ", ".join(c.name for c in served[:8])
                self.add_error(
                    "commune",
                    f"Commune : elle ne correspond pas au code postal {code_postal} "
                    f"(communes possibles : {names}).",
                )
            else:
                self.commune_ref = named[0]
                cleaned["commune"] = named[0].name
        return cleaned

    def to_data(self) -> PlaceData:
        """The place's data with this form's values (fields not in the form are kept)."""
        cleaned = self.cleaned_data
        values: dict[str, Any] = {name: cleaned[name] for name in TEXT_FIELDS}
        values["nom"] = values["nom"].strip()
        values["courriels"] = tuple(cleaned["courriels"])
        values["site_web"] = tuple(cleaned["site_web"])
        for name, (_, enum) in ENUM_CHOICES.items():
            chosen = set(cleaned[name])
            values[name] = tuple(code for code in enum.values if code in chosen)
        if values["horaires"]:
            values["horaires_texte"] = ""
        if self.commune_ref is not None:
            values["code_insee"] = self.commune_ref.code_insee
        data = dataclasses.replace(self.place_data, **values)
        return located(self.place_data, data, self.commune_ref)


def _halves(slots: list[tuple[dt.time, dt.time]]) -> list[tuple[dt.time | None, dt.time | None]]:
    """Up to two intervals as (morning, afternoon); a lone afternoon slot goes to the right."""
    if len(slots) == 1 and slots[0][0] >= dt.time(12):
        return [(None, None), slots[0]]
    padded: list[tuple[dt.time | None, dt.time | None]] = list(slots)
    return [*padded, (None, None), (None, None)][:2]
