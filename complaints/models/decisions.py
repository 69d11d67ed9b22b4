import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from complaints.models.cases import CapacityIndicator, Outcome  # noqa: F401  (re-exported for forms)


class Recommendation(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    INFORMAL_RESOLUTION = "informal_resolution", "Informal resolution"
    INVESTIGATION = "investigation", "Investigation"
    POLICE = "police", "Referral to the police"


class Assessment(models.Model):
    """The initial assessment: jurisdiction, capacity, public interest and the IP's views."""

    case = models.OneToOneField("complaints.Case", on_delete=models.PROTECT, related_name="assessment")
    was_councillor_at_time = models.BooleanField(null=True, blank=True)
    acting_as_councillor = models.BooleanField(null=True, blank=True)
    conduct_covered_by_code = models.BooleanField(null=True, blank=True)
    within_time_limit = models.BooleanField(null=True, blank=True)
    code_in_force = models.ForeignKey(
        "guidance.CodeOfConduct",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The code in force on the date of the conduct.",
    )
    jurisdiction_notes = models.TextField(blank=True)
    capacity_indicators = models.JSONField(
        default=dict, blank=True, help_text="Indicator code to its answer (yes, no, unclear) and a note."
    )
    capacity_view = models.TextField(blank=True)
    public_interest_answers = models.JSONField(
        default=list, blank=True, help_text="Each question of the council's public interest test, answered."
    )
    public_interest_view = models.TextField(blank=True)
    independent_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ip_consulted_at = models.DateTimeField(null=True, blank=True)
    ip_views = models.TextField(blank=True)
    recommendation = models.CharField(max_length=30, choices=Recommendation.choices, blank=True)
    recommendation_reasons = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Assessment of {self.case}"


class DecisionKind(models.TextChoices):
    """The point of the process at which a decision was made."""

    ASSESSMENT = "assessment", "Decision on the initial assessment"
    INVESTIGATION = "investigation", "Investigation report: no breach"
    HEARING = "hearing", "Hearing"


class NoFurtherActionReason(models.TextChoices):
    NO_JURISDICTION = "no_jurisdiction", "No jurisdiction"
    NOT_ACTING_AS_COUNCILLOR = "not_acting_as_councillor", "Not acting as a councillor"
    TRIVIAL = "trivial", "Trivial"
    MALICIOUS = "malicious", "Malicious or tit-for-tat"
    TOO_OLD = "too_old", "Too old"
    NOT_IN_PUBLIC_INTEREST = "not_in_public_interest", "Not in the public interest"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", "Insufficient evidence"


class Sanction(models.TextChoices):
    """The sanctions open to a hearing panel in England (there is no power to suspend)."""

    CENSURE = "censure", "Censure"
    PUBLISH_FINDINGS = "publish_findings", "Publish the findings"
    REPORT_TO_COUNCIL = "report_to_council", "Report the findings to full council (or the parish council)"
    RECOMMEND_REMOVAL = "recommend_removal", "Recommend removal from committees or outside bodies"
    TRAINING = "training", "Training"
    APOLOGY = "apology", "Apology"
    WITHDRAW_FACILITIES = "withdraw_facilities", "Withdrawal of facilities"


class Decision(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices, default=DecisionKind.ASSESSMENT)
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    no_further_action_reason = models.CharField(
        max_length=30, choices=NoFurtherActionReason.choices, blank=True, help_text="Why no further action."
    )
    reasons = models.TextField()
    sanction_codes = models.JSONField(default=list, blank=True, help_text="The sanctions chosen (Sanction codes).")
    panel_recommends = models.BooleanField(
        default=False,
        help_text="For a parish or town councillor the panel recommends sanctions and the parish council decides.",
    )
    hearing_on = models.DateField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    clauses_engaged = models.ManyToManyField("guidance.Clause", blank=True, related_name="+")
    clauses_breached = models.ManyToManyField("guidance.Clause", blank=True, related_name="+")
    sanctions = models.TextField(blank=True)
    ip_view = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    notice_published = models.BooleanField(default=False)
    notice_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_published=False) | Q(notice_published_at__isnull=False),
                name="published_notice_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.case}: {self.get_outcome_display()}"

    def sanction_labels(self) -> list[str]:
        labels = dict(Sanction.choices)
        return [labels.get(code, code) for code in self.sanction_codes]


class InformalStepKind(models.TextChoices):
    APOLOGY = "apology", "Apology"
    TRAINING = "training", "Training"
    REMOVE_POST = "remove_post", "Removal of the post"
    ADVICE_NOTE = "advice_note", "Advice note"


class InformalStepStatus(models.TextChoices):
    PENDING = "pending", "Not yet done"
    DONE = "done", "Done"
    REFUSED = "refused", "Refused"


