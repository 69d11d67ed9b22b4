"""Every deciding action refuses, and changes nothing, when it is taken at the wrong stage, by a
role that may not take it, by an officer with a conflict of interest, or from a stale form (which
comes back with everything typed in it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from complaints.models import Case, ConflictOfInterest, Event, OutboxMessage, Stage
from complaints.process import Action
from complaints.services.process import STALE_MESSAGE
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.decisions_data import (
    action_url,
    add_complaint,
    at_stage,
    closed_with_no_further_action,
    day_fields,
    under_informal_resolution,
    under_review,
    with_clauses,
)

pytestmark = pytest.mark.django_db

TYPED = "Words the officer typed and must not lose"


@dataclass(frozen=True)
class Spec:
    action: str
    ready: Callable  # (world) -> case at a stage where the action is allowed
    data: Callable  # (case, world) -> a valid POST
    actor: str
    wrong_stage: str
    refused_role: str
    refused_status: int


def _northmoor(stage):
    def ready(world):
        case = world["cases"]["northmoor"]
        with_clauses(case)
        return at_stage(case, stage)

    return ready


def _informal(world):
    case = world["cases"]["northmoor"]
    under_informal_resolution(case, world["users"]["mo"])
    return case


def _investigation(world):
    return at_stage(world["cases"]["parish"], Stage.INVESTIGATION)


def _closed_nfa(world):
    case = world["cases"]["northmoor"]
    closed_with_no_further_action(case, world["users"]["mo"])
    return case


def _review(world):
    case = world["cases"]["northmoor"]
    under_review(case, world["users"]["mo"])
    return case


def _two_complaints(world):
    case = world["cases"]["northmoor"]
    add_complaint(case, 2, name="Second Person", email="second@example.com")
    return at_stage(case, Stage.ASSESSMENT)


today = timezone.localdate

SPECS = [
    Spec(
        Action.DECIDE,
        _northmoor(Stage.ASSESSMENT),
        lambda case, world: {"outcome": "no_further_action", "no_further_action_reason": "trivial", "reasons": TYPED},
        "mo",
        Stage.RECEIVED,
        "case_officer",
        403,
    ),
    Spec(
        Action.RECORD_INFORMAL_STEP,
        _informal,
        lambda case, world: {"step": str(case.informal_steps.first().pk), "status": "done", "note": TYPED},
        "case_officer",
        Stage.ASSESSMENT,
        "independent_person",
        403,
    ),
    Spec(
        Action.RECORD_INVESTIGATION_REPORT,
        _investigation,
        lambda case, world: {"finding": "breach", "summary": TYPED, **day_fields("report_on", today())},
        "investigator",
        Stage.HEARING,
        "case_officer",
        403,
    ),
    Spec(
        Action.RECORD_HEARING,
        _northmoor(Stage.HEARING),
        lambda case, world: {
            "outcome": "no_breach",
            "reasons": TYPED,
            "ip_view": "Agrees.",
            **day_fields("hearing_on", today()),
        },
        "mo",
        Stage.INVESTIGATION,
        "case_officer",
        403,
    ),
    Spec(
        Action.REQUEST_REVIEW,
        _closed_nfa,
        lambda case, world: {
            "complaint": case.complaints.first().reference,
            "grounds": TYPED,
            **day_fields("requested_on", today()),
        },
        "case_officer",
        Stage.ASSESSMENT,
        "independent_person",
        403,
    ),
    Spec(
        Action.DECIDE_REVIEW,
        _review,
        lambda case, world: {"result": "upheld", "reasons": TYPED},
        "deputy",
        Stage.CLOSED,
        "case_officer",
        403,
    ),
    Spec(
        Action.CLOSE,
        _northmoor(Stage.ASSESSMENT),
        lambda case, world: {"reason": TYPED},
        "mo",
        Stage.CLOSED,
        "case_officer",
        403,
    ),
    Spec(
        Action.REOPEN,
        _northmoor(Stage.CLOSED),
        lambda case, world: {"reason": TYPED},
        "mo",
        Stage.ASSESSMENT,
        "case_officer",
        403,
    ),
    Spec(
        Action.UNLINK,
        _two_complaints,
        lambda case, world: {"complaint": f"{case.reference}-C2", "reason": TYPED},
        "case_officer",
        Stage.CLOSED,
        "independent_person",
        403,
    ),
]
IDS = [spec.action.value for spec in SPECS]


def _snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        case.stage,
        case.outcome,
        case.version,
        case.decisions.count(),
        OutboxMessage.objects.count(),
        Case.objects.count(),
        Event.objects.filter(case=case).exclude(kind="case_viewed").count(),
    )


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_it_does_the_action_for_the_role_allowed(client, world, spec):
    case = spec.ready(world)
    sign_in(client, world["users"][spec.actor])
    assert client.get(action_url(case, spec.action)).status_code == 200
    response = client.post(action_url(case, spec.action), {"version": case.version, **spec.data(case, world)})
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.version == 1


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_it_refuses_the_action_at_a_stage_that_does_not_allow_it(client, world, spec):
    case = spec.ready(world)
    data = spec.data(case, world)
    at_stage(case, spec.wrong_stage)
    before = _snapshot(case)
    sign_in(client, world["users"][spec.actor])
    response = client.post(action_url(case, spec.action), {"version": case.version, **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"The case is at the {Stage(spec.wrong_stage).label.lower()} stage, where you cannot" in html
    assert TYPED in html
    assert _snapshot(case) == before
    assert client.get(action_url(case, spec.action)).status_code == 302


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_it_refuses_a_role_that_may_not_take_the_action(client, world, spec):
    case = spec.ready(world)
    before = _snapshot(case)
    sign_in(client, world["users"][spec.refused_role])
    response = client.post(action_url(case, spec.action), {"version": case.version, **spec.data(case, world)})
    assert response.status_code == spec.refused_status
    assert client.get(action_url(case, spec.action)).status_code == spec.refused_status
    assert _snapshot(case) == before


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_it_answers_404_to_an_officer_with_a_conflict_of_interest(client, world, spec):
    case = spec.ready(world)
    ConflictOfInterest.objects.get_or_create(
        case=case,
        officer=world["users"][spec.actor],
        defaults={"reason": "Related to the councillor", "declared_at": timezone.now()},
    )
    before = _snapshot(case)
    sign_in(client, world["users"][spec.actor])
    response = client.post(action_url(case, spec.action), {"version": case.version, **spec.data(case, world)})
    assert response.status_code == 404
    assert _snapshot(case) == before


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_a_stale_form_comes_back_with_what_was_typed_and_changes_nothing(client, world, spec):
    case = spec.ready(world)
    Case.objects.filter(pk=case.pk).update(version=5)
    before = _snapshot(case)
    sign_in(client, world["users"][spec.actor])
    response = client.post(action_url(case, spec.action), {"version": 4, **spec.data(case, world)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert STALE_MESSAGE.split(":")[0] in html
    assert TYPED in html
    assert 'name="version" value="4"' in html
    assert _snapshot(case) == before
