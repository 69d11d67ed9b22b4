"""Working-day arithmetic for deadlines: weekends and the council nation's bank holidays excluded."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings

# The holidays package names the UK nations as subdivisions of GB.
_SUBDIVISION = {"ENG": "ENG", "WLS": "WLS", "SCT": "SCT", "NIR": "NIR"}
_NATION_NAME = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}


@lru_cache(maxsize=8)
def _bank_holidays(nation: str):
    return holidays.country_holidays("GB", subdiv=_SUBDIVISION[nation], years=range(2015, 2041))


def closure_days() -> set[date]:
    return {date.fromisoformat(d) for d in getattr(settings, "COUNCIL_CLOSURE_DAYS", [])}


def is_working_day(day: date, *, nation: str) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(nation) and day not in closure_days()


@dataclass(frozen=True)
class DueDate:
    due_on: date
    explanation: str


def add_working_days(start: date, days: int, *, nation: str) -> DueDate:
    """The date `days` working days after `start` (the start day itself is day 0)."""
    current = start
    counted = 0
    skipped: list[str] = []
    holidays_for_nation = _bank_holidays(nation)
    closures = closure_days()
    while counted < days:
        current += timedelta(days=1)
        if current.weekday() >= 5:
            continue
        if current in holidays_for_nation:
            skipped.append(f"{holidays_for_nation.get(current)} ({current:%-d %B %Y})")
            continue
        if current in closures:
            skipped.append(f"council closure day ({current:%-d %B %Y})")
            continue
        counted += 1
    explanation = (
        f"{days} working days from {start:%-d %B %Y}, not counting weekends or bank holidays in {_NATION_NAME[nation]}"
    )
    if skipped:
        explanation += "; skipped " + ", ".join(skipped)
    return DueDate(due_on=current, explanation=explanation + f": due {current:%-d %B %Y}.")
