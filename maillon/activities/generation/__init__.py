# ruff: noqa: RUF001 — typographic apostrophes in French texts.
"""Generate realistic fake activity data at national scale (issue 4 §5, `generate_activites`).

Volumes, themes, ages, statuts and activity kinds follow the real per-département figures of
the Conseiller numérique programme (`sources.py`); everything is drawn with numpy from one seed
(`plan.py`), then written with raw bulk statements (`writer.py`), bypassing the per-row
services, whose invariants are reproduced here: themes and equipment with their masks, the
commune of each place kind, `participants_count`, `accompaniments_count` and `is_first`.
"""

import dataclasses
import datetime as dt
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from maillon.accounts.models import Membership, Role, Structure, User
from maillon.activities.generation import plan as planning
from maillon.activities.generation import sources, writer
from maillon.activities.models import Accompaniment, Activity
from maillon.activities.vocabulary import TypeActivite, TypeLieu
from maillon.beneficiaries.matching import search_key
from maillon.beneficiaries.models import Beneficiary
from maillon.places.models import Place
from maillon.territory.models import Commune

EMAIL_DOMAIN = "generation.maillon.invalid"
FIRST_NAMES = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Jade",
    "Louise",
    "Lucas",
    "Hugo",
    "Louis",
    "Gabriel",
    "Arthur",
    "Jules",
    "Nathan",
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Françoise",
    "Monique",
    "Jean",
    "Michel",
    "Philippe",
    "Alain",
    "Patrick",
    "Nicolas",
    "Christophe",
    "Pierre",
    "Bernard",
    "Daniel",
    "Fatima",
    "Karim",
    "Mohamed",
    "Aïcha",
    "Yasmine",
    "Sofiane",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "Benali",
    "Nguyen",
    "Da",
    "Silva",
    "Traoré",
]
WORKSHOP_TITLES = (
    "Découvrir l’ordinateur",
    "Premiers pas sur la tablette",
    "Mon smartphone au quotidien",
    "Créer et gérer sa boîte mail",
    "Les démarches en ligne",
    "Se protéger des arnaques",
    "Café numérique",
    "Ameli et Mon espace santé",
    "Rechercher un emploi en ligne",
    "Traitement de texte",
)


class TerritoryError(ValueError):
    """The territory is malformed or has no commune in the database."""


@dataclasses.dataclass
class GenerationResult:
    activities: int
    accompaniments: int
    beneficiaries: int
    anonymous_beneficiaries: int
    mediators: int
    structures_created: int
    structures_reused: int
    timings: dict[str, float]


def parse_territory(value: str) -> Q:
    """`fr`, `reg:CODE`, `dep:CODE`, `epci:SIREN` or `com:CODE` → a filter on communes."""
    if value == "fr":
        return Q()
    kind, _, code = value.partition(":")
    lookups = {
        "reg": "departement__region_id",
        "dep": "departement_id",
        "epci": "epci_id",
        "com": "code_insee",
    }
    if kind not in lookups or not code:
        raise TerritoryError(
            f"Territoire invalide : « {value} » (attendu fr, reg:, dep:, epci: ou com:)."
        )
    return Q(**{lookups[kind]: code.upper()})


def load_territory(value: str) -> planning.Territory:
    codes = sources.load_figures().codes
    rows = list(
        Commune.objects.filter(parse_territory(value), departement_id__in=codes)
        .order_by("departement_id", "code_insee")
        .values_list("code_insee", "departement_id", "population")
    )
    if not rows:
        raise TerritoryError(
            f"Aucune commune pour le territoire « {value} » : chargez d’abord le territoire "
            "(manage.py load_territory)."
        )
    departements = tuple(sorted({row[1] for row in rows}))
    index = {code: i for i, code in enumerate(departements)}
    return planning.Territory(
        departements=departements,
        figure_rows=np.array([codes.index(code) for code in departements]),
        commune_codes=np.array([row[0] for row in rows], dtype=object),
        commune_departement=np.array([index[row[1]] for row in rows]),
        commune_population=np.array([row[2] or 0 for row in rows]),
    )


