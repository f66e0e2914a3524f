"""Column-wise scoring of many pairs at once, with the same results as `scoring.score_pair`.

`score_pair` stays the readable reference (and explains one pair); this module computes the
same signals, weights, guards and outcomes for all candidate pairs with numpy arrays:
bigram and token overlaps are row-wise products of sparse incidence matrices, the name ratio
comes from `rapidfuzz.process.cpdist`, and set-valued features (service keywords, typologies)
are compared once per distinct combination. Sums run in the same order as `score_pair` so the
floats are identical; only the explanation of a pair (`PairScore`) is built on demand.
"""

import math
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import Indel
from rapidfuzz.process import cpdist
from scipy import sparse

from maillon.places.linkage.blocking import haversine_m
from maillon.places.linkage.normalise import Entry
from maillon.places.linkage.scoring import (
    AUTO_MERGE,
    AUTO_MERGE_THRESHOLD,
    COMPATIBLE_TYPOLOGIES,
    DISTINCT,
    FAR_M,
    NEAR_M,
    REVIEW,
    REVIEW_THRESHOLD,
    SAME_NAME,
    SAME_NAME_CLOSE,
    SAME_SOURCE_MARGIN,
    WEIGHTS,
    PairScore,
)

Pair = tuple[int, int]
Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]
Ints = NDArray[np.int64]

SIGNALS = ("nom", "adresse", "distance", "siret", "telephone", "courriel", "commune")
GUARDS = (
    "services_incompatibles",
    "services_differents",
    "typologies_incompatibles",
    "meme_siret_noms_differents",
    "communes_differentes",
    "peu_de_signaux",
)
OUTCOMES = (AUTO_MERGE, REVIEW, DISTINCT)


def _codes(values: Sequence[Hashable], empty: Hashable = "") -> Ints:
    """An integer per distinct value, -1 for the empty one."""
    ids: dict[Hashable, int] = {}
    return np.fromiter(
        (-1 if value == empty else ids.setdefault(value, len(ids)) for value in values),
        dtype=np.int64,
        count=len(values),
    )


def _incidence(sets: Sequence[frozenset[str]]) -> sparse.csr_matrix:
    """A 0/1 matrix with one row per set and one column per distinct element."""
    vocabulary: dict[str, int] = {}
    columns: list[int] = []
    indptr = [0]
    for items in sets:
        columns.extend(vocabulary.setdefault(item, len(vocabulary)) for item in items)
        indptr.append(len(columns))
    data = np.ones(len(columns), dtype=np.int64)
    return sparse.csr_matrix(
        (data, np.array(columns, dtype=np.int64), np.array(indptr, dtype=np.int64)),
        shape=(len(sets), max(1, len(vocabulary))),
    )


# Keys hold only `[a-z0-9 ]` (normalise.fold): a bigram is a number below 37 * 37.
_ALPHABET = np.full(256, -1, dtype=np.int64)
for _code, _char in enumerate(b" 0123456789abcdefghijklmnopqrstuvwxyz"):
    _ALPHABET[_char] = _code


