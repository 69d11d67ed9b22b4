"""Telling every complainant of a case what was decided.

One viral post can bring dozens of complaints into one case; the decision is made once, for the
case, and each complainant is told on their own:
- one e-mail per complainant address (someone who complained several times is told once, with
  all their references), never one e-mail to many;
- each e-mail names only its own complainant: any other complainant's name, e-mail, telephone or
  address typed into the reasons is blanked out (so a confidential complainant stays unnamed);
- every message is an outbox row written in the decision's transaction, tagged with the notice it
  belongs to, so the case page can say who has been told and whether it went.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from complaints.documents.letters import Withhold
from complaints.models import Case, Complaint, EventKind, OutboxMessage
from complaints.services.events import event_record
from complaints.services.outbox import outbox_message_create

TEMPLATE = "decision_outcome"


@dataclass
class Recipient:
    email: str
    name: str
    complaints: list[Complaint] = field(default_factory=list)

    @property
    def references(self) -> list[str]:
        return [complaint.reference for complaint in self.complaints]


def address_key(email: str) -> str:
    return (email or "").strip().lower()


def recipients_for(complaints: list[Complaint]) -> list[Recipient]:
    """The complainants to tell, one per e-mail address, in the order they complained."""
    by_address: dict[str, Recipient] = {}
    for complaint in complaints:
        key = address_key(complaint.complainant_email)
        if not key:
            continue  # anonymised, or no address: nobody to e-mail
        recipient = by_address.setdefault(
            key, Recipient(email=complaint.complainant_email.strip(), name=complaint.complainant_name)
        )
        recipient.complaints.append(complaint)
    return list(by_address.values())


def complainants_notify(
    *, case: Case, notice: str, title: str, paragraphs: list[str], reasons: str = "", actor=None
) -> list[OutboxMessage]:
    """Queue the notice to every complainant of the case, each their own e-mail; one event records it.

    `notice` identifies what is being told (e.g. ``decision:<uuid>``), `title` says it in words on
    the case page; `paragraphs` and `reasons` are the text of the e-mail, from which every other
    complainant's identifying details are withheld.
    """
    complaints = list(Complaint.objects.filter(case=case).order_by("submitted_at", "pk"))
    recipients = recipients_for(complaints)
    messages = []
    for recipient in recipients:
        key = address_key(recipient.email)
        others = [complaint for complaint in complaints if address_key(complaint.complainant_email) != key]
        withhold = Withhold(others)
        references = recipient.references
        plural = "s" if len(references) > 1 else ""
        messages.append(
            outbox_message_create(
                to=recipient.email,
                subject=f"{title}: your complaint{plural} {', '.join(references)}",
                template=TEMPLATE,
                context={
                    "notice": notice,
                    "title": title,
                    "name": recipient.name,
                    "references": references,
                    "paragraphs": [withhold(paragraph) for paragraph in paragraphs],
                    "reasons": withhold(reasons),
                    "council_name": settings.COUNCIL_NAME,
                    "contact_email": settings.COUNCIL_CONTACT_EMAIL,
                },
                case=case,
                complaint=recipient.complaints[0],
                record_event=False,
            )
        )
    count = len(messages)
    event_record(
        case=case,
        kind=EventKind.MESSAGE_QUEUED,
        description=(
            f"{title}: e-mailed to {count} complainant{'' if count == 1 else 's'}, each separately"
            if count
            else f"{title}: no complainant has an e-mail address to tell"
        ),
        actor=actor,
        details={"notice": notice, "messages": [str(message.public_id) for message in messages]},
    )
    return messages
