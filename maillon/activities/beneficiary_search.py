"""Finding the followed beneficiary of a report without listing the structure's whole file.

The activity forms never draw the file as a list: the mediator types a name, a first name, a
phone number or an e-mail address (at least `MIN_QUERY_LENGTH` characters) and gets at most
`MAX_RESULTS` people of the chosen structure, accents and case aside (each word is looked up in
the file's `search_key`). Every person whose name is shown — a search
result, or the beneficiary already chosen on a report — is a journaled read, all the rows of one
display written in one INSERT (`record_many`). ADR 0015.
"""

import dataclasses
import re
from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace

from maillon.accounts.models import Structure, User
from maillon.beneficiaries.matching import search_key
from maillon.beneficiaries.models import Beneficiary
from maillon.core.audit import record_many
from maillon.core.models import AuditAction

MIN_QUERY_LENGTH = 2
MAX_RESULTS = 10
# What a result or a chosen person shows of the file: the journal names these fields.
SHOWN_FIELDS = ("first_name", "last_name", "birth_year")
_PHONE_SEPARATORS = re.compile(r"[\s.\-/()]")


@dataclasses.dataclass(frozen=True)
class SearchResult:
    query: str
    people: list[Beneficiary]
    is_too_short: bool = False
    has_more: bool = False

    @property
    def count_text(self) -> str:
        """What the live region reads out after a search."""
        if self.is_too_short:
            return f"Tapez au moins {MIN_QUERY_LENGTH} caractères pour chercher."
        count = len(self.people)
        if not count:
            return f"Aucun bénéficiaire suivi ne correspond à « {self.query} »."
        if self.has_more:
            return (
                f"Les {count} premiers bénéficiaires trouvés : précisez la recherche "
                "pour voir les autres."
            )
        return f"{count} bénéficiaire trouvé." if count == 1 else f"{count} bénéficiaires trouvés."


def files_of(user: User, structure: Structure | None = None) -> "QuerySet[Beneficiary]":
    """Identified, current, not anonymised files the user may pick (one structure's, if given)."""
    files = Beneficiary.objects.visible_to(user).current()
    return files if structure is None else files.filter(structure=structure)


def _phone_variants(query: str) -> list[str]:
    """The digits typed, and their national/international twin: 06… ↔ +336…"""
    digits = _PHONE_SEPARATORS.sub("", query)
    if not re.fullmatch(r"\+?\d{4,}", digits):
        return []
    variants = [digits]
    if digits.startswith("0"):
        variants.append("+33" + digits[1:])
    elif digits.startswith("+33"):
        variants.append("0" + digits[3:])
    return variants


def _matching(files: "QuerySet[Beneficiary]", query: str) -> "QuerySet[Beneficiary]":
    phones = _phone_variants(query)
    if phones:
        compact = Value("")
        stripped = Replace("phone", Value(" "), compact)
        for separator in (".", "-", "/"):
            stripped = Replace(stripped, Value(separator), compact)
        condition = Q()
        for variant in phones:
            condition |= Q(phone_compact__contains=variant)
        return files.annotate(phone_compact=stripped).filter(condition)
    for word in search_key(query).split():
        files = files.filter(search_key__contains=word)
    return files


def journal_shown(user: User, people: Iterable[Beneficiary]) -> int:
    """One READ row per person displayed, in a single INSERT."""
    return record_many(
        actor=user,
        action=AuditAction.READ,
        targets=list(people),
        structure_id_of=lambda person: person.structure_id,
        fields=SHOWN_FIELDS,
    )


def search(user: User, structure: Structure, query: str) -> SearchResult:
    """At most `MAX_RESULTS` files of the structure matching the query; the display is
    journaled. The caller has checked that the user is a member of the structure."""
    query = " ".join(query.split())[:100]
    if len(query) < MIN_QUERY_LENGTH:
        return SearchResult(query=query, people=[], is_too_short=True)
    found = list(
        _matching(files_of(user, structure), query).order_by("last_name", "first_name", "pk")[
            : MAX_RESULTS + 1
        ]
    )
    people = found[:MAX_RESULTS]
    journal_shown(user, people)
    return SearchResult(query=query, people=people, has_more=len(found) > MAX_RESULTS)


def chosen(user: User, pks: Sequence[object]) -> list[Beneficiary]:
    """The files behind the chosen identifiers that the user may pick, in the order given,
    journaled as read (their names are displayed); other identifiers are dropped."""
    wanted: list[int] = []
    for pk in pks:
        try:
            number = int(str(pk))
        except ValueError:
            continue
        if number not in wanted:
            wanted.append(number)
    if not wanted:
        return []
    # Anonymised files stay pickable: a report edited after an erasure keeps its person.
    pickable = Beneficiary.objects.visible_to(user).active().identified()
    by_pk = {person.pk: person for person in pickable.filter(pk__in=wanted)}
    people = [by_pk[pk] for pk in wanted if pk in by_pk]
    journal_shown(user, people)
    return people
