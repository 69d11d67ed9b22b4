import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from complaints.models.evidence import Length  # noqa: F401  (registers the lookup)


class DocumentKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement letter"
    MEMBER_INVITATION = "member_invitation", "Invitation to comment"
    TAKEDOWN_REQUEST = "takedown_request", "Takedown request letter"
    DECISION_NOTICE = "decision_notice", "Decision notice"
    DECISION_NOTICE_PUBLIC = "decision_notice_public", "Decision notice (public version)"
    COMMITTEE_REPORT = "committee_report", "Standards Committee report"


class Document(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "complaints.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to="documents/", max_length=300)
    sha256 = models.CharField(max_length=64)
    template = models.CharField(max_length=200)
    template_version = models.CharField(
        max_length=64, blank=True, help_text="A digest of the template files that produced this document."
    )
    series = models.CharField(
        max_length=200,
        blank=True,
        db_index=True,
        help_text="What this document is a version of (for example one takedown request's letter).",
    )
    version = models.PositiveIntegerField(default=1)
    size = models.PositiveIntegerField(default=0)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField()
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When a committee report was published to the Standards Committee."
    )

    class Meta:
        ordering = ["-generated_at"]
        constraints = [
            models.CheckConstraint(condition=Q(sha256__length=64), name="document_has_sha256"),
            models.UniqueConstraint(
                fields=["series", "version"], condition=~Q(series=""), name="document_version_unique_in_series"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def attachment_name(self) -> str:
        """The file name a recipient sees, e.g. MOC-2026-00016-takedown-request-v2.pdf."""
        prefix = self.case.reference if self.case_id else "document"
        return f"{prefix}-{self.kind.replace('_', '-')}-v{self.version}.pdf"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboxMessage(models.Model):
    """An e-mail to send, written in the same transaction as the change that caused it.

    A worker claims it with a conditional update that changes exactly one row, so two workers
    can never send the same message.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, null=True, blank=True, related_name="outbox_messages"
    )
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    template = models.CharField(max_length=200, help_text="The e-mail template, under templates/emails/.")
    context = models.JSONField(default=dict, blank=True)
    attachment = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="A PDF sent with it."
    )
    deadline = models.ForeignKey(
        "complaints.Deadline",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="A clock this message meets when it is actually sent (e.g. the acknowledgement's).",
    )
    status = models.CharField(max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker last claimed it; recorded before each send is tried."
    )
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="After a failed try, when the next one may start (exponential backoff)."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbox_status_created"),
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next_attempt"),
        ]

    def __str__(self):
        return f"{self.subject} to {self.to} ({self.status})"
