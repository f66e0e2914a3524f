# ruff: noqa: RUF001 — typographic apostrophes are part of the reference labels.
"""The recording forms of an individual session and of a workshop.

The forms only parse what was typed; every rule lives in `services.validate()`, whose messages
the view puts back next to their fields. Field order is the tab order: the most often changed
fields come first, and defaults (date, place, duration) cover the rest.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.renderers import BaseRenderer
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString

from maillon.accounts.models import Membership, Role, Structure, User, structure_memberships_of
from maillon.activities.hints import THEMATIQUE_HINTS
from maillon.activities.models import Activity, Tag
from maillon.activities.participants import (
    DIMENSIONS,
    AnonymousParticipants,
    anonymous_participants_of,
)
from maillon.activities.services import ActivityData, AnonymousPerson
from maillon.activities.tags import coordinated_departements
from maillon.activities.vocabulary import (
    DURATION_PRESETS,
    THEMATIQUES_ADMINISTRATIVES,
    THEMATIQUES_MEDIATION,
    TYPES_LIEU_WITH_COMMUNE,
    Autonomie,
    Materiel,
    NiveauAtelier,
    StructureRedirection,
    TagScope,
    Thematique,
    TypeActivite,
    TypeLieu,
)
from maillon.beneficiaries.models import Beneficiary, Genre, StatutSocial, TrancheAge
from maillon.places.models import Place
from maillon.places.vocabulary import Itinerance
from maillon.territory.models import Commune, Departement

CUSTOM = "personnaliser"
YES, NO = "oui", "non"


def _duration_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


DURATION_CHOICES = [
    *((str(minutes), _duration_label(minutes)) for minutes in DURATION_PRESETS),
    (CUSTOM, "Personnaliser"),
]
MEDIATION_CHOICES = [(code, Thematique(code).label) for code in THEMATIQUES_MEDIATION]
ADMINISTRATIVE_CHOICES = [
    (code, Thematique(code).label)
    for code in Thematique.values
    if code in THEMATIQUES_ADMINISTRATIVES
]
# Form field of each counter: "<dimension>__<code>".
COUNTER_LABELS: dict[str, dict[str, str]] = {
    "genres": dict(Genre.choices),
    "age_brackets": dict(TrancheAge.choices),
    "statuts": dict(StatutSocial.choices),
}
COUNTER_LEGENDS = {"genres": "Genre", "age_brackets": "Tranche d’âge", "statuts": "Statut"}

# Where a service error about a field is shown in the form.
SERVICE_FIELDS = {
    "date": "date",
    "duration_minutes": "duration",
    "place_kind": "place_kind",
    "place": "place",
    "commune": "commune",
    "equipment": "equipment",
    "themes": "themes",
    "procedure_name": "procedure_name",
    "autonomy": "autonomy",
    "redirected": "redirected",
    "redirect_category": "redirect_category",
    "workshop_title": "workshop_title",
    "workshop_level": "workshop_level",
    "beneficiary": "beneficiary",
    "anonymous": "anonymous_genre",
    "participants": "participants",
    "anonymous_participants": "counter_total",
    "tags": "tags",
    "new_tag": "new_tag_name",
}

# Labels of the scopes a new tag may take, as the form offers them.
NEW_TAG_SCOPE_LABELS: dict[str, str] = {
    TagScope.PERSONAL: "Personnelle (vous seul)",
    TagScope.STRUCTURE: "Structure (tous ses membres)",
    TagScope.TERRITORY: "Territoire (tout le département)",
}


class HintedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes whose options carry a help text: the template shows it under the label and
    the checkbox points to it with `aria-describedby` (read out on focus, never hover-only)."""

    def __init__(self, *args: Any, hints: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hints = {str(code): text for code, text in hints.items()}

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        hint = self.hints.get(str(value))
        if hint and option["attrs"].get("id"):
            option["hint"] = hint
            option["attrs"] = {
                **option["attrs"],
                "aria-describedby": f"{option['attrs']['id']}-aide",
            }
        return option


class PickedPeople(forms.Widget):
    """The people chosen with the search picker (ADR 0015): posted as one value per person,
    drawn by `components/beneficiary_picker.html`, never as a list of the whole file."""

    def __init__(self, *, multiple: bool = False) -> None:
        super().__init__()
        self.allow_multiple_selected = multiple

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> Any:
        if self.allow_multiple_selected and isinstance(data, MultiValueDict):
            return [value for value in data.getlist(name) if value]
        return data.get(name) or None

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> bool:
        return False

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        return SafeString("")


class NewTagFields(forms.Form):
    """A tag typed in the form, created when the activity is saved and attached to it."""

    new_tag_name = forms.CharField(
        label="Nouvelle étiquette",
        required=False,
        max_length=100,
        help_text="Facultatif : elle est créée à l’enregistrement et ajoutée à cette activité.",
    )
    new_tag_scope = forms.ChoiceField(
        label="Portée de la nouvelle étiquette",
        choices=list(NEW_TAG_SCOPE_LABELS.items()),
        initial=TagScope.PERSONAL,
        required=False,
        widget=forms.RadioSelect,
    )
    new_tag_departement = forms.ModelChoiceField(
        label="Département de la nouvelle étiquette",
        queryset=Departement.objects.none(),
        required=False,
        empty_label=None,
        help_text="Pour une étiquette de territoire.",
    )

    def setup_new_tag(
        self, *, scopes: Sequence[str], departements: "QuerySet[Departement] | None" = None
    ) -> None:
        """Offer only the scopes the user may create; without a choice, hide the question."""
        if departements is None or not departements.exists():
            scopes = [scope for scope in scopes if scope != TagScope.TERRITORY]
        scope_field = self.fields["new_tag_scope"]
        assert isinstance(scope_field, forms.ChoiceField)
        scope_field.choices = [(scope, NEW_TAG_SCOPE_LABELS[scope]) for scope in scopes]
        if len(scopes) == 1:
            scope_field.widget = forms.HiddenInput()
        departement_field = self.fields["new_tag_departement"]
        assert isinstance(departement_field, forms.ModelChoiceField)
        if TagScope.TERRITORY in scopes and departements is not None:
            departement_field.queryset = departements
            if departements.count() == 1:
                departement_field.widget = forms.HiddenInput()
                departement_field.initial = departements.get().pk
        else:
            del self.fields["new_tag_departement"]

    def new_tag(self) -> tuple[str, str, Departement | None] | None:
        """(name, scope, département) of the tag to create, or None."""
        name = (self.cleaned_data.get("new_tag_name") or "").strip()
        if not name:
            return None
        scope = self.cleaned_data.get("new_tag_scope") or TagScope.PERSONAL
        departement = self.cleaned_data.get("new_tag_departement")
        field = self.fields.get("new_tag_departement")
        if departement is None and isinstance(field, forms.ModelChoiceField):
            # A single département is not asked (hidden field, maybe not posted): it is that one.
            choices = list(field.queryset[:2]) if field.queryset is not None else []
            departement = choices[0] if len(choices) == 1 else None
        return name, scope, departement


def member_structures(user: User) -> "QuerySet[Structure]":
    """Structures where the user records activities: mediator or manager."""
    return Structure.objects.filter(
        pk__in=structure_memberships_of(user).values("structure_id")
    ).order_by("name", "pk")


def place_choices(user: User, structures: Sequence[Structure]) -> "QuerySet[Place]":
    """The published places of the user's structures, plus the places he has used before."""
    used = Activity.objects.filter(mediator_id=user.pk, place__isnull=False).values("place_id")
    return (
        Place.objects.current()
        .filter(Q(is_public=True, structure__in=structures) | Q(pk__in=used))
        .order_by("nom", "pk")
    )


def resolve_commune(text: str) -> tuple[Commune | None, str]:
    """The commune typed as a name, a postal code, a code INSEE or « Nom (code INSEE) »;
    otherwise None and the message that says why."""
    text = text.strip()
    if not text:
        return None, ""
    if text.endswith(")") and "(" in text:
        code = text.rsplit("(", 1)[1].rstrip(")").strip()
        exact = Commune.objects.by_code_insee(code).first()
        if exact is not None:
            return exact, ""
    matches = list(Commune.objects.search(text)[:6])
    if not matches:
        return None, f"Aucune commune ne correspond à « {text} »."
    if len(matches) == 1:
        return matches[0], ""
    same_name = [c for c in matches if c.name.casefold() == text.casefold()]
    if len(same_name) == 1:
        return same_name[0], ""
    proposals = ", ".join(str(commune) for commune in matches[:5])
    return None, (
        f"Plusieurs communes correspondent à « {text} » : {proposals}. "
        "Précisez en recopiant l’une d’elles avec son code INSEE."
    )


class ActivityForm(NewTagFields):
    """Fields shared by both types; `IndividualForm` and `CollectiveForm` add the rest."""

    activity_type: str = TypeActivite.INDIVIDUEL
    # The field filled by the beneficiary search picker (ADR 0015).
    picker_field: str = "beneficiary"

    structure = forms.ModelChoiceField(
        label="Structure", queryset=Structure.objects.none(), empty_label=None
    )
    date = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Veuillez renseigner la date de l’accompagnement."},
    )
    duration = forms.ChoiceField(
        label="Durée",
        choices=DURATION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Veuillez renseigner la durée de l’accompagnement."},
    )
    duration_hours = forms.IntegerField(
        label="Heures", required=False, min_value=0, max_value=23, help_text="De 0 à 23."
    )
    duration_extra_minutes = forms.IntegerField(
        label="Minutes", required=False, min_value=0, max_value=59, help_text="De 0 à 59."
    )
    place_kind = forms.ChoiceField(
        label="Lieu d’accompagnement",
        choices=TypeLieu.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Veuillez renseigner un lieu d’accompagnement"},
    )
    place = forms.ModelChoiceField(
        label="Lieu d’activité",
        queryset=Place.objects.none(),
        required=False,
        empty_label="Choisir un lieu",
        help_text="Les lieux publiés de votre structure et ceux où vous avez déjà saisi.",
    )
    commune = forms.CharField(
        label="Commune",
        required=False,
        max_length=120,
        help_text=(
            "Nom, code postal ou code INSEE : à domicile, autre lieu, ou étape d’un lieu itinérant."
        ),
    )
    equipment = forms.MultipleChoiceField(
        label="Matériel utilisé",
        choices=Materiel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label="Thématiques de médiation numérique",
        choices=MEDIATION_CHOICES,
        required=False,
        widget=HintedCheckboxSelectMultiple(hints=THEMATIQUE_HINTS),
        help_text="Au moins une thématique.",
    )
    administrative_themes = forms.MultipleChoiceField(
        label="Démarches administratives",
        choices=ADMINISTRATIVE_CHOICES,
        required=False,
        widget=HintedCheckboxSelectMultiple(hints=THEMATIQUE_HINTS),
        help_text="Seulement avec la thématique « Aide aux démarches administratives ».",
    )
    procedure_name = forms.CharField(
        label="Nom de la démarche administrative",
        required=False,
        max_length=255,
        help_text="Seulement avec la thématique « Aide aux démarches administratives ».",
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
        help_text=(
            "N’y écrivez aucune donnée de santé ni information sensible (opinions, religion, "
            "situation judiciaire…) : ces notes ne sont pas faites pour cela (RGPD)."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        structures = list(member_structures(user))
        structure_field = self.fields["structure"]
        assert isinstance(structure_field, forms.ModelChoiceField)
        structure_field.queryset = member_structures(user)
        if len(structures) == 1:
            structure_field.widget = forms.HiddenInput()
            structure_field.initial = structures[0].pk
        place_field = self.fields["place"]
        assert isinstance(place_field, forms.ModelChoiceField)
        places = place_choices(user, structures)
        place_field.queryset = places
        itinerant = [str(p.pk) for p in places if Itinerance.ITINERANT.value in p.itinerance]
        place_field.widget.attrs["data-itinerant"] = " ".join(itinerant)
        tags_field = self.fields["tags"]
        assert isinstance(tags_field, forms.ModelMultipleChoiceField)
        tag_filter = Q(pk__in=[])
        for structure in structures:
            tag_filter |= Q(pk__in=Tag.objects.usable_by(user, structure).values("pk"))
        tags_field.queryset = Tag.objects.filter(tag_filter)
        managed = Membership.objects.active().filter(user_id=user.pk, role=Role.MANAGER)
        self.setup_new_tag(
            scopes=[
                TagScope.PERSONAL,
                *([TagScope.STRUCTURE] if managed.exists() else []),
                TagScope.TERRITORY,
            ],
            departements=coordinated_departements(user).filter(
                pk__in=[structure.commune.departement_id for structure in structures]
            ),
        )
        self.commune_obj: Commune | None = None

    def duration_minutes(self) -> int | None:
        choice = self.cleaned_data.get("duration")
        if choice and choice != CUSTOM:
            return int(choice)
        hours = self.cleaned_data.get("duration_hours") or 0
        minutes = self.cleaned_data.get("duration_extra_minutes") or 0
        total = hours * 60 + minutes
        return total if choice == CUSTOM and total else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("place_kind")
        place = cleaned.get("place")
        # A commune left over from another place kind is ignored, not checked.
        if kind in TYPES_LIEU_WITH_COMMUNE or (
            kind == TypeLieu.LIEU_ACTIVITE
            and place is not None
            and Itinerance.ITINERANT.value in place.itinerance
        ):
            commune, error = resolve_commune(cleaned.get("commune", ""))
            if error:
                self.add_error("commune", error)
            self.commune_obj = commune
        if cleaned.get("duration") == CUSTOM and self.duration_minutes() is None:
            self.add_error(
                "duration_hours", "Indiquez la durée en heures et minutes (au moins 1 minute)."
            )
        return cleaned

    def common_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "type": self.activity_type,
            "structure": data["structure"],
            "date": data.get("date"),
            "duration_minutes": self.duration_minutes(),
            "place_kind": data.get("place_kind", ""),
            "place": data.get("place"),
            "commune": self.commune_obj,
            "equipment": tuple(data.get("equipment", ())),
            "themes": (*data.get("themes", ()), *data.get("administrative_themes", ())),
            "procedure_name": data.get("procedure_name", ""),
            "tags": tuple(data.get("tags", ())),
            "notes": data.get("notes", ""),
        }

    def to_data(self) -> ActivityData:
        return ActivityData(**self.common_data())

    def beneficiary_queryset(self) -> "QuerySet[Beneficiary]":
        return (
            Beneficiary.objects.visible_to(self.user)
            .active()
            .identified()
            .order_by("last_name", "first_name", "pk")
        )


def _choices_with_blank(choices: list[tuple[str, str]], blank: str) -> list[tuple[str, str]]:
    return [("", blank), *choices]


class IndividualForm(ActivityForm):
    activity_type = TypeActivite.INDIVIDUEL

    autonomy = forms.ChoiceField(
        label="Niveau d’autonomie du bénéficiaire",
        choices=_choices_with_blank(
            Autonomie.choices,
            "Non renseigné",
        ),
        required=False,
        widget=forms.RadioSelect,
    )
    redirected = forms.ChoiceField(
        label="Le bénéficiaire est-il orienté vers une autre structure ?",
        choices=[(NO, "Non"), (YES, "Oui")],
        initial=NO,
        widget=forms.RadioSelect,
    )
    redirect_category = forms.ChoiceField(
        label="Structure de redirection",
        choices=_choices_with_blank(StructureRedirection.choices, "Choisir une structure"),
        required=False,
    )
    beneficiary = forms.ModelChoiceField(
        label="Bénéficiaire suivi",
        queryset=Beneficiary.objects.none(),
        required=False,
        widget=PickedPeople(),
    )
    # A result ticked in the search fallback without JavaScript: it replaces `beneficiary`.
    beneficiary_found = forms.ModelChoiceField(
        label="Bénéficiaire trouvé",
        queryset=Beneficiary.objects.none(),
        required=False,
        widget=PickedPeople(),
    )
    already_accompanied = forms.BooleanField(
        label="J’ai déjà accompagné ce bénéficiaire", required=False
    )
    anonymous_genre = forms.ChoiceField(
        label="Genre", choices=Genre.choices, initial=Genre.NON_COMMUNIQUE
    )
    anonymous_age_bracket = forms.ChoiceField(
        label="Tranche d’âge", choices=TrancheAge.choices, initial=TrancheAge.NON_COMMUNIQUE
    )
    anonymous_statut = forms.ChoiceField(
        label="Statut", choices=StatutSocial.choices, initial=StatutSocial.NON_COMMUNIQUE
    )

    field_order = [
        "structure",
        "date",
        "duration",
        "duration_hours",
        "duration_extra_minutes",
        "place_kind",
        "place",
        "commune",
        "equipment",
        "themes",
        "administrative_themes",
        "procedure_name",
        "autonomy",
        "redirected",
        "redirect_category",
        "beneficiary",
        "beneficiary_found",
        "already_accompanied",
        "anonymous_genre",
        "anonymous_age_bracket",
        "anonymous_statut",
        "tags",
        "notes",
    ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        for name in ("beneficiary", "beneficiary_found"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = self.beneficiary_queryset()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("beneficiary_found") is not None:
            cleaned["beneficiary"] = cleaned["beneficiary_found"]
        return cleaned

    def anonymous_fields(self) -> list[forms.BoundField]:
        return [self["anonymous_genre"], self["anonymous_age_bracket"], self["anonymous_statut"]]

    def to_data(self) -> ActivityData:
        data = self.cleaned_data
        return ActivityData(
            **self.common_data(),
            autonomy=data.get("autonomy", ""),
            redirected=data.get("redirected") == YES,
            redirect_category=data.get("redirect_category", ""),
            beneficiary=data.get("beneficiary"),
            anonymous=AnonymousPerson(
                already_accompanied=bool(data.get("already_accompanied")),
                genre=data.get("anonymous_genre") or Genre.NON_COMMUNIQUE,
                age_bracket=data.get("anonymous_age_bracket") or TrancheAge.NON_COMMUNIQUE,
                statut_social=data.get("anonymous_statut") or StatutSocial.NON_COMMUNIQUE,
            ),
        )


def _counter(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class CollectiveForm(ActivityForm):
    activity_type = TypeActivite.COLLECTIF
    picker_field = "participants"

    workshop_title = forms.CharField(label="Nom de l’atelier", required=False, max_length=255)
    workshop_level = forms.ChoiceField(
        label="Niveau de l’atelier",
        choices=_choices_with_blank(NiveauAtelier.choices, "Non renseigné"),
        required=False,
        widget=forms.RadioSelect,
    )
    participants = forms.ModelMultipleChoiceField(
        label="Bénéficiaires suivis",
        queryset=Beneficiary.objects.none(),
        required=False,
        widget=PickedPeople(multiple=True),
    )
    counter_total = _counter("Nombre de participants anonymes")
    counter_already = _counter("Dont déjà accompagnés")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        field = self.fields["participants"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = self.beneficiary_queryset()
        for dimension, (_column, categories) in DIMENSIONS.items():
            for code in categories:
                self.fields[f"{dimension}__{code}"] = _counter(COUNTER_LABELS[dimension][code])
        self.order_fields(
            [
                "structure",
                "date",
                "duration",
                "duration_hours",
                "duration_extra_minutes",
                "place_kind",
                "place",
                "commune",
                "workshop_title",
                "workshop_level",
                "equipment",
                "themes",
                "administrative_themes",
                "procedure_name",
                "participants",
                "counter_total",
                "counter_already",
                *self.counter_names(),
                "tags",
                "notes",
            ]
        )

    @staticmethod
    def counter_names(dimension: str | None = None) -> list[str]:
        return [
            f"{name}__{code}"
            for name, (_column, categories) in DIMENSIONS.items()
            if dimension in (None, name)
            for code in categories
        ]

    def counter_groups(self) -> list[dict[str, Any]]:
        return [
            {
                "id": f"compteurs-{name}",
                "legend": COUNTER_LEGENDS[name],
                "fields": [self[field] for field in self.counter_names(name)],
            }
            for name in DIMENSIONS
        ]

    def anonymous_totals(self) -> list[forms.BoundField]:
        return [self["counter_total"], self["counter_already"]]

    def to_data(self) -> ActivityData:
        data = self.cleaned_data

        def counts(dimension: str) -> dict[str, int]:
            return {
                field.split("__", 1)[1]: data.get(field) or 0
                for field in self.counter_names(dimension)
                if data.get(field)
            }

        return ActivityData(
            **self.common_data(),
            workshop_title=data.get("workshop_title", ""),
            workshop_level=data.get("workshop_level", ""),
            participants=tuple(data.get("participants", ())),
            anonymous_participants=AnonymousParticipants(
                total=data.get("counter_total") or 0,
                already_accompanied=data.get("counter_already") or 0,
                genres=counts("genres"),
                age_brackets=counts("age_brackets"),
                statuts=counts("statuts"),
            ),
        )


FORMS: dict[str, type[ActivityForm]] = {
    TypeActivite.INDIVIDUEL: IndividualForm,
    TypeActivite.COLLECTIF: CollectiveForm,
}


def duration_initial(minutes: int) -> dict[str, Any]:
    if minutes in DURATION_PRESETS:
        return {"duration": str(minutes)}
    hours, rest = divmod(minutes, 60)
    return {"duration": CUSTOM, "duration_hours": hours, "duration_extra_minutes": rest}


def _commune_was_typed(activity: Activity) -> bool:
    if activity.commune is None:
        return False
    return activity.place_kind in TYPES_LIEU_WITH_COMMUNE or activity.is_itinerant


def initial_from(activity: Activity, *, date: dt.date | None = None) -> dict[str, Any]:
    """The form's values for an existing activity (edit), or a copy of it (duplicate)."""
    initial: dict[str, Any] = {
        "structure": activity.structure_id,
        "date": date or activity.date,
        **duration_initial(activity.duration_minutes),
        "place_kind": activity.place_kind,
        "place": activity.place_id,
        "commune": str(activity.commune) if _commune_was_typed(activity) else "",
        "equipment": list(activity.equipment),
        "themes": [c for c in activity.themes if c not in THEMATIQUES_ADMINISTRATIVES],
        "administrative_themes": [c for c in activity.themes if c in THEMATIQUES_ADMINISTRATIVES],
        "procedure_name": activity.procedure_name,
        "tags": list(activity.tags.values_list("pk", flat=True)),
        "notes": activity.notes,
    }
    people = list(activity.accompaniments.select_related("beneficiary"))
    followed = [a.beneficiary for a in people if not a.beneficiary.is_anonymous]
    if activity.type == TypeActivite.INDIVIDUEL:
        initial.update(
            autonomy=activity.autonomy,
            redirected=YES if activity.redirected else NO,
            redirect_category=activity.redirect_category,
            beneficiary=followed[0].pk if followed else None,
        )
        anonymous = [a.beneficiary for a in people if a.beneficiary.is_anonymous]
        if anonymous:
            person = anonymous[0]
            initial.update(
                already_accompanied=person.was_already_accompanied,
                anonymous_genre=person.genre,
                anonymous_age_bracket=person.age_bracket,
                anonymous_statut=person.statut_social,
            )
    else:
        counters = anonymous_participants_of(activity)
        initial.update(
            workshop_title=activity.workshop_title,
            workshop_level=activity.workshop_level,
            participants=[person.pk for person in followed],
            counter_total=counters.total or None,
            counter_already=counters.already_accompanied or None,
        )
        for dimension in DIMENSIONS:
            for code, count in getattr(counters, dimension).items():
                initial[f"{dimension}__{code}"] = count
    return initial


CHOICE_GROUPS = {"radioselect", "checkboxselectmultiple", "hintedcheckboxselectmultiple"}


def error_summary(form: forms.Form) -> list[dict[str, str]]:
    """One link per error, to its field (the first option of a group of choices)."""
    summary: list[dict[str, str]] = []
    for name, errors in form.errors.items():
        if name == "__all__":
            summary.extend({"text": str(error), "anchor": ""} for error in errors)
            continue
        bound = form[name]
        anchor = bound.auto_id
        if bound.widget_type in CHOICE_GROUPS:
            anchor = f"{bound.auto_id}_0"
        summary.extend({"text": f"{bound.label} : {error}", "anchor": anchor} for error in errors)
    return summary
