"""Cases with decisions to publish, on top of the officer workspace's named users (`world`).

The Northmoor case has two complaints: one from a complainant who gave their name openly and one
from a complainant whose identity is withheld (with an e-mail address, telephone and postal
address). Both complained about Cllr Jo Bloggs's post. The decision's free text names them all,
so every test can check that none of it reaches the public.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from complaints.models import Complaint, Decision, Outcome, SocialMediaPost
from guidance.models import Clause
from tests.complaints.officer.conftest import world  # noqa: F401  (the named users and cases)
from tests.factories import make_code, make_councillor

SECRET_NAME = "Philippa Quennell-Armstrong"
SECRET_EMAIL = "pq.armstrong@example.net"
SECRET_PHONE = "01632 960 777"
SECRET_ADDRESS = "12 Larkspur Mews\nOld Hatchford\nNM7 3ZZ"
OPEN_NAME = "Desmond Ogunleye"
OPEN_EMAIL = "d.ogunleye@example.org"
COUNCILLOR = "Jo Bloggs"
ACCOUNT = "@cllrjobloggs"
SUBMITTED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def complainant_details() -> list[str]:
    """Everything that would identify a complainant of the cases built here."""
    return [
        SECRET_NAME,
        "Quennell",
        "Armstrong",
        SECRET_EMAIL,
        SECRET_PHONE,
        "Larkspur Mews",
        "Old Hatchford",
        "NM7 3ZZ",
        OPEN_NAME,
        "Ogunleye",
        OPEN_EMAIL,
        "Complainant 1",
        "complainant1@example.com",
        "Complainant 2",
        "complainant2@example.com",
    ]


def councillor_details() -> list[str]:
    return ["Bloggs", ACCOUNT, "cllrjobloggs", "@jobloggs"]


def prepare_case(case, *, councillor_name=COUNCILLOR):
    """Add the councillor, the post and the two named complaints to one of the world's cases."""
    authority = case.authority
    code_owner = authority.principal
    code = code_owner.codes.first() or make_code(code_owner, slug=f"code-{code_owner.slug}")
    councillor = make_councillor(authority, councillor_name)
    first = case.complaints.first()
    first.councillors.add(councillor)
    first.clauses.set(code.clauses.filter(number__in=["1", "5"]))
    for number, (name, email, confidential) in enumerate(
        [(SECRET_NAME, SECRET_EMAIL, True), (OPEN_NAME, OPEN_EMAIL, False)], start=2
    ):
        complaint = Complaint.objects.create(
            reference=f"{case.reference}-C{number}",
            case=case,
            authority=authority,
            complainant_name=name,
            complainant_email=email,
            complainant_phone=SECRET_PHONE if confidential else "",
            complainant_address=SECRET_ADDRESS if confidential else "",
            complainant_type="public",
            outcome_sought="An apology.",
            submitted_at=SUBMITTED,
            confidentiality_requested=confidential,
            confidentiality_reason="I live on the same street." if confidential else "",
        )
        complaint.councillors.add(councillor)
    SocialMediaPost.objects.create(
        complaint=first,
        case=case,
        platform="x",
        account_name=ACCOUNT,
        url="https://x.com/cllrjobloggs/status/111",
        posted_on=date(2026, 3, 1),
        text_reported=f"{OPEN_NAME} of Larkspur Mews is a liar.",
    )
    return councillor, code


def make_decision(case, user, *, outcome=Outcome.BREACH, decided_on=date(2026, 6, 1), **fields) -> Decision:
    decision = Decision.objects.create(
        case=case,
        outcome=outcome,
        reasons=fields.get(
            "reasons",
            f"{SECRET_NAME} ({SECRET_EMAIL}, {SECRET_PHONE}, 12 Larkspur Mews) and {OPEN_NAME} complained that "
            f"Cllr {COUNCILLOR} ({ACCOUNT}) called a resident a liar. Complainant 1 agreed.",
        ),
        sanctions=fields.get("sanctions", "Censure and training." if outcome == Outcome.BREACH else ""),
        ip_view=fields.get("ip_view", f"The Independent Person agreed with {OPEN_NAME} that Bloggs went too far."),
        decided_by=user,
        decided_on=decided_on,
    )
    clauses = list(Clause.objects.filter(code__authority=case.authority.principal, number__in=["1", "5"]))
    decision.clauses_engaged.set(clauses)
    if outcome == Outcome.BREACH:
        decision.clauses_breached.set(clauses[:1])
    return decision


@pytest.fixture
def northmoor(world):  # noqa: F811
    case = world["cases"]["northmoor"]
    prepare_case(case)
    return case


@pytest.fixture
def parish_case(world, northmoor):  # noqa: F811
    case = world["cases"]["parish"]
    prepare_case(case, councillor_name="Pat Quigley")
    return case
