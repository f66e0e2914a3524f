"""Collective counters become anonymous beneficiaries (activites-et-beneficiaires.md §1.10)."""

import random
from collections import Counter

from maillon.activities.models import Accompaniment
from maillon.activities.participants import (
    AnonymousParticipants,
    anonymous_participants_of,
    expand,
)
from maillon.activities.services import AnonymousPerson, record_activity, update_activity
from maillon.beneficiaries.models import Beneficiary
from tests.factories.activities import Teams, activity_data
from tests.factories.beneficiaries import BeneficiaryFactory

COUNTERS = AnonymousParticipants(
    total=10,
    already_accompanied=4,
    genres={"masculin": 3, "feminin": 5},
    age_brackets={"moins_de_douze": 1, "soixante_dix_plus": 6, "dix_huit_vingt_quatre": 2},
    statuts={"retraite": 6, "scolarise": 1},
)


def test_generated_rows_reproduce_every_counter() -> None:
    rows = expand(COUNTERS, random.Random(7))
    assert len(rows) == 10
    assert Counter(row["genre"] for row in rows) == {
        "masculin": 3,
        "feminin": 5,
        "non_communique": 2,
    }
    assert Counter(row["age_bracket"] for row in rows) == {
        "moins_de_douze": 1,
        "soixante_dix_plus": 6,
        "dix_huit_vingt_quatre": 2,
        "non_communique": 1,
    }
    assert Counter(row["statut_social"] for row in rows) == {
        "retraite": 6,
        "scolarise": 1,
        "non_communique": 3,
    }
    assert [row["was_already_accompanied"] for row in rows] == [True] * 4 + [False] * 6


def test_the_draw_is_reproducible_with_a_seed_and_varies_without() -> None:
    assert expand(COUNTERS, random.Random(1)) == expand(COUNTERS, random.Random(1))
    draws = {tuple(str(row) for row in expand(COUNTERS, random.Random(s))) for s in range(5)}
    assert len(draws) > 1


def test_saving_a_workshop_creates_anonymous_randomly_attributed_beneficiaries(
    teams: Teams,
) -> None:
    followed = BeneficiaryFactory.create(structure=teams.a)
    data = activity_data(
        teams.a, collective=True, participants=[followed], anonymous_participants=COUNTERS
    )
    activity = record_activity(actor=teams.mediator_a, data=data, seed=3)
    generated = Beneficiary.objects.filter(accompaniments__activity=activity, is_anonymous=True)
    assert generated.count() == 10
    assert all(person.is_randomly_attributed for person in generated)
    assert all(person.structure == teams.a for person in generated)
    assert activity.participants_count == 11
    assert anonymous_participants_of(activity) == COUNTERS.normalised()
    firsts = Accompaniment.objects.filter(activity=activity, beneficiary__in=generated)
    assert firsts.filter(is_first=False).count() == 4
    assert firsts.filter(is_first=True).count() == 6


def test_unchanged_counters_keep_their_rows_on_edit(teams: Teams) -> None:
    data = activity_data(teams.a, collective=True, anonymous_participants=COUNTERS)
    activity = record_activity(actor=teams.mediator_a, data=data, seed=3)
    before = set(activity.accompaniments.values_list("beneficiary_id", flat=True))
    update_activity(actor=teams.mediator_a, activity=activity, data=data, seed=4)
    assert set(activity.accompaniments.values_list("beneficiary_id", flat=True)) == before


def test_changed_counters_draw_new_rows_and_drop_the_old(teams: Teams) -> None:
    data = activity_data(teams.a, collective=True, anonymous_participants=COUNTERS)
    activity = record_activity(actor=teams.mediator_a, data=data, seed=3)
    smaller = AnonymousParticipants(total=2, genres={"feminin": 1})
    update_activity(
        actor=teams.mediator_a,
        activity=activity,
        data=activity_data(teams.a, collective=True, anonymous_participants=smaller),
    )
    activity.refresh_from_db()
    assert activity.participants_count == 2
    assert Beneficiary.objects.filter(is_anonymous=True).count() == 2
    assert anonymous_participants_of(activity) == smaller.normalised()


def test_an_individual_session_without_beneficiary_creates_an_anonymous_one(
    teams: Teams,
) -> None:
    data = activity_data(
        teams.a, anonymous=AnonymousPerson(already_accompanied=True, genre="feminin")
    )
    activity = record_activity(actor=teams.mediator_a, data=data)
    accompaniment = activity.accompaniments.get()
    person = accompaniment.beneficiary
    assert person.is_anonymous and not person.is_randomly_attributed
    assert person.genre == "feminin"
    assert person.was_already_accompanied
    assert not accompaniment.is_first


def test_a_first_anonymous_person_is_a_first_accompaniment(teams: Teams) -> None:
    activity = record_activity(actor=teams.mediator_a, data=activity_data(teams.a))
    assert activity.accompaniments.get().is_first
