# ruff: noqa: RUF001 — typographic apostrophes are part of the reference labels.
"""The recording forms of an animation, an évènement and a partenariat.

As for activity reports, the forms only parse; `services.validate()` holds the rules and its
messages come back next to their fields (`SERVICE_FIELDS`).
"""

from typing import Any, ClassVar

from django import forms

from maillon.accounts.models import User
from maillon.activities.forms import (
    CUSTOM,
    DURATION_CHOICES,
    HintedCheckboxSelectMultiple,
    NewTagFields,
    duration_initial,
)
from maillon.activities.models import Tag
from maillon.activities.tags import coordinated_departements, usable_by_coordinator
from maillon.activities.vocabulary import TagScope
from maillon.coordination.models import CoordinationActivity
from maillon.coordination.services import CoordinationData, PartnerStructure
from maillon.coordination.vocabulary import (
    THEMATIQUE_ANIMATION_HINTS,
    EchelonTerritorial,
    Initiative,
    NaturePartenariat,
    Organisateur,
    ThematiqueAnimation,
    TypeActiviteCoordination,
    TypeAnimation,
    TypeEvenement,
    TypeStructurePartenaire,
)

PARTNER_LINES = 4

SERVICE_FIELDS = {
    "date": "date",
    "duration_minutes": "duration",
    "name": "name",
    "territorial_level": "territorial_level",
    "notes": "notes",
    "tags": "tags",
    "new_tag": "new_tag_name",
    "mediators_count": "mediators_count",
    "animation_type": "animation_type",
    "animation_type_other": "animation_type_other",
    "initiative": "initiative",
    "animation_themes": "animation_themes",
    "animation_theme_other": "animation_theme_other",
    "participants_count": "participants_count",
    "event_type": "event_type",
    "event_type_other": "event_type_other",
    "organisers": "organisers",
    "organiser_other": "organiser_other",
    "partnership_natures": "partnership_natures",
    "partnership_nature_other": "partnership_nature_other",
    "partner_structures": "partner_1_name",
}


