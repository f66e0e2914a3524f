"""Draw every generated row as numpy arrays, without touching the database.

Indexes are positions: département i of `Territory.departements`, structure j, mediator k,
activity a (sorted by date, so its position orders it like the first-accompaniment rule),
beneficiary b (identified ones first, then anonymous ones). The writer turns them into ids.
"""

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from maillon.activities.generation import sources
from maillon.activities.vocabulary import Materiel, Thematique, TypeLieu

Array = npt.NDArray[Any]

THEME_CODES: tuple[str, ...] = tuple(Thematique.values)
EQUIPMENT_CODES: tuple[str, ...] = tuple(Materiel.values)
PLACE_KINDS: tuple[str, ...] = tuple(sources.PLACE_KIND_SHARES)
AUTONOMY_CODES: tuple[str, ...] = ("", *[c for c in sources.AUTONOMY_SHARES if c])
REDIRECT_CODES: tuple[str, ...] = ("", *sources.REDIRECT_WEIGHTS)
LEVEL_CODES: tuple[str, ...] = ("", *sources.WORKSHOP_LEVELS)
GENRE_CODES: tuple[str, ...] = tuple(sources.GENRE_SHARES)
STATUT_CODES: tuple[str, ...] = tuple(sources.V1_STATUTS.values())


@dataclasses.dataclass(frozen=True)
class Territory:
    """What the database holds for the requested territory, per département of the source."""

    departements: tuple[str, ...]  # codes, each with ≥ 1 commune
    figure_rows: Array  # row of each département in DepartementFigures
    commune_codes: Array  # grouped by département (object array of code INSEE)
    commune_departement: Array  # département index of each commune
    commune_population: Array


@dataclasses.dataclass
class Plan:
    # Mediators and structures.
    mediator_structure: Array
    structure_departement: Array
    structure_commune: Array  # index into Territory.commune_codes
    structure_typologie: Array  # index into STRUCTURE_TYPOLOGIES
    mediator_is_conseiller: Array
    # Activities, sorted by date.
    days_ago: Array
    is_collective: Array
    mediator: Array
    structure: Array
    duration: Array
    place_kind: Array  # index into PLACE_KINDS
    commune: Array  # commune index for domicile/autre, -1 otherwise
    equipment: Array  # index into EQUIPMENT_CODES
    themes_mask: Array
    autonomy: Array  # index into AUTONOMY_CODES
    redirect: Array  # index into REDIRECT_CODES
    level: Array  # index into LEVEL_CODES
    participants_count: Array
    # Beneficiaries.
    beneficiary_structure: Array
    beneficiary_is_anonymous: Array
    beneficiary_random: Array
    beneficiary_already: Array
    beneficiary_genre: Array
    beneficiary_age: Array  # index into sources.AGE_BRACKETS
    beneficiary_statut: Array
    beneficiary_commune: Array
    beneficiary_first_activity: Array
    accompaniments_count: Array
    # Accompaniments, sorted by beneficiary then activity.
    accompaniment_activity: Array
    accompaniment_beneficiary: Array
    accompaniment_is_first: Array


def _shares(weights: Mapping[Any, float]) -> Array:
    values = np.array(list(weights.values()), dtype=float)
    result: Array = values / values.sum()
    return result


def _pick_in_groups(
    rng: np.random.Generator, item_group: Array, item_weight: Array, query_group: Array
) -> Array:
    """For each query, an item of its group drawn with the items' weights (items grouped)."""
    groups = int(item_group.max()) + 1 if len(item_group) else 0
    totals = np.bincount(item_group, weights=item_weight, minlength=groups)
    cumulative = (
        np.cumsum(item_weight) - np.concatenate(([0.0], np.cumsum(totals)[:-1]))[item_group]
    )
    position = item_group + cumulative / totals[item_group]
    target = query_group + rng.random(len(query_group)) * (1 - 1e-12)
    picked = np.searchsorted(position, target, side="right")
    starts = np.searchsorted(item_group, query_group, side="left")
    ends = np.searchsorted(item_group, query_group, side="right") - 1
    return np.clip(picked, starts, ends)


