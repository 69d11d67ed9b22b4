"""Time limits of each kind of clock: the defaults (DOMAIN.md, from settings) and a principal
council's own, set by the system administrator in the admin (`TimeLimit`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from complaints.models import Counting, DeadlineKind, TimeLimit


@dataclass(frozen=True)
class Limit:
    kind: str
    days: int
    counting: str = Counting.WORKING_DAYS
    flag_for_closure: bool = False
    council_set: bool = False

    @property
    def label(self) -> str:
        unit = "working day" if self.counting == Counting.WORKING_DAYS else "day"
        return f"{self.days} {unit}{'' if self.days == 1 else 's'}"


def default_limits() -> dict[str, Limit]:
    working = Counting.WORKING_DAYS
    return {
        DeadlineKind.ACKNOWLEDGE: Limit(DeadlineKind.ACKNOWLEDGE, settings.TIMESCALE_ACKNOWLEDGE_DAYS, working),
        DeadlineKind.MEMBER_RESPONSE: Limit(
            DeadlineKind.MEMBER_RESPONSE, settings.TIMESCALE_MEMBER_RESPONSE_DAYS, working
        ),
        DeadlineKind.FURTHER_INFORMATION: Limit(
            DeadlineKind.FURTHER_INFORMATION, settings.TIMESCALE_FURTHER_INFORMATION_DAYS, working, True
        ),
        DeadlineKind.ASSESSMENT: Limit(DeadlineKind.ASSESSMENT, settings.TIMESCALE_ASSESSMENT_DAYS, working),
        DeadlineKind.DECISION_NOTICE: Limit(
            DeadlineKind.DECISION_NOTICE, settings.TIMESCALE_DECISION_NOTICE_DAYS, working
        ),
        DeadlineKind.TAKEDOWN: Limit(DeadlineKind.TAKEDOWN, settings.TIMESCALE_TAKEDOWN_DAYS, working),
        DeadlineKind.INVESTIGATION: Limit(DeadlineKind.INVESTIGATION, settings.TIMESCALE_INVESTIGATION_DAYS, working),
        DeadlineKind.HEARING: Limit(DeadlineKind.HEARING, settings.TIMESCALE_HEARING_DAYS, working),
        DeadlineKind.REVIEW_WINDOW: Limit(
            DeadlineKind.REVIEW_WINDOW, settings.TIMESCALE_REVIEW_WINDOW_DAYS, Counting.CALENDAR_DAYS
        ),
    }


def time_limits(authority) -> dict[str, Limit]:
    """Every kind's limit for a council: its principal council's own where set, else the default."""
    limits = default_limits()
    if authority is None:
        return limits
    for own in TimeLimit.objects.filter(authority=authority.principal):
        limits[own.kind] = Limit(own.kind, own.days, own.counting, own.flag_for_closure, council_set=True)
    return limits


def time_limit(authority, kind: str) -> Limit:
    if kind not in DeadlineKind.values:
        raise ValueError(f"Unknown kind of clock: {kind!r}")
    own = TimeLimit.objects.filter(authority=authority.principal, kind=kind).first() if authority else None
    if own is not None:
        return Limit(own.kind, own.days, own.counting, own.flag_for_closure, council_set=True)
    return default_limits()[kind]
