# ruff: noqa: RUF001 — typographic apostrophes are part of the reference's column labels.
"""Rows of the activity export (activites-et-beneficiaires.md §6.3), one per activity.

The rows are produced in batches from a server-side iterator: memory stays constant whatever
the number of activities. Each batch costs at most four small queries (tags, postal codes not
yet seen, roles of the mediators not yet seen, the accompanied person of individual sessions).

« Rôle » and « ID - Conum » come from the mediator's membership of the activity's structure
(the active one, else his latest): « Conseiller numérique » with his identifier when the
membership says so, « Médiateur numérique » otherwise. « Source de la donnée » is not a column:
the reference adds it only to exports holding legacy V1 data, which Maillon never holds.

Who sees what (docs/activites.md, « Exports »):
- the activities are those of the user's statistics scope, with the dashboard's filters;
- the columns about the person exist only for a member (médiateur, responsable) of a
  structure; coordinators and administrators get no column about beneficiaries at all;
- a person's name, commune and categories are filled only when the person belongs to a
  structure the user is a member of, and each identified person so read is journaled;
- notes are filled only for the activities the user may edit (his own, his structure's).
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from maillon.accounts.models import AnyUser, Membership, Role, structure_memberships_of
from maillon.activities.models import Accompaniment, Activity
from maillon.activities.vocabulary import (
    Autonomie,
    Materiel,
    NiveauAtelier,
    StructureRedirection,
    Thematique,
    TypeActivite,
    TypeLieu,
)
from maillon.beneficiaries.models import (
    Beneficiary,
    Genre,
    StatutSocial,
    TrancheAge,
    tranche_age_of,
)
from maillon.core.audit import record_many
from maillon.core.models import AuditAction
from maillon.territory.models import PostalCode

CHUNK_SIZE = 2000
ANONYMOUS = "Anonyme"
# « Rôle »: La Coop's two kinds of mediators.
CONSEILLER_NUMERIQUE = "Conseiller numérique"
MEDIATEUR_NUMERIQUE = "Médiateur numérique"
# What the export reads of an identified person, as journaled.
READ_FIELDS = ("first_name", "last_name", "commune")

COMMON_HEADERS: tuple[str, ...] = (
    "Date",
    "Enregistré le",
    "Dernière modification le",
    "Prénom du médiateur",
    "Nom du médiateur",
    "Rôle",
    "ID - Conum",
    "Structure",
    "Type",
    "Participants",
)
PERSON_HEADERS: tuple[str, ...] = ("Bénéficiaire",)
PLACE_HEADERS: tuple[str, ...] = (
    "Canaux d’accompagnement",
    "Nom du lieu",
    "Adresse",
    "Commune",
    "Code postal",
    "Code Insee",
    "Itinérance",
    "Durée (min)",
    "Nom de l’atelier",
    "Matériel numérique utilisé",
    "Thématique(s) d’accompagnement",
    "Tags",
    "Nom de la démarche administrative",
    "Niveau d’autonomie (ou de l’atelier)",
    "Bénéficiaire réorienté",
    "Structure de redirection",
)
PERSON_DETAIL_HEADERS: tuple[str, ...] = (
    "Commune du bénéficiaire",
    "Code postal du bénéficiaire",
    "Code Insee du bénéficiaire",
    "Genre",
    "Tranche d’âge",
    "Statut du bénéficiaire",
    "Notes supplémentaires",
)
# Date and timestamps: the writers give them a date format.
DATE_COLUMNS = (0,)
DATETIME_COLUMNS = (1, 2)

_FIELDS = (
    "pk",
    "date",
    "created_at",
    "updated_at",
    "mediator__first_name",
    "mediator__last_name",
    "structure__name",
    "type",
    "participants_count",
    "place_kind",
    "place__nom",
    "place__adresse",
    "place__code_postal",
    "commune_id",
    "commune__name",
    "is_itinerant",
    "duration_minutes",
    "workshop_title",
    "equipment",
    "themes",
    "procedure_name",
    "autonomy",
    "workshop_level",
    "redirected",
    "redirect_category",
    "notes",
    "mediator_id",
    "structure_id",
)
_PERSON_FIELDS = (
    "activity_id",
    "beneficiary_id",
    "beneficiary__structure_id",
    "beneficiary__is_anonymous",
    "beneficiary__anonymised_at",
    "beneficiary__first_name",
    "beneficiary__last_name",
    "beneficiary__commune_id",
    "beneficiary__commune__name",
    "beneficiary__genre",
    "beneficiary__birth_year",
    "beneficiary__age_bracket",
    "beneficiary__statut_social",
)

_TYPES = dict(TypeActivite.choices)
_PLACE_KINDS = dict(TypeLieu.choices)
_EQUIPMENT = dict(Materiel.choices)
_THEMES = dict(Thematique.choices)
_AUTONOMY = dict(Autonomie.choices)
_LEVELS = dict(NiveauAtelier.choices)
_REDIRECTS = dict(StructureRedirection.choices)
_GENRES = dict(Genre.choices)
_TRANCHES = dict(TrancheAge.choices)
_STATUTS = dict(StatutSocial.choices)


@dataclasses.dataclass(frozen=True)
class Reader:
    """The user exporting, and which structures' people and notes he may read."""

    user: AnyUser
    member_of: frozenset[int]  # structures where he is médiateur or responsable
    manages: frozenset[int]

    @property
    def sees_people(self) -> bool:
        return bool(self.member_of)

    def may_read_notes(self, mediator_id: int, structure_id: int) -> bool:
        return mediator_id == self.user.pk or structure_id in self.manages