def _structures(
    plan: planning.Plan, territory: planning.Territory, seed: int
) -> tuple[list[int], list[int], list[str], int]:
    """Ids, place ids and communes of the plan's structures: the territory's active structures
    first (oldest first), new ones for the rest, each with one lieu d'activité."""
    ids: list[int] = []
    communes: list[str] = []
    reused = 0
    typologies = list(sources.STRUCTURE_TYPOLOGIES)
    existing: dict[str, list[tuple[int, str]]] = {}
    for pk, commune_id, departement_id in (
        Structure.objects.active()
        .filter(commune__departement_id__in=territory.departements)
        .order_by("pk")
        .values_list("pk", "commune_id", "commune__departement_id")
    ):
        existing.setdefault(departement_id, []).append((pk, commune_id))
    new: list[Structure] = []
    for j, (departement, commune) in enumerate(
        zip(plan.structure_departement, plan.structure_commune, strict=True)
    ):
        kept = existing.get(territory.departements[departement])
        if kept:
            pk, commune_id = kept.pop(0)
            ids.append(pk)
            communes.append(commune_id)
            reused += 1
            continue
        code = str(territory.commune_codes[commune])
        new.append(
            Structure(
                name=f"Structure fictive {seed}-{j + 1}",
                rna=f"W{(seed * 7919 + j) % 10**9:09d}",
                typologie=typologies[plan.structure_typologie[j]],
                commune_id=code,
            )
        )
        ids.append(-len(new))
        communes.append(code)
    created = Structure.objects.bulk_create(new, batch_size=1000)
    ids = [created[-pk - 1].pk if pk < 0 else pk for pk in ids]
    places = dict(
        Place.objects.filter(
            structure_id__in=ids, merged_into__isnull=True, retired_at__isnull=True
        )
        .order_by("-pk")
        .values_list("structure_id", "pk")
    )
    missing = [(pk, code) for pk, code in zip(ids, communes, strict=True) if pk not in places]
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"https://{EMAIL_DOMAIN}/{seed}")
    today = timezone.localdate()
    made = Place.objects.bulk_create(
        [
            Place(
                public_id=uuid.uuid5(namespace, str(pk)),
                structure_id=pk,
                commune_ref_id=code,
                nom=f"Lieu de la structure n° {pk}",
                date_maj=today,
            )
            for pk, code in missing
        ],
        batch_size=1000,
    )
    places.update({place.structure_id: place.pk for place in made if place.structure_id})
    place_communes = dict(
        Place.objects.filter(pk__in=places.values()).values_list("pk", "commune_ref_id")
    )
    place_ids = [places[pk] for pk in ids]
    return (
        ids,
        place_ids,
        [place_communes[p] or c for p, c in zip(place_ids, communes, strict=True)],
        reused,
    )


def _mediators(plan: planning.Plan, structure_ids: list[int], seed: int) -> list[int]:
    users = User.objects.bulk_create(
        [
            User(
                email=f"mediateur.{seed}.{k + 1}@{EMAIL_DOMAIN}",
                first_name=FIRST_NAMES[k % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(k * 7) % len(LAST_NAMES)],
                password="!généré",  # noqa: S106 — unusable: generated people never log in
            )
            for k in range(len(plan.mediator_structure))
        ],
        batch_size=1000,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                structure_id=structure_ids[plan.mediator_structure[k]],
                role=Role.MEDIATOR,
                is_conseiller_numerique=bool(plan.mediator_is_conseiller[k]),
            )
            for k, user in enumerate(users)
        ],
        batch_size=1000,
    )
    return [user.pk for user in users]


def _codes(codes: tuple[str, ...], indexes: np.ndarray[Any, Any]) -> list[str]:
    return list(np.array(codes, dtype=object)[indexes])


