"""The case page's sections for the early steps of a case: the flag for closure, questions to the
complainant, the councillor's invitations, the Independent Person's consultations, the initial
assessment, and each complainant's other complaints. A fixed number of queries, whatever the
number of complaints or rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from complaints.models import (
    Assessment,
    CapacityIndicator,
    Case,
    Complaint,
    Consultation,
    InformationRequest,
    MemberInvitation,
)
from complaints.selectors.case_page import RecordsPresent
from complaints.selectors.complainants import ComplainantHistory, complainant_histories


@dataclass
class CapacityAnswer:
    label: str
    answer: str
    note: str


@dataclass
class IntakeSections:
    information_requests: list[InformationRequest]
    invitations: list[MemberInvitation]
    consultations: list[Consultation]
    assessment: Assessment | None
    complainants: list[ComplainantHistory]
    capacity: list[CapacityAnswer] = field(default_factory=list)
    show_complainants: bool = False  # officers of the council only, never an IP or investigator
    may_restrict: bool = False
    consulted_ip: Consultation | None = None  # the viewer's own consultation, if they are the IP

    @property
    def repeat_complainants(self) -> int:
        return sum(1 for history in self.complainants if history.others or history.restriction)


def intake_sections(
    user, case: Case, complaints: list[Complaint], present: RecordsPresent | None = None
) -> IntakeSections:
    """`present` (selectors/case_page.records_present) says which kinds of record the case has;
    kinds it has none of are not read."""
    present = present or RecordsPresent()
    officer = user.has_perm("complaints.view_council_cases")
    consultations = (
        list(
            Consultation.objects.filter(case=case)
            .select_related("independent_person", "requested_by")
            .order_by("requested_at", "pk")
        )
        if present.consultations
        else []
    )
    assessment = (
        Assessment.objects.filter(case=case, completed_at__isnull=False)
        .select_related("assessed_by", "code_in_force", "independent_person")
        .first()
        if present.assessment
        else None
    )
    capacity = []
    if assessment is not None:
        labels = dict(CapacityIndicator.choices)
        for code, answer in (assessment.capacity_indicators or {}).items():
            if isinstance(answer, dict):
                capacity.append(
                    CapacityAnswer(labels.get(code, code), answer.get("answer", ""), answer.get("note", ""))
                )
    return IntakeSections(
        information_requests=list(
            InformationRequest.objects.filter(case=case)
            .select_related("complaint", "deadline", "requested_by")
            .order_by("requested_at", "pk")
        )
        if present.information_requests
        else [],
        invitations=list(
            MemberInvitation.objects.filter(case=case)
            .select_related("councillor", "deadline")
            .order_by("invited_at", "pk")
        )
        if present.invitations
        else [],
        consultations=consultations,
        assessment=assessment,
        complainants=complainant_histories(user, case, complaints) if officer else [],
        show_complainants=officer,
        capacity=capacity,
        may_restrict=officer and user.has_perm("complaints.decide_case"),
        consulted_ip=next((c for c in consultations if c.independent_person_id == user.pk), None),
    )