def reader_of(user: AnyUser) -> Reader:
    memberships = list(structure_memberships_of(user).values_list("role", "structure_id"))
    return Reader(
        user,
        frozenset(s for _role, s in memberships if s is not None),
        frozenset(s for role, s in memberships if role == Role.MANAGER and s is not None),
    )


def headers(reader: Reader) -> list[str]:
    if not reader.sees_people:
        return [*COMMON_HEADERS, *PLACE_HEADERS, "ID CRA"]
    return [*COMMON_HEADERS, *PERSON_HEADERS, *PLACE_HEADERS, *PERSON_DETAIL_HEADERS, "ID CRA"]


def _labels(codes: Iterable[str], labels: dict[str, str]) -> str:
    return ", ".join(labels.get(code, code) for code in codes)


def _naive(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """Local wall-clock time: spreadsheets have no time zones."""
    return moment.astimezone(zone).replace(tzinfo=None, microsecond=0)


class _PostalCodes:
    """The first postal code of each commune, looked up once per export."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}

    def load(self, communes: set[str]) -> None:
        missing = communes - self.known.keys()
        if not missing:
            return
        for commune_id, code in (
            PostalCode.objects.filter(commune_id__in=missing)
            .order_by("commune_id", "code")
            .values_list("commune_id", "code")
        ):
            self.known.setdefault(commune_id, code)
        for commune_id in missing:
            self.known.setdefault(commune_id, "")

    def __getitem__(self, commune_id: str | None) -> str:
        return self.known.get(commune_id or "", "")


class _MediatorRoles:
    """« Rôle » and « ID - Conum » of each (mediator, structure) pair, looked up once per export."""

    def __init__(self) -> None:
        self.known: dict[tuple[int, int], tuple[str, str]] = {}

    def load(self, pairs: set[tuple[int, int]]) -> None:
        missing = pairs - self.known.keys()
        if not missing:
            return
        # Inactive memberships first, then by date: the active one, else the latest, wins.
        memberships = (
            Membership.objects.filter(
                user_id__in={user for user, _structure in missing},
                structure_id__in={structure for _user, structure in missing},
            )
            .order_by("is_active", "updated_at", "pk")
            .values_list(
                "user_id", "structure_id", "is_conseiller_numerique", "conseiller_numerique_id"
            )
        )
        found: dict[tuple[int, int], tuple[str, str]] = {}
        for user_id, structure_id, is_conseiller, identifier in memberships:
            found[(user_id, structure_id)] = (
                (CONSEILLER_NUMERIQUE, identifier) if is_conseiller else (MEDIATEUR_NUMERIQUE, "")
            )
        for pair in missing:
            self.known[pair] = found.get(pair, (MEDIATEUR_NUMERIQUE, ""))

    def __getitem__(self, pair: tuple[int, int]) -> tuple[str, str]:
        return self.known[pair]


def _people(reader: Reader, batch: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """The person of each individual session of the user's structures, by activity id."""
    ids = [
        row["pk"]
        for row in batch
        if row["type"] == TypeActivite.INDIVIDUEL and row["structure_id"] in reader.member_of
    ]
    if not ids:
        return {}
    # The person's structure is checked here, not in SQL: with both conditions SQLite walks
    # every beneficiary of the structures first (20 s per batch at 100,000 activities).
    rows = Accompaniment.objects.filter(activity_id__in=ids).values(*_PERSON_FIELDS)
    return {
        row["activity_id"]: row
        for row in rows
        if row["beneficiary__structure_id"] in reader.member_of
    }


def _journal(reader: Reader, people: Iterable[dict[str, Any]], journaled: set[int]) -> None:
    """One READ event per identified person whose name the export shows (once per export),
    a single INSERT per batch."""
    read = []
    for person in people:
        pk = person["beneficiary_id"]
        if pk in journaled or not _is_named(person):
            continue
        journaled.add(pk)
        read.append(Beneficiary(pk=pk, structure_id=person["beneficiary__structure_id"]))
    if read:
        record_many(
            actor=reader.user,
            action=AuditAction.READ,
            targets=read,
            structure_id_of=lambda beneficiary: beneficiary.structure_id,
            fields=READ_FIELDS,
        )


def _is_named(person: dict[str, Any]) -> bool:
    return not person["beneficiary__is_anonymous"] and person["beneficiary__anonymised_at"] is None


def _person_cells(
    person: dict[str, Any] | None, postal: _PostalCodes, *, year: int
) -> tuple[list[object], list[object]]:
    if person is None:
        return [""], ["", "", "", "", "", ""]
    named = _is_named(person)
    name = (
        f"{person['beneficiary__first_name']} {person['beneficiary__last_name']}"
        if named
        else ANONYMOUS
    )
    commune = person["beneficiary__commune_id"] if named else None
    birth_year = person["beneficiary__birth_year"]
    tranche = (
        tranche_age_of(birth_year, year=year)
        if birth_year is not None
        else person["beneficiary__age_bracket"]
    )
    return [name], [
        person["beneficiary__commune__name"] if commune else "",
        postal[commune] if commune else "",
        commune or "",
        _GENRES.get(person["beneficiary__genre"], ""),
        _TRANCHES.get(tranche, ""),
        _STATUTS.get(person["beneficiary__statut_social"], ""),
    ]


def _batches(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    while batch := list(islice(rows, size)):
        yield batch


def rows(
    reader: Reader,
    activities: "QuerySet[Activity]",
    *,
    chunk_size: int = CHUNK_SIZE,
    today: dt.date | None = None,
) -> Iterator[list[object]]:
    """The export's rows, in the order of `headers(reader)`, most recent activities first."""
    year = (today or timezone.localdate()).year
    zone = timezone.get_current_timezone()
    postal = _PostalCodes()
    roles = _MediatorRoles()
    journaled: set[int] = set()
    tags_through = Activity.tags.through
    source = activities.order_by("-date", "-pk").values(*_FIELDS).iterator(chunk_size=chunk_size)
    for batch in _batches(source, chunk_size):
        ids = [row["pk"] for row in batch]
        tags: dict[int, list[str]] = {}
        for activity_id, name in (
            tags_through.objects.filter(activity_id__in=ids)
            .order_by("tag__name")
            .values_list("activity_id", "tag__name")
        ):
            tags.setdefault(activity_id, []).append(name)
        roles.load({(row["mediator_id"], row["structure_id"]) for row in batch})
        people = _people(reader, batch) if reader.sees_people else {}
        _journal(reader, people.values(), journaled)
        postal.load(
            {row["commune_id"] for row in batch if row["commune_id"]}
            | {
                p["beneficiary__commune_id"]
                for p in people.values()
                if p["beneficiary__commune_id"]
            }
        )
        for row in batch:
            yield _row(
                reader,
                row,
                tags.get(row["pk"], []),
                roles[(row["mediator_id"], row["structure_id"])],
                people.get(row["pk"]),
                postal,
                year,
                zone,
            )


def _row(
    reader: Reader,
    row: dict[str, Any],
    tags: list[str],
    role: tuple[str, str],
    person: dict[str, Any] | None,
    postal: _PostalCodes,
    year: int,
    zone: dt.tzinfo,
) -> list[object]:
    individual = row["type"] == TypeActivite.INDIVIDUEL
    level = (
        _AUTONOMY.get(row["autonomy"], "") if individual else _LEVELS.get(row["workshop_level"], "")
    )
    common: list[object] = [
        row["date"],
        _naive(row["created_at"], zone),
        _naive(row["updated_at"], zone),
        row["mediator__first_name"],
        row["mediator__last_name"],
        *role,
        row["structure__name"],
        _TYPES.get(row["type"], row["type"]),
        row["participants_count"],
    ]
    place: list[object] = [
        _PLACE_KINDS.get(row["place_kind"], row["place_kind"]),
        row["place__nom"] or "",
        row["place__adresse"] or "",
        row["commune__name"] or "",
        row["place__code_postal"] or postal[row["commune_id"]],
        row["commune_id"] or "",
        "Oui" if row["is_itinerant"] else "Non",
        row["duration_minutes"],
        row["workshop_title"],
        _labels(row["equipment"] or (), _EQUIPMENT),
        _labels(row["themes"] or (), _THEMES),
        ", ".join(tags),
        row["procedure_name"],
        level,
        ("Oui" if row["redirected"] else "Non") if individual else "",
        _REDIRECTS.get(row["redirect_category"], ""),
    ]
    if not reader.sees_people:
        return [*common, *place, row["pk"]]
    name, details = _person_cells(person, postal, year=year)
    notes = row["notes"] if reader.may_read_notes(row["mediator_id"], row["structure_id"]) else ""
    return [*common, *name, *place, *details, notes, row["pk"]]
