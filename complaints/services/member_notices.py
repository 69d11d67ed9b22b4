"""Telling the councillor complained about the outcome of a decision.

The subject member is told the outcome of every decision on the case (the decision on the
initial assessment, the investigation's finding of no breach, the hearing and the result of a
review), as the complainants are:
- one e-mail per councillor of the case who has an e-mail address in the register; a councillor
  without one is named in the event, so the officer knows to tell them another way;
- no complainant who asked for confidentiality is named: their name, e-mail, telephone and
  address are blanked out of every piece of text, whether or not the request has been decided
  (a request not yet decided, or granted, is honoured; one refused is still never repeated here);
- every message is an outbox row written in the decision's transaction, tagged with the notice it
  belongs to (the same tag as the complainants' e-mails), so the case page shows the councillor
  among those told.
"""

from __future__ import annotations

from django.conf import settings

from complaints.documents.letters import Withhold
from complaints.models import Case, Complaint, Councillor, EventKind, OutboxMessage
from complaints.services.events import event_record
from complaints.services.outbox import outbox_message_create

TEMPLATE = "decision_outcome_member"


def _confidential(complaints: list[Complaint]) -> list[Complaint]:
    return [complaint for complaint in complaints if complaint.confidentiality_requested or complaint.identity_withheld]


def councillors_notify(
    *,
    case: Case,
    notice: str,
    title: str,
    paragraphs: list[str],
    reasons: str = "",
    actor=None,
) -> list[OutboxMessage]:
    """Queue the outcome to each councillor of the case who has an e-mail address; one event records it.

    `notice` is the tag the complainants' e-mails about the same decision carry; `title`,
    `paragraphs` and `reasons` are the e-mail's text, from which every confidential complainant's
    identifying details are withheld.
    """
    complaints = list(Complaint.objects.filter(case=case).order_by("submitted_at", "pk"))
    councillors = list(Councillor.objects.filter(complaints__case=case).distinct().order_by("name", "pk"))
    withhold = Withhold(_confidential(complaints))
    messages = []
    unreachable = []
    for councillor in councillors:
        address = (councillor.email or "").strip()
        if not address:
            unreachable.append(councillor)
            continue
        messages.append(
            outbox_message_create(
                to=address,
                subject=f"{title}: case {case.reference}",
                template=TEMPLATE,
                context={
                    "notice": notice,
                    "title": title,
                    "councillor": str(councillor.public_id),
                    "name": councillor.name,
                    "reference": case.reference,
                    "paragraphs": [withhold(paragraph) for paragraph in paragraphs],
                    "reasons": withhold(reasons),
                    "council_name": settings.COUNCIL_NAME,
                    "contact_email": settings.COUNCIL_CONTACT_EMAIL,
                },
                case=case,
                record_event=False,
            )
        )
    if not councillors:
        return messages
    parts = []
    if messages:
        told = [councillor for councillor in councillors if councillor not in unreachable]
        parts.append("e-mailed to " + ", ".join(f"Cllr {councillor.name}" for councillor in told))
    if unreachable:
        parts.append(
            "no e-mail address for "
            + ", ".join(f"Cllr {councillor.name}" for councillor in unreachable)
            + ": tell them another way"
        )
    event_record(
        case=case,
        kind=EventKind.MESSAGE_QUEUED,
        description=(f"{title}: " + "; ".join(parts))[:500],
        actor=actor,
        details={
            "notice": notice,
            "to": "councillor",
            "messages": [str(message.public_id) for message in messages],
            "not_told": [str(councillor.public_id) for councillor in unreachable],
        },
    )
    return messages
