"""Acknowledging the complainant, and declaring a conflict of interest, from the case page."""

from __future__ import annotations

import pytest

from complaints.models import Case, ConflictOfInterest, Deadline, DeadlineKind, Event, EventKind, OutboxMessage, Stage
from complaints.services.clocks import clock_start
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.intake_data import action_url, at_stage

pytestmark = pytest.mark.django_db


def test_an_officer_records_an_acknowledgement_by_post_and_the_clock_is_met(client, world):
    case = world["cases"]["northmoor"]
    clock = clock_start(case, DeadlineKind.ACKNOWLEDGE)
    sign_in(client, world["users"]["case_officer"])
    page = client.get(action_url(case, "acknowledge"))
    assert page.status_code == 200
    assert "within 5 working days" in page.content.decode()
    response = client.post(action_url(case, "acknowledge"), {"version": 0, "how": "post", "note": "Posted 3 Nov"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.ACKNOWLEDGED and case.version == 1
    clock.refresh_from_db()
    assert clock.met_at is not None
    event = Event.objects.filter(case=case, kind=EventKind.CASE_UPDATED).last()
    assert event.actor == world["users"]["case_officer"]
    assert "Complainant acknowledged: it was sent by post (Posted 3 Nov)" == event.description
    assert Event.objects.filter(case=case, kind=EventKind.CLOCK_MET, actor=world["users"]["case_officer"]).exists()
    assert not OutboxMessage.objects.filter(case=case).exists()


def test_an_officer_can_send_the_acknowledgement_e_mail_through_the_outbox(client, world):
    case = world["cases"]["northmoor"]
    sign_in(client, world["users"]["case_officer"])
    response = client.post(action_url(case, "acknowledge"), {"version": 0, "how": "email"})
    assert response.status_code == 302
    [message] = OutboxMessage.objects.filter(case=case)
    assert message.to == "complainant1@example.com"
    assert message.template == "acknowledgement"
    assert message.context["reference"] == "MO-2026-00001-C1"


def test_acknowledging_needs_a_choice_and_keeps_what_was_typed(client, world):
    case = world["cases"]["northmoor"]
    sign_in(client, world["users"]["case_officer"])
    response = client.post(action_url(case, "acknowledge"), {"version": 0, "how": "", "note": "Phoned her"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Select how the complainant was acknowledged" in html
    assert 'value="Phoned her"' in html
    assert Case.objects.get(pk=case.pk).stage == Stage.RECEIVED


def test_an_officer_declares_a_conflict_hands_the_case_to_the_deputy_and_goes_to_the_dashboard(client, world):
    case = world["cases"]["northmoor"]
    officer = world["users"]["case_officer"]
    Case.objects.filter(pk=case.pk).update(assigned_officer=officer)
    sign_in(client, officer)
    assert client.get(action_url(case, "declare_conflict")).status_code == 200
    response = client.post(
        action_url(case, "declare_conflict"), {"version": 0, "reason": "The councillor is my sister"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/officer/"
    conflict = ConflictOfInterest.objects.get(case=case, officer=officer)
    assert conflict.reason == "The councillor is my sister" and conflict.recorded_by == officer
    case.refresh_from_db()
    assert case.assigned_officer == world["users"]["deputy"]
    event = Event.objects.get(case=case, kind=EventKind.CONFLICT_DECLARED)
    assert event.actor == officer
    assert event.description == "Caseofficer Test declared a conflict of interest; case handed to Deputy Test"
    dashboard = client.get("/officer/")
    assert "is recorded and handed to Deputy Test" in dashboard.content.decode()
    assert client.get(f"/officer/cases/{case.reference}/").status_code == 404


def test_when_the_deputy_is_conflicted_the_case_goes_to_the_monitoring_officer(client, world):
    case = world["cases"]["northmoor"]
    sign_in(client, world["users"]["deputy"])
    response = client.post(action_url(case, "declare_conflict"), {"version": 0, "reason": "Same party branch"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_officer == world["users"]["mo"]


def test_a_conflict_needs_a_reason(client, world):
    case = world["cases"]["northmoor"]
    sign_in(client, world["users"]["case_officer"])
    response = client.post(action_url(case, "declare_conflict"), {"version": 0, "reason": "  "})
    assert response.status_code == 400
    assert "Say why you have a conflict of interest" in response.content.decode()
    assert not ConflictOfInterest.objects.filter(case=case, officer=world["users"]["case_officer"]).exists()


def test_the_acknowledge_action_is_refused_once_the_case_has_moved_on(client, world):
    case = at_stage(world["cases"]["northmoor"], Stage.ASSESSMENT)
    sign_in(client, world["users"]["case_officer"])
    response = client.post(action_url(case, "acknowledge"), {"version": 0, "how": "post"})
    assert response.status_code == 400
    assert "The case is at the initial assessment stage, where you cannot record the acknowledgement" in (
        response.content.decode()
    )
    assert not Deadline.objects.filter(case=case, met_at__isnull=False).exists()