def _blank(choices: list[tuple[str, str]], label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


def _count(label: str, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=99999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


def _other(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=255)


class CoordinationForm(NewTagFields, forms.Form):
    activity_type: ClassVar[str] = ""
    duration_required: ClassVar[bool] = False

    date = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Veuillez renseigner la date de l’activité."},
    )
    duration = forms.ChoiceField(
        label="Durée",
        choices=_blank(DURATION_CHOICES, "Non renseignée"),
        required=False,
        widget=forms.RadioSelect,
    )
    duration_hours = forms.IntegerField(
        label="Heures", required=False, min_value=0, max_value=23, help_text="De 0 à 23."
    )
    duration_extra_minutes = forms.IntegerField(
        label="Minutes", required=False, min_value=0, max_value=59, help_text="De 0 à 59."
    )
    tags = forms.ModelMultipleChoiceField(
        label="Étiquettes",
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label="Notes supplémentaires",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="N’y écrivez aucune donnée personnelle ni information sensible.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.duration_required:
            duration = self.fields["duration"]
            assert isinstance(duration, forms.ChoiceField)
            duration.choices = DURATION_CHOICES
            duration.required = True
            duration.error_messages["required"] = "Veuillez renseigner la durée de l’animation."
        tags = self.fields["tags"]
        assert isinstance(tags, forms.ModelMultipleChoiceField)
        tags.queryset = usable_by_coordinator(user)
        self.setup_new_tag(
            scopes=[TagScope.PERSONAL, TagScope.TERRITORY],
            departements=coordinated_departements(user).order_by("code"),
        )

    def duration_minutes(self) -> int | None:
        choice = self.cleaned_data.get("duration")
        if not choice:
            return None
        if choice != CUSTOM:
            return int(choice)
        hours = self.cleaned_data.get("duration_hours") or 0
        minutes = self.cleaned_data.get("duration_extra_minutes") or 0
        return hours * 60 + minutes or None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("duration") == CUSTOM and self.duration_minutes() is None:
            self.add_error(
                "duration_hours", "Indiquez la durée en heures et minutes (au moins 1 minute)."
            )
        return cleaned

    def common_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "type": self.activity_type,
            "date": data.get("date"),
            "duration_minutes": self.duration_minutes(),
            "name": data.get("name", ""),
            "territorial_level": data.get("territorial_level", ""),
            "notes": data.get("notes", ""),
            "tags": tuple(data.get("tags", ())),
        }

    def to_data(self) -> CoordinationData:
        return CoordinationData(**self.common_data())


class AnimationForm(CoordinationForm):
    activity_type = TypeActiviteCoordination.ANIMATION
    duration_required = True

    animation_type = forms.ChoiceField(
        label="Type d’animation",
        choices=TypeAnimation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Veuillez renseigner un type d’animation"},
    )
    animation_type_other = _other("Précisez le type d’animation")
    initiative = forms.ChoiceField(
        label="Initiative",
        choices=_blank(Initiative.choices, "Non renseignée"),
        required=False,
        widget=forms.RadioSelect,
    )
    mediators_count = _count("Médiateurs")
    structures_count = _count("Structures")
    other_actors_count = _count("Autres acteurs")
    animation_themes = forms.MultipleChoiceField(
        label="Thématiques de l’animation",
        choices=ThematiqueAnimation.choices,
        required=False,
        widget=HintedCheckboxSelectMultiple(hints=THEMATIQUE_ANIMATION_HINTS),
        help_text="Au moins une thématique.",
    )
    animation_theme_other = _other("Précisez la thématique")

    field_order = [
        "date",
        "duration",
        "duration_hours",
        "duration_extra_minutes",
        "animation_type",
        "animation_type_other",
        "initiative",
        "mediators_count",
        "structures_count",
        "other_actors_count",
        "animation_themes",
        "animation_theme_other",
    ]

    def participant_counts(self) -> list[forms.BoundField]:
        return [self["mediators_count"], self["structures_count"], self["other_actors_count"]]

    def to_data(self) -> CoordinationData:
        data = self.cleaned_data
        return CoordinationData(
            **self.common_data(),
            mediators_count=data.get("mediators_count"),
            structures_count=data.get("structures_count"),
            other_actors_count=data.get("other_actors_count"),
            animation_type=data.get("animation_type", ""),
            animation_type_other=data.get("animation_type_other", ""),
            initiative=data.get("initiative", ""),
            animation_themes=tuple(data.get("animation_themes", ())),
            animation_theme_other=data.get("animation_theme_other", ""),
        )


class EventForm(CoordinationForm):
    activity_type = TypeActiviteCoordination.EVENEMENT

    name = forms.CharField(label="Nom de l’évènement", required=False, max_length=255)
    event_type = forms.ChoiceField(
        label="Type d’évènement",
        choices=TypeEvenement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Veuillez renseigner un type d’évènement"},
    )
    event_type_other = _other("Précisez le type d’évènement")
    participants_count = _count(
        "Nombre de participants",
        error_messages={"min_value": "Le nombre de participants doit être positif"},
    )
    organisers = forms.MultipleChoiceField(
        label="Organisateurs",
        choices=Organisateur.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Au moins un organisateur.",
    )
    organiser_other = _other("Précisez l’organisateur")
    territorial_level = forms.ChoiceField(
        label="Échelon territorial",
        choices=_blank(EchelonTerritorial.choices, "Non renseigné"),
        required=False,
        widget=forms.RadioSelect,
    )

    field_order = [
        "date",
        "duration",
        "duration_hours",
        "duration_extra_minutes",
        "name",
        "event_type",
        "event_type_other",
        "participants_count",
        "organisers",
        "organiser_other",
        "territorial_level",
    ]

    def to_data(self) -> CoordinationData:
        data = self.cleaned_data
        return CoordinationData(
            **self.common_data(),
            participants_count=data.get("participants_count"),
            event_type=data.get("event_type", ""),
            event_type_other=data.get("event_type_other", ""),
            organisers=tuple(data.get("organisers", ())),
            organiser_other=data.get("organiser_other", ""),
        )


class PartnershipForm(CoordinationForm):
    activity_type = TypeActiviteCoordination.PARTENARIAT

    name = forms.CharField(label="Nom du partenariat", required=False, max_length=255)
    partnership_natures = forms.MultipleChoiceField(
        label="Nature du partenariat",
        choices=NaturePartenariat.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Au moins une nature.",
    )
    partnership_nature_other = _other("Précisez la nature du partenariat")
    territorial_level = forms.ChoiceField(
        label="Échelon territorial",
        choices=_blank(EchelonTerritorial.choices, "Non renseigné"),
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        for line in range(1, PARTNER_LINES + 1):
            self.fields[f"partner_{line}_name"] = forms.CharField(
                label="Nom", required=False, max_length=255
            )
            self.fields[f"partner_{line}_type"] = forms.ChoiceField(
                label="Type",
                choices=_blank(TypeStructurePartenaire.choices, "Choisir un type"),
                required=False,
            )
            self.fields[f"partner_{line}_type_other"] = _other("Précisez le type")
        self.order_fields(
            [
                "date",
                "duration",
                "duration_hours",
                "duration_extra_minutes",
                "name",
                "partnership_natures",
                "partnership_nature_other",
                "territorial_level",
                *(
                    f"partner_{line}_{part}"
                    for line in range(1, PARTNER_LINES + 1)
                    for part in ("name", "type", "type_other")
                ),
            ]
        )

    def partner_lines(self) -> list[dict[str, Any]]:
        return [
            {
                "id": f"partenaire-{line}",
                "legend": f"Structure partenaire {line}",
                "fields": [
                    self[f"partner_{line}_{part}"] for part in ("name", "type", "type_other")
                ],
            }
            for line in range(1, PARTNER_LINES + 1)
        ]

    def to_data(self) -> CoordinationData:
        data = self.cleaned_data
        partners = []
        for line in range(1, PARTNER_LINES + 1):
            name = data.get(f"partner_{line}_name", "")
            type_ = data.get(f"partner_{line}_type", "")
            other = data.get(f"partner_{line}_type_other", "")
            if name.strip() or type_ or other.strip():
                partners.append(PartnerStructure(name=name, type=type_, type_other=other))
        return CoordinationData(
            **self.common_data(),
            partnership_natures=tuple(data.get("partnership_natures", ())),
            partnership_nature_other=data.get("partnership_nature_other", ""),
            partner_structures=tuple(partners),
        )


FORMS: dict[str, type[CoordinationForm]] = {
    TypeActiviteCoordination.ANIMATION: AnimationForm,
    TypeActiviteCoordination.EVENEMENT: EventForm,
    TypeActiviteCoordination.PARTENARIAT: PartnershipForm,
}


def initial_from(activity: CoordinationActivity, **overrides: Any) -> dict[str, Any]:
    """The form's values for an existing activity (edit), or a copy of it (duplicate)."""
    initial: dict[str, Any] = {
        "date": activity.date,
        "name": activity.name,
        "territorial_level": activity.territorial_level,
        "notes": activity.notes,
        "tags": list(activity.tags.values_list("pk", flat=True)),
        "mediators_count": activity.mediators_count,
        "structures_count": activity.structures_count,
        "other_actors_count": activity.other_actors_count,
        "animation_type": activity.animation_type,
        "animation_type_other": activity.animation_type_other,
        "initiative": activity.initiative,
        "animation_themes": list(activity.animation_themes),
        "animation_theme_other": activity.animation_theme_other,
        "participants_count": activity.participants_count,
        "event_type": activity.event_type,
        "event_type_other": activity.event_type_other,
        "organisers": list(activity.organisers),
        "organiser_other": activity.organiser_other,
        "partnership_natures": list(activity.partnership_natures),
        "partnership_nature_other": activity.partnership_nature_other,
    }
    if activity.duration_minutes:
        initial.update(duration_initial(activity.duration_minutes))
    for line, partner in enumerate(activity.partner_structures[:PARTNER_LINES], start=1):
        initial[f"partner_{line}_name"] = partner.get("name", "")
        initial[f"partner_{line}_type"] = partner.get("type", "")
        initial[f"partner_{line}_type_other"] = partner.get("type_other", "")
    initial.update(overrides)
    return initial
