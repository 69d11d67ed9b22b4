"""Loose ends of the process: the decision-notice clock is met by publishing the notice, and the
councillor complained about is told the outcome of every decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from django.utils import timezone

from complaints import roles
from complaints.models import (
    Authority,
    Councillor,
    Deadline,
    DeadlineKind,
    Decision,
    Event,
    EventKind,
    OutboxMessage,
    Stage,
)
from complaints.process import Action
from complaints.services.clocks import clock_start
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.decisions_data import (
    action_url,
    add_complaint,
    at_stage,
    day_fields,
    under_review,
    with_clauses,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    case = world["cases"]["northmoor"]
    with_clauses(case)
    return at_stage(case, Stage.ASSESSMENT)


def decide(client, case, **data):
    data = {"outcome": "no_further_action", "no_further_action_reason": "trivial", "reasons": "Trivial.", **data}
    return client.post(action_url(case, Action.DECIDE), {"version": case.version, **data})


def notice_url(decision: Decision, action: str = "") -> str:
    base = f"/officer/cases/{decision.case.reference}/decisions/{decision.public_id}/notice/"
    return base + (f"{action}/" if action else "")


def publish(client, decision: Decision):
    html = client.get(notice_url(decision)).content.decode()
    start = html.index('name="digest" value="') + len('name="digest" value="')
    return client.post(notice_url(decision, "publish"), {"digest": html[start : start + 64]})


# --- the decision-notice clock --------------------------------------------------------------------


def test_publishing_the_decision_notice_meets_the_decision_notice_clock(client, world, case):
    mo = world["users"]["mo"]
    sign_in(client, mo)
    assert decide(client, case).status_code == 302
    clock = Deadline.objects.get(case=case, kind=DeadlineKind.DECISION_NOTICE)
    assert clock.met_at is None
    case.refresh_from_db()
    assert case.next_due_on is not None

    assert publish(client, Decision.objects.get(case=case)).status_code == 302

    clock.refresh_from_db()
    assert clock.met_at is not None
    met = Event.objects.get(case=case, kind=EventKind.CLOCK_MET, details__kind=DeadlineKind.DECISION_NOTICE)
    assert met.actor == mo and "Decision notice met: decision notice published" in met.description
    case.refresh_from_db()
    # The review window is the only clock left running on the closed case.
    assert list(Deadline.objects.filter(case=case, met_at__isnull=True).values_list("kind", flat=True)) == [
        DeadlineKind.REVIEW_WINDOW
    ]


def test_withdrawing_and_publishing_again_meets_the_clock_only_once(client, world, case):
    sign_in(client, world["users"]["mo"])
    assert decide(client, case).status_code == 302
    decision = Decision.objects.get(case=case)
    assert publish(client, decision).status_code == 302
    assert client.post(notice_url(decision, "withdraw"), {"reason": "A typo in the facts."}).status_code == 302
    assert publish(client, decision).status_code == 302

    met = Event.objects.filter(case=case, kind=EventKind.CLOCK_MET, details__kind=DeadlineKind.DECISION_NOTICE)
    assert met.count() == 1


def test_publishing_an_earlier_notice_leaves_a_later_decisions_clock_running(client, world, case):
    mo = world["users"]["mo"]
    sign_in(client, mo)
    assert decide(client, case).status_code == 302
    earlier = Decision.objects.get(case=case)
    Decision.objects.filter(pk=earlier.pk).update(decided_on=timezone.localdate() - timedelta(days=3))
    Deadline.objects.filter(case=case, kind=DeadlineKind.DECISION_NOTICE).update(
        starts_on=timezone.localdate() - timedelta(days=3)
    )
    later = clock_start(case, DeadlineKind.DECISION_NOTICE, start=timezone.localdate())

    assert publish(client, earlier).status_code == 302

    later.refresh_from_db()
    assert later.met_at is None
    assert Deadline.objects.filter(case=case, kind=DeadlineKind.DECISION_NOTICE, met_at__isnull=False).count() == 1


# --- the councillor complained about is told the outcome -------------------------------------------

WITHHELD_NAME = "Philippa Quennell-Armstrong"
WITHHELD_EMAIL = "pq.armstrong@example.net"
REFUSED_NAME = "Bartholomew Fennimore"
REFUSED_EMAIL = "b.fennimore@example.net"
OPEN_NAME = "Desmond Ogunleye"


def councillor(case, name: str, email: str = "") -> Councillor:
    councillor = Councillor.objects.create(authority=case.authority, name=name, email=email, term_start="2022-05-05")
    for complaint in case.complaints.all():
        complaint.councillors.add(councillor)
    return councillor


def with_complainants(case):
    """Three more complainants: one whose identity is withheld, one who asked for confidentiality
    and was refused, and one who complained openly."""
    add_complaint(case, 2, name=WITHHELD_NAME, email=WITHHELD_EMAIL, confidential=True)
    refused = add_complaint(case, 3, name=REFUSED_NAME, email=REFUSED_EMAIL, confidential=True)
    refused.confidentiality_granted = False
    refused.save(update_fields=["confidentiality_granted"])
    add_complaint(case, 4, name=OPEN_NAME, email="d.ogunleye@example.org")
    return case


NAMING_REASONS = (
    f"{WITHHELD_NAME} ({WITHHELD_EMAIL}) and {REFUSED_NAME} ({REFUSED_EMAIL}) reported the post, as did {OPEN_NAME}."
)


def councillor_messages(case) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(case=case, template="decision_outcome_member").order_by("to"))


def text_of(message: OutboxMessage) -> str:
    return f"{message.to}\n{message.subject}\n" + render_to_string(f"emails/{message.template}.txt", message.context)


def assert_names_no_confidential_complainant(text: str):
    for needle in (WITHHELD_NAME, "Quennell", "Philippa", WITHHELD_EMAIL, REFUSED_NAME, "Fennimore", REFUSED_EMAIL):
        assert needle not in text, f"{needle} reached the councillor"


def test_each_councillor_with_an_e_mail_address_is_told_the_decision(client, world, case):
    with_complainants(case)
    councillor(case, "Jo Bloggs", "jo.bloggs@northmoor.example.gov.uk")
    councillor(case, "Sam Other", "sam.other@northmoor.example.gov.uk")
    councillor(case, "Lee Offline")
    mo = world["users"]["mo"]
    sign_in(client, mo)

    assert decide(client, case, reasons=NAMING_REASONS).status_code == 302

    messages = councillor_messages(case)
    assert [message.to for message in messages] == [
        "jo.bloggs@northmoor.example.gov.uk",
        "sam.other@northmoor.example.gov.uk",
    ]
    decision = Decision.objects.get(case=case)
    for message in messages:
        assert message.context["notice"] == f"decision:{decision.public_id}"
        assert message.complaint is None
        text = text_of(message)
        assert f"Dear Councillor {message.context['name']}," in text
        assert "no further action on the complaint about you" in text and case.reference in text
        assert_names_no_confidential_complainant(text)
        assert "[withheld]" in text
    # The complainants are still each told on their own, as before.
    assert OutboxMessage.objects.filter(case=case, template="decision_outcome").count() == 4
    event = Event.objects.get(case=case, kind=EventKind.MESSAGE_QUEUED, details__to="councillor")
    assert event.actor == mo
    assert "e-mailed to Cllr Jo Bloggs, Cllr Sam Other" in event.description
    assert "no e-mail address for Cllr Lee Offline" in event.description


def test_the_case_page_shows_the_councillors_told_among_who_has_been_told(client, world, case):
    with_complainants(case)
    councillor(case, "Jo Bloggs", "jo.bloggs@northmoor.example.gov.uk")
    councillor(case, "Lee Offline")
    sign_in(client, world["users"]["mo"])
    assert decide(client, case, reasons=NAMING_REASONS).status_code == 302

    html = client.get(f"/officer/cases/{case.reference}/").content.decode()

    told = html.split('id="told"')[1].split('id="complaints"')[0]
    councillors = told.split("Councillors told")[1]
    assert "Cllr Jo Bloggs" in councillors and "Queued" in councillors
    assert "Cllr Lee Offline" in councillors and "No e-mail address" in councillors
    # The round keeps the complainants' title.
    assert "Decision on your complaint" in told


def test_no_breach_after_investigation_tells_the_councillor(client, world):
    case = world["cases"]["parish"]
    with_clauses(case)
    councillor(case, "Pat Hedges", "pat.hedges@ashbylane.example.gov.uk")
    add_complaint(case, 2, name=WITHHELD_NAME, email=WITHHELD_EMAIL, confidential=True)
    at_stage(case, Stage.INVESTIGATION)
    sign_in(client, world["users"]["investigator"])
    response = client.post(
        action_url(case, Action.RECORD_INVESTIGATION_REPORT),
        {
            "version": case.version,
            "finding": "no_breach",
            "summary": f"Fair comment; {WITHHELD_NAME} misread it.",
            **day_fields("report_on", timezone.localdate()),
        },
    )
    assert response.status_code == 302
    (message,) = councillor_messages(case)
    text = text_of(message)
    assert message.to == "pat.hedges@ashbylane.example.gov.uk"
    assert "found that you did not break the Code of Conduct" in text
    assert_names_no_confidential_complainant(text)


def test_the_hearing_outcome_tells_the_councillor_with_the_recommended_sanctions(client, world):
    case = world["cases"]["parish"]
    with_clauses(case)
    with_complainants(case)
    councillor(case, "Pat Hedges", "pat.hedges@ashbylane.example.gov.uk")
    Authority.objects.filter(pk=case.authority_id).update(clerk_name="Sam Clerk", clerk_email="clerk@ashbylane.gov.uk")
    at_stage(case, Stage.HEARING)
    sign_in(client, world["users"]["mo"])
    response = client.post(
        action_url(case, Action.RECORD_HEARING),
        {
            "version": case.version,
            "outcome": "breach",
            "sanctions": ["apology"],
            "ip_view": f"Agrees; {REFUSED_NAME} was right.",
            "reasons": NAMING_REASONS,
            **day_fields("hearing_on", timezone.localdate()),
        },
    )
    assert response.status_code == 302
    (message,) = councillor_messages(case)
    text = text_of(message)
    assert "found that you broke the Code of Conduct" in text
    assert "The panel recommended to Ashby Lane Parish Council" in text and "apology" in text
    assert_names_no_confidential_complainant(text)
    assert OutboxMessage.objects.filter(case=case, template="hearing_recommendation").count() == 1


@pytest.mark.parametrize(
    ("result", "said"), [("upheld", "it stands"), ("overturned", "The decision has been set aside")]
)
def test_the_result_of_a_review_tells_the_councillor(client, world, result, said):
    case = world["cases"]["northmoor"]
    with_complainants(case)
    councillor(case, "Jo Bloggs", "jo.bloggs@northmoor.example.gov.uk")
    review = under_review(case, world["users"]["mo"])
    sign_in(client, world["users"]["deputy"])
    response = client.post(
        action_url(case, Action.DECIDE_REVIEW), {"version": 0, "result": result, "reasons": NAMING_REASONS}
    )
    assert response.status_code == 302
    (message,) = councillor_messages(case)
    assert message.context["notice"] == f"review:{review.public_id}"
    text = text_of(message)
    assert said in text
    assert_names_no_confidential_complainant(text)
    html = client.get(f"/officer/cases/{case.reference}/").content.decode()
    assert "Councillors told: Result of the review" in html


# --- roles: the records of the process ------------------------------------------------------------

PROCESS_MODELS = (
    "informalstep",
    "investigationreport",
    "reviewrequest",
    "informationrequest",
    "memberinvitation",
    "complainantrestriction",
    "decisionnotice",
    "publicinterestquestion",
)
STEPS = ("informalstep", "investigationreport", "reviewrequest", "informationrequest", "memberinvitation")
READ = {f"view_{model}" for model in PROCESS_MODELS}
# Typed in, not derived from complaints/roles.py: change a rule and change this table on purpose.
PROCESS_PERMISSIONS = {
    roles.MONITORING_OFFICER: READ
    | {f"{action}_{model}" for action in ("add", "change") for model in (*STEPS, "complainantrestriction")}
    | {"add_publicinterestquestion", "change_publicinterestquestion", "delete_publicinterestquestion"},
    roles.DEPUTY_MONITORING_OFFICER: READ
    | {f"{action}_{model}" for action in ("add", "change") for model in (*STEPS, "complainantrestriction")},
    roles.CASE_OFFICER: READ | {f"change_{model}" for model in STEPS},
    roles.INVESTIGATOR: set(),
    roles.INDEPENDENT_PERSON: set(),
    roles.COMMITTEE_MEMBER: set(),
    roles.SYSTEM_ADMINISTRATOR: {f"{action}_publicinterestquestion" for action in ("view", "add", "change", "delete")},
}


@pytest.mark.parametrize("role", roles.ROLES)
def test_each_role_holds_exactly_its_permissions_on_the_records_of_the_process(world, role):
    roles.roles_apply()
    held = set(
        Group.objects.get(name=role)
        .permissions.filter(content_type__app_label="complaints", content_type__model__in=PROCESS_MODELS)
        .values_list("codename", flat=True)
    )
    assert held == PROCESS_PERMISSIONS[role]


def test_nobody_changes_a_decision_notice_except_through_the_notice_pages(world):
    for role in roles.ROLES:
        codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert not {"add_decisionnotice", "change_decisionnotice", "delete_decisionnotice"} & codenames
