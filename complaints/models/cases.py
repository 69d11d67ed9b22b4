import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from complaints.models.authorities import Platform


class Stage(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    MEMBER_COMMENT = "member_comment", "Member invited to comment"
    FURTHER_INFORMATION = "further_information", "Further information requested"
    ASSESSMENT = "assessment", "Initial assessment"
    INFORMAL_RESOLUTION = "informal_resolution", "Informal resolution"
    INVESTIGATION = "investigation", "Investigation"
    HEARING = "hearing", "Hearing"
    REVIEW = "review", "Review"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    INFORMAL_RESOLUTION = "informal_resolution", "Informal resolution"
    INVESTIGATION = "investigation", "Referred for investigation"
    POLICE = "police", "Referred to the police"
    NO_BREACH = "no_breach", "No breach found"
    BREACH = "breach", "Breach found"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ComplainantType(models.TextChoices):
    PUBLIC = "public", "Member of the public"
    COUNCILLOR = "councillor", "Councillor"
    OFFICER = "officer", "Council officer"
    CLERK = "clerk", "Parish or town clerk"
    MP = "mp", "MP"
    OTHER = "other", "Other"


class CapacityIndicator(models.TextChoices):
    """Signs that a councillor was acting, or appeared to act, as a councillor (from the seeds)."""

    ACCOUNT_NAME = "account_name", "The account name uses 'Cllr' or 'Councillor'"
    PROFILE = "profile", "The profile says they are a councillor"
    COUNCIL_BUSINESS = "council_business", "The post discusses council or ward business"
    PRIVILEGED_INFORMATION = "privileged_information", "It uses information only available to a councillor"
    SIGNED_OFF = "signed_off", "It is signed off as a councillor"
    BRANDING = "branding", "It uses the council's logo or branding"
    HIGH_PROFILE = "high_profile", "The councillor has a high public profile"
    OTHER = "other", "Something else"


_PLATFORM_LABELS = dict(Platform.choices)
_COMPLAINANT_TYPE_LABELS = dict(ComplainantType.choices)


class Case(models.Model):
    """The matter the MO handles. Several complaints about one post or incident share a case."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=30, unique=True)
    authority = models.ForeignKey("complaints.Authority", on_delete=models.PROTECT, related_name="cases")
    title = models.CharField(max_length=200, blank=True)
    stage = models.CharField(max_length=30, choices=Stage.choices, default=Stage.RECEIVED)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases"
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="investigated_cases",
        help_text="The investigator appointed to the case; they see only cases they are appointed to.",
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
        help_text="Set when every complaint of this case was linked into another case; reports skip it.",
    )
    legal_hold = models.BooleanField(
        default=False, help_text="Keeps the case whole: retention does not anonymise it while the hold is on."
    )
    legal_hold_reason = models.CharField(max_length=500, blank=True)
    anonymised_at = models.DateTimeField(
        null=True, blank=True, help_text="When retention removed the complainants' personal data."
    )
    flagged_for_closure_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set by the deadline sweep when a clock that flags for closure (further information) ran out.",
    )
    # The earliest due date among the case's running clocks, kept by the database
    # (complaints/models/next_due_guard.py); never written by the application.
    next_due_on = models.DateField(null=True, blank=True, editable=False)
    # Bumped by every action of the process (complaints/services/process.py): a form prepared on
    # an older version is refused, so two officers cannot both make conflicting changes.
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-opened_at"]
        # Scopes of case access, given to roles (complaints/roles.py) and read by complaints/access.py.
        permissions = [
            ("view_council_cases", "Can see every case of their council"),
            ("view_appointed_cases", "Can see cases they are appointed to investigate"),
            ("view_consulted_cases", "Can see cases they are consulted on as Independent Person"),
            ("view_published_reports", "Can see published Standards Committee reports"),
            ("decide_case", "Can decide cases, close and reopen them, and record hearings and reviews"),
            ("report_investigation", "Can record the report of an investigation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(stage="closed"), name="case_closed_at_only_when_closed"
            ),
            models.CheckConstraint(
                condition=Q(legal_hold=False) | ~Q(legal_hold_reason=""),
                name="case_legal_hold_has_reason",
                violation_error_message="Give the reason for the legal hold.",
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        """Saving a case loaded earlier never writes back its copy of `next_due_on`, which the
        database may have moved since (a clock started or met after the case was read)."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "next_due_on"
            ]
        super().save(*args, **kwargs)


