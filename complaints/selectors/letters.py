"""Which letters a case can produce, and the stored documents it already has."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet

from complaints.documents.letters import (
    Letter,
    acknowledgement_letter,
    acknowledgement_series,
    decision_notice,
    invitation_series,
    member_invitation_letter,
    notice_series,
    takedown_request_letter,
    takedown_series,
)
from complaints.models import Case, Councillor, Document, TakedownStatus

TAKEDOWN = "takedown-request"
ACKNOWLEDGEMENT = "acknowledgement"
INVITATION = "member-invitation"
NOTICE = "decision-notice"
PUBLIC_NOTICE = "decision-notice-public"
KINDS = (TAKEDOWN, ACKNOWLEDGEMENT, INVITATION, NOTICE, PUBLIC_NOTICE)


class NoSuchLetter(LookupError):
    """The kind or subject does not belong to this case."""


@dataclass(frozen=True)
class LetterChoice:
    kind: str
    subject: str
    label: str
    recipient: str
    series: str = ""


def case_letter_choices(*, case: Case) -> list[LetterChoice]:
    """Every letter the case can produce now, in the order of the process."""
    choices = []
    for complaint in case.complaints.order_by("submitted_at", "pk"):
        who = "complainant (identity withheld)" if complaint.identity_withheld else complaint.complainant_name
        choices.append(
            LetterChoice(
                ACKNOWLEDGEMENT,
                complaint.reference,
                f"Acknowledgement of {complaint.reference}",
                who,
                acknowledgement_series(complaint),
            )
        )
    for councillor in _councillors(case):
        choices.append(
            LetterChoice(
                INVITATION,
                str(councillor.public_id),
                "Invitation to comment",
                f"Councillor {councillor.name}",
                invitation_series(case, councillor),
            )
        )
    for request in case.takedown_requests.exclude(status=TakedownStatus.DRAFT).order_by("requested_at", "pk"):
        choices.append(
            LetterChoice(
                TAKEDOWN,
                str(request.public_id),
                f"Takedown request sent {request.requested_at:%-d %B %Y}",
                "the councillor",
                takedown_series(request),
            )
        )
    for decision in case.decisions.order_by("decided_on", "pk"):
        label = f"{decision.get_outcome_display()}, {decision.decided_on:%-d %B %Y}"
        choices.append(
            LetterChoice(
                NOTICE,
                str(decision.public_id),
                f"Decision notice: {label}",
                "the parties",
                notice_series(decision, public=False),
            )
        )
        choices.append(
            LetterChoice(
                PUBLIC_NOTICE,
                str(decision.public_id),
                f"Public decision notice: {label}",
                "the register",
                notice_series(decision, public=True),
            )
        )
    return choices


def case_letter(*, case: Case, kind: str, subject: str) -> Letter:
    """The letter of ``kind`` about ``subject`` (a complaint reference or a public id) on this case."""
    try:
        if kind == ACKNOWLEDGEMENT:
            return acknowledgement_letter(case.complaints.get(reference=subject))
        if kind == INVITATION:
            return member_invitation_letter(case, _councillors(case).get(public_id=subject))
        if kind == TAKEDOWN:
            return takedown_request_letter(
                case.takedown_requests.exclude(status=TakedownStatus.DRAFT).get(public_id=subject)
            )
        if kind in (NOTICE, PUBLIC_NOTICE):
            return decision_notice(case.decisions.get(public_id=subject), public=kind == PUBLIC_NOTICE)
    except (ObjectDoesNotExist, ValidationError, ValueError) as error:  # not on this case, or a malformed id
        raise NoSuchLetter(f"No {kind} {subject} on case {case.reference}") from error
    raise NoSuchLetter(f"No letter of kind {kind!r}")


def case_letter_choice(*, case: Case, kind: str, subject: str) -> LetterChoice:
    """One of `case_letter_choices`, or NoSuchLetter."""
    for choice in case_letter_choices(case=case):
        if choice.kind == kind and choice.subject == subject:
            return choice
    raise NoSuchLetter(f"No {kind} {subject} on case {case.reference}")


def case_documents(*, documents: QuerySet[Document]) -> list[Document]:
    """The case's stored documents (already narrowed by the access rule), newest version first."""
    return list(documents.select_related("generated_by").order_by("series", "-version", "-generated_at"))


def _councillors(case: Case) -> QuerySet[Councillor]:
    return Councillor.objects.filter(complaints__case=case).distinct().order_by("name")
