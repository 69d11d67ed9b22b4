"""The early steps of a case: questions to the complainant, invitations to the councillor, the
council's public interest test, and complainants whose contact is restricted."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from complaints.models.authorities import LOCAL_KINDS


class InformationRequest(models.Model):
    """A question put to one complainant of a case, and their answer once it arrives."""

    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="information_requests")
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT, related_name="+")
    question = models.TextField(max_length=5000)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deadline = models.OneToOneField(
        "complaints.Deadline", on_delete=models.PROTECT, null=True, blank=True, related_name="information_request"
    )
    answer = models.TextField(max_length=10000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["requested_at", "pk"]

    def __str__(self):
        return f"Question to the complainant of {self.complaint}"


class MemberInvitation(models.Model):
    """A councillor invited to comment on the complaint(s) of a case, and their response."""

    class Method(models.TextChoices):
        EMAIL = "email", "By e-mail"
        LETTER = "letter", "By letter"

    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="member_invitations")
    councillor = models.ForeignKey("complaints.Councillor", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=Method.choices)
    invited_at = models.DateTimeField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deadline = models.ForeignKey(
        "complaints.Deadline", on_delete=models.PROTECT, null=True, blank=True, related_name="member_invitations"
    )
    response = models.TextField(max_length=20000, blank=True)
    responded = models.BooleanField(null=True, blank=True, help_text="Empty until recorded; false: no response.")
    response_recorded_at = models.DateTimeField(null=True, blank=True)
    response_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["invited_at", "pk"]

    def __str__(self):
        return f"{self.councillor} invited to comment on {self.case}"


class PublicInterestQuestion(models.Model):
    """One question of a principal council's published public interest test."""

    authority = models.ForeignKey(
        "complaints.Authority",
        on_delete=models.CASCADE,
        related_name="public_interest_questions",
        limit_choices_to=~Q(kind__in=LOCAL_KINDS),
        help_text="The principal council (parish and town councils' cases use their principal council's test).",
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["authority__name", "position", "pk"]

    def __str__(self):
        return self.text


class RestrictionKind(models.TextChoices):
    VEXATIOUS = "vexatious", "Vexatious"
    PERSISTENT = "persistent", "Persistent"


class ComplainantRestriction(models.Model):
    """The Monitoring Officer's decision that a complainant is treated as vexatious or persistent.

    Keyed by e-mail address (stored lower case) and principal council. Officers only: it restricts
    how contact is handled, never whether a complaint is logged.
    """

    authority = models.ForeignKey(
        "complaints.Authority", on_delete=models.PROTECT, related_name="complainant_restrictions"
    )
    email = models.EmailField(max_length=254)
    kind = models.CharField(max_length=20, choices=RestrictionKind.choices)
    reason = models.TextField(max_length=5000)
    ip_view = models.TextField(max_length=5000, blank=True, help_text="The Independent Person's view, if sought.")
    review_on = models.DateField(help_text="When the restriction is to be reviewed.")
    case = models.ForeignKey(
        "complaints.Case", on_delete=models.PROTECT, related_name="+", help_text="The case it was recorded from."
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "email"], name="complainant_restriction_once_per_council"),
        ]

    def __str__(self):
        return f"{self.email}: {self.get_kind_display()} ({self.authority})"
