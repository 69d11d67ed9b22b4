"""Single-use links that let a complainant see where their own complaint has got to."""

from django.db import models
from django.utils import timezone


class ComplaintAccessLink(models.Model):
    """A link e-mailed to a complainant. Only the SHA-256 of its secret is kept."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="access_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"], name="access_link_expiry")]

    def __str__(self):
        return f"Link for {self.complaint} (created {self.created_at:%d %b %Y %H:%M})"