class InformalStep(models.Model):
    """One step of an informal resolution, recorded later as done or refused."""

    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="informal_steps")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="informal_steps")
    kind = models.CharField(max_length=20, choices=InformalStepKind.choices)
    status = models.CharField(max_length=10, choices=InformalStepStatus.choices, default=InformalStepStatus.PENDING)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["decision", "pk"]
        constraints = [models.UniqueConstraint(fields=["decision", "kind"], name="informal_step_once_per_decision")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class Finding(models.TextChoices):
    BREACH = "breach", "Breach of the code"
    NO_BREACH = "no_breach", "No breach of the code"


class InvestigationReport(models.Model):
    """The investigator's final report: breach goes to a hearing, no breach closes the case."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="investigation_reports")
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    report_on = models.DateField(help_text="The date of the final report.")
    summary = models.TextField()
    finding = models.CharField(max_length=20, choices=Finding.choices)
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="investigation_report"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"Investigation report on {self.case}: {self.get_finding_display()}"


class ReviewResult(models.TextChoices):
    UPHELD = "upheld", "Upheld: no further action stands"
    OVERTURNED = "overturned", "Overturned: the complaint is assessed again"


class ReviewRequest(models.Model):
    """A complainant's request for review of a no-further-action decision, and its result."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="review_requests")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="review_requests")
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, null=True, blank=True, related_name="review_requests"
    )
    requested_on = models.DateField()
    grounds = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    result = models.CharField(max_length=20, choices=ReviewResult.choices, blank=True)
    result_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"Review of {self.case}" + (f": {self.get_result_display()}" if self.result else "")


class TakedownStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    COMPLIED = "complied", "Complied"
    DECLINED = "declined", "Declined"
    OVERDUE = "overdue", "Overdue"


class TakedownRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="takedown_requests")
    posts = models.ManyToManyField("complaints.SocialMediaPost", related_name="takedown_requests")
    status = models.CharField(max_length=20, choices=TakedownStatus.choices, default=TakedownStatus.DRAFT)
    requested_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    removal_verified_at = models.DateTimeField(null=True, blank=True)
    removed_on = models.DateField(null=True, blank=True, help_text="The day the post(s) were seen to be gone.")
    letter = models.ForeignKey("complaints.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    deadline = models.OneToOneField(
        "complaints.Deadline",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="takedown_request",
        help_text="The takedown compliance clock started when the request was sent.",
    )
    followed_up_on = models.DateField(
        null=True, blank=True, help_text="The last day the officer was reminded that it is overdue."
    )

    def __str__(self):
        return f"Takedown request for {self.case} ({self.get_status_display()})"


class DeadlineKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", "Acknowledge the complaint"
    MEMBER_RESPONSE = "member_response", "Member's response"
    FURTHER_INFORMATION = "further_information", "Further information"
    ASSESSMENT = "assessment", "Initial assessment"
    DECISION_NOTICE = "decision_notice", "Decision notice"
    TAKEDOWN = "takedown", "Takedown compliance"
    INVESTIGATION = "investigation", "Investigation"
    HEARING = "hearing", "Hearing"
    REVIEW_WINDOW = "review_window", "Review window"


class Counting(models.TextChoices):
    WORKING_DAYS = "working", "Working days"
    CALENDAR_DAYS = "calendar", "Calendar days"


class Deadline(models.Model):
    """A clock on a case. The due date is stored when set, with a sentence saying how it was computed."""

    case = models.ForeignKey("complaints.Case", on_delete=models.PROTECT, related_name="deadlines")
    kind = models.CharField(max_length=30, choices=DeadlineKind.choices)
    starts_on = models.DateField()
    working_days = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    computation = models.TextField(help_text="How the due date was computed, in words.")
    counting = models.CharField(
        max_length=10,
        choices=Counting.choices,
        default=Counting.WORKING_DAYS,
        help_text="Whether working_days counts working or calendar days (a review window counts every day).",
    )
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=200, blank=True, help_text="Why the clock is paused now.")
    paused_days = models.PositiveSmallIntegerField(default=0)
    pauses = models.JSONField(
        default=list, blank=True, help_text="Each finished pause: from, to, reason and the working days it added."
    )
    met_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the deadline sweep with a conditional update (only while empty), in the same
    # transaction as the message it queues: each clock gets at most one reminder and one escalation.
    reminder_claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the assigned officer was reminded that this clock is nearly due."
    )
    escalation_claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the Monitoring Officer was told that this clock is overdue."
    )

    class Meta:
        ordering = ["due_on"]
        indexes = [
            # The deadline sweep reads only open clocks it has not yet claimed, by due date.
            models.Index(
                fields=["due_on"],
                condition=Q(met_at__isnull=True, reminder_claimed_at__isnull=True),
                name="deadline_reminder_due",
            ),
            models.Index(
                fields=["due_on"],
                condition=Q(met_at__isnull=True, escalation_claimed_at__isnull=True),
                name="deadline_escalation_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")), name="deadline_due_after_start"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} due {self.due_on:%d %b %Y}"