def _bigram_incidence(texts: Sequence[str]) -> sparse.csr_matrix:
    """The incidence matrix of `normalise.bigrams(text)` for each text, built column-wise."""
    joined = "|".join(f" {text} " for text in texts)
    raw = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    codes = _ALPHABET[raw]
    rows = np.cumsum(raw == ord("|"))
    valid = (codes[:-1] >= 0) & (codes[1:] >= 0)
    matrix = sparse.csr_matrix(
        (
            np.ones(int(valid.sum()), dtype=np.int64),
            (rows[:-1][valid], (codes[:-1] * 37 + codes[1:])[valid]),
        ),
        shape=(len(texts), 37 * 37),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def _overlap(matrix: sparse.csr_matrix, left: Ints, right: Ints) -> Ints:
    """Size of the intersection of the sets of rows `left[k]` and `right[k]`."""
    product = matrix[left].multiply(matrix[right])
    return np.asarray(product.sum(axis=1), dtype=np.int64).ravel()


def _dice(common: Ints, left_size: Ints, right_size: Ints) -> Floats:
    total = left_size + right_size
    out = np.zeros(len(common), dtype=np.float64)
    present = (left_size > 0) & (right_size > 0)
    np.divide(2 * common, total, out=out, where=present)
    return out


def _per_combination(
    left: Ints,
    right: Ints,
    values: Sequence[frozenset[str]],
    test: Callable[[frozenset[str], frozenset[str]], bool],
) -> Bools:
    """`test` on the distinct (left, right) combinations of a few set-valued features."""
    width = max(1, len(values))
    combos, inverse = np.unique(left * width + right, return_inverse=True)
    results = np.fromiter(
        (test(values[c // width], values[c % width]) for c in combos.tolist()),
        dtype=bool,
        count=len(combos),
    )
    picked: Bools = results[inverse.ravel()]
    return picked


def _conflicting(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b and not a & b) or ("itinerant" in a ^ b)


def _typologies_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b or a & b:
        return True
    return frozenset(a | b) in COMPATIBLE_TYPOLOGIES


def _distinct_sets(sets: Sequence[frozenset[str]]) -> tuple[Ints, list[frozenset[str]]]:
    ids: dict[frozenset[str], int] = {}
    codes = np.fromiter(
        (ids.setdefault(items, len(ids)) for items in sets), dtype=np.int64, count=len(sets)
    )
    return codes, list(ids)


class ScoreTable(Mapping[Pair, PairScore]):
    """The scores of many pairs, column-wise; `table[pair]` explains one pair (`PairScore`)."""

    def __init__(
        self,
        pairs: list[Pair],
        scores: list[float],
        outcomes: list[str],
        values: dict[str, Floats],
        weights: dict[str, Floats],
        guards: dict[str, Bools],
        same_source: Bools,
        metres: Floats,
    ) -> None:
        self.pairs = pairs
        self.scores = scores
        self.outcomes = outcomes
        self._values = values
        self._weights = weights
        self._guards = guards
        self._same_source = same_source
        self._metres = metres
        self._index = {pair: k for k, pair in enumerate(pairs)}

    def __getitem__(self, pair: Pair) -> PairScore:
        return self.explain(self._index[pair])

    def __iter__(self) -> Iterator[Pair]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def __contains__(self, pair: object) -> bool:
        return pair in self._index

    def brief(self) -> Iterator[tuple[Pair, float, str]]:
        """(pair, score, outcome) without building the explanations."""
        return zip(self.pairs, self.scores, self.outcomes, strict=True)

    def explain(self, k: int) -> PairScore:
        values = {
            name: float(column[k])
            for name, column in self._values.items()
            if not math.isnan(column[k])
        }
        metres = float(self._metres[k])
        return PairScore(
            score=self.scores[k],
            outcome=self.outcomes[k],
            values=values,
            weights={name: float(self._weights[name][k]) for name in values},
            guards=[name for name in GUARDS if self._guards[name][k]],
            same_source=bool(self._same_source[k]),
            metres=None if math.isnan(metres) else metres,
        )


def score_pairs(entries: Sequence[Entry], pairs: Sequence[Pair]) -> ScoreTable:
    """Score every pair of indexes into `entries`, exactly as `score_pair` would one by one."""
    pairs = list(pairs)
    count = len(pairs)
    if not count:
        empty = np.zeros(0)
        return ScoreTable(
            [],
            [],
            [],
            dict.fromkeys(SIGNALS, empty),
            dict.fromkeys(SIGNALS, empty),
            {g: empty.astype(bool) for g in GUARDS},
            empty.astype(bool),
            empty,
        )
    index = np.array(pairs, dtype=np.int64).reshape(count, 2)
    left, right = index[:, 0], index[:, 1]
    nan = np.full(count, np.nan)

    keyword_codes, keyword_sets = _distinct_sets([e.keywords for e in entries])
    asymmetric = keyword_codes[left] != keyword_codes[right]
    conflicting = _per_combination(
        keyword_codes[left], keyword_codes[right], keyword_sets, _conflicting
    )

    # Name: equal keys score 1; else the best of bigram Dice and the sorted-token ratio, at
    # least 0.9 when the shorter set of (two or more) tokens is inside the longer one.
    name_codes = _codes([e.name_key for e in entries])
    has_name = (name_codes[left] >= 0) & (name_codes[right] >= 0)
    name_bigrams = _bigram_incidence([e.name_key for e in entries])
    bigram_sizes = np.diff(name_bigrams.indptr)
    name_dice = _dice(_overlap(name_bigrams, left, right), bigram_sizes[left], bigram_sizes[right])
    sorted_names = [e.name_sorted for e in entries]
    ratio = np.asarray(
        cpdist(
            [sorted_names[i] for i in left.tolist()],
            [sorted_names[j] for j in right.tolist()],
            scorer=Indel.normalized_similarity,
            dtype=np.float64,
        ),
        dtype=np.float64,
    )
    token_sizes = np.array([len(e.name_tokens) for e in entries], dtype=np.int64)
    shorter = np.minimum(token_sizes[left], token_sizes[right])
    common_tokens = _overlap(_incidence([e.name_tokens for e in entries]), left, right)
    contained = (shorter >= 2) & (common_tokens == shorter)
    name = np.maximum(name_dice, ratio)
    name = np.where(contained, np.maximum(name, 0.9), name)
    name = np.where(name_codes[left] == name_codes[right], 1.0, name)
    name = np.where(has_name, name, 0.0)

    # Address: one contained in the other (unless one name is a service) or bigram Dice.
    addresses = [e.address_key for e in entries]
    address_bigrams = _bigram_incidence(addresses)
    address_sizes = np.diff(address_bigrams.indptr)
    lengths = np.array([len(a) for a in addresses], dtype=np.int64)
    has_address = (lengths[left] > 0) & (lengths[right] > 0)
    address = _dice(
        _overlap(address_bigrams, left, right), address_sizes[left], address_sizes[right]
    )
    check = np.flatnonzero(
        has_address & ~asymmetric & (lengths[left] >= 5) & (lengths[right] >= 5)
    ).tolist()
    inside = [
        k
        for k, a, b in zip(check, left[check].tolist(), right[check].tolist(), strict=True)
        if addresses[a] in addresses[b] or addresses[b] in addresses[a]
    ]
    address[inside] = 1.0
    address = np.where(has_address, address, np.nan)

    # Distance in metres between precise positions only. `math` per located pair (a few tens
    # of milliseconds): numpy's vectorised sine may differ from libm's in the last bit, and the
    # results must be those of `score_pair` to the bit.
    latitude = [e.latitude for e in entries]
    longitude = [e.longitude for e in entries]
    metres = nan.copy()
    both = [
        (k, a, b)
        for k, a, b in zip(range(count), left.tolist(), right.tolist(), strict=True)
        if latitude[a] is not None and latitude[b] is not None
    ]
    if both:
        measured = [
            haversine_m(latitude[a], longitude[a], latitude[b], longitude[b]) for _, a, b in both
        ]
        metres[[k for k, _, _ in both]] = measured
    with np.errstate(invalid="ignore"):
        located = ~np.isnan(metres)
        distance = np.where(
            metres <= NEAR_M,
            1.0,
            np.where(metres >= FAR_M, 0.0, (FAR_M - metres) / (FAR_M - NEAR_M)),
        )
    distance = np.where(located, distance, np.nan)

    siret_codes = _codes([e.siret for e in entries])
    siren_codes = _codes([e.siret[:9] for e in entries])
    has_siret = (siret_codes[left] >= 0) & (siret_codes[right] >= 0)
    siret = np.where(
        siret_codes[left] == siret_codes[right],
        1.0,
        np.where(siren_codes[left] == siren_codes[right], 0.5, 0.0),
    )
    siret = np.where(has_siret, siret, np.nan)

    phone_codes = _codes([e.phone for e in entries])
    telephone = np.where(
        (phone_codes[left] >= 0) & (phone_codes[right] >= 0),
        (phone_codes[left] == phone_codes[right]).astype(np.float64),
        np.nan,
    )

    emails = [e.emails for e in entries]
    courriel = nan.copy()
    for k, a, b in zip(range(count), left.tolist(), right.tolist(), strict=True):
        if emails[a] and emails[b]:
            courriel[k] = float(bool(emails[a] & emails[b]))

    insee_codes = _codes([e.code_insee for e in entries])
    commune_codes = _codes([e.commune_key for e in entries])
    both_insee = (insee_codes[left] >= 0) & (insee_codes[right] >= 0)
    both_commune = (commune_codes[left] >= 0) & (commune_codes[right] >= 0)
    commune = np.where(
        both_insee,
        (insee_codes[left] == insee_codes[right]).astype(np.float64),
        np.where(
            both_commune, (commune_codes[left] == commune_codes[right]).astype(np.float64), nan
        ),
    )

    values = {
        "nom": name,
        "adresse": address,
        "distance": distance,
        "siret": siret,
        "telephone": telephone,
        "courriel": courriel,
        "commune": commune,
    }
    present = {signal: ~np.isnan(column) for signal, column in values.items()}
    weights = {signal: np.where(present[signal], WEIGHTS[signal], 0.0) for signal in SIGNALS}
    address_or_zero = np.nan_to_num(address, nan=0.0)
    weights["distance"] = np.where(
        present["distance"] & (address_or_zero >= 0.85) & ~asymmetric, 0.0, weights["distance"]
    )
    total = np.zeros(count)
    weighted = np.zeros(count)
    for signal in SIGNALS:  # in score_pair's order, so the sums round the same way
        total = total + weights[signal]
        weighted = weighted + np.where(present[signal], values[signal] * weights[signal], 0.0)
    raw = weighted / total
    signal_count = sum(present[signal].astype(np.int64) for signal in SIGNALS)

    typologie_codes, typologie_sets = _distinct_sets([e.typologie for e in entries])
    compatible = _per_combination(
        typologie_codes[left], typologie_codes[right], typologie_sets, _typologies_compatible
    )
    siret_or_zero = np.nan_to_num(siret, nan=0.0)
    far = ~located | (np.nan_to_num(metres, nan=0.0) > FAR_M)
    guards = {
        "services_incompatibles": conflicting,
        "services_differents": asymmetric & ~conflicting,
        "typologies_incompatibles": ~compatible,
        "meme_siret_noms_differents": (siret_or_zero == 1.0) & (name < SAME_NAME),
        "communes_differentes": both_insee & (insee_codes[left] != insee_codes[right]) & far,
        "peu_de_signaux": signal_count < 3,
    }
    blocking_guards = np.zeros(count, dtype=bool)
    for guard in GUARDS[:-1]:
        blocking_guards |= guards[guard]

    source_codes = _codes([e.source for e in entries], empty=None)
    same_source = source_codes[left] == source_codes[right]
    margin = np.where(same_source, SAME_SOURCE_MARGIN, 0.0)
    identifier = (
        (siret_or_zero == 1.0)
        | (np.nan_to_num(telephone, nan=0.0) == 1.0)
        | (np.nan_to_num(courriel, nan=0.0) == 1.0)
    )
    with np.errstate(invalid="ignore"):
        co_located = (address_or_zero >= 0.95) | (located & (metres <= NEAR_M))
        near = located & (metres < FAR_M)
    strong = identifier & co_located & (name >= SAME_NAME)
    auto = (raw >= AUTO_MERGE_THRESHOLD + margin) & strong & ~blocking_guards
    review = ~auto & ~conflicting
    review &= (raw >= REVIEW_THRESHOLD + margin) & (~guards["peu_de_signaux"] | (name >= 0.95)) | (
        (name >= SAME_NAME_CLOSE) & (identifier | near) & ~asymmetric & ~same_source
    )
    outcome_codes = np.where(auto, 0, np.where(review, 1, 2))

    return ScoreTable(
        pairs=pairs,
        scores=[round(score, 3) for score in raw.tolist()],
        outcomes=[OUTCOMES[code] for code in outcome_codes.tolist()],
        values=values,
        weights=weights,
        guards=guards,
        same_source=same_source,
        metres=metres,
    )
