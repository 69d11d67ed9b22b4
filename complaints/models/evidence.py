import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length

models.CharField.register_lookup(Length)


class EvidenceSource(models.TextChoices):
    COMPLAINANT = "complainant", "Supplied by the complainant"
    OFFICER = "officer", "Captured by an officer"


class Evidence(models.Model):
    """A file kept as evidence: original bytes unchanged and private, plus a clean display copy."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="evidence")
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    post = models.ForeignKey(
        "complaints.SocialMediaPost", on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    source = models.CharField(max_length=20, choices=EvidenceSource.choices, default=EvidenceSource.COMPLAINANT)
    original = models.FileField(upload_to="evidence/originals/", max_length=300)
    original_name = models.CharField(max_length=255, help_text="The file name as uploaded; never used on disk.")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=50)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    display = models.FileField(upload_to="evidence/display/", max_length=300, blank=True)
    perceptual_hash = models.CharField(max_length=64, blank=True, db_index=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(condition=Q(sha256__length=64), name="evidence_has_sha256"),
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_not_empty"),
            # A stored file is one piece of evidence of one complaint, never shared between records.
            models.UniqueConstraint(fields=["original"], name="evidence_original_unique"),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.sha256[:12]})"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
