"""Writing a case's history. Events are append-only; this is the one place that creates them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from complaints.models import Case, Event, EventKind
from complaints.models.events import json_normalise

SYSTEM_LABEL = "System"
_LABEL_MAX = Event._meta.get_field("actor_label").max_length
_DESCRIPTION_MAX = Event._meta.get_field("description").max_length


def event_record(
    *,
    case: Case,
    kind: str,
    description: str,
    actor=None,
    actor_label: str | None = None,
    details: dict | None = None,
    at=None,
) -> Event:
    """Append an entry to the case's timeline, saying who did what.

    An anonymous or missing actor is recorded as "System" unless a label is given (for example a
    complainant's name), so the timeline never shows an empty "who". Each entry is numbered within
    its case and hashed together with the entry before it. `at` gives the time of an event from
    imported history; by default it is now.
    """
    if kind not in EventKind.values:
        raise ValueError(f"Unknown event kind: {kind!r}")
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label if actor_label else actor_label_for(user)
    with transaction.atomic():
        # Appends to one case queue up behind this row lock, so each links to the one before it.
        # NO KEY UPDATE leaves inserts of rows that merely refer to the case (evidence, ...) unblocked.
        list(Case.objects.select_for_update(no_key=True).filter(pk=case.pk).values_list("pk", flat=True))
        last = Event.objects.filter(case_id=case.pk).order_by("-sequence").values("sequence", "entry_hash").first()
        event = Event(
            case=case,
            kind=kind,
            actor=user,
            actor_label=_truncate(label, _LABEL_MAX),
            description=_truncate(description, _DESCRIPTION_MAX),
            details=json_normalise(details),
            created_at=at or timezone.now(),
            sequence=last["sequence"] + 1 if last else 1,
            previous_hash=last["entry_hash"] if last else "",
        )
        event.entry_hash = event.compute_hash()
        event.save()
    return event


def actor_label_for(user) -> str:
    """How a user appears in the timeline: full name if known, else username."""
    if user is None or not getattr(user, "is_authenticated", False):
        return SYSTEM_LABEL
    return user.get_full_name().strip() or user.get_username()


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
