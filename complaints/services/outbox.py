"""The outbox: e-mails written in the same transaction as the change that caused them.

A worker claims a message with a conditional update that must change exactly one row, so a
message is sent at most once even when two workers (or the periodic sweep) race for it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from complaints.models import EventKind, OutboxMessage, OutboxStatus
from complaints.services.events import event_record
from config.cache import redis_recently_down
from config.log_privacy import mask_emails

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=10)


def outbox_message_create(
    *, to: str, subject: str, template: str, context: dict, case=None, complaint=None, attachment=None
):
    """Write a message to send; the caller's transaction commits it with the change it belongs to.

    ``attachment`` is a stored `Document`, sent with the e-mail as a PDF.
    """
    message = OutboxMessage.objects.create(
        to=to,
        subject=subject,
        template=template,
        context=context,
        case=case,
        complaint=complaint,
        attachment=attachment,
    )
    if case is not None:
        event_record(
            case=case,
            kind=EventKind.MESSAGE_QUEUED,
            description=f"E-mail queued: {subject}",
            details={"message": str(message.public_id), "template": template},
        )
    transaction.on_commit(lambda: outbox_enqueue(message_id=message.pk))
    return message


def outbox_enqueue(*, message_id: int) -> bool:
    """Hand the message to the worker. If the broker is unreachable the row stays pending."""
    from complaints.tasks import outbox_send

    broker_url = outbox_send.app.conf.broker_url or ""
    if broker_url.startswith(("redis://", "rediss://")) and redis_recently_down(broker_url):
        # The cache has just found this Redis unreachable: don't keep the complainant waiting on it.
        logger.warning("Redis is unreachable; outbox message %s stays pending for the sweep", message_id)
        return False
    try:
        outbox_send.delay(message_id)
    except Exception:  # the broker is down: the periodic sweep sends it later
        logger.warning("Could not enqueue outbox message %s; it stays pending", message_id, exc_info=True)
        return False
    return True


def _claim(message_id: int) -> bool:
    stale_before = timezone.now() - STALE_CLAIM
    claimable = Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING, claimed_at__lt=stale_before)
    return (
        OutboxMessage.objects.filter(claimable, pk=message_id).update(
            status=OutboxStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
        == 1
    )


def outbox_message_send(*, message_id: int) -> str:
    """Claim and send one message. Returns 'sent', or 'skipped' if another worker has it."""
    if not _claim(message_id):
        return "skipped"
    message = OutboxMessage.objects.select_related("case", "attachment__case").get(pk=message_id)
    try:
        body = render_to_string(f"emails/{message.template}.txt", message.context)
        if message.attachment_id:
            _send_with_attachment(message, body)
        else:
            send_mail(message.subject, body, settings.DEFAULT_FROM_EMAIL, [message.to])
    except Exception as exc:
        status = OutboxStatus.FAILED if message.attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING
        OutboxMessage.objects.filter(pk=message_id).update(status=status, last_error=mask_emails(repr(exc))[:2000])
        raise
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message_id).update(status=OutboxStatus.SENT, sent_at=timezone.now())
        if message.case is not None:
            event_record(
                case=message.case,
                kind=EventKind.MESSAGE_SENT,
                description=f"E-mail sent: {message.subject}",
                details={"message": str(message.public_id)},
            )
    return "sent"


def _send_with_attachment(message: OutboxMessage, body: str) -> None:
    document = message.attachment
    with document.file.storage.open(document.file.name, "rb") as handle:
        content = handle.read()
    email = EmailMessage(message.subject, body, settings.DEFAULT_FROM_EMAIL, [message.to])
    email.attach(document.attachment_name, content, "application/pdf")
    email.send()


def outbox_send_pending(*, limit: int = 100) -> int:
    """Send what is pending (or claimed by a worker that died). Returns how many were sent."""
    stale_before = timezone.now() - STALE_CLAIM
    ids = list(
        OutboxMessage.objects.filter(
            Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING, claimed_at__lt=stale_before)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for message_id in ids:
        try:
            if outbox_message_send(message_id=message_id) == "sent":
                sent += 1
        except Exception:
            logger.exception("Outbox message %s failed", message_id)
    return sent
