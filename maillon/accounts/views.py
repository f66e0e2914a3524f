"""Thin views: fetch through user-scoped querysets (not yours → 404), write through services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillon.accounts import services
from maillon.accounts.forms import (
    InvitationAcceptForm,
    InvitationForm,
    MembershipRoleForm,
    StructureForm,
)
from maillon.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Role,
    Structure,
    User,
    can_create_structure,
    can_manage,
)
from maillon.core.dashboard import panels_for


def _current_user(request: HttpRequest) -> User:
    # The login-required middleware guarantees an authenticated user on non-public views.
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _managed_structure(request: HttpRequest, pk: int) -> Structure:
    return get_object_or_404(Structure.objects.managed_by(request.user), pk=pk)


def _structure_rows(structures: Any) -> list[list[Any]]:
    return [
        [
            {
                "text": structure.name,
                "url": reverse("accounts:structure_detail", args=[structure.pk]),
            },
            structure.get_typologie_display(),
            structure.commune.name,
            structure.siret or structure.rna,
        ]
        for structure in structures
    ]


def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.active()
        .filter(user=_current_user(request))
        .select_related("structure")
        .prefetch_related("departements", "epcis", "regions")
    )
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": memberships,
            "can_create_structure": can_create_structure(request.user),
            "panels": panels_for(request.user),
        },
    )


def structure_list(request: HttpRequest) -> HttpResponse:
    structures = Structure.objects.visible_to(request.user).select_related("commune")
    return render(
        request,
        "accounts/structure_list.html",
        {
            "headers": ["Nom", "Typologie", "Commune", "SIRET ou RNA"],
            "rows": _structure_rows(structures),
            "can_create_structure": can_create_structure(request.user),
        },
    )


def structure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    structure = get_object_or_404(
        Structure.objects.visible_to(request.user).select_related("commune"), pk=pk
    )
    items = [
        {"label": "SIRET", "value": structure.siret},
        {"label": "Numéro RNA", "value": structure.rna},
        {"label": "Typologie", "value": structure.get_typologie_display()},
        {"label": "Adresse", "value": structure.address},
        {"label": "Code postal", "value": structure.postal_code},
        {
            "label": "Commune",
            "value": str(structure.commune),
            "url": reverse("territory:commune", args=[structure.commune_id]),
        },
        {"label": "Adresse électronique", "value": structure.email},
        {"label": "Téléphone", "value": structure.phone},
        {"label": "Site web", "value": structure.website, "url": structure.website},
    ]
    return render(
        request,
        "accounts/structure_detail.html",
        {
            "structure": structure,
            "items": items,
            "can_manage": can_manage(request.user, structure),
        },
    )


def structure_create(request: HttpRequest) -> HttpResponse:
    if not can_create_structure(request.user):
        raise Http404
    form = StructureForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        structure = services.create_structure(actor=request.user, structure=form.save(commit=False))
        messages.success(request, f"La structure « {structure.name} » a été créée.")
        return redirect("accounts:structure_detail", pk=structure.pk)
    return render(request, "accounts/structure_form.html", {"form": form, "structure": None})


def structure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    structure = _managed_structure(request, pk)
    form = StructureForm(request.POST or None, instance=structure, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_structure(actor=request.user, structure=form.save(commit=False))
        messages.success(request, "Les informations de la structure ont été enregistrées.")
        return redirect("accounts:structure_detail", pk=structure.pk)
    return render(request, "accounts/structure_form.html", {"form": form, "structure": structure})


def member_list(request: HttpRequest, pk: int) -> HttpResponse:
    structure = _managed_structure(request, pk)
    memberships = (
        Membership.objects.visible_to(request.user)
        .active()
        .filter(structure=structure)
        .select_related("user")
    )
    rows = [
        [
            str(membership.user),
            membership.user.email,
            membership.get_role_display(),
            "Oui" if membership.is_conseiller_numerique else "Non",
            {
                "text": "Modifier",
                "url": reverse("accounts:membership_edit", args=[structure.pk, membership.pk]),
            },
        ]
        for membership in memberships
    ]
    invitations = Invitation.objects.pending().filter(structure=structure)
    invitation_rows = [
        [invitation.email, invitation.get_role_display(), invitation.expires_at]
        for invitation in invitations
    ]
    return render(
        request,
        "accounts/member_list.html",
        {
            "structure": structure,
            "headers": ["Nom", "Adresse électronique", "Rôle", "Conseiller numérique", "Action"],
            "rows": rows,
            "invitation_headers": ["Adresse électronique", "Rôle", "Expire le"],
            "invitation_rows": invitation_rows,
            "form": InvitationForm(),
        },
    )


def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    structure = _managed_structure(request, pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = services.invite(
            actor=_current_user(request),
            structure=structure,
            email=form.cleaned_data["email"],
            role=Role(form.cleaned_data["role"]),
            is_conseiller_numerique=form.cleaned_data["is_conseiller_numerique"],
            conseiller_numerique_id=form.cleaned_data["conseiller_numerique_id"],
        )
        messages.success(request, f"Une invitation a été envoyée à {invitation.email}.")
        return redirect("accounts:member_list", pk=structure.pk)
    return render(request, "accounts/invitation_form.html", {"structure": structure, "form": form})


def _managed_membership(request: HttpRequest, pk: int, membership_pk: int) -> Membership:
    structure = _managed_structure(request, pk)
    return get_object_or_404(
        Membership.objects.visible_to(request.user).active().select_related("user", "structure"),
        pk=membership_pk,
        structure=structure,
    )


def membership_edit(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = _managed_membership(request, pk, membership_pk)
    initial = {
        "role": membership.role,
        "is_conseiller_numerique": membership.is_conseiller_numerique,
        "conseiller_numerique_id": membership.conseiller_numerique_id,
    }
    form = MembershipRoleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.change_role(
            actor=request.user,
            membership=membership,
            role=Role(form.cleaned_data["role"]),
            is_conseiller_numerique=form.cleaned_data["is_conseiller_numerique"],
            conseiller_numerique_id=form.cleaned_data["conseiller_numerique_id"],
        )
        messages.success(request, f"Le rôle de {membership.user} a été modifié.")
        return redirect("accounts:member_list", pk=pk)
    return render(
        request, "accounts/membership_form.html", {"membership": membership, "form": form}
    )


@require_POST
def membership_deactivate(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = _managed_membership(request, pk, membership_pk)
    services.deactivate_membership(actor=request.user, membership=membership)
    messages.success(request, f"{membership.user} ne fait plus partie de la structure.")
    return redirect("accounts:member_list", pk=pk)


def api_token_list(request: HttpRequest) -> HttpResponse:
    """The user's own tokens (never anyone else's, even for an administrateur: see the admin)."""
    api_tokens = list(ApiToken.objects.filter(user=_current_user(request)))
    rows = [
        [
            api_token.name,
            f"{api_token.prefix}…",
            ", ".join(api_token.scope_labels()),
            api_token.created_at,
            api_token.expires_at,
            api_token.last_used_at,
            _api_token_status(api_token),
        ]
        for api_token in api_tokens
    ]
    return render(
        request,
        "accounts/api_token_list.html",
        {
            "headers": [
                "Nom",
                "Début du jeton",
                "Portées",
                "Créé le",
                "Expire le",
                "Dernière utilisation",
                "État",
            ],
            "rows": rows,
            "revocable": [api_token for api_token in api_tokens if api_token.is_usable],
        },
    )


def _api_token_status(api_token: ApiToken) -> str:
    if api_token.revoked_at is not None:
        return "Révoqué"
    return "Actif" if api_token.is_usable else "Expiré"


@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    api_token = get_object_or_404(ApiToken.objects.filter(user=_current_user(request)), pk=pk)
    if services.revoke_api_token(api_token=api_token, actor=request.user):
        messages.success(request, f"Le jeton « {api_token.name} » est révoqué.")
    return redirect("accounts:api_token_list")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the invitee accepts (logged in with the invited e-mail) or creates an account."""
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    context: dict[str, Any] = {"invitation": invitation}
    user = request.user
    if isinstance(user, User):
        if user.email.lower() != invitation.email:
            return render(request, "accounts/invitation_wrong_account.html", context, status=403)
        if request.method == "POST":
            services.accept_invitation(invitation=invitation, user=user)
            messages.success(request, f"Vous avez rejoint « {invitation.structure} ».")
            return redirect("accounts:structure_detail", pk=invitation.structure_id)
        return render(request, "accounts/invitation_confirm.html", context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        context["login_url"] = f"{reverse('accounts:login')}?next={request.path}"
        return render(request, "accounts/invitation_login.html", context)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        new_user = services.register_and_accept(
            invitation=invitation,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
        )
        if new_user is None:
            return render(request, "accounts/invitation_invalid.html", status=410)
        login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Bienvenue ! Vous avez rejoint « {invitation.structure} ».")
        return redirect("accounts:dashboard")
    context["form"] = form
    return render(request, "accounts/invitation_register.html", context)
