"""The working-day calendar kept per principal council: its closure days and its time limits."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from complaints.models.authorities import LOCAL_KINDS
from complaints.models.decisions import Counting, DeadlineKind


class ClosureDay(models.Model):
    """A day a principal council's offices are closed (e.g. the Christmas shutdown).

    Clocks of cases of the council, and of the parish and town councils under it, do not count it.
    """

    authority = models.ForeignKey(
        "complaints.Authority",
        on_delete=models.CASCADE,
        related_name="closure_days",
        limit_choices_to=~Q(kind__in=LOCAL_KINDS),
        help_text="The principal council (parish and town councils follow their principal council).",
    )
    day = models.DateField()
    reason = models.CharField(max_length=200, blank=True, help_text="For example, Christmas shutdown.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["authority__name", "day"]
        constraints = [models.UniqueConstraint(fields=["authority", "day"], name="closure_day_once_per_council")]

    def __str__(self):
        return f"{self.authority}: closed {self.day:%a %-d %b %Y}"

    def clean(self):
        if self.authority_id and not self.authority.is_principal:
            raise ValidationError(
                {"authority": "Closure days belong to principal councils; parish and town councils follow theirs."}
            )


class TimeLimit(models.Model):
    """A principal council's own time limit for one kind of clock, instead of the default."""

    authority = models.ForeignKey(
        "complaints.Authority",
        on_delete=models.CASCADE,
        related_name="time_limits",
        limit_choices_to=~Q(kind__in=LOCAL_KINDS),
    )
    kind = models.CharField(max_length=30, choices=DeadlineKind.choices)
    days = models.PositiveSmallIntegerField()
    counting = models.CharField(max_length=10, choices=Counting.choices, default=Counting.WORKING_DAYS)
    flag_for_closure = models.BooleanField(
        default=False, help_text="When the clock runs out unanswered, the case is flagged for closure."
    )

    class Meta:
        ordering = ["authority__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "kind"], name="time_limit_once_per_council_and_kind"),
            models.CheckConstraint(condition=Q(days__gte=1), name="time_limit_at_least_one_day"),
        ]

    def __str__(self):
        return f"{self.authority}: {self.get_kind_display()} {self.days} {self.get_counting_display().lower()}"

    def clean(self):
        if self.authority_id and not self.authority.is_principal:
            raise ValidationError({"authority": "Time limits belong to principal councils."})
