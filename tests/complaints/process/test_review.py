"""REQUEST_REVIEW and DECIDE_REVIEW: a review only of a no-further-action decision, only within
the review window; upheld closes the case again, overturned sends it back to assessment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import (
    Case,
    Deadline,
    DeadlineKind,
    Event,
    EventKind,
    OutboxMessage,
    Outcome,
    ReviewRequest,
    Stage,
)
from complaints.process import Action
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.decisions_data import (
    action_url,
    closed_with_no_further_action,
    day_fields,
    decided,
    under_review,
)

pytestmark = pytest.mark.django_db


def ask(client, case, *, day=None, **data):
    fields = {
        "version": case.version,
        "complaint": case.complaints.first().reference,
        "grounds": "The grounds I typed",
        **day_fields("requested_on", day or timezone.localdate()),
    }
    return client.post(action_url(case, Action.REQUEST_REVIEW), {**fields, **data})


def test_a_request_within_the_window_moves_the_case_to_review(client, world):
    case = world["cases"]["northmoor"]
    decision = closed_with_no_further_action(case, world["users"]["mo"], days_ago=3)
    officer = world["users"]["case_officer"]
    sign_in(client, officer)
    html = client.get(action_url(case, Action.REQUEST_REVIEW)).content.decode()
    due = timezone.localdate() + timedelta(days=4)
    assert f"if the request came by <strong>{due:%-d %B %Y}</strong>" in html
    response = ask(client, case, day=timezone.localdate() - timedelta(days=1))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.closed_at) == (Stage.REVIEW, None)
    review = ReviewRequest.objects.get(case=case)
    assert (review.decision, review.complaint, review.recorded_by) == (decision, case.complaints.first(), officer)
    assert Event.objects.get(case=case, kind=EventKind.REVIEW_REQUESTED).actor == officer
    assert Deadline.objects.get(case=case, kind=DeadlineKind.REVIEW_WINDOW).met_at is not None


def test_a_request_after_the_window_closed_is_refused_with_the_date_it_closed(client, world):
    case = world["cases"]["northmoor"]
    closed_with_no_further_action(case, world["users"]["mo"], days_ago=10)
    closed_on = timezone.localdate() - timedelta(days=3)
    sign_in(client, world["users"]["case_officer"])
    response = ask(client, case)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"The review window closed on {closed_on:%-d %B %Y}" in html
    assert "a review can be asked for only within 7 days of the decision" in html
    assert "The grounds I typed" in html
    case.refresh_from_db()
    assert (case.stage, case.version, ReviewRequest.objects.count()) == (Stage.CLOSED, 0, 0)


def test_a_request_dated_within_the_window_is_accepted_even_if_recorded_later(client, world):
    case = world["cases"]["northmoor"]
    closed_with_no_further_action(case, world["users"]["mo"], days_ago=10)
    sign_in(client, world["users"]["case_officer"])
    response = ask(client, case, day=timezone.localdate() - timedelta(days=4))
    assert response.status_code == 302


@pytest.mark.parametrize("outcome", [Outcome.INFORMAL_RESOLUTION, Outcome.POLICE, Outcome.WITHDRAWN])
def test_only_a_no_further_action_decision_can_be_reviewed(client, world, outcome):
    case = world["cases"]["northmoor"]
    decided(case, world["users"]["mo"], outcome)
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED, closed_at=timezone.now(), outcome=outcome)
    sign_in(client, world["users"]["case_officer"])
    response = ask(client, case)
    assert response.status_code == 400
    label = Outcome(outcome).label.lower()
    assert f"Only a decision to take no further action can be reviewed; this case&#x27;s outcome is {label}" in (
        response.content.decode()
    )
    assert not ReviewRequest.objects.exists()


def test_a_case_closed_without_a_decision_cannot_be_reviewed(client, world):
    case = world["cases"]["northmoor"]
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED, closed_at=timezone.now())
    sign_in(client, world["users"]["case_officer"])
    html = client.get(action_url(case, Action.REQUEST_REVIEW)).content.decode()
    assert "This case has no decision of no further action to review" in html
    assert ask(client, case).status_code == 400


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"complaint": ""}, "Choose the complaint"),
        ({"complaint": "MO-2026-00003-C1"}, "Choose a complaint from the list"),
        ({"grounds": ""}, "Enter their grounds for review"),
        ({"requested_on_0": "", "requested_on_1": "", "requested_on_2": ""}, "Enter the date of the request"),
        ({"requested_on_0": "40"}, "The date of the request must be a real date"),
    ],
)
def test_a_bad_request_is_an_error_and_nothing_is_saved(client, world, data, message):
    case = world["cases"]["northmoor"]
    closed_with_no_further_action(case, world["users"]["mo"])
    sign_in(client, world["users"]["case_officer"])
    response = ask(client, case, **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and html.count(message) >= 2
    assert ReviewRequest.objects.count() == 0


def test_a_review_upheld_closes_the_case_again_and_every_complainant_is_told(client, world):
    case = world["cases"]["northmoor"]
    review = under_review(case, world["users"]["mo"])
    deputy = world["users"]["deputy"]
    sign_in(client, deputy)
    response = client.post(
        action_url(case, Action.DECIDE_REVIEW), {"version": 0, "result": "upheld", "reasons": "Still trivial."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Stage.CLOSED, Outcome.NO_FURTHER_ACTION)
    review.refresh_from_db()
    assert (review.result, review.decided_by, review.result_reasons) == ("upheld", deputy, "Still trivial.")
    assert Event.objects.get(case=case, kind=EventKind.REVIEW_DECIDED).actor == deputy
    message = OutboxMessage.objects.get(case=case)
    assert message.context["notice"] == f"review:{review.public_id}"
    html = client.get(f"/officer/cases/{case.reference}/").content.decode()
    assert "Upheld: no further action stands" in html and "Result of the review" in html


def test_a_review_overturned_sends_the_case_back_to_assessment_with_a_new_clock(client, world):
    case = world["cases"]["northmoor"]
    under_review(case, world["users"]["mo"])
    sign_in(client, world["users"]["mo"])
    response = client.post(
        action_url(case, Action.DECIDE_REVIEW), {"version": 0, "result": "overturned", "reasons": "Misread."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.outcome, case.closed_at) == (Stage.ASSESSMENT, "", None)
    assert Deadline.objects.filter(case=case, kind=DeadlineKind.ASSESSMENT, met_at__isnull=True).exists()


def test_a_review_result_without_reasons_is_an_error(client, world):
    case = world["cases"]["northmoor"]
    under_review(case, world["users"]["mo"])
    sign_in(client, world["users"]["mo"])
    response = client.post(action_url(case, Action.DECIDE_REVIEW), {"version": 0, "result": "upheld"})
    assert response.status_code == 400
    assert "Enter the reasons for the result" in response.content.decode()
    assert ReviewRequest.objects.get().result == ""