def _json_lists(masks: np.ndarray[Any, Any], codes: tuple[str, ...]) -> list[str]:
    unique, inverse = np.unique(masks, return_inverse=True)
    texts = np.array(
        [json.dumps([c for i, c in enumerate(codes) if int(m) >> i & 1]) for m in unique],
        dtype=object,
    )
    return list(texts[inverse])


def _write_activities(
    plan: planning.Plan,
    today: dt.date,
    ids: dict[str, Any],
) -> int:
    count = len(plan.days_ago)
    first_id = writer.next_id(Activity)
    dates = np.datetime64(today) - plan.days_ago.astype("timedelta64[D]")
    # Recording order follows the date (the plan is sorted), the first-accompaniment tie-break.
    key = -plan.days_ago  # ascending: the plan is sorted oldest first
    rank_in_day = np.arange(count) - np.searchsorted(key, key, side="left")
    step = max(1, 50_400_000_000 // max(1, int(rank_in_day.max()) + 1))
    recorded = (
        dates.astype("datetime64[us]")
        + np.timedelta64(8 * 3600 * 10**6, "us")
        + (rank_in_day * step).astype("timedelta64[us]")
    )
    suffix = writer.timestamp_suffix()
    mediators = np.array(ids["mediators"])
    structures = np.array(ids["structures"])
    places = np.array(ids["places"])
    structure_communes = np.array(ids["structure_communes"], dtype=object)
    commune_codes = ids["commune_codes"]
    lieu = planning.PLACE_KINDS.index(TypeLieu.LIEU_ACTIVITE)
    equipment_json = np.array(
        [json.dumps([code]) for code in planning.EQUIPMENT_CODES], dtype=object
    )
    titles = np.array(WORKSHOP_TITLES, dtype=object)

    def chunk(start: int, stop: int) -> list[list[Any]]:
        s = slice(start, stop)
        n = stop - start
        collective = plan.is_collective[s]
        structure = plan.structure[s]
        kind = plan.place_kind[s]
        typed = plan.commune[s]
        commune = np.where(
            typed >= 0, commune_codes[np.maximum(typed, 0)], structure_communes[structure]
        )
        stamps = [text.replace("T", " ") + suffix for text in recorded[s].astype(str).tolist()]
        return [
            list(range(first_id + start, first_id + stop)),
            _codes((TypeActivite.INDIVIDUEL, TypeActivite.COLLECTIF), collective.astype(int)),
            mediators[plan.mediator[s]].tolist(),
            structures[structure].tolist(),
            dates[s].astype(str).tolist(),
            plan.duration[s].tolist(),
            _codes(planning.PLACE_KINDS, kind),
            [int(p) if k == lieu else None for p, k in zip(places[structure], kind, strict=True)],
            list(commune),
            [False] * n,
            list(equipment_json[plan.equipment[s]]),
            (1 << plan.equipment[s]).tolist(),
            _json_lists(plan.themes_mask[s], planning.THEME_CODES),
            plan.themes_mask[s].tolist(),
            [""] * n,
            _codes(planning.AUTONOMY_CODES, plan.autonomy[s]),
            (plan.redirect[s] > 0).tolist(),
            _codes(planning.REDIRECT_CODES, plan.redirect[s]),
            [
                t if c else ""
                for t, c in zip(titles[plan.themes_mask[s] % len(titles)], collective, strict=True)
            ],
            _codes(planning.LEVEL_CODES, plan.level[s]),
            [""] * n,
            plan.participants_count[s].tolist(),
            [None] * n,
            stamps,
            stamps,
        ]

    writer.insert(
        Activity,
        [
            "id",
            "type",
            "mediator",
            "structure",
            "date",
            "duration_minutes",
            "place_kind",
            "place",
            "commune",
            "is_itinerant",
            "equipment",
            "equipment_mask",
            "themes",
            "themes_mask",
            "procedure_name",
            "autonomy",
            "redirected",
            "redirect_category",
            "workshop_title",
            "workshop_level",
            "notes",
            "participants_count",
            "deleted_at",
            "created_at",
            "updated_at",
        ],
        count,
        chunk,
    )
    ids["first_activity_id"] = first_id
    ids["dates"] = dates
    return first_id


def _write_beneficiaries(plan: planning.Plan, today: dt.date, ids: dict[str, Any]) -> int:
    total = len(plan.beneficiary_structure)
    first_id = writer.next_id(Beneficiary)
    suffix = writer.timestamp_suffix()
    structures = np.array(ids["structures"])
    mediators_of = _first_mediator_of(plan, ids)
    commune_codes = ids["commune_codes"]
    first_dates = ids["dates"][plan.beneficiary_first_activity]
    ages = np.array([sources.AGE_RANGES[b] for b in sources.AGE_BRACKETS])
    rng = np.random.default_rng(ids["seed"] + 1)
    low, high = ages[plan.beneficiary_age, 0], ages[plan.beneficiary_age, 1]
    birth_year = today.year - rng.integers(low, high + 1)
    first_name = rng.integers(0, len(FIRST_NAMES), total)
    last_name = rng.integers(0, len(LAST_NAMES), total)
    firsts = np.array(FIRST_NAMES, dtype=object)
    lasts = np.array(LAST_NAMES, dtype=object)
    # Every (first name, last name) key once: generated people have no e-mail.
    keys = np.array(
        [[search_key(first, last) for last in LAST_NAMES] for first in FIRST_NAMES], dtype=object
    )

    def chunk(start: int, stop: int) -> list[list[Any]]:
        s = slice(start, stop)
        n = stop - start
        anonymous = plan.beneficiary_is_anonymous[s]
        identified = ~anonymous
        created = [f"{day} 08:00:00{suffix}" for day in first_dates[s].astype(str).tolist()]
        return [
            list(range(first_id + start, first_id + stop)),
            structures[plan.beneficiary_structure[s]].tolist(),
            mediators_of[plan.beneficiary_structure[s]].tolist(),
            anonymous.tolist(),
            list(np.where(identified, firsts[first_name[s]], "")),
            list(np.where(identified, lasts[last_name[s]], "")),
            list(np.where(identified, keys[first_name[s], last_name[s]], "")),
            [""] * n,
            [False] * n,
            [""] * n,
            [int(y) if i else None for y, i in zip(birth_year[s], identified, strict=True)],
            [""] * n,
            [
                c if i else None
                for c, i in zip(commune_codes[plan.beneficiary_commune[s]], identified, strict=True)
            ],
            _codes(planning.GENRE_CODES, plan.beneficiary_genre[s]),
            _codes(planning.STATUT_CODES, plan.beneficiary_statut[s]),
            # Identified people carry a birth year; the bracket is read only without one.
            [
                "non_communique" if i else a
                for a, i in zip(
                    _codes(sources.AGE_BRACKETS, plan.beneficiary_age[s]), identified, strict=True
                )
            ],
            [""] * n,
            [d if i else None for d, i in zip(first_dates[s].astype(str), identified, strict=True)],
            plan.beneficiary_already[s].tolist(),
            plan.beneficiary_random[s].tolist(),
            [None] * n,
            [None] * n,
            [None] * n,
            plan.accompaniments_count[s].tolist(),
            created,
            created,
        ]

    writer.insert(
        Beneficiary,
        [
            "id",
            "structure",
            "created_by",
            "is_anonymous",
            "first_name",
            "last_name",
            "search_key",
            "phone",
            "has_no_phone",
            "email",
            "birth_year",
            "address",
            "commune",
            "genre",
            "statut_social",
            "age_bracket",
            "notes",
            "information_notice_given_on",
            "was_already_accompanied",
            "is_randomly_attributed",
            "merged_into",
            "deleted_at",
            "anonymised_at",
            "accompaniments_count",
            "created_at",
            "updated_at",
        ],
        total,
        chunk,
    )
    return first_id


def _first_mediator_of(plan: planning.Plan, ids: dict[str, Any]) -> np.ndarray[Any, Any]:
    """A mediator of each structure, recorded as the creator of its beneficiaries."""
    mediators = np.array(ids["mediators"])
    first = np.zeros(len(ids["structures"]), dtype=np.int64)
    order = np.arange(len(plan.mediator_structure))[::-1]
    first[plan.mediator_structure[order]] = mediators[order]
    return first


def _write_accompaniments(plan: planning.Plan, activity_id: int, beneficiary_id: int) -> None:
    first_id = writer.next_id(Accompaniment)
    # Written in (activity, beneficiary) order, the order of the unique constraint's index:
    # each row goes at the end of the index instead of a random place in it.
    order = np.lexsort((plan.accompaniment_beneficiary, plan.accompaniment_activity))
    activities = plan.accompaniment_activity[order] + activity_id
    beneficiaries = plan.accompaniment_beneficiary[order] + beneficiary_id
    firsts = plan.accompaniment_is_first[order]

    def chunk(start: int, stop: int) -> list[list[Any]]:
        s = slice(start, stop)
        return [
            list(range(first_id + start, first_id + stop)),
            activities[s].tolist(),
            beneficiaries[s].tolist(),
            firsts[s].tolist(),
        ]

    writer.insert(
        Accompaniment,
        ["id", "activity", "beneficiary", "is_first"],
        len(plan.accompaniment_activity),
        chunk,
    )


def generate(
    *,
    count: int,
    seed: int,
    territory: str = "fr",
    rebuild_indexes: bool | None = None,
    progress: Callable[[str], None] = lambda _message: None,
) -> GenerationResult:
    """Create `count` activities with their mediators, structures, places and beneficiaries.

    `rebuild_indexes` drops the big tables' secondary indexes during the load and recreates
    them afterwards; by default, when the load at least doubles the activity table.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now
        progress(f"{name} : {timings[name]:.1f} s")

    today = timezone.localdate()
    area = load_territory(territory)
    plan = planning.draw(count, seed, area, today.toordinal())
    lap("tirage (numpy)")
    with (
        writer.large_cache(),
        writer.rollback_journal(),
        writer.foreign_keys_unchecked() as unchecked,
        transaction.atomic(),
    ):
        structure_ids, place_ids, structure_communes, reused = _structures(plan, area, seed)
        ids: dict[str, Any] = {
            "seed": seed,
            "structures": structure_ids,
            "places": place_ids,
            "structure_communes": structure_communes,
            "commune_codes": area.commune_codes,
            "mediators": _mediators(plan, structure_ids, seed),
        }
        lap("structures, lieux et médiateurs")
        if rebuild_indexes is None:
            rebuild_indexes = count >= Activity.objects.count()
        big_tables = (Activity, Beneficiary, Accompaniment)
        with (
            writer.foreign_keys_checked_after(
                *big_tables, enabled=rebuild_indexes, unchecked=unchecked
            ),
            writer.indexes_rebuilt_after(*big_tables, enabled=rebuild_indexes),
        ):
            activity_id = _write_activities(plan, today, ids)
            lap("activités")
            beneficiary_id = _write_beneficiaries(plan, today, ids)
            lap("bénéficiaires")
            _write_accompaniments(plan, activity_id, beneficiary_id)
            lap("accompagnements")
        if unchecked:
            connection.check_constraints(
                table_names=[m._meta.db_table for m in (Structure, Place, User, Membership)]
            )
        lap("index recréés, clés étrangères vérifiées")
        writer.reset_sequences(Activity, Beneficiary, Accompaniment)
    lap("validation de la transaction")
    return GenerationResult(
        activities=count,
        accompaniments=len(plan.accompaniment_activity),
        beneficiaries=len(plan.beneficiary_structure),
        anonymous_beneficiaries=int(plan.beneficiary_is_anonymous.sum()),
        mediators=len(plan.mediator_structure),
        structures_created=len(structure_ids) - reused,
        structures_reused=reused,
        timings=timings,
    )
