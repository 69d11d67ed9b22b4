"""Asking the complainant for more information, recording their answer, and flagging for closure
a case whose complainant never answered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import (
    Case,
    ComplainantRestriction,
    Deadline,
    DeadlineKind,
    Event,
    EventKind,
    InformationRequest,
    OutboxMessage,
    Stage,
    TimeLimit,
)
from complaints.services.clocks import clock_start
from complaints.services.deadline_sweep import deadline_sweep
from complaints.services.intake import WAITING_FOR_COMPLAINANT
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.intake_data import action_url, at_stage

pytestmark = pytest.mark.django_db


def ask(client, case, question="Which post do you mean, and when did you see it?"):
    return client.post(
        action_url(case, "request_information"),
        {"version": case.version, "complaint": "MO-2026-00001-C1", "question": question},
    )


@pytest.fixture
def acknowledged(world):
    case = at_stage(world["cases"]["northmoor"], Stage.ACKNOWLEDGED)
    clock_start(case, DeadlineKind.ASSESSMENT)
    return case


def test_the_question_is_e_mailed_and_the_other_clocks_pause_while_the_complainant_answers(client, world, acknowledged):
    officer = world["users"]["case_officer"]
    sign_in(client, officer)
    page = client.get(action_url(acknowledged, "request_information")).content.decode()
    assert "15 working days" in page and "flagged for closure" in page
    assert "Initial assessment, due" in page  # the clock that will be paused

    response = ask(client, acknowledged)
    assert response.status_code == 302
    acknowledged.refresh_from_db()
    assert acknowledged.stage == Stage.FURTHER_INFORMATION
    request = InformationRequest.objects.get(case=acknowledged)
    assert request.requested_by == officer and request.complaint.reference == "MO-2026-00001-C1"
    assert request.deadline.kind == DeadlineKind.FURTHER_INFORMATION and request.deadline.working_days == 15
    assessment = Deadline.objects.get(case=acknowledged, kind=DeadlineKind.ASSESSMENT)
    assert assessment.paused_at is not None and assessment.pause_reason == WAITING_FOR_COMPLAINANT
    [message] = OutboxMessage.objects.filter(case=acknowledged, template="further_information_request")
    assert message.to == "complainant1@example.com"
    assert message.context["question"] == "Which post do you mean, and when did you see it?"
    event = Event.objects.get(case=acknowledged, kind=EventKind.INFORMATION_REQUESTED)
    assert event.actor == officer and event.details["paused_clocks"] == [assessment.pk]


def test_the_council_s_own_time_limit_for_further_information_is_used(client, world, acknowledged):
    TimeLimit.objects.create(authority=acknowledged.authority, kind=DeadlineKind.FURTHER_INFORMATION, days=10)
    sign_in(client, world["users"]["case_officer"])
    assert ask(client, acknowledged).status_code == 302
    assert InformationRequest.objects.get(case=acknowledged).deadline.working_days == 10


def test_recording_the_answer_meets_the_clock_restarts_the_others_and_returns_to_assessment(
    client, world, acknowledged
):
    officer = world["users"]["case_officer"]
    sign_in(client, officer)
    ask(client, acknowledged)
    acknowledged.refresh_from_db()
    request = InformationRequest.objects.get(case=acknowledged)
    page = client.get(action_url(acknowledged, "record_information")).content.decode()
    assert "Which post do you mean" in page
    response = client.post(
        action_url(acknowledged, "record_information"),
        {"version": acknowledged.version, "request": str(request.pk), "answer": "The post of 3 November."},
    )
    assert response.status_code == 302
    acknowledged.refresh_from_db()
    assert acknowledged.stage == Stage.ASSESSMENT
    request.refresh_from_db()
    assert request.answer == "The post of 3 November." and request.answer_recorded_by == officer
    assert Deadline.objects.get(pk=request.deadline_id).met_at is not None
    assessment = Deadline.objects.get(case=acknowledged, kind=DeadlineKind.ASSESSMENT)
    assert assessment.paused_at is None and len(assessment.pauses) == 1
    event = Event.objects.get(case=acknowledged, kind=EventKind.INFORMATION_RECEIVED)
    assert event.actor == officer and event.details["answer"] == "The post of 3 November."
    case_page = client.get(f"/officer/cases/{acknowledged.reference}/").content.decode()
    assert "Further information" in case_page and "The post of 3 November." in case_page


def test_a_case_without_an_answer_in_time_is_flagged_for_closure_by_the_sweep(client, world, acknowledged):
    sign_in(client, world["users"]["case_officer"])
    ask(client, acknowledged)
    clock = InformationRequest.objects.get(case=acknowledged).deadline
    deadline_sweep(today=clock.due_on + timedelta(days=1))
    acknowledged.refresh_from_db()
    assert acknowledged.flagged_for_closure_at is not None
    event = Event.objects.filter(case=acknowledged, kind=EventKind.CASE_UPDATED).last()
    assert event.description.startswith("Flagged for closure: no answer by")
    # The paused assessment clock is neither escalated nor flags anything.
    assert Event.objects.filter(case=acknowledged, kind=EventKind.DEADLINE_ESCALATED).count() == 1

    deadline_sweep(today=clock.due_on + timedelta(days=2))
    assert Event.objects.filter(case=acknowledged, description__startswith="Flagged for closure").count() == 1

    case_page = client.get(f"/officer/cases/{acknowledged.reference}/").content.decode()
    assert "Flagged for closure" in case_page
    dashboard = client.get("/officer/").content.decode()
    assert "Flagged for closure" in dashboard


def test_a_council_can_turn_the_flag_off_and_an_answer_lifts_it(client, world, acknowledged):
    TimeLimit.objects.create(
        authority=acknowledged.authority, kind=DeadlineKind.FURTHER_INFORMATION, days=15, flag_for_closure=False
    )
    sign_in(client, world["users"]["case_officer"])
    ask(client, acknowledged)
    request = InformationRequest.objects.get(case=acknowledged)
    deadline_sweep(today=request.deadline.due_on + timedelta(days=1))
    acknowledged.refresh_from_db()
    assert acknowledged.flagged_for_closure_at is None

    Case.objects.filter(pk=acknowledged.pk).update(flagged_for_closure_at=timezone.now())
    response = client.post(
        action_url(acknowledged, "record_information"),
        {"version": acknowledged.version, "request": str(request.pk), "answer": "Late, sorry."},
    )
    assert response.status_code == 302
    acknowledged.refresh_from_db()
    assert acknowledged.flagged_for_closure_at is None
    assert "Flagged for closure" not in client.get("/officer/").content.decode()


def test_the_request_page_warns_about_a_complainant_treated_as_vexatious(client, world, acknowledged):
    ComplainantRestriction.objects.create(
        authority=acknowledged.authority,
        email="complainant1@example.com",
        kind="vexatious",
        reason="Write only; replies by e-mail once a month.",
        review_on=timezone.localdate() + timedelta(days=180),
        case=acknowledged,
        recorded_by=world["users"]["mo"],
        recorded_at=timezone.now(),
    )
    sign_in(client, world["users"]["case_officer"])
    html = client.get(action_url(acknowledged, "request_information")).content.decode()
    assert "treated as vexatious" in html and "Write only; replies by e-mail once a month." in html
