"""Decision notices published on the public register (CSPL best practice 9).

A notice hangs on one Decision. What the public sees is frozen at publication in `content`: the
facts, provisions, the Independent Person's view, the reasons and any sanction, already stripped
of every complainant's details and, where the council's setting withholds it, of the councillor's
name. The register reads only these rows, never the live case, so a later change to the case (a
councillor's new name, a complainant's identity no longer withheld) cannot reach a published page.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class NoticeNaming(models.TextChoices):
    """Whether a council's published decision notices name the councillor."""

    ALWAYS = "always", "Always name the councillor"
    BREACH_ONLY = "breach_only", "Name the councillor only where a breach is found"
    NEVER = "never", "Never name the councillor"


class DecisionNotice(models.Model):
    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="The notice's address on the public register."
    )
    decision = models.OneToOneField("complaints.Decision", on_delete=models.PROTECT, related_name="notice")
    statement_of_facts = models.TextField(
        blank=True,
        max_length=5000,
        help_text="A brief statement of the facts written for publication; empty for the generated one.",
    )
    # The frozen public notice and the columns the register filters and sorts on, copied from it.
    content = models.JSONField(default=dict, blank=True, help_text="The notice as published, frozen.")
    content_sha256 = models.CharField(max_length=64, blank=True)
    authority = models.ForeignKey(
        "complaints.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The councillor's council when the notice was published.",
    )
    outcome = models.CharField(max_length=30, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True, max_length=2000)
    document = models.ForeignKey(
        "complaints.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The PDF of the published notice, made from the frozen content.",
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["-decided_on", "-published_at"],
                condition=Q(published_at__isnull=False, withdrawn_at__isnull=True),
                name="notice_on_register",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | (~Q(content={}) & Q(content_sha256__length=64)),
                name="published_notice_is_frozen",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="withdrawn_notice_has_reason",
            ),
        ]

    def __str__(self):
        return f"Decision notice for {self.decision}"

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.withdrawn_at is None
