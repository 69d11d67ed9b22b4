"""Named users and cases for the officer workspace tests.

Northmoor District Council (with Ashby Lane Parish Council under it) and Southshire District
Council each have a case. Every role is represented, plus the awkward ones: an officer of the
other council, an investigator not appointed, an Independent Person not consulted, an officer
who declared a conflict on the Northmoor case, and a signed-in user with no role at all.
"""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group, User

from complaints import roles
from complaints.models import Authority, Case, Complaint, ConflictOfInterest, Consultation, OfficerProfile

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def _case(authority: Authority, number: int) -> Case:
    case = Case.objects.create(reference=f"MO-2026-{number:05d}", authority=authority, opened_at=NOW)
    Complaint.objects.create(
        reference=f"MO-2026-{number:05d}-C1",
        case=case,
        authority=authority,
        complainant_name=f"Complainant {number}",
        complainant_email=f"complainant{number}@example.com",
        complainant_type="public",
        outcome_sought="An apology.",
        submitted_at=NOW,
    )
    return case


@pytest.fixture
def world(db):
    northmoor = Authority.objects.create(name="Northmoor District Council", slug="northmoor", kind="district")
    parish = Authority.objects.create(
        name="Ashby Lane Parish Council", slug="ashby-lane", kind="parish", parent=northmoor
    )
    southshire = Authority.objects.create(name="Southshire District Council", slug="southshire", kind="district")
    cases = {"northmoor": _case(northmoor, 1), "parish": _case(parish, 2), "southshire": _case(southshire, 3)}

    def user(username, role=None, council=None):
        person = User.objects.create_user(username, password="pw", first_name=username.title(), last_name="Test")
        if role:
            person.groups.add(Group.objects.get(name=role))
        if council:
            OfficerProfile.objects.create(user=person, authority=council)
        return person

    users = {
        "mo": user("mo", roles.MONITORING_OFFICER, northmoor),
        "deputy": user("deputy", roles.DEPUTY_MONITORING_OFFICER, northmoor),
        "case_officer": user("caseofficer", roles.CASE_OFFICER, northmoor),
        "conflicted_officer": user("conflicted", roles.CASE_OFFICER, northmoor),
        "other_council_officer": user("southshire", roles.CASE_OFFICER, southshire),
        "investigator": user("investigator", roles.INVESTIGATOR),
        "unappointed_investigator": user("idle_investigator", roles.INVESTIGATOR),
        "independent_person": user("ip", roles.INDEPENDENT_PERSON),
        "unconsulted_ip": user("other_ip", roles.INDEPENDENT_PERSON),
        "committee_member": user("committee", roles.COMMITTEE_MEMBER),
        "system_administrator": user("sysadmin", roles.SYSTEM_ADMINISTRATOR),
        "no_role": user("nobody"),
    }
    Case.objects.filter(pk=cases["parish"].pk).update(investigator=users["investigator"])
    Consultation.objects.create(
        case=cases["northmoor"], independent_person=users["independent_person"], requested_at=NOW
    )
    ConflictOfInterest.objects.create(
        case=cases["northmoor"], officer=users["conflicted_officer"], reason="Neighbour", declared_at=NOW
    )
    return {"cases": cases, "users": users, "councils": {"northmoor": northmoor, "southshire": southshire}}
