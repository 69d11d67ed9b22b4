"""Complainants who complain often: each complainant's other complaints, and any restriction on
their contact. Officers only; read through complaints.access, so a viewer sees only the other
complaints of cases they may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models.functions import Lower

from complaints import access
from complaints.models import Case, ComplainantRestriction, Complaint


@dataclass
class ComplainantHistory:
    complaint: Complaint
    others: list[Complaint] = field(default_factory=list)
    restriction: ComplainantRestriction | None = None


@dataclass
class ComplainantsSection:
    """The complaints page's section on complainants: shown to the council's officers only (never
    an Independent Person or investigator); the MO and deputy may restrict a complainant."""

    show: bool
    may_restrict: bool
    histories: list[ComplainantHistory] = field(default_factory=list)


def complainants_section(user, case: Case, complaints: list[Complaint]) -> ComplainantsSection:
    if not user.has_perm("complaints.view_council_cases"):
        return ComplainantsSection(show=False, may_restrict=False)
    return ComplainantsSection(
        show=True,
        may_restrict=user.has_perm("complaints.decide_case"),
        histories=complainant_histories(user, case, complaints),
    )


def complainant_histories(user, case: Case, complaints: list[Complaint]) -> list[ComplainantHistory]:
    """For each complaint of the case, the same complainant's other complaints (matched by e-mail,
    any case) and their restriction: two queries however many complaints."""
    emails = {complaint.complainant_email.strip().lower() for complaint in complaints if complaint.complainant_email}
    if not emails:
        return [ComplainantHistory(complaint=complaint) for complaint in complaints]
    others: dict[str, list[Complaint]] = {}
    rows = (
        access.complaints_for(user)
        .annotate(email_key=Lower("complainant_email"))
        .filter(email_key__in=emails)
        .exclude(case=case)
        .select_related("case")
        .order_by("-submitted_at", "pk")
    )
    for other in rows:
        others.setdefault(other.email_key, []).append(other)
    restrictions = {
        restriction.email: restriction
        for restriction in ComplainantRestriction.objects.filter(
            authority=case.authority.principal, email__in=emails
        ).select_related("recorded_by")
    }
    histories = []
    for complaint in complaints:
        key = complaint.complainant_email.strip().lower()
        histories.append(
            ComplainantHistory(complaint=complaint, others=others.get(key, []), restriction=restrictions.get(key))
        )
    return histories


def restrictions_for_case(case: Case) -> list[tuple[Complaint, ComplainantRestriction]]:
    """The restricted complainants among the case's complaints (for warnings on contact pages)."""
    complaints = list(case.complaints.order_by("submitted_at", "pk"))
    emails = {complaint.complainant_email.strip().lower() for complaint in complaints}
    by_email = {
        r.email: r for r in ComplainantRestriction.objects.filter(authority=case.authority.principal, email__in=emails)
    }
    return [
        (complaint, by_email[key])
        for complaint in complaints
        if (key := complaint.complainant_email.strip().lower()) in by_email
    ]
