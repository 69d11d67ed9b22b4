"""RECORD_INVESTIGATION_REPORT and RECORD_HEARING: the investigator's finding, and the panel's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from complaints.models import (
    Authority,
    Case,
    ConflictOfInterest,
    Councillor,
    Deadline,
    DeadlineKind,
    Decision,
    Event,
    EventKind,
    InvestigationReport,
    OutboxMessage,
    Stage,
)
from complaints.process import Action
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.decisions_data import action_url, at_stage, day_fields, with_clauses

pytestmark = pytest.mark.django_db


@pytest.fixture
def parish_case(world):
    case = world["cases"]["parish"]
    with_clauses(case)
    councillor = Councillor.objects.create(authority=case.authority, name="Pat Hedges", term_start="2022-05-05")
    case.complaints.first().councillors.set([councillor])
    return case


def report(client, case, **data):
    return client.post(action_url(case, Action.RECORD_INVESTIGATION_REPORT), {"version": case.version, **data})


def test_the_appointed_investigator_records_a_breach_and_the_case_goes_to_a_hearing(client, world, parish_case):
    case = at_stage(parish_case, Stage.INVESTIGATION)
    Deadline.objects.create(
        case=case, kind=DeadlineKind.INVESTIGATION, starts_on=timezone.localdate() - timedelta(days=60),
        working_days=120, due_on=timezone.localdate() + timedelta(days=100), computation="120 working days",
    )  # fmt: skip
    investigator = world["users"]["investigator"]
    sign_in(client, investigator)
    page = client.get(action_url(case, Action.RECORD_INVESTIGATION_REPORT))
    assert page.status_code == 200 and "goes to a hearing" in page.content.decode()
    day = timezone.localdate() - timedelta(days=2)
    response = report(client, case, finding="breach", summary="The post was abusive.", **day_fields("report_on", day))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.HEARING
    stored = InvestigationReport.objects.get(case=case)
    assert (stored.finding, stored.report_on, stored.recorded_by, stored.investigator) == (
        "breach",
        day,
        investigator,
        investigator,
    )
    assert stored.decision is None and not Decision.objects.filter(case=case).exists()
    assert Event.objects.get(case=case, kind=EventKind.INVESTIGATION_REPORTED).actor == investigator
    assert Deadline.objects.get(case=case, kind=DeadlineKind.INVESTIGATION).met_at is not None
    assert Deadline.objects.filter(case=case, kind=DeadlineKind.HEARING, met_at__isnull=True).exists()
    assert not OutboxMessage.objects.filter(case=case).exists()


def test_no_breach_closes_the_case_with_that_outcome_as_a_decision(client, world, parish_case):
    case = at_stage(parish_case, Stage.INVESTIGATION)
    mo = world["users"]["mo"]
    sign_in(client, mo)
    response = report(
        client,
        case,
        finding="no_breach",
        summary="Robust but fair comment.",
        **day_fields("report_on", timezone.localdate()),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Stage.CLOSED, "no_breach")
    decision = Decision.objects.get(case=case)
    assert (decision.kind, decision.outcome, decision.decided_by) == ("investigation", "no_breach", mo)
    assert InvestigationReport.objects.get(case=case).decision == decision
    assert OutboxMessage.objects.filter(case=case, template="decision_outcome").count() == 1
    html = client.get(f"/officer/cases/{case.reference}/").content.decode()
    assert "Investigation report" in html and "Robust but fair comment." in html


def test_an_investigator_not_appointed_to_the_case_cannot_record_its_report(client, world, parish_case):
    case = at_stage(parish_case, Stage.INVESTIGATION)
    sign_in(client, world["users"]["unappointed_investigator"])
    assert (
        report(client, case, finding="breach", summary="x", **day_fields("report_on", timezone.localdate())).status_code
        == 404
    )
    assert not InvestigationReport.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"finding": "breach", "summary": "x"}, "Enter the date of the report"),
        ({"finding": "breach", "summary": "x", "report_on_0": "31", "report_on_1": "2", "report_on_2": "2026"},
         "The date of the report must be a real date"),
        ({"finding": "breach", "summary": "x", "report_on_0": "3", "report_on_2": "2026"},
         "The date of the report must include a day, month and year"),
        ({"finding": "breach", "summary": "x", **day_fields("report_on", timezone.localdate() + timedelta(days=3))},
         "The date of the report must be today or in the past"),
        ({"summary": "x", **day_fields("report_on", timezone.localdate())}, "Choose what the investigator found"),
        ({"finding": "breach", **day_fields("report_on", timezone.localdate())}, "Enter a summary of the report"),
    ],
)  # fmt: skip
def test_a_bad_report_is_an_error_and_nothing_is_saved(client, world, parish_case, data, message):
    case = at_stage(parish_case, Stage.INVESTIGATION)
    sign_in(client, world["users"]["investigator"])
    response = report(client, case, **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and html.count(message) >= 2
    case.refresh_from_db()
    assert (case.stage, case.version, InvestigationReport.objects.count()) == (Stage.INVESTIGATION, 0, 0)


# --- RECORD_HEARING -----------------------------------------------------------------------------


def hearing(client, case, **data):
    return client.post(action_url(case, Action.RECORD_HEARING), {"version": case.version, **data})


def test_a_breach_at_the_hearing_records_the_sanctions_and_closes_the_case(client, world):
    case = world["cases"]["northmoor"]
    clauses = with_clauses(case)
    at_stage(case, Stage.HEARING)
    mo = world["users"]["mo"]
    sign_in(client, mo)
    html = client.get(action_url(case, Action.RECORD_HEARING)).content.decode()
    assert "s.28(7)" in html and "no power to suspend" in html and "recommends" not in html.split("<form")[1]
    day = timezone.localdate() - timedelta(days=1)
    response = hearing(
        client,
        case,
        outcome="breach",
        sanctions=["censure", "training"],
        clauses_breached=[clauses[0].pk],
        ip_view="The IP considers the post disrespectful.",
        reasons="The post was a personal attack.",
        **day_fields("hearing_on", day),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Stage.CLOSED, "breach")
    decision = Decision.objects.get(case=case)
    assert (decision.kind, decision.hearing_on, decision.decided_by, decision.panel_recommends) == (
        "hearing",
        day,
        mo,
        False,
    )
    assert decision.sanction_codes == ["censure", "training"]
    assert decision.sanctions == "Censure; Training"
    assert list(decision.clauses_breached.all()) == [clauses[0]]
    assert Event.objects.get(case=case, kind=EventKind.HEARING_RECORDED).actor == mo
    assert Deadline.objects.filter(case=case, kind=DeadlineKind.DECISION_NOTICE).exists()
    assert list(OutboxMessage.objects.filter(case=case).values_list("template", flat=True)) == ["decision_outcome"]
    page = client.get(f"/officer/cases/{case.reference}/").content.decode()
    assert "Hearing" in page and "Censure" in page and "The IP considers the post disrespectful." in page


def test_for_a_parish_councillor_the_panel_recommends_and_the_clerk_is_told(client, world, parish_case):
    case = parish_case
    Authority.objects.filter(pk=case.authority_id).update(clerk_name="Sam Clerk", clerk_email="clerk@ashbylane.gov.uk")
    Case.objects.filter(pk=case.pk).update(investigator=None)
    at_stage(case, Stage.HEARING)
    sign_in(client, world["users"]["deputy"])
    html = client.get(action_url(case, Action.RECORD_HEARING)).content.decode()
    assert "the panel only <strong>recommends</strong> sanctions and Ashby Lane Parish Council decides" in html
    assert "clerk@ashbylane.gov.uk" in html
    assert "which sanctions does the panel recommend to Ashby Lane Parish Council?" in html
    response = hearing(
        client,
        case,
        outcome="breach",
        sanctions=["apology", "recommend_removal"],
        ip_view="Agrees with the finding.",
        reasons="The comments about Complainant 2 were abusive.",
        **day_fields("hearing_on", timezone.localdate()),
    )
    assert response.status_code == 302
    decision = Decision.objects.get(case=case)
    assert decision.panel_recommends
    assert decision.sanctions.startswith("Recommended to Ashby Lane Parish Council, which decides:")
    clerk = OutboxMessage.objects.get(case=case, template="hearing_recommendation")
    assert clerk.to == "clerk@ashbylane.gov.uk" and clerk.complaint is None
    body = render_to_string(f"emails/{clerk.template}.txt", clerk.context)
    assert "Dear Sam Clerk" in body and "Cllr Pat Hedges" in body
    assert "the panel recommends and Ashby Lane Parish Council decides" in body
    assert "- Apology" in body and "- Recommend removal from committees or outside bodies" in body
    assert "Complainant 2" not in body and "complainant2@example.com" not in body
    told = Event.objects.filter(case=case, kind=EventKind.MESSAGE_QUEUED, description__startswith="Clerk of")
    assert told.get().actor == world["users"]["deputy"]
    assert OutboxMessage.objects.filter(case=case, template="decision_outcome").count() == 1
    page = client.get(f"/officer/cases/{case.reference}/").content.decode()
    assert "Sanctions recommended" in page and "Ashby Lane Parish Council decides" in page


def test_a_parish_hearing_is_refused_while_the_clerk_has_no_e_mail_address(client, world, parish_case):
    case = at_stage(parish_case, Stage.HEARING)
    Case.objects.filter(pk=case.pk).update(investigator=None)
    sign_in(client, world["users"]["mo"])
    response = hearing(
        client, case, outcome="no_breach", ip_view="Agrees.", reasons="My typed reasons",
        **day_fields("hearing_on", timezone.localdate()),
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ashby Lane Parish Council has no clerk e-mail address on record" in html
    assert "My typed reasons" in html
    assert not Decision.objects.filter(case=case).exists() and not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "breach", "reasons": "x"}, "Enter the Independent Person&#x27;s view"),
        ({"outcome": "no_breach", "ip_view": "x", "reasons": "x", "sanctions": ["censure"]},
         "Sanctions can follow only a finding of breach"),
        ({"outcome": "breach", "ip_view": "x", "reasons": "x", "sanctions": ["suspension"]},
         "Choose sanctions from the list"),
        ({"ip_view": "x", "reasons": "x"}, "Choose what the panel found"),
        ({"outcome": "breach", "ip_view": "x"}, "Enter the panel&#x27;s reasons"),
    ],
)  # fmt: skip
def test_a_bad_hearing_record_is_an_error_and_nothing_is_saved(client, world, data, message):
    case = at_stage(world["cases"]["northmoor"], Stage.HEARING)
    sign_in(client, world["users"]["mo"])
    response = hearing(client, case, **day_fields("hearing_on", timezone.localdate()), **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and html.count(message) >= 2
    case.refresh_from_db()
    assert (case.stage, case.version, Decision.objects.count()) == (Stage.HEARING, 0, 0)


def test_a_conflicted_monitoring_officer_cannot_record_the_hearing(client, world):
    case = at_stage(world["cases"]["northmoor"], Stage.HEARING)
    ConflictOfInterest.objects.create(
        case=case, officer=world["users"]["mo"], reason="Friend", declared_at=timezone.now()
    )
    sign_in(client, world["users"]["mo"])
    assert client.get(action_url(case, Action.RECORD_HEARING)).status_code == 404
