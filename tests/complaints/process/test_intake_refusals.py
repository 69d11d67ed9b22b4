"""Every early action refuses the same way: a wrong stage, a wrong role, a conflicted officer, a
stale form and bad input are each turned away with a message, and nothing is saved."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from django.utils import timezone

from complaints.models import (
    CapacityIndicator,
    Case,
    ConflictOfInterest,
    Consultation,
    Event,
    InformationRequest,
    MemberInvitation,
    OutboxMessage,
    Stage,
)
from complaints.selectors.assessment import DEFAULT_PUBLIC_INTEREST_QUESTIONS
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.intake_data import action_url, at_stage, councillor_in, independent_persons

pytestmark = pytest.mark.django_db


def assessment_data() -> dict:
    data = {
        "was_councillor_at_time": "yes",
        "within_time_limit": "yes",
        "conduct_covered_by_code": "yes",
        "acting_as_councillor": "yes",
        "capacity_view": "The account is called Cllr and the post is about ward business.",
        "public_interest_view": "Serious enough to merit action.",
        "ip_views": "",
        "recommendation": "informal_resolution",
        "recommendation_reasons": "An apology would settle it.",
    }
    for code in CapacityIndicator.values:
        data[f"capacity_{code}"] = "unclear"
    for index in range(1, len(DEFAULT_PUBLIC_INTEREST_QUESTIONS) + 1):
        data[f"public_interest_{index}"] = "yes"
    return data


@dataclass
class Case_:
    action: str
    stage: str  # a stage where the action is allowed
    wrong_stage: str
    text_field: str  # a typed field that must survive a refusal
    bad: dict  # overrides making the input invalid
    bad_message: str


def _setup(world, action, case):
    """What the action needs to exist first; returns extra form data."""
    if action in ("invite_member", "record_member_response"):
        councillor = councillor_in(case)
        if action == "invite_member":
            return {"councillors": [str(councillor.public_id)], "method": "email", "note": "Please reply promptly."}
        invitation = MemberInvitation.objects.create(
            case=case, councillor=councillor, method="email", invited_at=timezone.now()
        )
        return {f"response_{invitation.pk}": "I deny it."}
    if action == "record_information":
        request = InformationRequest.objects.create(
            case=case, complaint=case.complaints.first(), question="When?", requested_at=timezone.now()
        )
        return {"request": str(request.pk), "answer": "On Tuesday."}
    if action == "request_information":
        return {"complaint": case.complaints.first().reference, "question": "Which post do you mean?"}
    if action == "consult_ip":
        _, second = independent_persons(world)
        return {"independent_person": second.get_username(), "question": "Should this be investigated?"}
    if action == "record_assessment":
        return assessment_data()
    if action == "acknowledge":
        return {"how": "phone", "note": "Rang her on Monday"}
    if action == "declare_conflict":
        return {"reason": "The councillor is my neighbour"}
    raise AssertionError(action)


CASES = [
    Case_(
        "acknowledge",
        Stage.RECEIVED,
        Stage.ASSESSMENT,
        "note",
        {"how": "fax"},
        "Select how the complainant was acknowledged",
    ),
    Case_(
        "declare_conflict",
        Stage.ASSESSMENT,
        Stage.CLOSED,
        "reason",
        {"reason": "x" * 2001},
        "must be 2,000 characters or fewer",
    ),
    Case_(
        "request_information",
        Stage.ACKNOWLEDGED,
        Stage.FURTHER_INFORMATION,
        "question",
        {"complaint": "MO-2026-99999-C1"},
        "Select the complaint whose complainant you are asking",
    ),
    Case_(
        "record_information",
        Stage.FURTHER_INFORMATION,
        Stage.ASSESSMENT,
        "answer",
        {"answer": ""},
        "Enter what the complainant sent",
    ),
    Case_(
        "invite_member",
        Stage.ACKNOWLEDGED,
        Stage.MEMBER_COMMENT,
        "note",
        {"councillors": []},
        "Select at least one councillor to invite",
    ),
    Case_("record_member_response", Stage.MEMBER_COMMENT, Stage.ASSESSMENT, None, {}, "Enter at least one councillor"),
    Case_(
        "consult_ip",
        Stage.ASSESSMENT,
        Stage.RECEIVED,
        "question",
        {"question": ""},
        "Enter the question for the Independent Person",
    ),
    Case_(
        "record_assessment",
        Stage.ASSESSMENT,
        Stage.FURTHER_INFORMATION,
        "capacity_view",
        {"capacity_branding": ""},
        "Answer the indicator: it uses the council",
    ),
]
IDS = [c.action for c in CASES]


def _snapshot(case):
    return (
        Case.objects.values_list("stage", "version", "assigned_officer_id").get(pk=case.pk),
        Event.objects.filter(case=case).exclude(kind="case_viewed").count(),
        OutboxMessage.objects.filter(case=case).count(),
        ConflictOfInterest.objects.filter(case=case).count(),
        Consultation.objects.filter(case=case).count(),
        InformationRequest.objects.filter(case=case, answered_at__isnull=False).count(),
        MemberInvitation.objects.filter(case=case).exclude(responded__isnull=True).count(),
    )


@pytest.fixture
def prepared(world, request):
    spec = replace(request.param, bad=dict(request.param.bad))
    case = at_stage(world["cases"]["northmoor"], spec.stage)
    data = {"version": case.version, **_setup(world, spec.action, case)}
    if spec.action == "record_member_response":
        key = next(k for k in data if k.startswith("response_"))
        spec.bad[key] = ""
        spec.text_field = None
    return spec, case, data


@pytest.mark.parametrize("prepared", CASES, ids=IDS, indirect=True)
def test_the_form_is_offered_and_a_good_submission_is_accepted(client, world, prepared):
    spec, case, data = prepared
    sign_in(client, world["users"]["mo"])
    assert client.get(action_url(case, spec.action)).status_code == 200
    response = client.post(action_url(case, spec.action), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Case.objects.get(pk=case.pk).version == case.version + 1


@pytest.mark.parametrize("prepared", CASES, ids=IDS, indirect=True)
def test_a_wrong_stage_is_refused_with_the_reason_and_nothing_is_saved(client, world, prepared):
    spec, case, data = prepared
    sign_in(client, world["users"]["mo"])
    Case.objects.filter(pk=case.pk).update(
        stage=spec.wrong_stage, closed_at=timezone.now() if spec.wrong_stage == Stage.CLOSED else None
    )
    before = _snapshot(case)
    response = client.post(action_url(case, spec.action), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "where you cannot" in html
    assert _snapshot(case) == before
    assert client.get(action_url(case, spec.action)).status_code == 302


@pytest.mark.parametrize("prepared", CASES, ids=IDS, indirect=True)
@pytest.mark.parametrize(
    ("who", "status"),
    [("committee_member", 404), ("independent_person", 403), ("investigator", 404), ("conflicted_officer", 404)],
)
def test_users_who_may_not_take_the_action_are_refused(client, world, prepared, who, status):
    spec, case, data = prepared
    before = _snapshot(case)
    sign_in(client, world["users"][who])
    assert client.get(action_url(case, spec.action)).status_code == status
    assert client.post(action_url(case, spec.action), data).status_code == status
    assert _snapshot(case) == before


@pytest.mark.parametrize("prepared", CASES, ids=IDS, indirect=True)
def test_a_stale_form_is_shown_again_with_what_was_typed(client, world, prepared):
    spec, case, data = prepared
    Case.objects.filter(pk=case.pk).update(version=case.version + 5)
    before = _snapshot(case)
    sign_in(client, world["users"]["mo"])
    response = client.post(action_url(case, spec.action), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else changed this case while you were working on it" in html
    if spec.text_field:
        assert data[spec.text_field] in html
    assert _snapshot(case) == before


@pytest.mark.parametrize("prepared", CASES, ids=IDS, indirect=True)
def test_bad_input_gets_an_error_summary_and_an_inline_message_and_nothing_is_saved(client, world, prepared):
    spec, case, data = prepared
    before = _snapshot(case)
    sign_in(client, world["users"]["mo"])
    response = client.post(action_url(case, spec.action), {**data, **spec.bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "govuk-error-message" in html
    assert spec.bad_message.replace("'", "&#x27;") in html or spec.bad_message in html
    if spec.text_field and spec.text_field not in spec.bad:
        assert data[spec.text_field] in html
    assert _snapshot(case) == before
