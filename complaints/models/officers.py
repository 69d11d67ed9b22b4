"""Who works on which cases: officers' councils, investigators, Independent Persons, conflicts."""

from django.conf import settings
from django.db import models


class OfficerProfile(models.Model):
    """The principal council an officer works for. Officers see that council's cases and its
    parish and town councils' cases, never another council's."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_profile")
    authority = models.ForeignKey(
        "complaints.Authority",
        on_delete=models.PROTECT,
        related_name="officers",
        help_text="The principal council whose Monitoring Officer this person works for.",
    )
    job_title = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.user} ({self.authority})"


class Consultation(models.Model):
    """An Independent Person asked for their view on a case. They see only cases they are consulted on."""

    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="consultations")
    independent_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    question = models.TextField(blank=True)
    view = models.TextField(blank=True)
    view_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "independent_person"], name="consultation_once_per_ip"),
        ]

    def __str__(self):
        return f"{self.independent_person} consulted on {self.case}"


class ConflictOfInterest(models.Model):
    """An officer's declared conflict on a case: from then on they cannot see it."""

    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="conflicts")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts")
    reason = models.TextField()
    declared_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "conflicts of interest"
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="conflict_once_per_officer")]

    def __str__(self):
        return f"{self.officer} conflicted on {self.case}"
