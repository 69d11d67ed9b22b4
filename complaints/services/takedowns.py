"""Takedown requests: asking a councillor to remove a post, and following it up.

Sending a request starts its takedown compliance clock (working days, stored with the sentence
saying how it was computed), generates the letter and queues it to the councillor as an
attachment. Recording that the post was seen gone meets the clock. A daily follow-up reminds
the officer of each overdue request, at most once a day per request.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from complaints.documents.letters import takedown_request_letter
from complaints.models import (
    Case,
    Councillor,
    Deadline,
    DeadlineKind,
    EventKind,
    SocialMediaPost,
    TakedownRequest,
    TakedownStatus,
)
from complaints.services.clocks import clock_start
from complaints.services.documents import document_generate, document_send
from complaints.services.events import event_record
from complaints.services.outbox import outbox_message_create

OPEN_STATUSES = (TakedownStatus.SENT, TakedownStatus.OVERDUE)


class TakedownError(Exception):
    """The request cannot be made or changed as asked; the message says why, for the officer."""


@transaction.atomic
def takedown_request_create(*, case: Case, posts: list[SocialMediaPost], actor=None) -> TakedownRequest:
    """A draft request for the given posts of the case."""
    if not posts:
        raise TakedownError("Choose at least one post to ask the councillor to remove.")
    if any(post.case_id != case.pk for post in posts):
        raise TakedownError("Every post must belong to this case.")
    request = TakedownRequest.objects.create(case=case, status=TakedownStatus.DRAFT)
    request.posts.set(posts)
    event_record(
        case=case,
        kind=EventKind.CASE_UPDATED,
        description=f"Takedown request drafted for {len(posts)} post(s)",
        actor=actor,
        details={"takedown": str(request.public_id)},
    )
    return request


def takedown_request_send(*, request: TakedownRequest, actor=None, now: datetime | None = None) -> TakedownRequest:
    """Send a draft request: start the compliance clock, generate the letter, queue it to the councillor."""
    now = now or timezone.now()
    with transaction.atomic():
        request = TakedownRequest.objects.select_for_update().select_related("case__authority").get(pk=request.pk)
        if request.status != TakedownStatus.DRAFT:
            raise TakedownError("This takedown request has already been sent.")
        councillor = _councillor(request)
        if councillor is None or not councillor.email:
            raise TakedownError("The councillor has no e-mail address on record, so the request cannot be sent.")
        case = request.case
        start = timezone.localdate(now)
        deadline = clock_start(case, DeadlineKind.TAKEDOWN, start=start, actor=actor)
        TakedownRequest.objects.filter(pk=request.pk).update(
            status=TakedownStatus.SENT,
            requested_at=now,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            due_on=deadline.due_on,
            deadline=deadline,
        )
        request.refresh_from_db()
        letter = takedown_request_letter(request, now=now)
        document = document_generate(letter=letter, actor=actor)
        TakedownRequest.objects.filter(pk=request.pk).update(letter=document)
        document_send(
            document=document, to=councillor.email, recipient_name=f"Councillor {councillor.name}", actor=actor
        )
        event_record(
            case=case,
            kind=EventKind.TAKEDOWN_REQUESTED,
            description=f"Takedown request sent to Councillor {councillor.name}, due {deadline.due_on:%-d %B %Y}",
            actor=actor,
            details={"takedown": str(request.public_id), "document": str(document.public_id)},
        )
    request.refresh_from_db()
    return request


def takedown_request_record_removed(
    *, request: TakedownRequest, seen_gone_on: date, actor=None, now: datetime | None = None
) -> TakedownRequest:
    """Record that the post(s) were seen to be gone on ``seen_gone_on``; this meets the clock."""
    now = now or timezone.now()
    with transaction.atomic():
        request = TakedownRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
        if request.status not in OPEN_STATUSES:
            raise TakedownError("Only a request that has been sent and is still open can be marked as removed.")
        if seen_gone_on > timezone.localdate(now):
            raise TakedownError("The date the post was seen gone must be today or in the past.")
        if request.requested_at and seen_gone_on < timezone.localdate(request.requested_at):
            raise TakedownError("The date the post was seen gone must be on or after the day the request was sent.")
        TakedownRequest.objects.filter(pk=request.pk).update(
            status=TakedownStatus.COMPLIED, removed_on=seen_gone_on, removal_verified_at=now
        )
        if request.deadline_id:
            Deadline.objects.filter(pk=request.deadline_id, met_at__isnull=True).update(met_at=now)
        request.posts.update(still_visible=False, visibility_checked_at=now, removal_confirmed_at=now)
        late = request.due_on is not None and seen_gone_on > request.due_on
        event_record(
            case=request.case,
            kind=EventKind.TAKEDOWN_REMOVED,
            description=f"Post(s) seen removed on {seen_gone_on:%-d %B %Y}" + (" (after the due date)" if late else ""),
            actor=actor,
            details={
                "takedown": str(request.public_id),
                "removed_on": seen_gone_on.isoformat(),
                "late": late,
                "deadline_met": request.deadline_id is not None,
            },
        )
    request.refresh_from_db()
    return request


def takedown_follow_up(*, today: date | None = None, limit: int = 500) -> int:
    """Remind the officer of each overdue request, once a day per request. Returns reminders queued.

    Each request is claimed with a conditional update that changes exactly one row, so two
    follow-ups running at once cannot remind twice.
    """
    today = today or timezone.localdate()
    overdue_ids = list(
        TakedownRequest.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today, removed_on__isnull=True)
        .filter(Q(followed_up_on__isnull=True) | Q(followed_up_on__lt=today))
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    queued = 0
    for request_id in overdue_ids:
        with transaction.atomic():
            claimed = (
                TakedownRequest.objects.filter(pk=request_id, status__in=OPEN_STATUSES, removed_on__isnull=True)
                .filter(Q(followed_up_on__isnull=True) | Q(followed_up_on__lt=today))
                .update(followed_up_on=today, status=TakedownStatus.OVERDUE)
            )
            if claimed != 1:
                continue
            request = TakedownRequest.objects.select_related(
                "case__assigned_officer", "case__authority", "requested_by"
            ).get(pk=request_id)
            _remind(request, today=today)
            queued += 1
    return queued


def _remind(request: TakedownRequest, *, today: date) -> None:
    case = request.case
    officer = case.assigned_officer or request.requested_by
    to = (officer.email if officer else "") or settings.COUNCIL_CONTACT_EMAIL
    councillor = _councillor(request)
    outbox_message_create(
        to=to,
        subject=f"Takedown request overdue: {case.reference}",
        template="takedown_follow_up",
        context={
            "name": officer.get_full_name() if officer else "",
            "reference": case.reference,
            "councillor": councillor.name if councillor else "the councillor",
            "requested_on": f"{request.requested_at:%-d %B %Y}" if request.requested_at else "",
            "due_on": f"{request.due_on:%-d %B %Y}",
            "case_path": f"/officer/cases/{case.reference}/",
            "site_url": settings.SITE_URL,
        },
        case=case,
    )
    event_record(
        case=case,
        kind=EventKind.REMINDER_SENT,
        description=f"Takedown request overdue since {request.due_on:%-d %B %Y}; officer reminded",
        details={"takedown": str(request.public_id), "reminded_on": today.isoformat()},
    )


def _councillor(request: TakedownRequest) -> Councillor | None:
    return (
        Councillor.objects.filter(complaints__posts__takedown_requests=request).distinct().order_by("name").first()
        or Councillor.objects.filter(complaints__case=request.case_id).distinct().order_by("name").first()
    )
