"""Reads about takedown requests."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from complaints.models import TakedownRequest, TakedownStatus

OPEN_STATUSES = (TakedownStatus.SENT, TakedownStatus.OVERDUE)


def takedown_requests_overdue(*, today: date | None = None, cases: QuerySet | None = None) -> QuerySet:
    """Requests sent and past their due date with no removal recorded, oldest due first.

    ``cases`` narrows them to the cases a user may see (pass the access rule's queryset).
    """
    today = today or timezone.localdate()
    requests = TakedownRequest.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today, removed_on__isnull=True)
    if cases is not None:
        requests = requests.filter(case__in=cases)
    return requests.select_related("case", "case__authority", "case__assigned_officer").order_by("due_on", "pk")
