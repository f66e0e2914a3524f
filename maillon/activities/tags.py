# ruff: noqa: RUF001 — typographic apostrophes in French messages.
"""Étiquettes: which ones a user may use and create, and their creation from a form.

Scopes (docs/adr/0011): a personal tag by anyone who records; a structure tag by a responsable
of that structure; a territory tag (a département) by a coordinateur whose scope covers it, or an
administrator. Creating a tag that already exists with the same owner returns the existing one.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet

from maillon.accounts.models import AnyUser, Membership, Role, Structure, User, is_administrator
from maillon.activities.models import Tag, TagQuerySet
from maillon.activities.vocabulary import TagScope
from maillon.core.audit import record
from maillon.core.models import AuditAction
from maillon.territory.models import Departement

MAX_NAME_LENGTH = 100


def coordinated_departements(user: AnyUser) -> "QuerySet[Departement]":
    """The départements of the user's coordination scopes (listed, or through a région or an
    EPCI); all of them for an administrator."""
    if is_administrator(user):
        return Departement.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Departement.objects.none()
    scopes = Membership.objects.active().filter(user_id=user.pk, role=Role.COORDINATOR)
    return Departement.objects.filter(
        Q(pk__in=scopes.values("departements"))
        | Q(region__in=scopes.values("regions"))
        | Q(communes__epci__in=scopes.values("epcis"))
    ).distinct()


def usable_by_coordinator(user: AnyUser) -> TagQuerySet:
    """A coordinateur's own tags and those of the départements he coordinates."""
    if not user.is_authenticated:
        return Tag.objects.none()
    return Tag.objects.filter(
        Q(scope=TagScope.PERSONAL, owner_user_id=user.pk)
        | Q(
            scope=TagScope.TERRITORY,
            owner_departement__in=coordinated_departements(user).values("pk"),
        )
    )


def may_create(
    user: AnyUser,
    scope: str,
    *,
    structure: Structure | None = None,
    departement: Departement | None = None,
) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if scope == TagScope.PERSONAL:
        return True
    if scope == TagScope.STRUCTURE:
        return structure is not None and (
            Membership.objects.active()
            .filter(user_id=user.pk, structure=structure, role=Role.MANAGER)
            .exists()
        )
    if scope == TagScope.TERRITORY:
        return (
            departement is not None
            and coordinated_departements(user).filter(pk=departement.pk).exists()
        )
    return False


def create_tag(
    *,
    actor: User,
    name: str,
    scope: str,
    structure: Structure | None = None,
    departement: Departement | None = None,
) -> Tag:
    """Create (or find, same name and owner) a tag; the ValidationError is keyed `new_tag`."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"new_tag": "Veuillez renseigner le nom de l’étiquette."})
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            {"new_tag": f"Le nom de l’étiquette dépasse {MAX_NAME_LENGTH} caractères."}
        )
    if scope not in TagScope.values:
        raise ValidationError({"new_tag": "Veuillez choisir la portée de l’étiquette."})
    if not may_create(actor, scope, structure=structure, departement=departement):
        raise PermissionDenied("Vous ne pouvez pas créer une étiquette de cette portée.")
    owner: dict[str, object]
    if scope == TagScope.PERSONAL:
        owner = {"owner_user": actor}
    elif scope == TagScope.STRUCTURE:
        owner = {"owner_structure": structure}
    else:
        owner = {"owner_departement": departement}
    existing = Tag.objects.filter(scope=scope, name__iexact=name, **owner).first()
    if existing is not None:
        return existing
    tag = Tag.objects.create(name=name, scope=scope, **owner)
    record(
        actor=actor,
        action=AuditAction.CREATE,
        target=tag,
        structure_id=structure.pk if structure is not None else None,
        fields=["name", "scope"],
    )
    return tag
