"""DECIDE: the Monitoring Officer's decision on the initial assessment, and the informal steps
that may follow it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import (
    Case,
    Counting,
    Deadline,
    DeadlineKind,
    Decision,
    Event,
    EventKind,
    InformalStep,
    OutboxMessage,
    Stage,
)
from complaints.process import Action
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.decisions_data import action_url, at_stage, under_informal_resolution, with_clauses

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    case = world["cases"]["northmoor"]
    with_clauses(case)
    return at_stage(case, Stage.ASSESSMENT)


def decide(client, case, **data):
    return client.post(action_url(case, Action.DECIDE), {"version": case.version, **data})


def test_the_decision_page_says_what_the_law_and_procedure_ask(client, world, case):
    sign_in(client, world["users"]["mo"])
    html = client.get(action_url(case, Action.DECIDE)).content.decode()
    assert "published public interest test" in html
    assert "malicious or tit-for-tat" in html
    assert "ask for a review within 7 days" in html
    assert "decision notice is due within 5 working days" in html
    # Only the clauses alleged in the case are offered as engaged.
    assert "1. Respect" in html and "5. Disrepute" in html and "9. Interests" not in html


def test_it_takes_no_further_action_with_a_reason_and_opens_the_review_window(client, world, case):
    mo = world["users"]["mo"]
    clause = case.complaints.first().clauses.get(number="1")
    Deadline.objects.create(
        case=case, kind=DeadlineKind.ASSESSMENT, starts_on=timezone.localdate(), working_days=20,
        due_on=timezone.localdate() + timedelta(days=28), computation="20 working days",
    )  # fmt: skip
    sign_in(client, mo)
    response = decide(
        client,
        case,
        outcome="no_further_action",
        no_further_action_reason="not_acting_as_councillor",
        clauses_engaged=[clause.pk],
        reasons="The account is a personal one and the post is about a football match.",
        ip_view="The Independent Person agrees.",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.outcome, case.version) == (Stage.CLOSED, "no_further_action", 1)
    assert case.closed_at is not None
    decision = Decision.objects.get(case=case)
    assert decision.decided_by == mo
    assert decision.no_further_action_reason == "not_acting_as_councillor"
    assert list(decision.clauses_engaged.all()) == [clause]
    assert decision.ip_view == "The Independent Person agrees."
    event = Event.objects.get(case=case, kind=EventKind.DECISION_RECORDED)
    assert event.actor == mo and "no further action (not acting as a councillor)" in event.description
    assert Event.objects.get(case=case, kind=EventKind.STAGE_CHANGED).actor == mo
    assert Deadline.objects.get(case=case, kind=DeadlineKind.ASSESSMENT).met_at is not None
    notice = Deadline.objects.get(case=case, kind=DeadlineKind.DECISION_NOTICE)
    assert notice.working_days == 5 and notice.counting == Counting.WORKING_DAYS and notice.met_at is None
    window = Deadline.objects.get(case=case, kind=DeadlineKind.REVIEW_WINDOW)
    assert window.counting == Counting.CALENDAR_DAYS
    assert window.due_on == timezone.localdate() + timedelta(days=7)
    message = OutboxMessage.objects.get(case=case)
    assert message.to == "complainant1@example.com" and message.template == "decision_outcome"
    assert "not acting as a councillor" in " ".join(message.context["paragraphs"])
    assert f"{window.due_on:%-d %B %Y}" in " ".join(message.context["paragraphs"])
    page = client.get(f"/officer/cases/{case.reference}/").content.decode()
    assert "The account is a personal one" in page
    assert "Who has been told" in page and "Queued" in page


def test_informal_resolution_records_each_step_asked_of_the_councillor(client, world, case):
    sign_in(client, world["users"]["deputy"])
    response = decide(
        client, case, outcome="informal_resolution", informal_steps=["apology", "remove_post"], reasons="A lapse."
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Stage.INFORMAL_RESOLUTION, "informal_resolution")
    assert sorted(InformalStep.objects.filter(case=case).values_list("kind", "status")) == [
        ("apology", "pending"),
        ("remove_post", "pending"),
    ]
    assert not Deadline.objects.filter(case=case, kind=DeadlineKind.REVIEW_WINDOW).exists()
    assert Decision.objects.get(case=case).decided_by == world["users"]["deputy"]


def test_investigation_appoints_the_investigator_who_then_sees_the_case(client, world, case):
    investigator = world["users"]["unappointed_investigator"]
    sign_in(client, investigator)
    assert client.get(f"/officer/cases/{case.reference}/").status_code == 404
    sign_in(client, world["users"]["mo"])
    html = client.get(action_url(case, Action.DECIDE)).content.decode()
    assert 'value="idle_investigator"' in html and 'value="caseofficer"' not in html
    response = decide(client, case, outcome="investigation", investigator="idle_investigator", reasons="Serious.")
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.outcome, case.investigator) == (Stage.INVESTIGATION, "investigation", investigator)
    assert Deadline.objects.filter(case=case, kind=DeadlineKind.INVESTIGATION, met_at__isnull=True).exists()
    event = Event.objects.get(case=case, kind=EventKind.DECISION_RECORDED)
    assert "investigator appointed: Idle_Investigator Test" in event.description
    sign_in(client, investigator)
    assert client.get(f"/officer/cases/{case.reference}/").status_code == 200


@pytest.mark.parametrize("outcome", ["police", "withdrawn"])
def test_referral_to_the_police_and_withdrawal_close_the_case(client, world, case, outcome):
    sign_in(client, world["users"]["mo"])
    assert decide(client, case, outcome=outcome, reasons="As recorded.").status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Stage.CLOSED, outcome)
    assert not Deadline.objects.filter(case=case, kind=DeadlineKind.REVIEW_WINDOW).exists()
    assert OutboxMessage.objects.filter(case=case, template="decision_outcome").count() == 1


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({}, ["Choose the decision", "Enter the reasons for the decision"]),
        ({"outcome": "no_further_action", "reasons": "x"}, ["Choose why no further action is taken"]),
        ({"outcome": "informal_resolution", "reasons": "x"}, ["Choose at least one step of the informal resolution"]),
        ({"outcome": "investigation", "reasons": "x"}, ["Choose who will investigate"]),
        ({"outcome": "investigation", "investigator": "caseofficer", "reasons": "x"}, ["Choose an investigator"]),
        ({"outcome": "suspension", "reasons": "x"}, ["Choose a decision from the list"]),
        ({"outcome": "police", "reasons": "x", "clauses_engaged": ["99999"]}, ["Choose clauses from the list"]),
        ({"outcome": "police", "reasons": "x" * 10001}, ["Reasons for the decision must be 10,000 characters"]),
    ],
)
def test_bad_input_is_shown_with_govuk_errors_and_nothing_is_saved(client, world, case, data, messages):
    sign_in(client, world["users"]["mo"])
    response = decide(client, case, ip_view="The IP view I typed", **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "govuk-error-message" in html
    for message in messages:
        assert html.count(message) >= 2  # in the summary and beside the field
    assert "The IP view I typed" in html
    case.refresh_from_db()
    assert (case.stage, case.version, case.decisions.count(), OutboxMessage.objects.count()) == (
        Stage.ASSESSMENT,
        0,
        0,
        0,
    )


# --- RECORD_INFORMAL_STEP ---------------------------------------------------------------------


def test_each_step_is_recorded_done_or_refused_and_then_the_case_can_be_closed(client, world):
    case = world["cases"]["northmoor"]
    apology, removal = under_informal_resolution(case, world["users"]["mo"])
    officer = world["users"]["case_officer"]
    sign_in(client, officer)
    url = action_url(case, Action.RECORD_INFORMAL_STEP)
    response = client.post(url, {"version": 0, "step": apology.pk, "status": "done", "note": "Apologised on 3 March."})
    assert response.status_code == 302
    apology.refresh_from_db()
    assert (apology.status, apology.recorded_by, apology.note) == ("done", officer, "Apologised on 3 March.")
    event = Event.objects.filter(case=case, kind=EventKind.CASE_UPDATED).last()
    assert event.actor == officer and "apology recorded as done" in event.description
    html = client.get(url).content.decode()
    assert f'value="{apology.pk}"' not in html and f'value="{removal.pk}"' in html
    response = client.post(url, {"version": 1, "step": removal.pk, "status": "refused", "note": "Will not delete."})
    assert response.status_code == 302
    page = client.get(response.url)
    assert "Every step is now done or refused: the case can be closed" in page.content.decode()
    assert "Every step is done or refused: the case can be closed" in page.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.INFORMAL_RESOLUTION


def test_a_step_already_recorded_cannot_be_recorded_again(client, world):
    case = world["cases"]["northmoor"]
    apology, _ = under_informal_resolution(case, world["users"]["mo"])
    InformalStep.objects.filter(pk=apology.pk).update(status="done")
    sign_in(client, world["users"]["case_officer"])
    response = client.post(
        action_url(case, Action.RECORD_INFORMAL_STEP),
        {"version": 0, "step": apology.pk, "status": "refused", "note": "Typed note"},
    )
    assert response.status_code == 400
    assert "Choose a step from the list" in response.content.decode()
    apology.refresh_from_db()
    assert apology.status == "done"


def test_a_step_without_a_result_or_note_is_an_error(client, world):
    case = world["cases"]["northmoor"]
    apology, _ = under_informal_resolution(case, world["users"]["mo"])
    sign_in(client, world["users"]["case_officer"])
    response = client.post(action_url(case, Action.RECORD_INFORMAL_STEP), {"version": 0, "step": apology.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose done or refused" in html and "Enter what happened" in html
    assert Case.objects.get(pk=case.pk).version == 0
