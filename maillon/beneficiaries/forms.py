# ruff: noqa: RUF001 — typographic apostrophes in French labels.
"""The beneficiary's file form: the typed fields of `BeneficiaryData`, with French labels."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from maillon.accounts.models import Structure
from maillon.beneficiaries.models import MIN_BIRTH_YEAR, Beneficiary, Genre, StatutSocial
from maillon.beneficiaries.services import BeneficiaryData
from maillon.territory.models import Commune

NOTICE_LABEL = "La notice d’information a été remise"
NOTICE_TEXT = (
    "La notice explique à la personne que sa structure enregistre ses coordonnées et ses "
    "accompagnements pour la suivre et produire des statistiques anonymes, qui y a accès (les "
    "médiateurs et responsables de la structure, personne d’autre), combien de temps (2 ans "
    "après le dernier accompagnement, puis anonymisation) et comment demander à consulter, "
    "corriger ou effacer ses données."
)
NOTES_HINT = (
    "N’inscrivez ni information de santé ou de handicap, ni situation familiale ou "
    "financière : la personne peut lire ces notes."
)


class BeneficiaryForm(forms.Form):
    structure = forms.ModelChoiceField(
        queryset=Structure.objects.none(), label="Structure", empty_label=None
    )
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    phone = forms.CharField(
        label="Téléphone",
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    has_no_phone = forms.BooleanField(label="Pas de téléphone", required=False)
    email = forms.EmailField(label="Adresse électronique", required=False)
    birth_year = forms.IntegerField(
        label="Année de naissance",
        required=False,
        min_value=MIN_BIRTH_YEAR,
        help_text="4 chiffres, par exemple 1958 : la tranche d’âge en est déduite.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
    )
    address = forms.CharField(label="Adresse", max_length=255, required=False)
    commune = forms.ModelChoiceField(
        queryset=Commune.objects.all(),
        to_field_name="code_insee",
        required=False,
        label="Commune de résidence (code INSEE)",
        help_text="5 caractères, par exemple 53130 pour Laval.",
        widget=forms.TextInput(attrs={"maxlength": 5}),
        error_messages={"invalid_choice": "Commune introuvable : vérifiez le code INSEE."},
    )
    genre = forms.ChoiceField(label="Genre", choices=Genre.choices, initial=Genre.NON_COMMUNIQUE)
    statut_social = forms.ChoiceField(
        label="Statut social", choices=StatutSocial.choices, initial=StatutSocial.NON_COMMUNIQUE
    )
    notes = forms.CharField(
        label="Notes supplémentaires", required=False, widget=forms.Textarea, help_text=NOTES_HINT
    )
    notice_given = forms.BooleanField(label=NOTICE_LABEL, required=False)

    def __init__(
        self,
        *args: Any,
        structures: "QuerySet[Structure]",
        instance: Beneficiary | None = None,
        **kwargs: Any,
    ) -> None:
        self.instance = instance
        self.fixed_structure: Structure | None = None
        if instance is not None:
            kwargs.setdefault("initial", initial_of(instance))
        super().__init__(*args, **kwargs)
        structure_field = self.fields["structure"]
        assert isinstance(structure_field, forms.ModelChoiceField)
        structure_field.queryset = structures
        # One structure: nothing to choose; an existing file never changes structure.
        if instance is not None or len(structures) == 1:
            del self.fields["structure"]
            self.fixed_structure = instance.structure if instance else structures[0]
        notice_field = self.fields["notice_given"]
        given_on = instance.information_notice_given_on if instance else None
        notice_field.help_text = (
            f"Remise le {given_on:%d/%m/%Y}." if given_on else "La date du jour sera enregistrée."
        )

    def clean_birth_year(self) -> int | None:
        year: int | None = self.cleaned_data.get("birth_year")
        this_year = dt.date.today().year
        if year is not None and year > this_year:
            raise forms.ValidationError(
                f"L’année de naissance doit être comprise entre {MIN_BIRTH_YEAR} et {this_year}."
            )
        return year

    def chosen_structure(self) -> Structure:
        if self.fixed_structure is not None:
            return self.fixed_structure
        structure: Structure = self.cleaned_data["structure"]
        return structure

    def to_data(self, *, today: dt.date) -> BeneficiaryData:
        values = self.cleaned_data
        given_on = self.instance.information_notice_given_on if self.instance else None
        return BeneficiaryData(
            first_name=values["first_name"],
            last_name=values["last_name"],
            phone=values["phone"].strip(),
            has_no_phone=values["has_no_phone"],
            email=values["email"],
            birth_year=values["birth_year"],
            address=values["address"],
            commune=values["commune"],
            genre=values["genre"],
            statut_social=values["statut_social"],
            notes=values["notes"],
            # The first day it was ticked stays; unticking removes it.
            information_notice_given_on=(given_on or today) if values["notice_given"] else None,
        )


def initial_of(beneficiary: Beneficiary) -> dict[str, Any]:
    return {
        "first_name": beneficiary.first_name,
        "last_name": beneficiary.last_name,
        "phone": beneficiary.phone,
        "has_no_phone": beneficiary.has_no_phone,
        "email": beneficiary.email,
        "birth_year": beneficiary.birth_year,
        "address": beneficiary.address,
        "commune": beneficiary.commune.code_insee if beneficiary.commune else "",
        "genre": beneficiary.genre,
        "statut_social": beneficiary.statut_social,
        "notes": beneficiary.notes,
        "notice_given": beneficiary.information_notice_given_on is not None,
    }


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label="Je confirme l’effacement des données personnelles de cette personne",
        help_text=(
            "Nom, coordonnées, année de naissance, adresse, commune, notes et date de la notice "
            "sont effacés définitivement ; les accompagnements restent, anonymes, dans les "
            "statistiques."
        ),
        error_messages={"required": "Cochez la case pour confirmer l’effacement."},
    )
