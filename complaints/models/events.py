import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

# Version of the hashed content's layout; bump only together with a migration that re-links history.
HASH_VERSION = 1


class ImmutableEventError(Exception):
    """Raised on any attempt to change or remove recorded history."""


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEventError("Events are append-only and cannot be updated.")

    def delete(self):
        raise ImmutableEventError("Events are append-only and cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableEventError("Events are append-only and cannot be updated.")

    def bulk_create(self, objs, *args, **kwargs):
        raise ImmutableEventError(
            "Events are written by event_record or events_record_many, which link each to the one before."
        )

    def last_links(self, case_ids) -> dict[int, tuple[int, str]]:
        """Each case's last recorded event as (sequence, entry hash), in one query; cases with no
        history are left out. Read it while holding the cases' row locks to build on it."""
        cases = self.model._meta.get_field("case").related_model._base_manager
        last = self.model._base_manager.filter(case_id=OuterRef("pk")).order_by("-sequence")
        rows = (
            cases.filter(pk__in=case_ids)
            .order_by()
            .annotate(
                last_sequence=Subquery(last.values("sequence")[:1]), last_hash=Subquery(last.values("entry_hash")[:1])
            )
            .values_list("pk", "last_sequence", "last_hash")
        )
        return {pk: (sequence, entry_hash) for pk, sequence, entry_hash in rows if sequence is not None}

    def bulk_append(self, events) -> list["Event"]:
        """Insert new, already chained events in one INSERT: the path of events_record_many.

        The chain rule is checked for the whole batch before anything is written, as Event.save
        checks it for one event: each event is new and hashes to its entry hash; within a case the
        events are numbered one after another and each names the one before it as its previous
        hash; and each case's first event in the batch follows the case's last stored event (or
        starts its history at number 1). The caller holds the cases' row locks while it builds the
        events and calls this (events_record_many does), so no other event is appended in between;
        without them the (case, sequence) unique constraint still refuses a number already taken.
        Anything else raises ImmutableEventError and nothing is inserted.
        """
        events = list(events)
        if not events:
            return []
        stored = self.last_links({event.case_id for event in events})
        before: dict[int, tuple[int, str]] = {}
        for event in events:
            if event.pk is not None or not event._state.adding:
                raise ImmutableEventError("Events are append-only and cannot be updated.")
            if not event.entry_hash or event.entry_hash != event.compute_hash():
                raise ImmutableEventError(
                    "Events are written by events_record_many, which links each to the one before."
                )
            sequence, previous_hash = before.get(event.case_id) or stored.get(event.case_id, (0, ""))
            if event.sequence != sequence + 1 or event.previous_hash != previous_hash:
                raise ImmutableEventError(
                    f"Event number {event.sequence} of case {event.case_id} does not follow the case's event "
                    f"number {sequence} in its history."
                )
            before[event.case_id] = (event.sequence, event.entry_hash)
        return super().bulk_create(events)


class EventKind(models.TextChoices):
    COMPLAINT_RECEIVED = "complaint_received", "Complaint received"
    CASE_OPENED = "case_opened", "Case opened"
    STAGE_CHANGED = "stage_changed", "Stage changed"
    EVIDENCE_VIEWED = "evidence_viewed", "Evidence viewed"
    EVIDENCE_ADDED = "evidence_added", "Evidence added"
    DEADLINE_SET = "deadline_set", "Deadline set"
    MESSAGE_QUEUED = "message_queued", "Message queued"
    MESSAGE_SENT = "message_sent", "Message sent"
    DOCUMENT_GENERATED = "document_generated", "Document generated"
    CASE_UPDATED = "case_updated", "Case updated"
    NOTE = "note", "Note"
    # The workspace: who looked at what, and who handles the case.
    CASE_VIEWED = "case_viewed", "Case viewed"
    DOCUMENT_VIEWED = "document_viewed", "Document viewed"
    CASE_ASSIGNED = "case_assigned", "Case assigned"
    CONFLICT_DECLARED = "conflict_declared", "Conflict of interest declared"
    COMPLAINT_LINKED = "complaint_linked", "Complaint linked"
    COMPLAINT_UNLINKED = "complaint_unlinked", "Complaint unlinked"
    # Clocks, reminders and the outbox.
    CLOCK_PAUSED = "clock_paused", "Clock paused"
    CLOCK_RESUMED = "clock_resumed", "Clock resumed"
    CLOCK_MET = "clock_met", "Clock met"
    CLOCK_RECOMPUTED = "clock_recomputed", "Clock recomputed"
    REMINDER_SENT = "reminder_sent", "Reminder sent"
    DEADLINE_ESCALATED = "deadline_escalated", "Overdue deadline escalated"
    MESSAGE_FAILED = "message_failed", "Message failed"
    MESSAGE_RETRIED = "message_retried", "Message retried"
    # Letters and takedown requests.
    DOCUMENT_SENT = "document_sent", "Document sent"
    TAKEDOWN_REQUESTED = "takedown_requested", "Takedown requested"
    TAKEDOWN_REMOVED = "takedown_removed", "Post recorded as removed"
    # The process.
    INFORMATION_REQUESTED = "information_requested", "Further information requested"
    INFORMATION_RECEIVED = "information_received", "Further information received"
    MEMBER_INVITED = "member_invited", "Councillor invited to comment"
    MEMBER_RESPONDED = "member_responded", "Councillor's response recorded"
    IP_CONSULTED = "ip_consulted", "Independent Person consulted"
    IP_VIEW_RECORDED = "ip_view_recorded", "Independent Person's view recorded"
    ASSESSMENT_RECORDED = "assessment_recorded", "Initial assessment recorded"
    DECISION_RECORDED = "decision_recorded", "Decision recorded"
    INVESTIGATION_REPORTED = "investigation_reported", "Investigation report recorded"
    HEARING_RECORDED = "hearing_recorded", "Hearing recorded"
    REVIEW_REQUESTED = "review_requested", "Review requested"
    REVIEW_DECIDED = "review_decided", "Review decided"
    CASE_CLOSED = "case_closed", "Case closed"
    CASE_REOPENED = "case_reopened", "Case reopened"
    NOTICE_PUBLISHED = "notice_published", "Decision notice published"
    NOTICE_WITHDRAWN = "notice_withdrawn", "Decision notice withdrawn"
    COMPLAINANT_FLAGGED = "complainant_flagged", "Complainant contact restricted"
    # Retention.
    LEGAL_HOLD_SET = "legal_hold_set", "Legal hold set"
    LEGAL_HOLD_RELEASED = "legal_hold_released", "Legal hold released"
    ANONYMISED = "anonymised", "Personal data anonymised"


_KIND_LABELS = dict(EventKind.choices)


def json_normalise(details) -> dict:
    """Details as the database will give them back (dates and UUIDs as strings, tuples as lists),
    so the hash computed before saving matches the one recomputed from the stored row."""
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))


