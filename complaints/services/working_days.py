"""Working-day arithmetic for clocks: weekends, the bank holidays of the council's nation and the
council's own closure days are not counted.

England and Wales share one list of bank holidays; Scotland and Northern Ireland have their own
(the `holidays` package, which includes one-off days such as the State Funeral of 19 Sep 2022 and
the Coronation of 8 May 2023). Closure days are kept per principal council (`ClosureDay`); a parish
or town council follows its principal council.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

NATIONS = ("ENG", "WLS", "SCT", "NIR")
# England and Wales share one list, so both read England's.
_SUBDIVISION = {"ENG": "ENG", "WLS": "ENG", "SCT": "SCT", "NIR": "NIR"}
HOLIDAY_LISTS = {
    "ENG": "England and Wales bank holidays",
    "WLS": "England and Wales bank holidays",
    "SCT": "Scottish bank holidays",
    "NIR": "Northern Ireland bank holidays",
}
WORKING = "working"
CALENDAR = "calendar"


class UnknownNation(ValueError):
    """A nation other than ENG, WLS, SCT or NIR."""


@lru_cache(maxsize=8)
def _bank_holidays(nation: str):
    if nation not in _SUBDIVISION:
        raise UnknownNation(nation)
    return holidays.country_holidays("GB", subdiv=_SUBDIVISION[nation], years=range(2000, 2061))


def day_text(day: date) -> str:
    """A date as the sentences write it: 'Wed 23 Dec 2026'."""
    return f"{day:%a %-d %b %Y}"


@dataclass(frozen=True)
class Calendar:
    """Which days count for one council: its nation's bank holidays and, if known, its closure days."""

    nation: str
    closures: Mapping[date, str] = field(default_factory=dict)
    council: str = ""  # the principal council's name, when its closure days apply

    def __post_init__(self):
        _bank_holidays(self.nation)  # refuses an unknown nation at once

    def not_working_because(self, day: date) -> str | None:
        """Why a weekday is not a working day (the holiday's name, or the closure), or None."""
        bank_holidays = _bank_holidays(self.nation)
        if day in bank_holidays:
            return bank_holidays.get(day)
        if day in self.closures:
            reason = self.closures[day]
            return f"council closure day ({reason})" if reason else "council closure day"
        return None

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.not_working_because(day) is None

    @property
    def excluded_phrase(self) -> str:
        holidays_phrase = HOLIDAY_LISTS[self.nation]
        if self.council:
            return f"excluding weekends, {holidays_phrase} and the council's closure days"
        return f"excluding weekends and {holidays_phrase}"


def calendar_for(authority=None, *, nation: str | None = None) -> Calendar:
    """The calendar of a council's principal council (its nation and closure days), or of a nation."""
    if authority is None:
        return Calendar(nation=nation or "ENG")
    from complaints.models import ClosureDay

    principal = authority.principal
    closures = dict(ClosureDay.objects.filter(authority=principal).values_list("day", "reason"))
    return Calendar(nation=principal.nation, closures=closures, council=principal.name)


def step_working_days(start: date, days: int, calendar: Calendar) -> tuple[date, list[date]]:
    """The day `days` working days after `start` (the start day is day 0), and the weekdays skipped."""
    current = start
    counted = 0
    skipped: list[date] = []
    while counted < days:
        current += timedelta(days=1)
        if current.weekday() >= 5:
            continue
        if calendar.not_working_because(current) is not None:
            skipped.append(current)
            continue
        counted += 1
    return current, skipped


def working_days_between(after: date, until: date, calendar: Calendar) -> int:
    """How many working days fall after `after` up to and including `until` (negative if before)."""
    if until < after:
        return -working_days_between(until, after, calendar)
    count = 0
    current = after
    while current < until:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            count += 1
    return count


@dataclass(frozen=True)
class DueDate:
    due_on: date
    explanation: str


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _not_counted(skipped: Iterable[date], calendar: Calendar) -> str:
    names = [f"{calendar.not_working_because(day)} ({day_text(day)})" for day in skipped]
    return f" Not counted: {', '.join(names)}." if names else ""


def _pause_phrase(pauses: list[dict], unit: str) -> str:
    added = sum(int(p.get("days", 0)) for p in pauses)
    spans = "; ".join(
        f"{p.get('reason') or 'paused'}, {day_text(date.fromisoformat(p['from']))}"
        f" to {day_text(date.fromisoformat(p['to']))}"
        for p in pauses
    )
    return f", plus {_plural(added, unit)} while the clock was paused ({spans})"


def due_date(
    start: date, days: int, *, calendar: Calendar, counting: str = WORKING, pauses: list[dict] | None = None
) -> DueDate:
    """A clock's due date and the sentence saying how it was worked out.

    ``pauses`` are finished pauses ({from, to, reason, days}); their days are added to the limit.
    """
    pauses = list(pauses or [])
    extra = sum(int(p.get("days", 0)) for p in pauses)
    if counting == CALENDAR:
        due = start + timedelta(days=days + extra)
        sentence = f"{_plural(days, 'day')} from {day_text(start)}"
        if pauses:
            sentence += _pause_phrase(pauses, "day")
        sentence += f", counting every day including weekends and bank holidays: due {day_text(due)}."
        return DueDate(due_on=due, explanation=sentence)
    due, skipped = step_working_days(start, days + extra, calendar)
    sentence = f"{_plural(days, 'working day')} from {day_text(start)}"
    if pauses:
        sentence += _pause_phrase(pauses, "working day")
    sentence += f", {calendar.excluded_phrase}: due {day_text(due)}." + _not_counted(skipped, calendar)
    return DueDate(due_on=due, explanation=sentence)


@lru_cache(maxsize=8)
def _nation_calendar(nation: str) -> Calendar:
    return Calendar(nation=nation)


def is_working_day(day: date, *, nation: str) -> bool:
    """Whether a day is a working day in a nation (weekends and bank holidays only; a council's
    closure days need its calendar, `calendar_for(authority).is_working_day`)."""
    return _nation_calendar(nation).is_working_day(day)


def add_working_days(start: date, days: int, *, nation: str, calendar: Calendar | None = None) -> DueDate:
    """The date `days` working days after `start` (the start day itself is day 0)."""
    return due_date(start, days, calendar=calendar or Calendar(nation=nation))
