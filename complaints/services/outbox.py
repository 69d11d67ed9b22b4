"""The outbox: every e-mail the service sends, written in the same transaction as the change that caused it.

Sending a message:
1. a worker claims it with a conditional update that must change exactly one row (pending, due,
   and not in backoff -> sending, with ``claimed_at`` and the attempt counted), and that claim is
   committed *before* the mail backend is called;
2. it sends, with the row's reference as Message-ID (and Notify reference);
3. it marks the row sent, meets the clock the message stands for (``deadline``) and records it.

A failed send goes back to pending with ``next_attempt_at`` doubling each time
(OUTBOX_BACKOFF_SECONDS, 2x, 4x ...) and is given up after OUTBOX_MAX_ATTEMPTS: it is then failed,
recorded on the case (MESSAGE_FAILED), counted on the officer dashboard, and an officer can retry it.

A row still "sending" after OUTBOX_RECLAIM_SECONDS (longer than EMAIL_TIMEOUT, so no send can
still be under way) belonged to a worker that died between claiming and marking. If the backend
can say whether that reference was delivered (Notify), it is marked sent or sent again
accordingly; otherwise (SMTP) nobody can know, so it is NOT sent again: it is marked failed for an
officer to check and retry. Delivery is therefore at most once unless an officer retries; see
docs/outbox.md.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from complaints.mail import REFERENCE_HEADER, TEMPLATE_HEADER, delivered_before
from complaints.models import Deadline, EventKind, OutboxMessage, OutboxStatus
from complaints.services.events import event_record
from config.cache import redis_recently_down
from config.log_privacy import mask_emails

logger = logging.getLogger(__name__)

BATCH = 200
STOP_AFTER_FAILURES = 3
UNKNOWN_OUTCOME = (
    "The worker stopped while sending this message, so whether it went is not known. It was not sent "
    "again automatically; check with the recipient and retry it if it did not arrive."
)


def outbox_message_create(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    case=None,
    complaint=None,
    attachment=None,
    deadline: Deadline | None = None,
    enqueue: bool = True,
    record_event: bool = True,
):
    """Write a message to send; the caller's transaction commits it with the change it belongs to.

    ``attachment`` is a stored `Document`, sent with the e-mail as a PDF. ``deadline`` is a clock
    the message meets once it has actually been sent. With ``enqueue`` false the message waits for
    the periodic dispatch (used by sweeps that queue many at once).
    """
    message = OutboxMessage.objects.create(
        to=to,
        subject=subject,
        template=template,
        context=context,
        case=case,
        complaint=complaint,
        attachment=attachment,
        deadline=deadline,
    )
    if case is not None and record_event:
        event_record(
            case=case,
            kind=EventKind.MESSAGE_QUEUED,
            description=f"E-mail queued: {subject}",
            details={"message": str(message.public_id), "template": template},
        )
    if enqueue:
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


def _due(now) -> Q:
    return Q(status=OutboxStatus.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def _claim(message_id: int, now) -> bool:
    # Committed on its own before anything is sent: the attempt is on record even if the worker dies.
    return (
        OutboxMessage.objects.filter(_due(now), pk=message_id).update(
            status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        == 1
    )


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after ``attempts`` failed ones: base, 2x base, 4x base ..., capped."""
    seconds = settings.OUTBOX_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_BACKOFF_MAX_SECONDS))


def outbox_message_send(*, message_id: int, connection=None) -> str:
    """Claim and send one message.

    Returns 'sent'; 'skipped' if it is not due (another worker has it, it is in backoff, sent or
    failed); 'retry' if the send failed and will be tried again later; 'failed' if it was given up.
    """
    now = timezone.now()
    if not _claim(message_id, now):
        return "skipped"
    message = OutboxMessage.objects.select_related("case", "attachment__case").get(pk=message_id)
    try:
        _deliver(message, connection=connection)
    except Exception as exc:  # any delivery error: recorded on the row, tried again later
        return _record_failure(message, error=mask_emails(repr(exc))[:2000])
    _mark_sent(message)
    return "sent"


def _deliver(message: OutboxMessage, *, connection=None) -> None:
    if connection is not None:
        connection.open()  # kept open across a dispatch run (a no-op when it already is)
    body = render_to_string(f"emails/{message.template}.txt", message.context)
    reference = str(message.public_id)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]
    email = EmailMessage(
        message.subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [message.to],
        connection=connection,
        # The same Message-ID on every try: a mail store that sees it twice can show it once.
        headers={
            "Message-ID": f"<{reference}@{domain}>",
            REFERENCE_HEADER: reference,
            TEMPLATE_HEADER: message.template,
        },
    )
    email.personalisation = message.context  # read by the Notify backend
    if message.attachment_id:
        document = message.attachment
        with document.file.storage.open(document.file.name, "rb") as handle:
            email.attach(document.attachment_name, handle.read(), "application/pdf")
    email.send()


def _mark_sent(message: OutboxMessage, *, note: str = "") -> None:
    now = timezone.now()
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.SENT, sent_at=now, next_attempt_at=None
        )
        if updated != 1 or message.case is None:
            return
        event_record(
            case=message.case,
            kind=EventKind.MESSAGE_SENT,
            description=f"E-mail sent: {message.subject}" + (f" ({note})" if note else ""),
            details={"message": str(message.public_id)},
        )
        # The clock the message stands for is met now it has gone, not when it was queued.
        if message.deadline_id and Deadline.objects.filter(pk=message.deadline_id, met_at__isnull=True).update(
            met_at=now
        ):
            deadline = Deadline.objects.get(pk=message.deadline_id)
            event_record(
                case=message.case,
                kind=EventKind.CLOCK_MET,
                description=f"{deadline.get_kind_display()} met: {message.subject}",
                details={
                    "kind": deadline.kind,
                    "due_on": deadline.due_on.isoformat(),
                    "message": str(message.public_id),
                },
            )