def _day_weights(today_ordinal: int) -> Array:
    """Working days, a dip in August, and the growth of the programme over the period."""
    ordinals = today_ordinal - np.arange(sources.DAYS)  # index = days ago
    weekday = (ordinals + 6) % 7  # 0 = Monday, from date.fromordinal(1) being a Monday
    weights = np.array([1, 1, 1, 1, 0.9, 0.15, 0.02])[weekday]
    month = (np.datetime64("0001-01-01") + (ordinals - 1).astype("timedelta64[D]")).astype(
        "datetime64[M]"
    ).astype(int) % 12
    weights = weights * np.where(month == 7, 0.6, 1.0)
    weights = weights * np.linspace(1.2, 0.8, sources.DAYS)
    result: Array = weights / weights.sum()
    return result


def _themes(rng: np.random.Generator, rates: Array) -> Array:
    """Theme masks: each V1 theme drawn with its real rate, then mapped to V2 bits."""
    hits = rng.random(rates.shape, dtype=np.float32) < rates
    empty = ~hits.any(axis=1)
    if empty.any():
        weights = rates[empty] + 1e-9
        cumulative = np.cumsum(weights, axis=1) / weights.sum(axis=1, keepdims=True)
        chosen = (cumulative < rng.random((int(empty.sum()), 1))).sum(axis=1)
        hits[np.flatnonzero(empty), np.minimum(chosen, rates.shape[1] - 1)] = True
    mask = np.zeros(len(rates), dtype=np.int64)
    for column, targets in enumerate(sources.V1_THEMES.values()):
        bits = np.array([1 << THEME_CODES.index(code) for code in targets], dtype=np.int64)
        chosen_bits = bits[rng.integers(0, len(bits), len(rates))]
        mask |= np.where(hits[:, column], chosen_bits, 0)
    help_bit = 1 << THEME_CODES.index(Thematique.AIDE_AUX_DEMARCHES_ADMINISTRATIVES)
    detailed = ((mask & help_bit) != 0) & (
        rng.random(len(rates)) < sources.ADMINISTRATIVE_DETAIL_SHARE
    )
    admin = list(sources.ADMINISTRATIVE_WEIGHTS)
    admin_bits = np.array([1 << THEME_CODES.index(code) for code in admin], dtype=np.int64)
    drawn = rng.choice(len(admin), size=len(rates), p=_shares(sources.ADMINISTRATIVE_WEIGHTS))
    return mask | np.where(detailed, admin_bits[drawn], 0)


def _durations(rng: np.random.Generator, collective: Array) -> Array:
    individual = sources.INDIVIDUAL_DURATIONS
    group = sources.COLLECTIVE_DURATIONS
    n = len(collective)
    result = np.where(
        collective,
        np.array(list(group))[rng.choice(len(group), n, p=_shares(group))],
        np.array(list(individual))[rng.choice(len(individual), n, p=_shares(individual))],
    )
    custom = rng.random(n) < sources.CUSTOM_DURATION_SHARE
    return np.where(custom, rng.integers(1, 37, n) * 5, result)


