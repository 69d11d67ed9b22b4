"""Complainants whose contact the Monitoring Officer restricts (vexatious or persistent).

A restriction is the Monitoring Officer's decision, recorded with reasons, the Independent
Person's view where sought and a date to review it. It is for officers only: it changes how
contact with the complainant is handled, and never stops a complaint from being logged.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from complaints import access
from complaints.models import Case, ComplainantRestriction, Complaint, EventKind, RestrictionKind
from complaints.services.events import event_record
from complaints.services.process import STALE_MESSAGE, ActionRefused

PERMISSION = "complaints.decide_case"


def complainant_restrict(
    *,
    case: Case,
    complaint: Complaint,
    kind: str,
    reason: str,
    review_on: date,
    ip_view: str = "",
    actor,
    version: int | None = None,
) -> ComplainantRestriction:
    """Record (or replace) the restriction on the complainant of `complaint`, keyed by their
    e-mail address and the case's principal council, with a COMPLAINANT_FLAGGED event on `case`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A restriction needs a reason")
    if kind not in RestrictionKind.values:
        raise ValueError(f"Unknown kind of restriction: {kind!r}")
    with transaction.atomic():
        if not actor.has_perm(PERMISSION):
            raise ActionRefused(
                "Only the Monitoring Officer or deputy can restrict a complainant's contact", code="role"
            )
        if not access.cases_for(actor).filter(pk=case.pk).exists():
            raise ActionRefused("You cannot act on this case", code="access")
        locked = Case.objects.select_for_update(of=("self",)).select_related("authority__parent").get(pk=case.pk)
        if version is not None and locked.version != version:
            raise ActionRefused(STALE_MESSAGE, code="stale")
        if complaint.case_id != locked.pk:
            raise ActionRefused("That complaint is no longer part of this case", code="complaint")
        Case.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        case.version = locked.version + 1
        email = complaint.complainant_email.strip().lower()
        restriction, created = ComplainantRestriction.objects.update_or_create(
            authority=locked.authority.principal,
            email=email,
            defaults={
                "kind": kind,
                "reason": reason,
                "ip_view": (ip_view or "").strip(),
                "review_on": review_on,
                "case": locked,
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
        )
        label = RestrictionKind(kind).label.lower()
        event_record(
            case=locked,
            kind=EventKind.COMPLAINANT_FLAGGED,
            description=(
                f"The complainant of {complaint.reference} is treated as {label}"
                f"{'' if created else ' (restriction updated)'}; review by {review_on:%-d %B %Y}"
            ),
            actor=actor,
            details={
                "restriction": restriction.pk,
                "complaint": complaint.reference,
                "kind": kind,
                "reason": reason,
                "review_on": review_on,
            },
        )
        return restriction
