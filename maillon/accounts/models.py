"""Users, structures, memberships (roles and scopes) and invitations.

Permissions are QuerySet methods and small functions over active memberships (deny by default):
see docs/adr/0005-roles-et-perimetres.md.
"""

import uuid
from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    AnonymousUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from maillon.accounts.identifiers import validate_rna, validate_siret
from maillon.accounts.typologies import Typologie
from maillon.territory.models import Commune, Departement, Epci, Region

AnyUser = AbstractBaseUser | AnonymousUser


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A professional account; people helped (beneficiaries) never log in."""

    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("accès à l'administration technique", default=False)
    date_joined = models.DateTimeField("date d'inscription", default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Role(models.TextChoices):
    MEDIATOR = "mediator", "Médiateur"
    MANAGER = "manager", "Responsable de structure"
    COORDINATOR = "coordinator", "Coordinateur"
    ADMINISTRATOR = "administrator", "Administrateur"


# Roles a responsable may hand out by invitation; the others are given by an administrator.
INVITABLE_ROLES = (Role.MEDIATOR, Role.MANAGER)
# Roles held within a structure: its members record its activities and share its beneficiaries.
STRUCTURE_ROLES = (Role.MEDIATOR, Role.MANAGER)


def _active_memberships_of(user: AnyUser) -> "MembershipQuerySet":
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.active().filter(user_id=user.pk)


def is_administrator(user: AnyUser) -> bool:
    return _active_memberships_of(user).filter(role=Role.ADMINISTRATOR).exists()


def roles_of(user: AnyUser) -> set[str]:
    """The user's active roles, in one query (empty for anonymous or inactive users)."""
    return set(_active_memberships_of(user).values_list("role", flat=True))


def structure_memberships_of(user: AnyUser) -> "MembershipQuerySet":
    """The user's active roles of médiateur or responsable, each in a structure: where he is a
    member, who records activities and reads the beneficiaries' files. A coordinateur's
    employer does not count. None for an anonymous or inactive user."""
    return _active_memberships_of(user).filter(role__in=STRUCTURE_ROLES, structure__isnull=False)


def acts_as(user: AnyUser, role: Role) -> bool:
    """Whether the user holds `role`, an administrator counting as every role."""
    return bool(roles_of(user) & {role, Role.ADMINISTRATOR})


class StructureQuerySet(models.QuerySet["Structure"]):
    def active(self) -> "StructureQuerySet":
        return self.filter(is_active=True)

    def visible_to(self, user: AnyUser) -> "StructureQuerySet":
        """Administrateur: all; coordinateur: own + located in the scope; others: their own."""
        if is_administrator(user):
            return self.all()
        memberships = _active_memberships_of(user)
        rows = list(memberships.values_list("role", "structure_id"))
        condition = Q(pk__in=[structure for _role, structure in rows if structure is not None])
        if any(role == Role.COORDINATOR for role, _structure in rows):
            # Only coordinators reach beyond their own structures: the territory condition
            # scans the communes, so it is left out for everybody else.
            scopes = memberships.filter(role=Role.COORDINATOR)
            condition |= Q(commune__in=Commune.objects.filter(in_scope_of(scopes)))
        return self.active().filter(condition)

    def managed_by(self, user: AnyUser) -> "StructureQuerySet":
        """Structures whose settings and members the user may change."""
        if is_administrator(user):
            return self.all()
        return self.active().filter(
            pk__in=_active_memberships_of(user).filter(role=Role.MANAGER).values("structure_id")
        )


def in_scope_of(scopes: "MembershipQuerySet") -> Q:
    """Condition on Commune: located in a département, EPCI or région of these memberships."""
    return (
        Q(departement__in=scopes.exclude(departements=None).values("departements"))
        | Q(epci__in=scopes.exclude(epcis=None).values("epcis"))
        | Q(departement__region__in=scopes.exclude(regions=None).values("regions"))
    )


def communes_open_to(user: AnyUser) -> "models.QuerySet[Commune]":
    """Communes where the user may create a structure (administrateur: all; coordinateur: scope)."""
    if is_administrator(user):
        return Commune.objects.all()
    coordinations = _active_memberships_of(user).filter(role=Role.COORDINATOR)
    return Commune.objects.filter(in_scope_of(coordinations))


def can_create_structure(user: AnyUser) -> bool:
    return (
        _active_memberships_of(user)
        .filter(role__in=[Role.ADMINISTRATOR, Role.COORDINATOR])
        .exists()
    )


