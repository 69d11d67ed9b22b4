"""Complainants who complain often: the case page shows each complainant's other complaints, and
the Monitoring Officer can record that one is treated as vexatious or persistent. Officers only;
it never stops a complaint from being logged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from complaints.models import (
    Case,
    ComplainantRestriction,
    Complaint,
    Event,
    EventKind,
    OutboxMessage,
    Stage,
)
from tests.complaints.journey import ABOUT, Journey
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.intake_data import action_url, at_stage
from tests.factories import make_code, make_councillor, make_district

pytestmark = pytest.mark.django_db

EARLIER = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def other_case(authority, number, email):
    case = Case.objects.create(reference=f"MO-2026-{number:05d}", authority=authority, opened_at=EARLIER)
    Complaint.objects.create(
        reference=f"MO-2026-{number:05d}-C1",
        case=case,
        authority=authority,
        complainant_name="Complainant One",
        complainant_email=email,
        complainant_type="public",
        outcome_sought="Resignation.",
        submitted_at=EARLIER,
    )
    return case


def restrict_url(case):
    return f"/officer/cases/{case.reference}/complainants/restrict/"


def restriction_data(**overrides):
    review = timezone.localdate() + timedelta(days=180)
    return {
        "version": 0,
        "complaint": "MO-2026-00001-C1",
        "kind": "persistent",
        "reason": "Twelve complaints in a year about the same councillor; contact by e-mail only.",
        "ip_view": "The Independent Person agrees.",
        "review_on_0": str(review.day),
        "review_on_1": str(review.month),
        "review_on_2": str(review.year),
        **overrides,
    }


def test_the_complaints_page_shows_the_complainants_other_complaints_that_the_viewer_may_see(client, world):
    case = world["cases"]["northmoor"]
    other_case(world["councils"]["northmoor"], 40, "Complainant1@EXAMPLE.com")
    other_case(world["councils"]["southshire"], 41, "complainant1@example.com")
    sign_in(client, world["users"]["case_officer"])
    html = client.get(f"/officer/cases/{case.reference}/complaints/").content.decode()
    assert "Complainants&#x27; other complaints" in html or "Complainants' other complaints" in html
    assert "1 other complaint" in html
    assert 'href="/officer/cases/MO-2026-00040/"' in html
    assert "MO-2026-00041" not in html  # another council's case is not shown


def test_an_independent_person_does_not_see_the_complainants_history(client, world):
    case = world["cases"]["northmoor"]
    other_case(world["councils"]["northmoor"], 40, "complainant1@example.com")
    sign_in(client, world["users"]["independent_person"])
    for sub_page in ("", "complaints/"):
        response = client.get(f"/officer/cases/{case.reference}/{sub_page}")
        assert response.status_code == 200
        html = response.content.decode()
        assert "other complaints" not in html and "MO-2026-00040" not in html


def test_the_mo_records_a_complainant_as_persistent_and_officers_see_it(client, world):
    case = world["cases"]["northmoor"]
    mo = world["users"]["mo"]
    sign_in(client, mo)
    assert (
        f'href="{restrict_url(case)}?complaint=MO-2026-00001-C1"'
        in client.get(f"/officer/cases/{case.reference}/complaints/").content.decode()
    )
    assert client.get(restrict_url(case) + "?complaint=MO-2026-00001-C1").status_code == 200
    response = client.post(restrict_url(case), restriction_data())
    assert response.status_code == 302
    assert response["Location"] == f"/officer/cases/{case.reference}/complaints/#complainants"
    restriction = ComplainantRestriction.objects.get()
    assert restriction.email == "complainant1@example.com" and restriction.authority == world["councils"]["northmoor"]
    assert restriction.kind == "persistent" and restriction.recorded_by == mo and restriction.case == case
    assert restriction.ip_view == "The Independent Person agrees."
    event = Event.objects.get(case=case, kind=EventKind.COMPLAINANT_FLAGGED)
    assert event.actor == mo and "treated as persistent" in event.description
    assert Case.objects.get(pk=case.pk).version == 1

    client.logout()
    sign_in(client, world["users"]["case_officer"])
    html = client.get(f"/officer/cases/{case.reference}/complaints/").content.decode()
    assert "Persistent complainant" in html and "Twelve complaints in a year" in html
    assert "Restrict contact" not in html  # a case officer cannot record one


def test_a_case_officer_cannot_restrict_a_complainant_and_a_conflicted_officer_cannot_see_the_page(client, world):
    case = world["cases"]["northmoor"]
    sign_in(client, world["users"]["case_officer"])
    assert client.post(restrict_url(case), restriction_data()).status_code == 403
    client.logout()
    sign_in(client, world["users"]["conflicted_officer"])
    assert client.get(restrict_url(case)).status_code == 404
    assert not ComplainantRestriction.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"review_on_0": "", "review_on_1": "", "review_on_2": ""}, "Enter the date the restriction will be reviewed"),
        ({"review_on_0": "31", "review_on_1": "2", "review_on_2": "2027"}, "Review date must be a real date"),
        ({"review_on_0": "1", "review_on_1": "1", "review_on_2": "2020"}, "Review date must be in the future"),
        ({"kind": ""}, "Select vexatious or persistent"),
        ({"reason": ""}, "Give the reasons for restricting the complainant"),
    ],
)
def test_bad_input_is_an_error_and_nothing_is_recorded(client, world, overrides, message):
    case = world["cases"]["northmoor"]
    sign_in(client, world["users"]["mo"])
    response = client.post(restrict_url(case), restriction_data(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and message.replace("'", "&#x27;") in html
    assert not ComplainantRestriction.objects.exists()
    assert not Event.objects.filter(kind=EventKind.COMPLAINANT_FLAGGED).exists()


def test_a_stale_restriction_form_keeps_what_was_typed(client, world):
    case = world["cases"]["northmoor"]
    Case.objects.filter(pk=case.pk).update(version=2)
    sign_in(client, world["users"]["mo"])
    response = client.post(restrict_url(case), restriction_data())
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else changed this case" in html and "Twelve complaints in a year" in html
    assert not ComplainantRestriction.objects.exists()


def test_a_restriction_never_reaches_an_e_mail_to_the_complainant(client, world):
    case = at_stage(world["cases"]["northmoor"], Stage.ACKNOWLEDGED)
    sign_in(client, world["users"]["mo"])
    client.post(restrict_url(case), restriction_data())
    case.refresh_from_db()
    response = client.post(
        action_url(case, "request_information"),
        {"version": case.version, "complaint": "MO-2026-00001-C1", "question": "Which post?"},
    )
    assert response.status_code == 302
    for message in OutboxMessage.objects.filter(case=case):
        text = f"{message.subject} {message.context}".lower()
        assert "persistent" not in text and "vexatious" not in text and "twelve complaints" not in text


def test_the_public_form_still_accepts_a_complaint_from_a_restricted_e_mail(
    client, world, django_capture_on_commit_callbacks
):
    council = make_district("Westmoor District Council", "westmoor")
    make_code(council)
    councillor = make_councillor(council, "Jo Bloggs")
    flagged_from = other_case(council, 50, ABOUT["email"].upper())
    ComplainantRestriction.objects.create(
        authority=council,
        email=ABOUT["email"],
        kind="vexatious",
        reason="Abusive e-mails to staff.",
        review_on=timezone.localdate() + timedelta(days=90),
        case=flagged_from,
        recorded_by=world["users"]["mo"],
        recorded_at=timezone.now(),
    )
    journey = Journey(client)
    journey.complete_up_to_check(council, [councillor])
    with django_capture_on_commit_callbacks(execute=True):
        response = journey.send()
    assert response.status_code == 302
    complaint = Complaint.objects.filter(complainant_email=ABOUT["email"]).get()
    confirmation = client.get(response["Location"]).content.decode()
    assert complaint.reference in confirmation and "vexatious" not in confirmation.lower()
    [message] = OutboxMessage.objects.filter(complaint=complaint)
    assert "vexatious" not in f"{message.subject} {message.context}".lower()
