"""Retention: anonymising closed cases RETENTION_YEARS after their final decision.

What goes: complainants' names and contact details, the free text they wrote (outcome sought,
reasons, capacity explanations, the post text as they reported it), their evidence files (originals
and display copies, deleted from disk), acknowledgement letters addressed to them, and the
addresses and bodies of the case's e-mails in the outbox.

What stays, so every report over the period gives the same figures before and after: the case
and complaint rows with their references and dates, council, councillors, platforms, post links,
stage and outcome, clauses alleged and found, decisions, evidence rows (hash, size and type, with
the file name replaced by ``removed/<id>``), and the whole event history, which records no
complainant's name.

A case on legal hold is skipped. Each anonymisation is claimed with a conditional update on the
case (``anonymised_at IS NULL`` and no hold), so two runs never do one case twice, and it is
recorded as an ANONYMISED event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Case as When_
from django.db.models import Count, DateField, Max, Q, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from complaints.models import (
    Case,
    Complaint,
    Document,
    DocumentKind,
    EventKind,
    Evidence,
    OutboxMessage,
    SocialMediaPost,
    Stage,
)
from complaints.services.events import event_record

REMOVED = "[removed]"
REMOVED_EMAIL = "removed@anonymised.invalid"
BATCH = 200


class LegalHoldError(Exception):
    """The hold cannot be changed as asked; the message says why."""


@dataclass(frozen=True)
class RetentionItem:
    """A case retention would anonymise, and what would go."""

    case_id: int
    reference: str
    final_decision_on: date
    complaints: int
    evidence_files: int
    messages: int

    def line(self) -> str:
        return (
            f"{self.reference}: final decision {self.final_decision_on:%-d %B %Y}; "
            f"{self.complaints} complainant(s), {self.evidence_files} evidence file(s), {self.messages} e-mail(s)"
        )


def retention_cutoff(today: date) -> date:
    """The latest final-decision date that is past the retention period on ``today``."""
    years = settings.RETENTION_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def retention_due(*, today: date | None = None):
    """Closed cases, not on hold and not yet anonymised, whose final decision is past the period.

    The final decision is the latest decision recorded, or the day the case closed if it has none.
    """
    today = today or timezone.localdate()
    return (
        Case.objects.filter(stage=Stage.CLOSED, legal_hold=False, anonymised_at__isnull=True)
        .annotate(
            final_decision_on=Coalesce(
                Max("decisions__decided_on"), Cast("closed_at", DateField()), output_field=DateField()
            )
        )
        .filter(final_decision_on__lte=retention_cutoff(today))
    )


def retention_plan(*, today: date | None = None) -> list[RetentionItem]:
    """What a run on ``today`` would anonymise (the dry run); changes nothing."""
    cases = list(retention_due(today=today).order_by("pk").values("pk", "reference", "final_decision_on"))
    ids = [case["pk"] for case in cases]
    complaints = dict(
        Complaint.objects.filter(case_id__in=ids).values("case_id").annotate(n=Count("pk")).values_list("case_id", "n")
    )
    files = dict(
        Evidence.objects.filter(case_id__in=ids)
        .exclude(original__startswith="removed/")
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    messages = dict(
        OutboxMessage.objects.filter(case_id__in=ids)
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    return [
        RetentionItem(
            case_id=case["pk"],
            reference=case["reference"],
            final_decision_on=case["final_decision_on"],
            complaints=complaints.get(case["pk"], 0),
            evidence_files=files.get(case["pk"], 0),
            messages=messages.get(case["pk"], 0),
        )
        for case in cases
    ]


def retention_apply(*, today: date | None = None) -> list[RetentionItem]:
    """Anonymise every case that is due. Returns what was done."""
    done = []
    for item in retention_plan(today=today):
        if case_anonymise(case_id=item.case_id):
            done.append(item)
    return done


def case_anonymise(*, case_id: int) -> bool:
    """Remove the personal data of one closed case. False if it was held, reopened or already done."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Case.objects.filter(
            pk=case_id, stage=Stage.CLOSED, legal_hold=False, anonymised_at__isnull=True
        ).update(anonymised_at=now)
        if claimed != 1:
            return False
        case = Case.objects.get(pk=case_id)
        complaints = Complaint.objects.filter(case=case).update(
            complainant_name=REMOVED,
            complainant_email=REMOVED_EMAIL,
            complainant_phone="",
            complainant_address="",
            complainant_type_other="",
            no_evidence_reason="",
            late_reason="",
            outcome_sought=REMOVED,
            previous_complaint_details="",
            # A confidentiality request must keep a reason (a constraint); the words go.
            confidentiality_reason=When_(When(confidentiality_requested=True, then=Value(REMOVED)), default=Value("")),
            submitted_from_ip=None,
        )
        posts = SocialMediaPost.objects.filter(case=case).update(
            text_reported=REMOVED, capacity_explanation="", capacity_other=""
        )
        files = []
        evidence = 0
        for row in Evidence.objects.filter(case=case).values("pk", "public_id", "original", "display"):
            files += [name for name in (row["original"], row["display"]) if name and not name.startswith("removed/")]
            # Evidence.original is unique: each row gets a placeholder of its own.
            Evidence.objects.filter(pk=row["pk"]).update(
                original=f"removed/{row['public_id']}", display="", original_name=REMOVED, description=""
            )
            evidence += 1
        letters = 0
        for row in Document.objects.filter(case=case, kind=DocumentKind.ACKNOWLEDGEMENT).values(
            "pk", "public_id", "file"
        ):
            if row["file"] and not row["file"].startswith("removed/"):
                files.append(row["file"])
            Document.objects.filter(pk=row["pk"]).update(file=f"removed/{row['public_id']}")
            letters += 1
        messages = OutboxMessage.objects.filter(Q(case=case) | Q(complaint__case=case)).update(
            to=REMOVED_EMAIL, context={}, last_error=""
        )
        event_record(
            case=case,
            kind=EventKind.ANONYMISED,
            description=(
                f"Personal data removed after the retention period: {complaints} complainant(s), "
                f"{evidence} evidence file(s), {messages} e-mail(s)"
            ),
            details={
                "retention_years": settings.RETENTION_YEARS,
                "complaints": complaints,
                "posts": posts,
                "evidence": evidence,
                "letters": letters,
                "messages": messages,
                "files_deleted": len(files),
            },
        )
        # Deleted before the commit: if the commit then fails, the next run finds the case still
        # due and the files already gone, rather than the database saying removed while they remain.
        for name in files:
            default_storage.delete(name)
    return True


def case_legal_hold_set(*, case: Case, reason: str, actor=None) -> Case:
    """Stop retention anonymising the case until the hold is released."""
    reason = (reason or "").strip()
    if not reason:
        raise LegalHoldError("Give the reason for the legal hold.")
    with transaction.atomic():
        if Case.objects.filter(pk=case.pk, anonymised_at__isnull=False).exists():
            raise LegalHoldError("This case has already been anonymised.")
        Case.objects.filter(pk=case.pk).update(legal_hold=True, legal_hold_reason=reason[:500])
        event_record(
            case=case,
            kind=EventKind.LEGAL_HOLD_SET,
            description=f"Legal hold set: {reason[:300]}",
            actor=actor,
            details={"reason": reason[:500]},
        )
    case.refresh_from_db()
    return case


def case_legal_hold_release(*, case: Case, actor=None) -> Case:
    """Let retention apply to the case again."""
    with transaction.atomic():
        if Case.objects.filter(pk=case.pk, legal_hold=True).update(legal_hold=False) != 1:
            raise LegalHoldError("This case is not on legal hold.")
        event_record(case=case, kind=EventKind.LEGAL_HOLD_RELEASED, description="Legal hold released", actor=actor)
    case.refresh_from_db()
    return case