def can_manage(user: AnyUser, structure: "Structure") -> bool:
    """May change the structure's settings, invite people and change its members' roles."""
    return Structure.objects.managed_by(user).filter(pk=structure.pk).exists()


postal_code_validator = RegexValidator(
    r"^\d{5}$", "Le code postal doit comporter 5 chiffres (ex. : 53000)."
)
CONSEILLER_NUMERIQUE_ID_LABEL = "Identifiant conseiller numérique (ID - Conum)"
CONSEILLER_NUMERIQUE_ID_MAX_LENGTH = 40
CONSEILLER_NUMERIQUE_ID_HELP = (
    "Son identifiant dans le dispositif (conseillers numériques seulement)."
)
# The programme's identifiers are numbers or hexadecimal strings: no space, no punctuation.
conseiller_numerique_id_validator = RegexValidator(
    rf"^[0-9A-Za-z-]{{1,{CONSEILLER_NUMERIQUE_ID_MAX_LENGTH}}}$",
    f"{CONSEILLER_NUMERIQUE_ID_LABEL} : lettres, chiffres et tirets seulement, "
    f"{CONSEILLER_NUMERIQUE_ID_MAX_LENGTH} caractères au plus.",
)


class Structure(models.Model):
    """A legal organisation (association, commune, CCAS…) identified by its SIRET and/or RNA."""

    name = models.CharField("nom", max_length=200)
    siret = models.CharField(
        "SIRET",
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text="14 chiffres, sans espace.",
    )
    rna = models.CharField(
        "numéro RNA",
        max_length=10,
        blank=True,
        validators=[validate_rna],
        help_text="Pour une association : W suivi de 9 chiffres.",
    )
    typologie = models.CharField("typologie", max_length=20, choices=Typologie.choices)
    address = models.CharField("adresse", max_length=255, blank=True)
    postal_code = models.CharField(
        "code postal", max_length=5, blank=True, validators=[postal_code_validator]
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="structures", verbose_name="commune"
    )
    email = models.EmailField("adresse électronique de contact", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    website = models.URLField("site web", blank=True)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = StructureQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "structure"
        constraints = [
            models.CheckConstraint(
                condition=~Q(siret="") | ~Q(rna=""),
                name="structure_has_siret_or_rna",
                violation_error_message=(
                    "Indiquez au moins un identifiant : le SIRET ou, pour une association, "
                    "le numéro RNA."
                ),
            ),
            models.UniqueConstraint(
                fields=["siret"],
                condition=Q(is_active=True) & ~Q(siret=""),
                name="unique_siret_among_active_structures",
                violation_error_message="Une structure active porte déjà ce SIRET.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True)

    def visible_to(self, user: AnyUser) -> "MembershipQuerySet":
        """Administrateur: all; others: their own and those of the structures they manage."""
        if is_administrator(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(user_id=user.pk) | Q(structure__in=Structure.objects.managed_by(user).values("pk"))
        )


class Membership(models.Model):
    """A user's role: in a structure (médiateur, responsable), over a scope, or platform-wide."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name="utilisateur",
    )
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name="structure",
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    is_conseiller_numerique = models.BooleanField(
        "conseiller numérique",
        default=False,
        help_text="Poste financé par le dispositif Conseiller numérique (médiateurs seulement).",
    )
    # « ID - Conum » of the activity export (activites-et-beneficiaires.md §6.3).
    conseiller_numerique_id = models.CharField(
        CONSEILLER_NUMERIQUE_ID_LABEL,
        max_length=CONSEILLER_NUMERIQUE_ID_MAX_LENGTH,
        blank=True,
        validators=[conseiller_numerique_id_validator],
        help_text=CONSEILLER_NUMERIQUE_ID_HELP,
    )
    departements = models.ManyToManyField(
        Departement, blank=True, related_name="+", verbose_name="départements coordonnés"
    )
    epcis = models.ManyToManyField(
        Epci, blank=True, related_name="+", verbose_name="EPCI coordonnés"
    )
    regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name="régions coordonnées"
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["structure__name", "user__email", "pk"]
        verbose_name = "rôle"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=list(STRUCTURE_ROLES), structure__isnull=False)
                    | Q(role=Role.COORDINATOR)
                    | Q(role=Role.ADMINISTRATOR, structure__isnull=True)
                ),
                name="membership_structure_matches_role",
                violation_error_message=(
                    "Un médiateur ou un responsable appartient à une structure ; "
                    "un administrateur n'en a pas."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_conseiller_numerique=False) | Q(role=Role.MEDIATOR),
                name="membership_conseiller_numerique_is_mediator",
                violation_error_message="Seul un médiateur peut être conseiller numérique.",
            ),
            models.CheckConstraint(
                condition=Q(conseiller_numerique_id="") | Q(is_conseiller_numerique=True),
                name="membership_conseiller_numerique_id_needs_the_flag",
                violation_error_message=(
                    f"{CONSEILLER_NUMERIQUE_ID_LABEL} : seulement pour un conseiller numérique."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "structure"],
                condition=Q(is_active=True, structure__isnull=False),
                name="unique_active_membership_per_structure",
                violation_error_message="Cette personne a déjà un rôle dans cette structure.",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(is_active=True, structure__isnull=True),
                name="unique_active_role_without_structure",
            ),
        ]

    def __str__(self) -> str:
        where = f" — {self.structure}" if self.structure_id else ""
        return f"{self.user} : {self.get_role_display()}{where}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at=None,
            created_at__gt=timezone.now() - settings.MAILLON_INVITATION_MAX_AGE,
        )


class Invitation(models.Model):
    """An e-mailed offer of a role in a structure, accepted once through a signed link."""

    # Random, never shown: the e-mailed link carries it signed with a timestamp.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("adresse électronique")
    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="invitations", verbose_name="structure"
    )
    role = models.CharField(
        "rôle", max_length=20, choices=[(role.value, role.label) for role in INVITABLE_ROLES]
    )
    is_conseiller_numerique = models.BooleanField("conseiller numérique", default=False)
    conseiller_numerique_id = models.CharField(
        CONSEILLER_NUMERIQUE_ID_LABEL,
        max_length=CONSEILLER_NUMERIQUE_ID_MAX_LENGTH,
        blank=True,
        validators=[conseiller_numerique_id_validator],
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="invitée par",
    )
    created_at = models.DateTimeField("envoyée le", auto_now_add=True)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="acceptée par",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "invitation"

    def __str__(self) -> str:
        return f"{self.email} → {self.structure}"

    @property
    def expires_at(self) -> datetime:
        expiry: datetime = self.created_at + settings.MAILLON_INVITATION_MAX_AGE
        return expiry


class TokenScope(models.TextChoices):
    """What an API token may read; stable codes, checked on every request."""

    STATISTIQUES = "statistiques", "Statistiques (lecture)"
    LIEUX = "lieux", "Lieux (lecture)"


def validate_scopes(value: object) -> None:
    """A non-empty list of known scope codes, each once."""
    if not isinstance(value, list) or not value:
        raise ValidationError("Indiquez au moins une portée.")
    unknown = [str(code) for code in value if code not in TokenScope.values]
    if unknown:
        raise ValidationError(
            "Portée inconnue : %(unknown)s. Portées possibles : %(known)s.",
            params={"unknown": ", ".join(unknown), "known": ", ".join(TokenScope.values)},
        )
    if len(set(value)) != len(value):
        raise ValidationError("Une portée est indiquée deux fois.")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> "ApiTokenQuerySet":
        """Neither revoked nor expired (the user's own status is checked at each request)."""
        return self.filter(revoked_at=None, expires_at__gt=timezone.now())

    def visible_to(self, user: AnyUser) -> "ApiTokenQuerySet":
        """Administrateurs see every token; everyone else only their own."""
        if is_administrator(user) or getattr(user, "is_superuser", False):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)


class ApiToken(models.Model):
    """A secret that lets a program read the API as its user, within some scopes.

    Only an HMAC-SHA256 of the secret is stored (see maillon/accounts/api_tokens.py); the
    random `key_id` is in clear so a presented token finds its row without scanning.
    A token never gives more than its user's roles: views scope by `visible_to(user)`.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name="utilisateur",
    )
    name = models.CharField("nom", max_length=100, help_text="À quoi sert ce jeton.")
    scopes = models.JSONField("portées", default=list, validators=[validate_scopes])
    key_id = models.CharField("identifiant", max_length=16, unique=True, editable=False)
    secret_hash = models.CharField("empreinte du secret", max_length=64, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le")
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def prefix(self) -> str:
        """What the owner sees of the token: enough to recognise it, never the secret."""
        return f"mln_{self.key_id}"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def scope_labels(self) -> list[str]:
        return [TokenScope(code).label for code in self.scopes if code in TokenScope.values]
