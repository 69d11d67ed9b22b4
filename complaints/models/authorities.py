import uuid

from django.db import models
from django.db.models import Q

from complaints.models.notices import NoticeNaming


class Nation(models.TextChoices):
    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class AuthorityKind(models.TextChoices):
    COUNTY = "county", "County council"
    DISTRICT = "district", "District council"
    UNITARY = "unitary", "Unitary authority"
    METROPOLITAN = "metropolitan", "Metropolitan borough council"
    LONDON_BOROUGH = "london_borough", "London borough council"
    CITY = "city", "City council"
    TOWN = "town", "Town council"
    PARISH = "parish", "Parish council"


LOCAL_KINDS = (AuthorityKind.TOWN, AuthorityKind.PARISH)


class Authority(models.Model):
    """A council. Parish and town councils hang under the principal council whose MO serves them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=AuthorityKind.choices)
    nation = models.CharField(max_length=3, choices=Nation.choices, default=Nation.ENGLAND)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_councils",
        help_text="For a parish or town council: the principal council whose Monitoring Officer handles complaints.",
    )
    clerk_name = models.CharField(max_length=200, blank=True)
    clerk_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    notice_names_councillor = models.CharField(
        max_length=20,
        choices=NoticeNaming.choices,
        default=NoticeNaming.BREACH_ONLY,
        help_text="Whether published decision notices name the councillor. A parish or town council follows "
        "its principal council's setting.",
    )

    class Meta:
        ordering = ["parent__name", "name"]
        verbose_name_plural = "authorities"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=LOCAL_KINDS) | Q(parent__isnull=False),
                name="local_council_has_principal",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="authority_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_principal(self) -> bool:
        return self.kind not in LOCAL_KINDS

    @property
    def principal(self) -> "Authority":
        return self if self.is_principal or self.parent is None else self.parent

    @property
    def notice_naming(self) -> str:
        """The naming setting that applies to this council's notices: its principal council's."""
        return self.principal.notice_names_councillor


class Councillor(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="councillors")
    name = models.CharField(max_length=200)
    ward = models.CharField(max_length=200, blank=True, help_text="Ward or division.")
    party = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    term_start = models.DateField()
    term_end = models.DateField(null=True, blank=True, help_text="Empty while in office.")

    class Meta:
        ordering = ["authority__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="councillor_term_end_after_start",
            ),
        ]

    def __str__(self):
        return f"Cllr {self.name} ({self.authority})"

    def in_office_on(self, day) -> bool:
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X (Twitter)"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    WHATSAPP = "whatsapp", "WhatsApp"
    BLOG = "blog", "Blog or website"
    OTHER = "other", "Other"


class SocialMediaAccount(models.Model):
    councillor = models.ForeignKey(Councillor, on_delete=models.CASCADE, related_name="accounts")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=200)
    url = models.URLField(blank=True)
    presents_as_councillor = models.BooleanField(
        default=False, help_text="The account name or profile presents them as a councillor (for example 'Cllr')."
    )

    class Meta:
        ordering = ["councillor", "platform"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "handle"], name="account_handle_unique_per_platform"),
        ]

    def __str__(self):
        return f"{self.get_platform_display()}: {self.handle}"
