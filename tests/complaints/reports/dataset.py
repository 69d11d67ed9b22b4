"""A small world of cases for the committee report tests, described as plain data (SPEC) and built
from it, so that the tests can count every figure from the same description on their own.

Northmoor District Council has Ashby Lane Parish Council and Kingsford Town Council under it;
Southshire District Council is another principal council. The report year is 1 April 2026 to
31 March 2027; the previous period is 1 April 2025 to 31 March 2026.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.models import User

from complaints.models import (
    Authority,
    Case,
    Complaint,
    Councillor,
    Deadline,
    Decision,
    SocialMediaPost,
    TakedownRequest,
)
from guidance.models import Clause
from tests.factories import make_code

START, END = date(2026, 4, 1), date(2027, 3, 31)
PREVIOUS_START, PREVIOUS_END = date(2025, 4, 1), date(2026, 3, 31)
HEADINGS = {
    "1": "Respect",
    "2": "Bullying, harassment and discrimination",
    "4": "Confidentiality and access to information",
    "5": "Disrepute",
}
COUNCILS = {
    "northmoor": ("Northmoor District Council", "district", None),
    "ashby": ("Ashby Lane Parish Council", "parish", "northmoor"),
    "kingsford": ("Kingsford Town Council", "town", "northmoor"),
    "southshire": ("Southshire District Council", "district", None),
}


@dataclass
class ComplaintSpec:
    submitted: datetime
    type: str = "public"
    clauses: tuple[str, ...] = ()
    party: str = "Green Party"


@dataclass
class ClockSpec:
    kind: str
    due: date
    met: datetime | None


@dataclass
class CaseSpec:
    ref: str
    council: str
    opened: datetime
    complaints: list[ComplaintSpec] = field(default_factory=list)
    platforms: tuple[str, ...] = ()
    closed: datetime | None = None
    outcome: str = ""
    stage: str = "received"
    decision: tuple[date, str, tuple[str, ...]] | None = None  # (decided_on, outcome, clauses breached)
    clocks: list[ClockSpec] = field(default_factory=list)
    takedowns: list[tuple[datetime | None, str]] = field(default_factory=list)  # (requested_at, status)
    merged_into: str | None = None


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


SPEC: list[CaseSpec] = [
    # Three linked complaints about one post: three complaints, one case.
    CaseSpec(
        "RPT-A",
        "northmoor",
        at(date(2026, 5, 10)),
        [
            ComplaintSpec(at(date(2026, 5, 10)), "public", ("1", "5")),
            ComplaintSpec(at(date(2026, 5, 11)), "public", ("1",)),
            ComplaintSpec(at(date(2026, 5, 12)), "councillor", ("5",)),
        ],
        platforms=("facebook",),
        closed=at(date(2026, 9, 1)),
        outcome="informal_resolution",
        stage="closed",
        decision=(date(2026, 8, 3), "informal_resolution", ()),
        clocks=[
            ClockSpec("acknowledge", date(2026, 5, 15), at(date(2026, 5, 12))),
            ClockSpec("assessment", date(2026, 6, 10), at(date(2026, 6, 9))),
        ],
        takedowns=[(at(date(2026, 6, 1)), "complied")],
    ),
    # Sent at 00:30 on 1 April, London time (23:30 UTC the day before): in the report year.
    CaseSpec(
        "RPT-B",
        "ashby",
        datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
        [ComplaintSpec(datetime(2026, 3, 31, 23, 30, tzinfo=UTC), "clerk", ("2",), "Independent")],
        platforms=("x",),
        stage="assessment",
        clocks=[ClockSpec("acknowledge", date(2026, 4, 8), at(date(2026, 4, 10)))],
        takedowns=[(None, "draft")],
    ),
    CaseSpec(
        "RPT-C",
        "kingsford",
        at(date(2026, 7, 15)),
        [
            ComplaintSpec(at(date(2026, 7, 15)), "public", ("1",)),
            ComplaintSpec(at(date(2026, 7, 16)), "mp", ("1",)),
        ],
        platforms=("facebook", "instagram"),
        closed=at(date(2027, 1, 10)),
        outcome="breach",
        stage="closed",
        decision=(date(2027, 1, 5), "breach", ("1",)),
        clocks=[
            ClockSpec("acknowledge", date(2026, 7, 22), None),
            ClockSpec("assessment", date(2026, 8, 12), at(date(2026, 8, 20))),
        ],
        takedowns=[(at(date(2026, 8, 1)), "sent")],
    ),
    # The previous period.
    CaseSpec(
        "RPT-D",
        "northmoor",
        at(date(2025, 10, 1)),
        [ComplaintSpec(at(date(2025, 10, 1)), "public", ("4",), "Labour")],
        platforms=("x",),
        closed=at(date(2026, 2, 1)),
        outcome="no_further_action",
        stage="closed",
        decision=(date(2025, 11, 3), "no_further_action", ()),
        clocks=[ClockSpec("acknowledge", date(2025, 10, 8), at(date(2025, 10, 2)))],
        takedowns=[(at(date(2025, 10, 10)), "complied")],
    ),
    # Merged into A: its complaints were moved there; it is skipped everywhere.
    CaseSpec(
        "RPT-E",
        "northmoor",
        at(date(2026, 6, 2)),
        [],
        platforms=(),
        clocks=[ClockSpec("acknowledge", date(2026, 6, 9), None)],
        merged_into="RPT-A",
    ),
    # Another principal council: only in the "all councils" report.
    CaseSpec(
        "RPT-F",
        "southshire",
        at(date(2026, 8, 1)),
        [ComplaintSpec(at(date(2026, 8, 1)), "public", ("1",), "Labour")],
        platforms=("tiktok",),
        stage="acknowledged",
        clocks=[ClockSpec("acknowledge", date(2026, 8, 7), at(date(2026, 8, 3)))],
    ),
    CaseSpec(
        "RPT-G",
        "northmoor",
        at(date(2027, 3, 20)),
        [ComplaintSpec(at(date(2027, 3, 20)), "officer", ("1",))],
        platforms=("tiktok",),
        stage="received",
        clocks=[ClockSpec("acknowledge", date(2027, 3, 26), at(date(2027, 3, 22)))],
    ),
    # Open at the end of the year, closed after it.
    CaseSpec(
        "RPT-H",
        "northmoor",
        at(date(2027, 2, 1)),
        [ComplaintSpec(at(date(2027, 2, 1)), "public", ("1",))],
        platforms=("facebook",),
        closed=at(date(2027, 4, 15)),
        outcome="no_further_action",
        stage="closed",
        decision=(date(2027, 4, 14), "no_further_action", ()),
        clocks=[ClockSpec("acknowledge", date(2027, 2, 8), at(date(2027, 2, 5)))],
    ),
]


def build() -> dict:
    """Create the councils, a code, the cases of SPEC and their rows; return what was made."""
    authorities: dict[str, Authority] = {}
    for key, (name, kind, parent) in COUNCILS.items():
        authorities[key] = Authority.objects.create(
            name=name, slug=key, kind=kind, parent=authorities.get(parent) if parent else None
        )
    code = make_code(authorities["northmoor"])
    clauses = {c.number: c for c in Clause.objects.filter(code=code)}
    officer = User.objects.create_user("report-officer")
    councillors: dict[tuple[str, str], Councillor] = {}
    cases: dict[str, Case] = {}
    number = 0
    for spec in SPEC:
        case = Case.objects.create(
            reference=spec.ref,
            authority=authorities[spec.council],
            opened_at=spec.opened,
            closed_at=spec.closed,
            outcome=spec.outcome,
            stage=spec.stage,
        )
        cases[spec.ref] = case
        for complaint_spec in spec.complaints:
            number += 1
            complaint = Complaint.objects.create(
                reference=f"{spec.ref}-{number}",
                case=case,
                authority=authorities[spec.council],
                complainant_name=f"Person {number}",
                complainant_email=f"person{number}@example.com",
                complainant_type=complaint_spec.type,
                outcome_sought="An apology.",
                submitted_at=complaint_spec.submitted,
                code=code,
            )
            complaint.clauses.set([clauses[n] for n in complaint_spec.clauses])
            key = (spec.council, complaint_spec.party)
            if key not in councillors:
                councillors[key] = Councillor.objects.create(
                    authority=authorities[spec.council],
                    name=f"Councillor {len(councillors) + 1}",
                    party=complaint_spec.party,
                    term_start=date(2023, 5, 4),
                )
            complaint.councillors.set([councillors[key]])
            for position, platform in enumerate(spec.platforms):
                SocialMediaPost.objects.create(
                    complaint=complaint,
                    case=case,
                    platform=platform,
                    account_name="Cllr Someone",
                    text_reported="A post.",
                    position=position,
                )
        if spec.decision:
            decided_on, outcome, breached = spec.decision
            decision = Decision.objects.create(
                case=case, outcome=outcome, reasons="Reasons.", decided_by=officer, decided_on=decided_on
            )
            decision.clauses_breached.set([clauses[n] for n in breached])
        for clock in spec.clocks:
            Deadline.objects.create(
                case=case,
                kind=clock.kind,
                starts_on=clock.due - timedelta(days=7),
                working_days=5,
                due_on=clock.due,
                computation="For the test.",
                met_at=clock.met,
            )
        for requested_at, status in spec.takedowns:
            TakedownRequest.objects.create(case=case, requested_at=requested_at, status=status)
    for spec in SPEC:
        if spec.merged_into:
            Case.objects.filter(pk=cases[spec.ref].pk).update(merged_into=cases[spec.merged_into])
    return {"authorities": authorities, "cases": cases, "officer": officer}
