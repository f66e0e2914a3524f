from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q

from maillon.accounts.identifiers import normalize_identifier
from maillon.accounts.models import (
    CONSEILLER_NUMERIQUE_ID_HELP,
    CONSEILLER_NUMERIQUE_ID_LABEL,
    CONSEILLER_NUMERIQUE_ID_MAX_LENGTH,
    INVITABLE_ROLES,
    AnyUser,
    Role,
    Structure,
    User,
    communes_open_to,
    conseiller_numerique_id_validator,
)
from maillon.territory.models import Commune


class EmailAuthenticationForm(AuthenticationForm):
    """Login by e-mail; the field keeps the name "username" that django-axes watches."""

    username = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


if TYPE_CHECKING:  # generic only for the type checker (django-stubs is a dev dependency)
    StructureModelForm = forms.ModelForm[Structure]
else:
    StructureModelForm = forms.ModelForm


class StructureForm(StructureModelForm):
    commune = forms.ModelChoiceField(
        queryset=Commune.objects.none(),
        label="Commune (code INSEE)",
        help_text="5 caractères, par exemple 53130 pour Laval.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 5}),
        error_messages={
            "invalid_choice": (
                "Commune introuvable ou hors de votre périmètre : vérifiez le code INSEE."
            ),
            "required": "Indiquez le code INSEE de la commune.",
        },
    )

    # Wider than the stored value: spaces and dots are removed before validation.
    siret = forms.CharField(
        label="SIRET", required=False, max_length=20, help_text="14 chiffres, sans espace."
    )
    rna = forms.CharField(
        label="Numéro RNA",
        required=False,
        max_length=14,
        help_text="Pour une association : W suivi de 9 chiffres.",
    )
    website = forms.URLField(label="Site web", required=False, assume_scheme="https")

    class Meta:
        model = Structure
        fields = [
            "name",
            "siret",
            "rna",
            "typologie",
            "address",
            "postal_code",
            "commune",
            "email",
            "phone",
            "website",
        ]

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communes = communes_open_to(user)
        if self.instance.pk is not None:
            # A responsable keeps the current commune even outside any coordinateur scope.
            communes = Commune.objects.filter(
                Q(pk__in=communes.values("pk")) | Q(pk=self.instance.commune_id)
            )
        commune_field = self.fields["commune"]
        assert isinstance(commune_field, forms.ModelChoiceField)
        commune_field.queryset = communes

    def clean_siret(self) -> str:
        siret = normalize_identifier(self.cleaned_data["siret"])
        # The database constraint's condition uses is_active, which is not a form field, so
        # Django would skip it: check here.
        others = Structure.objects.active().exclude(pk=self.instance.pk)
        if siret and others.filter(siret=siret).exists():
            raise forms.ValidationError("Une structure active porte déjà ce SIRET.")
        return siret

    def clean_rna(self) -> str:
        return normalize_identifier(self.cleaned_data["rna"])


INVITABLE_CHOICES = [(role.value, role.label) for role in INVITABLE_ROLES]


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=INVITABLE_CHOICES)
    is_conseiller_numerique = forms.BooleanField(
        label="Conseiller numérique",
        required=False,
        help_text="Poste financé par le dispositif Conseiller numérique (médiateurs seulement).",
    )
    # No max_length here: the validator's message names the field and its limit.
    conseiller_numerique_id = forms.CharField(
        label=CONSEILLER_NUMERIQUE_ID_LABEL,
        required=False,
        validators=[conseiller_numerique_id_validator],
        widget=forms.TextInput(
            attrs={"maxlength": CONSEILLER_NUMERIQUE_ID_MAX_LENGTH, "autocomplete": "off"}
        ),
        help_text=CONSEILLER_NUMERIQUE_ID_HELP,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("is_conseiller_numerique") and cleaned.get("role") != Role.MEDIATOR:
            self.add_error(
                "is_conseiller_numerique", "Seul un médiateur peut être conseiller numérique."
            )
        if cleaned.get("conseiller_numerique_id") and not cleaned.get("is_conseiller_numerique"):
            self.add_error(
                "conseiller_numerique_id",
                f"{CONSEILLER_NUMERIQUE_ID_LABEL} : seulement pour un conseiller numérique ; "
                "cochez « Conseiller numérique » ou videz ce champ.",
            )
        return cleaned


class InvitationForm(MembershipRoleForm):
    email = forms.EmailField(
        label="Adresse électronique de la personne invitée",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    field_order = ["email", "role", "is_conseiller_numerique", "conseiller_numerique_id"]


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 12 caractères, pas uniquement des chiffres ni un mot courant.",
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2:
            if password1 != password2:
                self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
            else:
                candidate = User(
                    email=self.email,
                    first_name=cleaned.get("first_name", ""),
                    last_name=cleaned.get("last_name", ""),
                )
                try:
                    password_validation.validate_password(password1, candidate)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return cleaned
