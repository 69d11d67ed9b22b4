"""Reads of the outbox for the officer workspace. Messages follow their case's access rule."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from complaints import access
from complaints.models import OutboxMessage, OutboxStatus


def failed_messages(user) -> QuerySet[OutboxMessage]:
    """Messages given up on, in the cases the user may see, newest first."""
    return (
        OutboxMessage.objects.filter(status=OutboxStatus.FAILED, case__in=access.cases_for(user))
        .select_related("case")
        .order_by("-created_at", "-pk")
    )


def failed_message_for(user, public_id) -> OutboxMessage:
    """One failed message of a case the user may see; otherwise 404."""
    try:
        return failed_messages(user).get(public_id=public_id)
    except (OutboxMessage.DoesNotExist, ValueError):
        raise Http404("No such message.") from None
