import uuid

from django.db import models
from django.db.models import Q


class ClauseCategory(models.TextChoices):
    RESPECT = "respect", "Respect"
    BULLYING = "bullying", "Bullying, harassment and discrimination"
    IMPARTIALITY = "impartiality", "Impartiality of officers"
    CONFIDENTIALITY = "confidentiality", "Confidentiality and access to information"
    DISREPUTE = "disrepute", "Disrepute"
    POSITION = "position", "Use of position"
    RESOURCES = "resources", "Use of resources and facilities"
    COMPLIANCE = "compliance", "Complying with the code"
    INTERESTS = "interests", "Interests"
    GIFTS = "gifts", "Gifts and hospitality"
    SOCIAL_MEDIA = "social_media", "Social media"
    OTHER = "other", "Other"


class CodeOfConductQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """Codes whose effective period includes ``day`` (effective_to is inclusive)."""
        return self.filter(effective_from__lte=day).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))


class CodeOfConduct(models.Model):
    """A code of conduct: a model code (no authority) or the version an authority adopted.

    Each version is its own row with its own clauses, so adding a version never touches an
    earlier one; the text that applies to a complaint is the one in force on the conduct date.
    """

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    authority = models.ForeignKey(
        "complaints.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="codes",
        help_text="The council that adopted this version. Empty for a published model code.",
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="adoptions"
    )
    version = models.CharField(max_length=50, blank=True)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text="Last day in force; empty while in force.")
    source = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)

    objects = CodeOfConductQuerySet.as_manager()

    class Meta:
        ordering = ["title", "effective_from"]
        verbose_name = "code of conduct"
        verbose_name_plural = "codes of conduct"
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="code_effective_to_after_from",
            ),
        ]

    def __str__(self):
        label = self.title
        if self.version:
            label += f" ({self.version})"
        return label


class Clause(models.Model):
    code = models.ForeignKey(CodeOfConduct, on_delete=models.CASCADE, related_name="clauses")
    number = models.CharField(max_length=20, help_text="As printed in the code, e.g. 1 or 4.1.")
    heading = models.CharField(max_length=200)
    text = models.TextField()
    plain_english = models.CharField(max_length=300, blank=True, help_text="A hint for members of the public.")
    category = models.CharField(max_length=30, choices=ClauseCategory.choices, default=ClauseCategory.OTHER)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["code", "position"]
        constraints = [
            models.UniqueConstraint(fields=["code", "number"], name="clause_number_unique_in_code"),
        ]

    def __str__(self):
        return f"{self.number}. {self.heading}"


class GuidanceDocument(models.Model):
    """A council's social media guidance for councillors (the seed documents)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=100, unique=True)
    council = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    date = models.DateField(help_text="Date of the document or of the report that adopted it.")
    date_note = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["council", "date"]

    def __str__(self):
        return f"{self.council}: {self.title}"


class RuleKind(models.TextChoices):
    DO = "do", "Do"
    DONT = "dont", "Don't"


class GuidanceRule(models.Model):
    document = models.ForeignKey(GuidanceDocument, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=10, choices=RuleKind.choices)
    section = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    position = models.PositiveIntegerField()
    clauses = models.ManyToManyField(Clause, related_name="guidance_rules")

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="rule_position_unique_in_document"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:80]}"
