"""Technical administration. Every save and delete goes through the audited service helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from maillon.accounts import services
from maillon.accounts.models import ApiToken, Invitation, Membership, Structure, User
from maillon.core.audit import record
from maillon.core.models import AuditAction

# The generic parameters only exist for the type checker (django-stubs is not installed in
# production, so the classes cannot be subscripted at runtime).
if TYPE_CHECKING:
    StructureModelAdmin = admin.ModelAdmin[Structure]
    MembershipModelAdmin = admin.ModelAdmin[Membership]
    InvitationModelAdmin = admin.ModelAdmin[Invitation]
    ApiTokenModelAdmin = admin.ModelAdmin[ApiToken]
    UserModelAdmin = BaseUserAdmin[Any]  # its bound is AbstractUser; ours is AbstractBaseUser
else:
    StructureModelAdmin = MembershipModelAdmin = InvitationModelAdmin = admin.ModelAdmin
    ApiTokenModelAdmin = admin.ModelAdmin
    UserModelAdmin = BaseUserAdmin


class AuditedAdminMixin:
    """Journal admin writes like any other write: names of changed fields, never values."""

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        services.save_with_audit(actor=request.user, instance=obj)

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        many_to_many = [field.name for field in form.instance._meta.many_to_many]
        changed = [name for name in form.changed_data if name in many_to_many]
        if change and changed:
            record(
                actor=request.user,
                action=AuditAction.UPDATE,
                target=form.instance,
                structure_id=getattr(form.instance, "structure_id", None),
                fields=changed,
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        services.delete_with_audit(actor=request.user, instance=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            services.delete_with_audit(actor=request.user, instance=obj)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, UserModelAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ["groups"]


@admin.register(Structure)
class StructureAdmin(AuditedAdminMixin, StructureModelAdmin):
    list_display = ["name", "typologie", "commune", "siret", "rna", "is_active"]
    list_filter = ["is_active", "typologie"]
    search_fields = ["name", "siret", "rna"]
    raw_id_fields = ["commune"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, MembershipModelAdmin):
    list_display = ["user", "role", "structure", "is_conseiller_numerique", "is_active"]
    list_filter = ["role", "is_active", "is_conseiller_numerique"]
    search_fields = ["user__email", "structure__name", "conseiller_numerique_id"]
    raw_id_fields = ["user", "structure"]
    filter_horizontal = ["departements", "epcis", "regions"]


@admin.register(Invitation)
class InvitationAdmin(AuditedAdminMixin, InvitationModelAdmin):
    list_display = ["email", "structure", "role", "invited_by", "created_at", "accepted_at"]
    search_fields = ["email", "structure__name"]
    raw_id_fields = ["structure", "invited_by", "accepted_by"]
    readonly_fields = ["created_at", "accepted_at", "accepted_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(ApiTokenModelAdmin):
    """Read and revoke only: a token is created by `manage.py create_api_token`, which shows
    its secret once; the database holds only a fingerprint, never displayed here either."""

    list_display = ["name", "user", "prefix", "scopes", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["name", "user__email", "key_id"]
    fields = readonly_fields = (
        "name",
        "user",
        "prefix",
        "scopes",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        return ApiToken.objects.visible_to(request.user).select_related("user")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False  # revoked tokens stay, so the journal keeps pointing at something

    @admin.action(description="Révoquer les jetons sélectionnés")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = sum(
            services.revoke_api_token(api_token=api_token, actor=request.user)
            for api_token in queryset
        )
        self.message_user(request, f"{revoked} jeton(s) révoqué(s).", messages.SUCCESS)
