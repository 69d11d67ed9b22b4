from django.conf import settings
from django.db import models


class ImmutableEventError(Exception):
    """Raised on any attempt to change or remove recorded history."""


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEventError("Events are append-only and cannot be updated.")

    def delete(self):
        raise ImmutableEventError("Events are append-only and cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableEventError("Events are append-only and cannot be updated.")


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


class Event(models.Model):
    """Append-only history of a case: who did what and when. Nothing updates or deletes events."""

    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, help_text="Who acted, as shown in the timeline.")
    description = models.CharField(max_length=500)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableEventError("Events are append-only and cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEventError("Events are append-only and cannot be deleted.")
