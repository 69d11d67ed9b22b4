import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class ReportRunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class CommitteeReportRun(models.Model):
    """One request to generate the Standards Committee report: what was asked for, and its progress.

    The words the officer edited are kept with it; the figures are computed when it runs. The PDF
    is stored as a `Document` (kind committee report) and the CSV beside it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    start = models.DateField()
    end = models.DateField()
    scope = models.CharField(max_length=100, help_text="'all' or the slug of a council.")
    threshold = models.PositiveSmallIntegerField(default=3)
    text = models.JSONField(default=dict, help_text="The narrative, recommendations and implications.")
    status = models.CharField(max_length=20, choices=ReportRunStatus.choices, default=ReportRunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    document = models.ForeignKey(
        "complaints.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    csv = models.BinaryField(blank=True, default=b"", editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="report_run_end_after_start"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_run_progress_at_most_100"),
        ]

    def __str__(self):
        return f"Committee report {self.start} to {self.end} ({self.scope}): {self.get_status_display()}"