class Complaint(models.Model):
    """One complainant's submission. It belongs to exactly one case (a non-null foreign key)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=30, unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="complaints")
    authority = models.ForeignKey("complaints.Authority", on_delete=models.PROTECT, related_name="complaints")
    councillors = models.ManyToManyField("complaints.Councillor", blank=True, related_name="complaints")
    unlisted_councillor_names = models.CharField(
        max_length=500, blank=True, help_text="Names typed by the complainant that the MO still has to match."
    )

    complainant_name = models.CharField(max_length=200)
    complainant_email = models.EmailField(max_length=254)
    complainant_phone = models.CharField(max_length=40, blank=True)
    complainant_address = models.TextField(max_length=500, blank=True)
    complainant_type = models.CharField(max_length=20, choices=ComplainantType.choices)
    complainant_type_other = models.CharField(max_length=100, blank=True)

    code = models.ForeignKey(
        "guidance.CodeOfConduct", on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    clauses = models.ManyToManyField("guidance.Clause", blank=True, related_name="complaints")
    clauses_not_sure = models.BooleanField(default=False)
    no_evidence_reason = models.TextField(
        max_length=2000, blank=True, help_text="Why the complainant could not send a screenshot, if they sent none."
    )

    late_reason = models.TextField(
        max_length=3000,
        blank=True,
        help_text="Why the complaint comes after the usual time limit, when a post was older than that.",
    )
    outcome_sought = models.TextField(max_length=3000)
    previous_complaint = models.CharField(
        max_length=10, choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")], default="no"
    )
    previous_complaint_details = models.TextField(max_length=2000, blank=True)
    confidentiality_requested = models.BooleanField(default=False)
    confidentiality_reason = models.TextField(max_length=3000, blank=True)
    confidentiality_granted = models.BooleanField(
        null=True,
        blank=True,
        help_text="The Monitoring Officer's decision on the request: empty until decided.",
    )

    submitted_at = models.DateTimeField()
    declaration_confirmed = models.BooleanField(default=False)
    submitted_from_ip = models.GenericIPAddressField(null=True, blank=True)
    draft_token = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The online draft this complaint was sent from: sending the same draft twice gives one complaint.",
    )

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            # A complainant's other complaints are found by e-mail, whatever its case (case page).
            models.Index(Lower("complainant_email"), name="complaint_email_lower"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidentiality_requested=False) | ~Q(confidentiality_reason=""),
                name="confidentiality_request_has_reason",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def complainant_type_label(self) -> str:
        return _COMPLAINANT_TYPE_LABELS.get(self.complainant_type, self.complainant_type)

    @property
    def identity_withheld(self) -> bool:
        """Whether the complainant's identity is kept from the councillor and the public.

        A request not yet decided is honoured: the identity is shared only once it is refused.
        """
        return self.confidentiality_requested and self.confidentiality_granted is not False


class SocialMediaPost(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="posts")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="posts")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    platform_other = models.CharField(max_length=100, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    normalised_url = models.CharField(max_length=2000, blank=True, db_index=True)
    account_name = models.CharField(max_length=200)
    posted_on = models.DateField(null=True, blank=True)
    text_reported = models.TextField(max_length=10000)
    capacity_indicators = models.JSONField(default=list, blank=True)
    capacity_other = models.TextField(
        max_length=1000, blank=True, help_text="What else made the complainant think they acted as a councillor."
    )
    capacity_explanation = models.TextField(max_length=3000, blank=True)
    still_visible = models.BooleanField(null=True, blank=True)
    visibility_checked_at = models.DateTimeField(null=True, blank=True)
    removal_confirmed_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["complaint", "position"]

    def __str__(self):
        return f"{self.get_platform_display()} post by {self.account_name}"

    @property
    def platform_label(self) -> str:
        """get_platform_display without building the dict of every platform again per post."""
        return _PLATFORM_LABELS.get(self.platform, self.platform)

    def capacity_indicator_labels(self) -> list[str]:
        labels = dict(CapacityIndicator.choices)
        return [labels.get(code, code) for code in self.capacity_indicators]


class ReferenceCounter(models.Model):
    """The last number issued for a prefix and year; incremented under a row lock."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"
