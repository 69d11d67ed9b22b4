"""Council closure days: the seed from settings, loaded into each principal council's calendar."""

from __future__ import annotations

from datetime import date

from django.conf import settings

from complaints.models import LOCAL_KINDS, Authority, ClosureDay


def closure_days_seed(*, days: list[date] | None = None, authorities=None) -> int:
    """Give every principal council (or those given) the seed closure days it does not have yet.

    Returns how many closure days were added. Days already there are left as they are.
    """
    seed = [date.fromisoformat(str(d)) for d in (settings.COUNCIL_CLOSURE_DAYS if days is None else days)]
    councils = authorities if authorities is not None else Authority.objects.exclude(kind__in=LOCAL_KINDS)
    added = 0
    for council in councils:
        for day in seed:
            _, created = ClosureDay.objects.get_or_create(
                authority=council, day=day, defaults={"reason": "Council closure day"}
            )
            added += int(created)
    return added
