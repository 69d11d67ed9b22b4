from django.conf import settings
from django.db import models


class DuplicateDismissal(models.Model):
    """An officer's judgement that a complaint is not a duplicate of a case.

    The possible-duplicates queue no longer suggests linking that complaint into that case; other
    suggestions for the complaint (another case) still appear.
    """

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="duplicate_dismissals")
    case = models.ForeignKey("complaints.Case", on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dismissed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "case"], name="duplicate_dismissal_once"),
        ]

    def __str__(self):
        return f"{self.complaint} is not a duplicate of {self.case}"
