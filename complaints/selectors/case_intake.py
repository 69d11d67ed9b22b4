"""The case page's sections for the early steps of a case: the flag for closure, questions to the
complainant, the councillor's invitations, the Independent Person's consultations and the initial
assessment. A fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from complaints.models import (
    Assessment,
    CapacityIndicator,
    Case,
    Consultation,
    InformationRequest,
    MemberInvitation,
)
from complaints.selectors.case_page import RecordsPresent


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
    capacity: list[CapacityAnswer] = field(default_factory=list)
    consulted_ip: Consultation | None = None  # the viewer's own consultation, if they are the IP


def intake_sections(user, case: Case, present: RecordsPresent | None = None) -> IntakeSections:
    """`present` (selectors/case_page.records_present) says which kinds of record the case has;
    kinds it has none of are not read."""
    present = present or RecordsPresent()
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
        capacity=capacity,
        consulted_ip=next((c for c in consultations if c.independent_person_id == user.pk), None),
    )