def draw(count: int, seed: int, territory: Territory, today_ordinal: int) -> Plan:
    rng = np.random.default_rng(seed)
    figures = sources.load_figures()
    rows = territory.figure_rows
    departements = len(rows)

    # Volumes: activities per département follow the real CRAs; mediators per 1,000 activities.
    per_departement = rng.multinomial(count, figures.cras[rows] / figures.cras[rows].sum())
    mediators = np.where(
        per_departement > 0,
        np.maximum(1, np.round(per_departement / sources.ACTIVITIES_PER_MEDIATOR)),
        0,
    ).astype(np.int64)
    structures = np.ceil(mediators / sources.MEDIATORS_PER_STRUCTURE).astype(np.int64)
    structure_departement = np.repeat(np.arange(departements), structures)
    structure_offset = np.concatenate(([0], np.cumsum(structures)[:-1]))
    mediator_departement = np.repeat(np.arange(departements), mediators)
    rank = (
        np.arange(len(mediator_departement))
        - np.concatenate(([0], np.cumsum(mediators)[:-1]))[mediator_departement]
    )
    mediator_structure = (
        structure_offset[mediator_departement] + rank % structures[mediator_departement]
    )
    population = np.maximum(territory.commune_population.astype(float), 1.0)
    structure_commune = _pick_in_groups(
        rng, territory.commune_departement, population, structure_departement
    )
    typologie = rng.choice(
        len(sources.STRUCTURE_TYPOLOGIES),
        len(structure_departement),
        p=_shares(sources.STRUCTURE_TYPOLOGIES),
    )
    is_conseiller = rng.random(len(mediator_departement)) < 0.6

    # Activities, then sorted by date (oldest first).
    departement = np.repeat(np.arange(departements), per_departement)
    figure = rows[departement]
    days_ago = rng.choice(sources.DAYS, count, p=_day_weights(today_ordinal))
    order = np.argsort(-days_ago, kind="stable")
    departement, figure, days_ago = departement[order], figure[order], days_ago[order]
    collective = rng.random(count) < figures.collective_share[figure]
    mediator = _pick_in_groups(
        rng,
        mediator_departement,
        rng.gamma(2.0, 1.0, len(mediator_departement)),
        departement,
    )
    structure = mediator_structure[mediator]
    place_kind = rng.choice(len(PLACE_KINDS), count, p=_shares(sources.PLACE_KIND_SHARES))
    needs_commune = np.isin(
        place_kind, [PLACE_KINDS.index(TypeLieu.DOMICILE), PLACE_KINDS.index(TypeLieu.AUTRE)]
    )
    commune = np.full(count, -1, dtype=np.int64)
    commune[needs_commune] = _pick_in_groups(
        rng, territory.commune_departement, population, departement[needs_commune]
    )
    individual_equipment = rng.choice(
        len(sources.INDIVIDUAL_EQUIPMENT), count, p=_shares(sources.INDIVIDUAL_EQUIPMENT)
    )
    collective_equipment = rng.choice(
        len(sources.COLLECTIVE_EQUIPMENT), count, p=_shares(sources.COLLECTIVE_EQUIPMENT)
    )
    equipment = np.where(
        collective,
        np.array([EQUIPMENT_CODES.index(c) for c in sources.COLLECTIVE_EQUIPMENT])[
            collective_equipment
        ],
        np.array([EQUIPMENT_CODES.index(c) for c in sources.INDIVIDUAL_EQUIPMENT])[
            individual_equipment
        ],
    )
    themes_mask = np.empty(count, dtype=np.int64)
    rates = figures.theme_rates.astype(np.float32)
    for start in range(0, count, 500_000):
        stop = min(count, start + 500_000)
        themes_mask[start:stop] = _themes(rng, rates[figure[start:stop]])
    redirected = ~collective & (rng.random(count) < figures.redirect_share[figure])
    redirect = np.where(
        redirected,
        1 + rng.choice(len(sources.REDIRECT_WEIGHTS), count, p=_shares(sources.REDIRECT_WEIGHTS)),
        0,
    )
    level = np.where(
        collective,
        1 + rng.choice(len(sources.WORKSHOP_LEVELS), count, p=_shares(sources.WORKSHOP_LEVELS)),
        0,
    )
    mean_size = figures.collective_size[figure]
    size = np.where(
        collective,
        np.clip(
            sources.MIN_COLLECTIVE_SIZE
            + rng.poisson(np.maximum(mean_size - sources.MIN_COLLECTIVE_SIZE, 0.1)),
            sources.MIN_COLLECTIVE_SIZE,
            sources.MAX_COLLECTIVE_SIZE,
        ),
        1,
    )

    # Seats: one per person and activity; anonymous seats are new people, the others are
    # followed people of the activity's structure, some of them coming back often.
    seat_activity = np.repeat(np.arange(count), size)
    seats = len(seat_activity)
    wanted = max(1, math.ceil(count * sources.BENEFICIARIES_PER_ACTIVITY))
    anonymous_seat = rng.random(seats) < min(1.0, sources.ANONYMOUS_SHARE * wanted / seats)
    anonymous_count = int(anonymous_seat.sum())
    followed_seats = np.flatnonzero(~anonymous_seat)
    followed_structure = structure[seat_activity[followed_seats]]
    structure_count = len(structure_departement)
    per_structure = np.bincount(followed_structure, minlength=structure_count)
    identified_wanted = max(0, wanted - anonymous_count)
    people = np.floor(identified_wanted * per_structure / max(1, per_structure.sum())).astype(
        np.int64
    )
    people = np.minimum(np.maximum(people, (per_structure > 0).astype(np.int64)), per_structure)
    people_offset = np.concatenate(([0], np.cumsum(people)[:-1]))
    by_structure = np.lexsort((rng.random(len(followed_seats)), followed_structure))
    sorted_structure = followed_structure[by_structure]
    rank_in_structure = np.arange(len(by_structure)) - np.searchsorted(
        sorted_structure, sorted_structure, side="left"
    )
    local = np.where(
        rank_in_structure < people[sorted_structure],
        rank_in_structure,
        np.floor(people[sorted_structure] * rng.random(len(by_structure)) ** 1.6),
    ).astype(np.int64)
    identified_total = int(people.sum())
    seat_beneficiary = np.empty(seats, dtype=np.int64)
    seat_beneficiary[followed_seats[by_structure]] = people_offset[sorted_structure] + local
    seat_beneficiary[anonymous_seat] = identified_total + np.arange(anonymous_count)
    beneficiaries = identified_total + anonymous_count

    # A person sits once per activity: repeated draws collapse (unique pairs, sorted).
    # (A sort, then the changes: faster than np.unique's hash table on millions of values.)
    pairs = np.sort(seat_beneficiary * count + seat_activity)
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs
    accompaniment_beneficiary = pairs // count
    accompaniment_activity = pairs % count
    group_start = np.searchsorted(accompaniment_beneficiary, accompaniment_beneficiary, side="left")
    session_rank = np.arange(len(pairs)) - group_start
    first = session_rank == 0

    beneficiary_structure = np.concatenate(
        (
            np.repeat(np.arange(structure_count), people),
            structure[seat_activity[anonymous_seat]],
        )
    )
    beneficiary_anonymous = np.arange(beneficiaries) >= identified_total
    first_activity = np.zeros(beneficiaries, dtype=np.int64)
    first_activity[accompaniment_beneficiary[first]] = accompaniment_activity[first]
    beneficiary_random = beneficiary_anonymous & collective[first_activity]
    beneficiary_figure = rows[structure_departement[beneficiary_structure]]
    beneficiary_already = rng.random(beneficiaries) < np.where(
        beneficiary_anonymous,
        figures.recurrent_share[beneficiary_figure],
        sources.IDENTIFIED_ALREADY_ACCOMPANIED,
    )
    genre = rng.choice(len(GENRE_CODES), beneficiaries, p=_shares(sources.GENRE_SHARES))
    age = _rows_choice(rng, figures.age_shares[beneficiary_figure])
    statut = _rows_choice(rng, figures.statut_shares[beneficiary_figure])
    beneficiary_commune = _pick_in_groups(
        rng,
        territory.commune_departement,
        population,
        structure_departement[beneficiary_structure],
    )

    # Autonomy: a person's first level, one more star now and then as sessions go by.
    base = rng.choice(len(AUTONOMY_CODES), beneficiaries, p=_shares(sources.AUTONOMY_SHARES))
    rated = base[accompaniment_beneficiary]
    rises = rng.binomial(np.minimum(session_rank, 20), sources.AUTONOMY_RISE_PER_SESSION)
    stars = np.where(rated > 0, np.minimum(rated + rises, len(AUTONOMY_CODES) - 1), 0)
    autonomy = np.zeros(count, dtype=np.int64)
    individual_rows = ~collective[accompaniment_activity]
    autonomy[accompaniment_activity[individual_rows]] = stars[individual_rows]

    return Plan(
        mediator_structure=mediator_structure,
        structure_departement=structure_departement,
        structure_commune=structure_commune,
        structure_typologie=typologie,
        mediator_is_conseiller=is_conseiller,
        days_ago=days_ago,
        is_collective=collective,
        mediator=mediator,
        structure=structure,
        duration=_durations(rng, collective),
        place_kind=place_kind,
        commune=commune,
        equipment=equipment,
        themes_mask=themes_mask,
        autonomy=autonomy,
        redirect=redirect,
        level=level,
        participants_count=np.bincount(accompaniment_activity, minlength=count),
        beneficiary_structure=beneficiary_structure,
        beneficiary_is_anonymous=beneficiary_anonymous,
        beneficiary_random=beneficiary_random,
        beneficiary_already=beneficiary_already,
        beneficiary_genre=genre,
        beneficiary_age=age,
        beneficiary_statut=statut,
        beneficiary_commune=beneficiary_commune,
        beneficiary_first_activity=first_activity,
        accompaniments_count=np.bincount(accompaniment_beneficiary, minlength=beneficiaries),
        accompaniment_activity=accompaniment_activity,
        accompaniment_beneficiary=accompaniment_beneficiary,
        accompaniment_is_first=first & ~beneficiary_already[accompaniment_beneficiary],
    )


def _rows_choice(rng: np.random.Generator, probabilities: Array) -> Array:
    """One category per row, each row with its own probabilities."""
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative[:, -1] = 1.0
    result: Array = (cumulative < rng.random((len(probabilities), 1))).sum(axis=1)
    return result
