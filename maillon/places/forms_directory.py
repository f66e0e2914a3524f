"""Forms of the public directory: the search filters (as data for checkbox groups) and the
« Signaler une erreur » form.

The filters' parameter names and values are those `maillon.places.search` parses; this module only
says how they are grouped and worded on the page."""

from dataclasses import dataclass

from django import forms
from django.db import models

from maillon.places.models import ReportCategory
from maillon.places.vocabulary import (
    Dispositif,
    Frais,
    Itinerance,
    ModaliteAcces,
    ModaliteAccompagnement,
    PriseEnCharge,
    Public,
    Service,
)


@dataclass(frozen=True)
class Option:
    param: str
    value: str
    label: str


@dataclass(frozen=True)
class FilterGroup:
    """One fieldset of checkboxes; `sections` are its sub-headings with their options."""

    key: str
    legend: str
    sections: tuple[tuple[str, tuple[Option, ...]], ...]


def _options(param: str, *members: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(param, str(value), str(label)) for value, label in members)


def _choices(
    param: str, enum: type[models.TextChoices], exclude: tuple[str, ...] = ()
) -> tuple[Option, ...]:
    return _options(
        param, *[(value, label) for value, label in enum.choices if value not in exclude]
    )


def _services(*members: Service) -> tuple[Option, ...]:
    return _options("services", *[(member.value, member.label) for member in members])


FLAG = "1"

# The national map's filters (lieux-standard.md §11.1), without its defects: « Femmes »,
# « Gratuit sous condition » and both « Langues étrangères » values are offered, and FRR is FRR.
FILTER_GROUPS: tuple[FilterGroup, ...] = (
    FilterGroup(
        "besoins",
        "Besoins",
        (
            (
                "Apprentissage",
                _services(
                    Service.OUTILS_QUOTIDIEN,
                    Service.UTILISATION_SECURISEE,
                    Service.PARENTALITE,
                    Service.LOISIRS_CREATIONS,
                    Service.COMPREHENSION,
                ),
            ),
            ("Démarches", _services(Service.AIDE_DEMARCHES, Service.INSERTION_PRO)),
            ("Matériel", _services(Service.ACCES_MATERIEL, Service.MATERIEL_SOLIDAIRE)),
        ),
    ),
    FilterGroup("publics", "Public cible", (("", _choices("publics", Public)),)),
    FilterGroup(
        "prises_en_charge",
        "Accessibilité et prises en charge spécifiques",
        (("", _choices("prises_en_charge", PriseEnCharge)),),
    ),
    FilterGroup(
        "disponibilite",
        "Disponibilité",
        (
            (
                "",
                (
                    Option("ouvert_maintenant", FLAG, "Ouvert actuellement"),
                    Option("ouvert_week_end", FLAG, "Ouvert le week-end"),
                    Option("prise_rdv", FLAG, "Prise de RDV en ligne"),
                ),
            ),
        ),
    ),
    FilterGroup("frais", "Frais à charge", (("", _choices("frais", Frais)),)),
    FilterGroup("dispositifs", "Dispositifs", (("", _choices("dispositifs", Dispositif)),)),
    FilterGroup(
        "territoires_prioritaires",
        "Territoires prioritaires",
        (
            (
                "",
                (
                    Option("qpv", FLAG, "QPV (quartier prioritaire de la politique de la ville)"),
                    Option("frr", FLAG, "FRR (France Ruralités Revitalisation)"),
                ),
            ),
        ),
    ),
    FilterGroup(
        "modalites_acces",
        "Modalités d'accès",
        (("", _choices("modalites_acces", ModaliteAcces, exclude=("pas_de_public",))),),
    ),
    FilterGroup(
        "modalites_accompagnement",
        "Types d'accompagnement",
        (("", _choices("modalites_accompagnement", ModaliteAccompagnement)),),
    ),
    FilterGroup("itinerance", "Itinérance", (("", _choices("itinerance", Itinerance)),)),
)


class ReportForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label="Éléments concernés",
        choices=ReportCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Éléments concernés : cochez au moins un élément à corriger.",
        },
    )
    message = forms.CharField(
        label="Précisions",
        help_text="Ce qui est inexact et, si vous la connaissez, la bonne information.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        required=False,
    )
    email = forms.EmailField(
        label="Votre adresse e-mail (facultatif)",
        help_text=(
            "Seulement pour pouvoir vous poser une question sur ce signalement. Elle n'est vue que "
            "par les personnes qui le traitent et elle est effacée dès qu'il est traité."
        ),
        required=False,
        error_messages={"invalid": "Votre adresse e-mail : saisissez une adresse valide."},
    )
    # Honeypot: hidden from people by the stylesheet, filled in by spam robots.
    site_internet = forms.CharField(label="Ne pas remplir ce champ", required=False)

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("site_internet"))
