"""Cases ready for each deciding action, built on the `world` of tests/complaints/officer/conftest.py."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from complaints.models import (
    Case,
    Complaint,
    Decision,
    DecisionKind,
    InformalStep,
    Outcome,
    ReviewRequest,
    Stage,
)
from complaints.services.clocks import clock_start
from guidance.models import Clause, CodeOfConduct


def action_url(case: Case, action: str) -> str:
    return f"/officer/cases/{case.reference}/actions/{action}/"


def day_fields(name: str, day: date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def at_stage(case: Case, stage: str) -> Case:
    closed_at = timezone.now() if stage == Stage.CLOSED else None
    Case.objects.filter(pk=case.pk).update(stage=stage, closed_at=closed_at)
    case.refresh_from_db()
    return case


def with_clauses(case: Case) -> list[Clause]:
    """The case's council's code, with clauses 1 and 5 alleged in its first complaint."""
    code = CodeOfConduct.objects.create(
        slug=f"{case.authority.slug}-code",
        title=f"{case.authority.name} Code of Conduct",
        authority=case.authority,
        version="2020",
        effective_from=date(2020, 1, 1),
    )
    clauses = [
        Clause.objects.create(code=code, number="1", heading="Respect", text="Respect others.", position=1),
        Clause.objects.create(code=code, number="5", heading="Disrepute", text="No disrepute.", position=5),
        Clause.objects.create(code=code, number="9", heading="Interests", text="Register interests.", position=9),
    ]
    case.complaints.first().clauses.set(clauses[:2])
    return clauses


def add_complaint(case: Case, number: int, *, name: str, email: str, confidential: bool = False) -> Complaint:
    return Complaint.objects.create(
        reference=f"{case.reference}-C{number}",
        case=case,
        authority=case.authority,
        complainant_name=name,
        complainant_email=email,
        complainant_type="public",
        outcome_sought="An apology.",
        submitted_at=case.opened_at + timedelta(hours=number),
        confidentiality_requested=confidential,
        confidentiality_reason="Fear of reprisal" if confidential else "",
    )


def decided(case: Case, user, outcome: str, *, kind: str = DecisionKind.ASSESSMENT, on: date | None = None) -> Decision:
    return Decision.objects.create(
        case=case,
        kind=kind,
        outcome=outcome,
        no_further_action_reason="trivial" if outcome == Outcome.NO_FURTHER_ACTION else "",
        reasons="Reasons given earlier.",
        decided_by=user,
        decided_on=on or timezone.localdate(),
        decided_at=timezone.now(),
    )


def under_informal_resolution(case: Case, user, kinds=("apology", "remove_post")) -> list[InformalStep]:
    decision = decided(case, user, Outcome.INFORMAL_RESOLUTION)
    Case.objects.filter(pk=case.pk).update(outcome=Outcome.INFORMAL_RESOLUTION)
    at_stage(case, Stage.INFORMAL_RESOLUTION)
    return [InformalStep.objects.create(case=case, decision=decision, kind=kind) for kind in kinds]


def closed_with_no_further_action(case: Case, user, *, days_ago: int = 0) -> Decision:
    on = timezone.localdate() - timedelta(days=days_ago)
    decision = decided(case, user, Outcome.NO_FURTHER_ACTION, on=on)
    Case.objects.filter(pk=case.pk).update(outcome=Outcome.NO_FURTHER_ACTION)
    at_stage(case, Stage.CLOSED)
    clock_start(case, "review_window", start=on)
    return decision


def under_review(case: Case, user) -> ReviewRequest:
    decision = closed_with_no_further_action(case, user)
    at_stage(case, Stage.REVIEW)
    return ReviewRequest.objects.create(
        case=case,
        decision=decision,
        complaint=case.complaints.first(),
        requested_on=timezone.localdate(),
        grounds="The post was plainly about council business.",
        recorded_by=user,
        recorded_at=timezone.now(),
    )
