"""The case page's sections for the early steps, and the complaints page's repeat complainants,
cost a fixed number of queries, however many questions, invitations, consultations and repeat
complaints a case has."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import roles
from complaints.models import (
    Assessment,
    ComplainantRestriction,
    Complaint,
    Consultation,
    InformationRequest,
    MemberInvitation,
)
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.intake_data import councillor_in
from tests.complaints.process.test_complainants import other_case

pytestmark = pytest.mark.django_db


def _queries(client, case) -> dict[str, int]:
    counts = {}
    for sub_page in ("", "complaints/"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/officer/cases/{case.reference}/{sub_page}")
        assert response.status_code == 200
        counts[sub_page or "case"] = len(captured)
    return counts


def _add_rows(world, case, start: int, count: int):
    now = timezone.now()
    northmoor = world["councils"]["northmoor"]
    for index in range(start, start + count):
        complaint = Complaint.objects.create(
            reference=f"{case.reference}-C{index}",
            case=case,
            authority=northmoor,
            complainant_name=f"Person {index}",
            complainant_email=f"p{index}@example.com",
            complainant_type="public",
            outcome_sought="An apology.",
            submitted_at=now,
        )
        other_case(northmoor, 100 + index, f"P{index}@example.com")
        ComplainantRestriction.objects.create(
            authority=northmoor,
            email=f"p{index}@example.com",
            kind="persistent",
            reason="Often.",
            review_on=timezone.localdate() + timedelta(days=30),
            case=case,
            recorded_by=world["users"]["mo"],
            recorded_at=now,
        )
        InformationRequest.objects.create(case=case, complaint=complaint, question="When?", requested_at=now)
        councillor = councillor_in(case, name=f"Councillor {index}", email=f"c{index}@example.com")
        MemberInvitation.objects.create(case=case, councillor=councillor, method="email", invited_at=now)
        ip = User.objects.create_user(f"ip{index}", first_name="Ip", last_name=str(index))
        ip.groups.add(Group.objects.get(name=roles.INDEPENDENT_PERSON))
        Consultation.objects.create(
            case=case, independent_person=ip, requested_at=now, view="Fine.", view_recorded_at=now
        )


def test_the_new_sections_cost_the_same_queries_with_one_row_or_many(client, world):
    case = world["cases"]["northmoor"]
    Assessment.objects.create(
        case=case,
        capacity_indicators={"account_name": {"answer": "yes", "note": ""}},
        recommendation="no_further_action",
        completed_at=timezone.now(),
    )
    _add_rows(world, case, 2, 1)
    sign_in(client, world["users"]["mo"])
    small = _queries(client, case)
    _add_rows(world, case, 3, 6)
    html = client.get(f"/officer/cases/{case.reference}/").content.decode()
    assert "Councillor 8" in html
    html = client.get(f"/officer/cases/{case.reference}/complaints/").content.decode()
    assert html.count("Persistent complainant") == 7
    assert _queries(client, case) == small
