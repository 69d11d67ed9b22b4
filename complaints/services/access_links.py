"""Single-use links by which complainants see where their own complaint has got to.

A link is sent only to the e-mail address given with the complaint, and only when the reference
and the address match; the page that asks for them says the same thing either way. The link's
secret is never stored: only its SHA-256, so a copy of the database opens nothing.
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint, ComplaintAccessLink, EventKind
from complaints.services.events import event_record
from complaints.services.outbox import outbox_message_create

LINK_VALID_FOR = timedelta(days=1)
_SPACES = re.compile(r"\s+")


class LinkRefused(enum.Enum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def reference_normalise(reference: str) -> str:
    return _SPACES.sub("", reference or "").upper()


def _complaint_matching(reference: str, email: str) -> Complaint | None:
    reference = reference_normalise(reference)
    email = (email or "").strip()
    if not reference or not email:
        return None
    return (
        Complaint.objects.filter(Q(reference__iexact=reference) | Q(case__reference__iexact=reference))
        .filter(complainant_email__iexact=email)
        .select_related("case", "authority")
        .order_by("submitted_at")
        .first()
    )


def access_link_request(*, reference: str, email: str, now: datetime | None = None) -> bool:
    """E-mail a link to the complainant if the reference and address match a complaint.

    Returns whether one was sent, for logging and tests only: callers must not tell the visitor.
    """
    complaint = _complaint_matching(reference, email)
    if complaint is None:
        return False
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    expires_at = now + LINK_VALID_FOR
    with transaction.atomic():
        ComplaintAccessLink.objects.create(
            complaint=complaint, token_hash=token_hash(token), created_at=now, expires_at=expires_at
        )
        outbox_message_create(
            to=complaint.complainant_email,
            subject=f"Check your complaint {complaint.reference}",
            template="complaint_check_link",
            context={
                "name": complaint.complainant_name,
                "reference": complaint.reference,
                "link": settings.SITE_URL + reverse("complaint_status:link", args=[token]),
                "valid_until": f"{timezone.localtime(expires_at):%-I:%M%p on %A %-d %B %Y}".replace("AM", "am").replace(
                    "PM", "pm"
                ),
                "council_name": settings.COUNCIL_NAME,
                "contact_email": settings.COUNCIL_CONTACT_EMAIL,
            },
            case=complaint.case,
            complaint=complaint,
        )
    return True


def access_link_check(*, token: str, now: datetime | None = None) -> Complaint | LinkRefused:
    """The complaint a link opens, without using it up; or why it is refused."""
    now = now or timezone.now()
    link = ComplaintAccessLink.objects.select_related("complaint").filter(token_hash=token_hash(token)).first()
    if link is None:
        return LinkRefused.UNKNOWN
    if link.used_at is not None:
        return LinkRefused.USED
    if link.expires_at <= now:
        return LinkRefused.EXPIRED
    return link.complaint


def access_link_redeem(*, token: str, now: datetime | None = None) -> Complaint | LinkRefused:
    """Use a link up (once: a conditional update that must change exactly one row)."""
    now = now or timezone.now()
    digest = token_hash(token)
    with transaction.atomic():
        used = ComplaintAccessLink.objects.filter(token_hash=digest, used_at__isnull=True, expires_at__gt=now).update(
            used_at=now
        )
        if used != 1:
            refused = access_link_check(token=token, now=now)
            return refused if isinstance(refused, LinkRefused) else LinkRefused.USED
        complaint = ComplaintAccessLink.objects.select_related("complaint__case").get(token_hash=digest).complaint
        event_record(
            case=complaint.case,
            kind=EventKind.CASE_VIEWED,
            description=f"Complainant opened the progress page of complaint {complaint.reference} by e-mailed link",
            actor_label="Complainant (e-mailed link)",
            details={"complaint": complaint.reference},
        )
    return complaint
