# ruff: noqa: RUF001 — typographic apostrophes in French texts.
"""What the planning pages rely on: a plan kept as JSON and rebuilt without solving, the proof
said in plain French, and the territories each role may plan for."""

import dataclasses
import datetime as dt
import json

import pytest

from maillon.diagnosis.planning import presentation
from maillon.diagnosis.planning.itinerary import Site
from maillon.diagnosis.planning.saved import (
    PlanRequest,
    SavedPlan,
    StalePlanError,
    restore,
    solve,
)
from maillon.diagnosis.planning.scope import may_plan, territory_choices
from maillon.territory.models import Commune
from tests.diagnosis.test_planning_command import mini_territory  # noqa: F401 — fixture
from tests.factories.accounts import MembershipFactory, StructureFactory, UserFactory
from tests.factories.territory import DepartementFactory, EpciFactory, RegionFactory

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
REQUEST = PlanRequest(territory="dep:53", k=2, threshold_minutes=20.0, monday=dt.date(2026, 11, 23))


@pytest.mark.django_db
@pytest.mark.usefixtures("mini_territory")
def test_a_saved_plan_survives_json_and_rebuilds_the_same_plan() -> None:
    request = dataclasses.replace(REQUEST, sites=(Site("P1", "Parking", 48.0, -0.64),), k=1)
    saved, planning = solve(request, now=NOW)

    again = SavedPlan.from_data(json.loads(json.dumps(saved.to_data())))
    rebuilt = restore(again)

    assert again == saved
    assert rebuilt.plan == planning.plan
    assert rebuilt.itinerary == planning.itinerary
    assert saved.stop_ids == ("P1",)


@pytest.mark.django_db
@pytest.mark.usefixtures("mini_territory")
def test_a_plan_whose_stop_vanished_is_stale() -> None:
    saved, _planning = solve(REQUEST, now=NOW)

    with pytest.raises(StalePlanError, match="relancez"):
        restore(dataclasses.replace(saved, stop_ids=("53502", "99999")))


@pytest.mark.django_db
@pytest.mark.usefixtures("mini_territory")
def test_the_proof_is_said_in_plain_french() -> None:
    saved, planning = solve(REQUEST, now=NOW)
    proven = presentation.proof_of(planning, saved)
    bounded = dataclasses.replace(
        saved, is_optimal=False, bound=300.0, solver_status="Time limit reached"
    )

    open_proof = presentation.proof_of(restore(bounded), bounded)

    assert proven.title == "Optimal prouvé (écart 0 %)"
    assert proven.level == "success"
    assert open_proof.title == "Écart à l’optimum prouvé : au plus 13,3\u202f%"
    assert "plus de 300 personnes (borne prouvée par HiGHS)" in open_proof.text
    assert "limite de temps atteinte" in open_proof.text


@pytest.mark.django_db
@pytest.mark.usefixtures("mini_territory")
def test_idle_stops_are_pointed_out() -> None:
    _saved, planning = solve(dataclasses.replace(REQUEST, k=3), now=NOW)

    note = presentation.idle_stops_note(planning)

    assert note.startswith("1 arrêt n’ajoute personne aux précédents : 2 arrêts suffisent")
    assert "pas mis dans la tournée" in note
    passages = [row[-1] for row in presentation.stop_rows(planning)]
    assert passages[-1] == "aucun (n’ajoute personne)"
    assert all(passage.startswith(("lundi", "mardi")) for passage in passages[:2])


@pytest.mark.django_db
def test_each_role_plans_for_its_own_territories() -> None:
    region = RegionFactory.create()
    mayenne = DepartementFactory.create(code="53", name="Mayenne", region=region)
    sarthe = DepartementFactory.create(code="72", name="Sarthe", region=region)
    DepartementFactory.create(
        code="49", name="Maine-et-Loire", region=RegionFactory.create(code="99")
    )
    epci = EpciFactory.create()
    laval = Commune.objects.get(pk=StructureFactory.create().commune_id)
    laval.epci = epci
    laval.save()
    structure = StructureFactory.create(commune=laval)
    regional = MembershipFactory.create(coordinator=True, departements=[])
    regional.regions.set([region])
    manager = MembershipFactory.create(manager=True, structure=structure).user
    mediator = MembershipFactory.create(mediator=True, structure=structure).user
    admin = MembershipFactory.create(administrator=True).user

    assert [code for code, _label in territory_choices(regional.user)] == [
        "reg:52", "dep:53", "dep:72",
    ]  # fmt: skip
    assert [code for code, _ in territory_choices(manager)] == ["dep:53", f"epci:{epci.siren}"]
    assert territory_choices(mediator) == []
    assert not may_plan(mediator) and not may_plan(UserFactory.create())
    assert {"reg:52", "reg:99", "dep:49", "dep:53", "dep:72"} <= {
        code for code, _ in territory_choices(admin)
    }
    assert mayenne.code == "53" and sarthe.code == "72"