def event_hash(
    *,
    case_id: int,
    sequence: int,
    kind: str,
    actor_id: int | None,
    actor_label: str,
    description: str,
    details: dict,
    created_at,
    previous_hash: str,
) -> str:
    """SHA-256 over an event's content and the hash of the case's event before it.

    Changing any recorded field, or removing or reordering an event, breaks the chain from that
    point on, which `manage.py verify_history` reports.
    """
    content = {
        "v": HASH_VERSION,
        "case": case_id,
        "sequence": sequence,
        "kind": kind,
        "actor": actor_id,
        "actor_label": actor_label,
        "description": description,
        "details": details,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "previous": previous_hash,
    }
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


class Event(models.Model):
    """Append-only history of a case: who did what and when. Nothing updates or deletes events.

    The database refuses UPDATE, DELETE and TRUNCATE on this table (triggers installed by
    migration, see complaints/models/event_guard.py), and each event carries a hash over its content
    and the previous event of its case, so a change made round the triggers is still found.
    Write events only with complaints.services.events.event_record (one event) or
    events_record_many (a batch, in one INSERT through EventQuerySet.bulk_append).
    """

    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, help_text="Who acted, as shown in the timeline.")
    description = models.CharField(max_length=500)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    sequence = models.PositiveIntegerField(editable=False, help_text="Position in the case's history, from 1.")
    previous_hash = models.CharField(
        max_length=64, blank=True, editable=False, help_text="Hash of the case's previous event; empty for the first."
    )
    entry_hash = models.CharField(
        max_length=64, editable=False, help_text="SHA-256 over this event's content and the previous hash."
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="event_unique_sequence_per_case"),
            models.CheckConstraint(condition=Q(sequence__gte=1) & ~Q(entry_hash=""), name="event_is_chained"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        # An Event built with an existing primary key would otherwise turn into an UPDATE.
        if self.pk is not None or not self._state.adding:
            raise ImmutableEventError("Events are append-only and cannot be updated.")
        if not self.entry_hash or self.entry_hash != self.compute_hash():
            raise ImmutableEventError("Events are written by event_record, which links each to the one before.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEventError("Events are append-only and cannot be deleted.")

    @property
    def kind_label(self) -> str:
        """get_kind_display without building the dict of every kind again (timelines show many)."""
        return _KIND_LABELS.get(self.kind, self.kind)

    def compute_hash(self) -> str:
        return event_hash(
            case_id=self.case_id,
            sequence=self.sequence,
            kind=self.kind,
            actor_id=self.actor_id,
            actor_label=self.actor_label,
            description=self.description,
            details=self.details,
            created_at=self.created_at,
            previous_hash=self.previous_hash,
        )