def _record_failure(message: OutboxMessage, *, error: str) -> str:
    attempts = OutboxMessage.objects.filter(pk=message.pk).values_list("attempts", flat=True).get()
    if attempts < settings.OUTBOX_MAX_ATTEMPTS:
        wait = backoff(attempts)
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.PENDING, next_attempt_at=timezone.now() + wait, last_error=error
        )
        logger.warning(
            "Outbox message %s failed (attempt %s of %s); next try in %s s: %s",
            message.pk,
            attempts,
            settings.OUTBOX_MAX_ATTEMPTS,
            int(wait.total_seconds()),
            error,
        )
        return "retry"
    _give_up(message, error=f"Gave up after {attempts} attempts. Last error: {error}")
    return "failed"


def _give_up(message: OutboxMessage, *, error: str) -> None:
    logger.error("Outbox message %s failed: %s", message.pk, error)
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.FAILED, last_error=error[:2000], next_attempt_at=None
        )
        if updated == 1 and message.case is not None:
            event_record(
                case=message.case,
                kind=EventKind.MESSAGE_FAILED,
                description=f"E-mail not sent: {message.subject}",
                details={"message": str(message.public_id), "attempts": message.attempts, "error": error[:500]},
            )


def outbox_recover_stuck(*, now=None, connection=None) -> int:
    """Deal with messages left "sending" by a worker that died. Returns how many were handled."""
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.OUTBOX_RECLAIM_SECONDS)
    stuck = list(
        OutboxMessage.objects.filter(status=OutboxStatus.SENDING, claimed_at__lt=stale_before)
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    handled = 0
    for message_id in stuck:
        # Claimed again with a conditional update, so two dispatchers never both handle one row.
        if (
            OutboxMessage.objects.filter(
                pk=message_id, status=OutboxStatus.SENDING, claimed_at__lt=stale_before
            ).update(claimed_at=now)
            != 1
        ):
            continue
        handled += 1
        message = OutboxMessage.objects.select_related("case").get(pk=message_id)
        try:
            known = delivered_before(reference=str(message.public_id), connection=connection)
        except Exception as exc:  # the backend could not be asked: leave it for the next dispatch
            OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING).update(
                claimed_at=stale_before - timedelta(seconds=1), last_error=mask_emails(repr(exc))[:2000]
            )
            continue
        if known is True:
            _mark_sent(message, note="delivery confirmed after the worker stopped")
        elif known is False:
            # The backend confirms it never went: send it now, as one more attempt.
            OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING).update(
                status=OutboxStatus.PENDING, next_attempt_at=None
            )
            outbox_message_send(message_id=message_id, connection=connection)
        else:
            _give_up(message, error=UNKNOWN_OUTCOME)
    return handled


def outbox_send_pending(*, limit: int | None = None, connection=None) -> int:
    """Send everything due, in batches (bounded memory), after dealing with stuck rows.

    Returns how many were sent. Safe to run alongside other dispatchers and workers: each message
    is claimed before it is sent. One mail connection serves the whole run; after
    STOP_AFTER_FAILURES failures in a row (the mail server is down) the run stops, leaving the rest
    pending, untried, for the next one rather than spending EMAIL_TIMEOUT on each.
    """
    own = connection is None
    connection = connection or get_connection()
    try:
        outbox_recover_stuck(connection=connection)
        sent = done = failures = 0
        last_pk = 0
        while limit is None or done < limit:
            size = BATCH if limit is None else min(BATCH, limit - done)
            ids = list(
                OutboxMessage.objects.filter(_due(timezone.now()), pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", flat=True)[:size]
            )
            if not ids:
                break
            for message_id in ids:
                result = outbox_message_send(message_id=message_id, connection=connection)
                if result == "sent":
                    sent += 1
                    failures = 0
                elif result in ("retry", "failed"):
                    failures += 1
                    connection.close()  # a broken connection is opened afresh for the next message
                    if failures >= STOP_AFTER_FAILURES:
                        logger.warning("Outbox dispatch stopped after %s failures in a row", failures)
                        return sent
            done += len(ids)
            last_pk = ids[-1]
        return sent
    finally:
        if own:
            connection.close()


def outbox_message_retry(*, message: OutboxMessage, actor=None) -> bool:
    """An officer asks for a failed message to be tried again. Returns False if it was not failed."""
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=None, claimed_at=None
        )
        if updated != 1:
            return False
        if message.case_id is not None:
            event_record(
                case=message.case,
                kind=EventKind.MESSAGE_RETRIED,
                description=f"E-mail to be tried again: {message.subject}",
                actor=actor,
                details={"message": str(message.public_id)},
            )
        transaction.on_commit(lambda: outbox_enqueue(message_id=message.pk))
    return True


def outbox_send_soon(*, message_ids) -> int:
    """Queue pending messages for the worker now, skipping any backoff wait. Never sends in the caller."""
    ids = list(
        OutboxMessage.objects.filter(pk__in=list(message_ids), status=OutboxStatus.PENDING).values_list("pk", flat=True)
    )
    OutboxMessage.objects.filter(pk__in=ids, status=OutboxStatus.PENDING).update(next_attempt_at=None)
    for message_id in ids:
        transaction.on_commit(lambda message_id=message_id: outbox_enqueue(message_id=message_id))
    return len(ids)
