"""Writing a case's history. Events are append-only; this is the one place that creates them
(event_record for one event, events_record_many for a batch)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
    _check_kind(kind)
    user, label = _who(actor, actor_label)
    with transaction.atomic():
        # Appends to one case queue up behind this row lock, so each links to the one before it.
        # NO KEY UPDATE leaves inserts of rows that merely refer to the case (evidence, ...) unblocked.
        list(Case.objects.select_for_update(no_key=True).filter(pk=case.pk).values_list("pk", flat=True))
        last = Event.objects.filter(case_id=case.pk).order_by("-sequence").values("sequence", "entry_hash").first()
        event = _chained(
            NewEvent(case_id=case.pk, kind=kind, description=description, details=details),
            user=user,
            label=label,
            created_at=at or timezone.now(),
            after=(last["sequence"], last["entry_hash"]) if last else (0, ""),
        )
        event.case = case
        event.save()
    return event


@dataclass(frozen=True)
class NewEvent:
    """One entry for events_record_many: what happened in which case."""

    case_id: int
    kind: str
    description: str
    details: dict | None = None


def events_record_many(
    entries: Iterable[NewEvent], *, actor=None, actor_label: str | None = None, at=None
) -> list[Event]:
    """Append many entries, to one case or many, with a handful of queries whatever their number.

    The same history as calling event_record for each entry in turn, for jobs that write an event
    per item (the deadline sweep): in one transaction it locks the entries' cases (in key order,
    the lock event_record takes), reads each case's last event in one query, numbers and hashes
    the new events in Python, each linked to the one before it in its case, and inserts them all
    in one INSERT through EventQuerySet.bulk_append, which checks the chain again before writing.
    Entries of one case are appended in the order given. All entries share the actor and the time
    (`at`, by default now). Inside a caller's transaction no savepoint is made: if anything fails,
    the caller's transaction fails with it.
    """
    entries = list(entries)
    if not entries:
        return []
    for entry in entries:
        _check_kind(entry.kind)
    user, label = _who(actor, actor_label)
    created_at = at or timezone.now()
    case_ids = sorted({entry.case_id for entry in entries})
    with transaction.atomic(savepoint=False):
        list(
            Case.objects.select_for_update(no_key=True)
            .filter(pk__in=case_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        last = Event.objects.last_links(case_ids)
        events = []
        for entry in entries:
            event = _chained(
                entry, user=user, label=label, created_at=created_at, after=last.get(entry.case_id, (0, ""))
            )
            last[entry.case_id] = (event.sequence, event.entry_hash)
            events.append(event)
        return Event.objects.bulk_append(events)


def _check_kind(kind: str) -> None:
    if kind not in EventKind.values:
        raise ValueError(f"Unknown event kind: {kind!r}")


def _who(actor, actor_label: str | None) -> tuple:
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label if actor_label else actor_label_for(user)
    return user, _truncate(label, _LABEL_MAX)


def _chained(entry: NewEvent, *, user, label: str, created_at, after: tuple[int, str]) -> Event:
    """A new event numbered and hashed to follow `after`, the (sequence, entry hash) of the case's last event."""
    sequence, previous_hash = after
    event = Event(
        case_id=entry.case_id,
        kind=entry.kind,
        actor=user,
        actor_label=label,
        description=_truncate(entry.description, _DESCRIPTION_MAX),
        details=json_normalise(entry.details),
        created_at=created_at,
        sequence=sequence + 1,
        previous_hash=previous_hash,
    )
    event.entry_hash = event.compute_hash()
    return event


def actor_label_for(user) -> str:
    """How a user appears in the timeline: full name if known, else username."""
    if user is None or not getattr(user, "is_authenticated", False):
        return SYSTEM_LABEL
    return user.get_full_name().strip() or user.get_username()


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
