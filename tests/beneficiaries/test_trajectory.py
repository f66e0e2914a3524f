"""Autonomy trajectory: the sequence on a person's page and the rose/stayed/fell summary."""

import datetime as dt

import pytest

from maillon.activities.services import delete_activity
from maillon.activities.vocabulary import Autonomie, Thematique
from maillon.beneficiaries.models import Beneficiary
from maillon.beneficiaries.trajectory import (
    Verdict,
    trajectory_of,
    trajectory_summary,
    verdict_of,
)
from tests.beneficiaries.helpers import accompany
from tests.factories.activities import Teams
from tests.factories.beneficiaries import BeneficiaryFactory

GUIDE = Autonomie.ENTIEREMENT_ACCOMPAGNE
PARTIAL = Autonomie.PARTIELLEMENT_AUTONOME
ALONE = Autonomie.AUTONOME


@pytest.mark.parametrize(
    ("first", "latest", "rated", "verdict"),
    [
        (1, 3, 2, Verdict.PROGRESSION),
        (2, 2, 5, Verdict.STABLE),
        (3, 1, 2, Verdict.RECUL),
        (2, 2, 1, Verdict.PAS_ASSEZ),
        (None, None, 0, Verdict.PAS_ASSEZ),
    ],
)
def test_the_verdict_compares_the_first_and_latest_level(
    first: int | None, latest: int | None, rated: int, verdict: Verdict
) -> None:
    assert verdict_of(first, latest, rated) == verdict


def test_the_trajectory_lists_sessions_in_date_order_with_levels_and_themes(
    teams: Teams,
) -> None:
    person = BeneficiaryFactory.create(structure=teams.a, created_by=teams.mediator_a)
    accompany(person, by=teams.mediator_a, on=dt.date(2026, 9, 1), autonomy=PARTIAL)
    accompany(
        person,
        by=teams.colleague_a,
        on=dt.date(2026, 3, 1),
        autonomy=GUIDE,
        themes=[Thematique.EMAIL, Thematique.SECURITE_NUMERIQUE],
    )
    accompany(person, by=teams.mediator_a, on=dt.date(2026, 6, 1))

    trajectory = trajectory_of(person)

    assert [step.date for step in trajectory.steps] == [
        dt.date(2026, 3, 1),
        dt.date(2026, 6, 1),
        dt.date(2026, 9, 1),
    ]
    assert [step.level for step in trajectory.steps] == [1, None, 2]
    assert trajectory.steps[0].themes == (
        dict(Thematique.choices)[Thematique.EMAIL],
        dict(Thematique.choices)[Thematique.SECURITE_NUMERIQUE],
    )
    assert trajectory.steps[1].level_text == "Non évaluée"
    assert (trajectory.first_level, trajectory.latest_level) == (1, 2)
    assert trajectory.verdict == Verdict.PROGRESSION


def test_a_deleted_activity_leaves_the_trajectory(teams: Teams) -> None:
    person = BeneficiaryFactory.create(structure=teams.a, created_by=teams.mediator_a)
    accompany(person, by=teams.mediator_a, on=dt.date(2026, 3, 1), autonomy=ALONE)
    later = accompany(person, by=teams.mediator_a, on=dt.date(2026, 4, 1), autonomy=GUIDE)
    assert trajectory_of(person).verdict == Verdict.RECUL

    delete_activity(actor=teams.mediator_a, activity=later)

    assert len(trajectory_of(person).steps) == 1
    assert trajectory_of(person).verdict == Verdict.PAS_ASSEZ


def test_the_summary_counts_people_who_rose_stayed_or_fell_by_theme(teams: Teams) -> None:
    def person_with(*sessions: tuple[str, list[str]]) -> Beneficiary:
        person = BeneficiaryFactory.create(structure=teams.a, created_by=teams.mediator_a)
        for day, (autonomy, themes) in enumerate(sessions, start=1):
            accompany(
                person,
                by=teams.mediator_a,
                on=dt.date(2026, 5, day),
                autonomy=autonomy,
                themes=themes,
            )
        return person

    email, security = Thematique.EMAIL.value, Thematique.SECURITE_NUMERIQUE.value
    person_with((GUIDE, [email]), (ALONE, [email, security]))  # rose (email); security: 1 rating
    person_with((PARTIAL, [email]), (PARTIAL, [email]))  # stayed
    person_with((ALONE, [security]), (PARTIAL, [security]), (GUIDE, [email]))  # fell; sec. fell
    person_with((GUIDE, [email]))  # one rating: not followed
    person_with(("", [email]), ("", [email]))  # no rating at all
    # Another structure, left out by the queryset.
    other = BeneficiaryFactory.create(structure=teams.b, created_by=teams.mediator_b)
    accompany(other, by=teams.mediator_b, on=dt.date(2026, 5, 1), autonomy=GUIDE)
    accompany(other, by=teams.mediator_b, on=dt.date(2026, 5, 2), autonomy=ALONE)

    summary = trajectory_summary(Beneficiary.objects.filter(structure=teams.a))

    assert (summary.overall.rose, summary.overall.stayed, summary.overall.fell) == (1, 1, 1)
    assert summary.overall.followed == 3
    assert (summary.by_theme[email].rose, summary.by_theme[email].stayed) == (1, 1)
    assert summary.by_theme[email].fell == 0
    assert (summary.by_theme[security].fell, summary.by_theme[security].followed) == (1, 1)
    assert trajectory_summary(Beneficiary.objects.all()).overall.rose == 2


def test_the_summary_of_nobody_is_empty(db: None) -> None:
    summary = trajectory_summary(Beneficiary.objects.none())
    assert summary.overall.followed == 0
    assert summary.by_theme == {}
