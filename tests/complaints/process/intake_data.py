"""Helpers for the tests of the early actions on a case: their address, a councillor named in a
case, the council's Independent Persons, a confidential complainant."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import Group, User

from complaints import roles
from complaints.models import Case, Complaint, Councillor, OfficerProfile, SocialMediaPost
from guidance.models import Clause, CodeOfConduct


def action_url(case: Case, action: str) -> str:
    return f"/officer/cases/{case.reference}/actions/{action}/"


def at_stage(case: Case, stage: str) -> Case:
    Case.objects.filter(pk=case.pk).update(stage=stage)
    case.refresh_from_db()
    return case


def version_of(case: Case) -> int:
    return Case.objects.values_list("version", flat=True).get(pk=case.pk)


def councillor_in(case: Case, *, name="Jo Bloggs", email="cllr.bloggs@northmoor.example.gov.uk", posted_on=None):
    """A councillor named in the case's complaint, with a post and two clauses alleged."""
    councillor = Councillor.objects.create(
        authority=case.authority, name=name, email=email, ward="Abbey", term_start=date(2023, 5, 4)
    )
    complaint = case.complaints.order_by("pk").first()
    complaint.councillors.add(councillor)
    code, _ = CodeOfConduct.objects.get_or_create(
        slug=f"{case.authority.slug}-code",
        defaults={
            "title": f"{case.authority.name} Code of Conduct",
            "authority": case.authority,
            "version": "2020",
            "effective_from": date(2020, 1, 1),
        },
    )
    respect, _ = Clause.objects.get_or_create(code=code, number="1", defaults={"heading": "Respect", "text": "x"})
    disrepute, _ = Clause.objects.get_or_create(code=code, number="5", defaults={"heading": "Disrepute", "text": "y"})
    complaint.code = code
    complaint.save(update_fields=["code"])
    complaint.clauses.add(respect, disrepute)
    SocialMediaPost.objects.create(
        complaint=complaint,
        case=case,
        platform="x",
        account_name="@CllrJoBloggs",
        url="https://x.com/CllrJoBloggs/status/1",
        posted_on=posted_on or (complaint.submitted_at.date() - timedelta(days=3)),
        text_reported="The residents of Elm Road are scroungers.",
        capacity_indicators=["account_name"],
    )
    return councillor


def confidential(
    complaint: Complaint,
    *,
    name="Priya Secret",
    email="priya.secret@example.com",
    address="7 Hidden Lane, Northmoor NM2 2ZZ",
):
    Complaint.objects.filter(pk=complaint.pk).update(
        complainant_name=name,
        complainant_email=email,
        complainant_address=address,
        complainant_phone="07700 900123",
        confidentiality_requested=True,
        confidentiality_reason="I fear for my job.",
        confidentiality_granted=True,
    )
    complaint.refresh_from_db()
    return complaint


def independent_persons(world) -> tuple[User, User]:
    """The world's Independent Person, appointed by Northmoor, and a second one of Northmoor."""
    northmoor = world["councils"]["northmoor"]
    first = world["users"]["independent_person"]
    first.email = "ip@example.org"
    first.save(update_fields=["email"])
    OfficerProfile.objects.create(user=first, authority=northmoor)
    second = User.objects.create_user(
        "ip2", password="pw", first_name="Colin", last_name="Garside", email="ip2@example.org"
    )
    second.groups.add(Group.objects.get(name=roles.INDEPENDENT_PERSON))
    OfficerProfile.objects.create(user=second, authority=northmoor)
    return first, second
