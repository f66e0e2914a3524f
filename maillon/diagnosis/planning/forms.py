# ruff: noqa: RUF001 — typographic apostrophes in French texts.
"""The planning form: territory within the user's scope, K, M, service, sites, tour."""

import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from maillon.diagnosis.planning.instance import InstanceError
from maillon.diagnosis.planning.itinerary import Site
from maillon.diagnosis.planning.saved import PlanRequest
from maillon.diagnosis.planning.territory import parse_sites
from maillon.places.vocabulary import Service
from maillon.territory.models import Commune

MAX_TIME_LIMIT = 10  # seconds: a page answers within a bounded time
MAX_STOPS = 50
MAX_SITES_BYTES = 1_000_000
MAX_SITES = 5_000


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=7 - today.weekday())


def read_sites(upload: UploadedFile) -> list[Site]:
    """The sites of an uploaded CSV; raises forms.ValidationError naming line and column."""
    if upload.size is not None and upload.size > MAX_SITES_BYTES:
        raise forms.ValidationError(
            "Fichier de sites trop lourd (plus de 1 Mo) : gardez les colonnes id, nom, "
            "latitude, longitude."
        )
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # A spreadsheet saved as « CSV » on Windows is often in Windows-1252.
        text = raw.decode("cp1252", errors="replace")
    try:
        sites = parse_sites(text)
    except InstanceError as error:
        raise forms.ValidationError(str(error)) from None
    if len(sites) > MAX_SITES:
        raise forms.ValidationError(
            f"{len(sites)} sites dans le fichier : au plus {MAX_SITES} depuis cette page."
        )
    return sites


class PlanningForm(forms.Form):
    territoire = forms.ChoiceField(
        label="Territoire",
        error_messages={
            "invalid_choice": "Ce territoire n’est pas dans votre périmètre : choisissez-en un "
            "dans la liste.",
            "required": "Choisissez le territoire à desservir.",
        },
    )
    arrets = forms.IntegerField(
        label="Nombre d’arrêts (K)",
        min_value=1,
        max_value=MAX_STOPS,
        initial=8,
        help_text=f"De 1 à {MAX_STOPS} arrêts du service itinérant.",
    )
    seuil_minutes = forms.IntegerField(
        label="Seuil de temps de trajet (M, en minutes)",
        min_value=1,
        max_value=120,
        initial=20,
        help_text="Une personne est « atteinte » si un arrêt est à moins de M minutes de chez "
        "elle, et « déjà servie » si un lieu fixe l’est.",
    )
    service = forms.ChoiceField(
        label="Service attendu (facultatif)",
        required=False,
        choices=[("", "Tout lieu de médiation numérique"), *Service.choices],
        help_text="Seuls les lieux fixes qui offrent ce service comptent comme offre déjà "
        "présente.",
    )
    sites = forms.FileField(
        label="Sites candidats (facultatif)",
        required=False,
        help_text="Sans fichier, les mairies des communes du territoire. Sinon un fichier CSV "
        "à colonnes id, nom, latitude, longitude (séparateur virgule ou point-virgule, "
        "UTF-8) : parkings, salles, lieux partenaires.",
    )
    limite_secondes = forms.IntegerField(
        label="Limite de temps du solveur (secondes)",
        min_value=1,
        max_value=MAX_TIME_LIMIT,
        initial=5,
        help_text=f"De 1 à {MAX_TIME_LIMIT} s. Au-delà, le meilleur plan trouvé est donné avec "
        "son écart prouvé à l’optimum.",
    )
    jours = forms.IntegerField(
        label="Jours de tournée par semaine",
        min_value=1,
        max_value=7,
        initial=5,
        help_text="À partir du lundi : 5 = du lundi au vendredi.",
    )
    arrets_par_jour = forms.IntegerField(
        label="Arrêts par jour au plus", min_value=1, max_value=4, initial=2
    )
    budget_conduite_minutes = forms.IntegerField(
        label="Budget de conduite par jour (minutes, retour compris)",
        min_value=10,
        max_value=600,
        initial=120,
    )
    depart = forms.CharField(
        label="Commune de départ (code INSEE, facultatif)",
        required=False,
        max_length=5,
        help_text="Par exemple 53130. Sans code, la tournée part du premier arrêt.",
    )
    debut = forms.DateField(
        label="Premier lundi de la tournée",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Pour l’agenda (iCalendar) : la semaine de la tournée commence un lundi.",
    )
    semaines = forms.IntegerField(
        label="Nombre de semaines dans l’agenda", min_value=1, max_value=52, initial=4
    )

    def __init__(
        self, *args: Any, territories: list[tuple[str, str]], today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["territoire"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = territories
        if len(territories) == 1:
            field.initial = territories[0][0]
        self.fields["debut"].initial = next_monday(today)

    def clean_sites(self) -> list[Site] | None:
        upload = self.cleaned_data.get("sites")
        if not upload:
            return None
        return read_sites(upload)

    def clean_depart(self) -> str | None:
        code = (self.cleaned_data.get("depart") or "").strip().upper()
        if not code:
            return None
        if not Commune.objects.filter(code_insee=code).exists():
            raise forms.ValidationError(f"Aucune commune ne porte le code INSEE « {code} ».")
        return code

    def clean_debut(self) -> dt.date:
        date: dt.date = self.cleaned_data["debut"]
        if date.weekday() != 0:
            raise forms.ValidationError(
                f"Le {date:%d/%m/%Y} n’est pas un lundi : la tournée commence un lundi."
            )
        return date

    def clean_service(self) -> str | None:
        return self.cleaned_data.get("service") or None

    def plan_request(self) -> PlanRequest:
        data = self.cleaned_data
        sites = data["sites"]
        return PlanRequest(
            territory=data["territoire"],
            k=data["arrets"],
            threshold_minutes=float(data["seuil_minutes"]),
            service=data["service"],
            sites=tuple(sites) if sites is not None else None,
            time_limit=float(data["limite_secondes"]),
            depot=data["depart"],
            days=data["jours"],
            stops_per_day=data["arrets_par_jour"],
            driving_budget_minutes=float(data["budget_conduite_minutes"]),
            monday=data["debut"],
            weeks=data["semaines"],
        )
