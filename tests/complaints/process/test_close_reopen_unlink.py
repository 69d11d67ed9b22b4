"""CLOSE and REOPEN with a reason, and UNLINK a complaint into a case of its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import (
    Case,
    Complaint,
    ConflictOfInterest,
    Deadline,
    DeadlineKind,
    Event,
    EventKind,
    Evidence,
    OutboxMessage,
    SocialMediaPost,
    Stage,
)
from complaints.process import Action
from complaints.services.clocks import clock_start
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.decisions_data import (
    action_url,
    add_complaint,
    at_stage,
    closed_with_no_further_action,
    under_informal_resolution,
)

pytestmark = pytest.mark.django_db


def test_closing_records_the_reason_and_stops_the_clocks(client, world):
    case = at_stage(world["cases"]["northmoor"], Stage.ASSESSMENT)
    clock_start(case, DeadlineKind.ASSESSMENT)
    mo = world["users"]["mo"]
    sign_in(client, mo)
    response = client.post(action_url(case, Action.CLOSE), {"version": 0, "reason": "The complainant has died."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.closed_at is not None
    event = Event.objects.get(case=case, kind=EventKind.CASE_CLOSED)
    assert event.actor == mo and "The complainant has died." in event.description
    assert not Deadline.objects.filter(case=case, met_at__isnull=True).exists()


def test_an_informal_resolution_closes_only_once_every_step_is_done_or_refused(client, world):
    case = world["cases"]["northmoor"]
    apology, removal = under_informal_resolution(case, world["users"]["mo"])
    sign_in(client, world["users"]["mo"])
    html = client.get(action_url(case, Action.CLOSE)).content.decode()
    assert "Still outstanding: apology, removal of the post." in html
    response = client.post(action_url(case, Action.CLOSE), {"version": 0, "reason": "Resolved"})
    assert response.status_code == 400
    assert "still outstanding: apology, removal of the post" in response.content.decode()
    assert Case.objects.get(pk=case.pk).stage == Stage.INFORMAL_RESOLUTION
    apology.status, removal.status = "done", "refused"
    apology.save()
    removal.save()
    response = client.post(action_url(case, Action.CLOSE), {"version": 0, "reason": "Informal resolution complete"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED


def test_closing_needs_a_reason(client, world):
    case = at_stage(world["cases"]["northmoor"], Stage.ASSESSMENT)
    sign_in(client, world["users"]["mo"])
    response = client.post(action_url(case, Action.CLOSE), {"version": 0, "reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and html.count("Enter why the case is being closed") >= 2
    assert Case.objects.get(pk=case.pk).stage == Stage.ASSESSMENT


def test_reopening_sends_the_case_back_to_assessment_with_a_new_clock(client, world):
    case = world["cases"]["northmoor"]
    closed_with_no_further_action(case, world["users"]["mo"])
    deputy = world["users"]["deputy"]
    sign_in(client, deputy)
    response = client.post(action_url(case, Action.REOPEN), {"version": 0, "reason": "New evidence arrived."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.outcome, case.closed_at) == (Stage.ASSESSMENT, "", None)
    event = Event.objects.get(case=case, kind=EventKind.CASE_REOPENED)
    assert event.actor == deputy and "New evidence arrived." in event.description
    assert event.details["previous_outcome"] == "no_further_action"
    assert Deadline.objects.filter(case=case, kind=DeadlineKind.ASSESSMENT, met_at__isnull=True).exists()
    assert Deadline.objects.get(case=case, kind=DeadlineKind.REVIEW_WINDOW).met_at is not None
    assert case.decisions.count() == 1  # the earlier decision stays on record


def test_a_case_merged_into_another_is_not_reopened(client, world):
    case = at_stage(world["cases"]["northmoor"], Stage.CLOSED)
    other = Case.objects.create(reference="MO-2026-00009", authority=case.authority, opened_at=timezone.now())
    Case.objects.filter(pk=case.pk).update(merged_into=other)
    sign_in(client, world["users"]["mo"])
    response = client.post(action_url(case, Action.REOPEN), {"version": 0, "reason": "Typed reason"})
    assert response.status_code == 400
    assert "This case was merged into case MO-2026-00009" in response.content.decode()
    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED


def test_reopening_needs_a_reason(client, world):
    case = at_stage(world["cases"]["northmoor"], Stage.CLOSED)
    sign_in(client, world["users"]["mo"])
    response = client.post(action_url(case, Action.REOPEN), {"version": 0})
    assert response.status_code == 400
    assert "Enter why the case is being reopened" in response.content.decode()


# --- UNLINK -------------------------------------------------------------------------------------


@pytest.fixture
def linked(world):
    """The Northmoor case at assessment with a second complaint, its post, evidence and e-mail."""
    case = at_stage(world["cases"]["northmoor"], Stage.ASSESSMENT)
    Case.objects.filter(pk=case.pk).update(assigned_officer=world["users"]["case_officer"])
    second = add_complaint(case, 2, name="Second Person", email="second@example.com")
    second.submitted_at = timezone.now() - timedelta(days=3)
    second.save()
    SocialMediaPost.objects.create(complaint=second, case=case, platform="x", account_name="@cllr", text_reported="Hi")
    Evidence.objects.create(
        case=case, complaint=second, original="evidence/x.png", original_name="x.png", sha256="a" * 64, size=1,
        content_type="image/png", uploaded_at=timezone.now(),
    )  # fmt: skip
    OutboxMessage.objects.create(
        to="second@example.com", subject="Ack", template="acknowledgement", context={}, case=case, complaint=second
    )
    return case, second


def test_a_complaint_unlinked_becomes_a_case_of_its_own_with_its_posts_evidence_and_e_mails(client, world, linked):
    case, second = linked
    officer = world["users"]["case_officer"]
    sign_in(client, officer)
    html = client.get(action_url(case, Action.UNLINK)).content.decode()
    assert f'value="{second.reference}"' in html
    response = client.post(
        action_url(case, Action.UNLINK), {"version": 0, "complaint": second.reference, "reason": "A different post."}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    new = second.case
    assert new.pk != case.pk and new.reference.startswith("MOC-")
    assert (new.authority, new.stage, new.assigned_officer) == (case.authority, Stage.RECEIVED, officer)
    assert list(Complaint.objects.filter(case=case).values_list("reference", flat=True)) == [f"{case.reference}-C1"]
    assert SocialMediaPost.objects.get(complaint=second).case == new
    assert Evidence.objects.get(complaint=second).case == new
    message = OutboxMessage.objects.get(complaint=second)
    assert message.case == new
    # Its own clocks, from the day the complaint arrived; the acknowledgement still to go meets its clock.
    received_on = timezone.localdate(second.submitted_at)
    kinds = dict(Deadline.objects.filter(case=new).values_list("kind", "starts_on"))
    assert kinds == {DeadlineKind.ACKNOWLEDGE: received_on, DeadlineKind.ASSESSMENT: received_on}
    assert message.deadline == Deadline.objects.get(case=new, kind=DeadlineKind.ACKNOWLEDGE)
    for where in (case, new):
        event = Event.objects.get(case=where, kind=EventKind.COMPLAINT_UNLINKED)
        assert event.actor == officer and "A different post." in event.description
    # Nobody gains sight of the new case by the split: the conflicted officer is conflicted on it too.
    assert ConflictOfInterest.objects.filter(case=new, officer=world["users"]["conflicted_officer"]).exists()
    sign_in(client, world["users"]["conflicted_officer"])
    assert client.get(f"/officer/cases/{new.reference}/").status_code == 404


def test_the_only_complaint_of_a_case_cannot_be_unlinked(client, world):
    case = at_stage(world["cases"]["northmoor"], Stage.ASSESSMENT)
    sign_in(client, world["users"]["case_officer"])
    response = client.post(
        action_url(case, Action.UNLINK),
        {"version": 0, "complaint": f"{case.reference}-C1", "reason": "Typed reason"},
    )
    assert response.status_code == 400
    assert "This case has only one complaint" in response.content.decode()
    assert Case.objects.count() == 3


def test_unlinking_a_complaint_of_another_case_is_an_error(client, world, linked):
    case, _ = linked
    sign_in(client, world["users"]["case_officer"])
    response = client.post(
        action_url(case, Action.UNLINK), {"version": 0, "complaint": "MO-2026-00003-C1", "reason": "x"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and html.count("Choose a complaint from the list") >= 2
    assert Case.objects.count() == 3
