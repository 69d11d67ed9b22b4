"""Clocks on a case: started once with a stored due date and the sentence saying how it was worked
out, paused and resumed with a reason, and recomputed only when asked (after a closure day is
added). Met clocks and clocks of closed cases never move."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from complaints.models import Authority, Case, Counting, Deadline, EventKind, Stage
from complaints.services.events import event_record
from complaints.services.time_limits import time_limit
from complaints.services.working_days import (
    Calendar,
    DueDate,
    calendar_for,
    day_text,
    due_date,
    step_working_days,
    working_days_between,
)


class ClockError(Exception):
    """A pause or resume that does not fit the clock's state (already paused, already met, ...)."""


def due_preview(*, authority: Authority, kind: str, start: date) -> DueDate:
    """What a clock of this kind started on `start` would be due, without starting it."""
    limit = time_limit(authority, kind)
    return due_date(start, limit.days, calendar=calendar_for(authority), counting=limit.counting)


def clock_start(case: Case, kind: str, *, start: date | None = None, actor=None, days: int | None = None) -> Deadline:
    """Start a clock on a case: its due date is worked out once, now, and stored with the sentence.

    The limit is the case's principal council's for this kind (or the default); ``days`` overrides
    it when an officer sets a clock by hand.
    """
    start = start or timezone.localdate()
    limit = time_limit(case.authority, kind)
    counting = limit.counting
    days = limit.days if days is None else days
    due = due_date(start, days, calendar=calendar_for(case.authority), counting=counting)
    deadline = Deadline.objects.create(
        case=case,
        kind=kind,
        starts_on=start,
        working_days=days,
        counting=counting,
        due_on=due.due_on,
        computation=due.explanation,
    )
    event_record(
        case=case,
        kind=EventKind.DEADLINE_SET,
        description=f"{deadline.get_kind_display()} due {deadline.due_on:%-d %B %Y}",
        actor=actor,
        details={
            "kind": kind,
            "deadline": deadline.pk,
            "due_on": deadline.due_on.isoformat(),
            "computation": due.explanation,
            "flag_for_closure": limit.flag_for_closure,
        },
    )
    return deadline


def _locked(deadline: Deadline) -> Deadline:
    return (
        Deadline.objects.select_for_update(of=("self",)).select_related("case__authority__parent").get(pk=deadline.pk)
    )


def clock_pause(deadline: Deadline, reason: str, actor=None, *, now: datetime | None = None) -> Deadline:
    """Stop a clock (waiting for the complainant, for a police decision, ...)."""
    reason = (reason or "").strip()
    if not reason:
        raise ClockError("Say why the clock is paused.")
    now = now or timezone.now()
    with transaction.atomic():
        deadline = _locked(deadline)
        if deadline.met_at is not None or deadline.case.stage == Stage.CLOSED:
            raise ClockError("This clock has stopped for good and cannot be paused.")
        if deadline.paused_at is not None:
            raise ClockError("This clock is already paused.")
        Deadline.objects.filter(pk=deadline.pk).update(paused_at=now, pause_reason=reason[:200])
        deadline.refresh_from_db()
        event_record(
            case=deadline.case,
            kind=EventKind.CLOCK_PAUSED,
            description=f"{deadline.get_kind_display()} clock paused: {reason}",
            actor=actor,
            details={"deadline": deadline.pk, "kind": deadline.kind, "reason": reason, "due_on": deadline.due_on},
        )
    return deadline


def clock_resume(deadline: Deadline, actor=None, *, now: datetime | None = None) -> Deadline:
    """Restart a paused clock: the due date moves on by the working days it was paused, and the
    sentence says so. Days are counted after the day it was paused, up to the day it restarts."""
    now = now or timezone.now()
    with transaction.atomic():
        deadline = _locked(deadline)
        if deadline.paused_at is None:
            raise ClockError("This clock is not paused.")
        calendar = calendar_for(deadline.case.authority)
        paused_on, resumed_on = timezone.localdate(deadline.paused_at), timezone.localdate(now)
        if deadline.counting == Counting.CALENDAR_DAYS:
            added = max((resumed_on - paused_on).days, 0)
            new_due = date.fromordinal(deadline.due_on.toordinal() + added)
            unit = "day"
        else:
            added = max(working_days_between(paused_on, resumed_on, calendar), 0)
            new_due, _ = step_working_days(deadline.due_on, added, calendar)
            unit = "working day"
        reason = deadline.pause_reason
        pause = {"from": paused_on.isoformat(), "to": resumed_on.isoformat(), "reason": reason, "days": added}
        note = (
            f" Paused from {day_text(paused_on)} to {day_text(resumed_on)} ({reason}):"
            f" {added} {unit}{'' if added == 1 else 's'} added, so due {day_text(new_due)}."
        )
        old_due = deadline.due_on
        Deadline.objects.filter(pk=deadline.pk).update(
            paused_at=None,
            pause_reason="",
            paused_days=deadline.paused_days + added,
            pauses=[*deadline.pauses, pause],
            due_on=new_due,
            computation=deadline.computation + note,
        )
        deadline.refresh_from_db()
        event_record(
            case=deadline.case,
            kind=EventKind.CLOCK_RESUMED,
            description=(
                f"{deadline.get_kind_display()} clock restarted after {added} {unit}{'' if added == 1 else 's'};"
                f" now due {new_due:%-d %B %Y}"
            ),
            actor=actor,
            details={
                "deadline": deadline.pk,
                "kind": deadline.kind,
                "reason": reason,
                "days_added": added,
                "due_before": old_due,
                "due_on": new_due,
            },
        )
    return deadline


def clocks_meet_recorded(
    *, case: Case, kind: str, actor, why: str, now: datetime | None = None, started_by: date | None = None
) -> list[Deadline]:
    """Mark the case's running clocks of one kind as met, each with a CLOCK_MET event saying why.

    ``started_by`` limits it to clocks started on or before that day (a clock started later waits
    for something that has not happened yet). Each clock is met with a conditional update, so a
    clock met meanwhile is not met, or recorded, twice.
    """
    now = now or timezone.now()
    running = Deadline.objects.filter(case=case, kind=kind, met_at__isnull=True)
    if started_by is not None:
        running = running.filter(starts_on__lte=started_by)
    met = []
    for deadline in running.order_by("pk"):
        if Deadline.objects.filter(pk=deadline.pk, met_at__isnull=True).update(met_at=now, paused_at=None) != 1:
            continue
        deadline.met_at, deadline.paused_at = now, None
        event_record(
            case=case,
            kind=EventKind.CLOCK_MET,
            description=f"{deadline.get_kind_display()} met: {why}",
            actor=actor,
            details={"deadline": deadline.pk, "kind": kind, "due_on": deadline.due_on.isoformat()},
        )
        met.append(deadline)
    return met


# --- recomputing after the calendar changes ------------------------------------------------


@dataclass(frozen=True)
class ClockMove:
    deadline: Deadline
    due_before: date
    due_after: date
    working_days_moved: int
    explanation: str

    @property
    def calendar_days_moved(self) -> int:
        return (self.due_after - self.due_before).days


def open_clocks(authority: Authority) -> QuerySet[Deadline]:
    """Clocks still running on cases of a principal council (and its parish and town councils)."""
    principal = authority.principal
    return (
        Deadline.objects.filter(Q(case__authority=principal) | Q(case__authority__parent=principal))
        .filter(met_at__isnull=True)
        .exclude(case__stage=Stage.CLOSED)
        .select_related("case__authority__parent")
        .order_by("due_on", "pk")
    )


def _recomputed(deadline: Deadline, calendar: Calendar) -> DueDate:
    return due_date(
        deadline.starts_on,
        deadline.working_days,
        calendar=calendar,
        counting=deadline.counting,
        pauses=deadline.pauses,
    )


def clocks_recompute_preview(*, authority: Authority, cases: QuerySet[Case] | None = None) -> list[ClockMove]:
    """The open clocks whose due date would change under the council's calendar as it is now.

    ``cases`` limits it to the cases someone may see (`access.cases_for`).
    """
    calendar = calendar_for(authority)
    moves = []
    clocks = open_clocks(authority)
    if cases is not None:
        clocks = clocks.filter(case__in=cases.values("pk"))
    for deadline in clocks.iterator(chunk_size=500):
        due = _recomputed(deadline, calendar)
        if due.due_on != deadline.due_on:
            moved = working_days_between(deadline.due_on, due.due_on, calendar)
            moves.append(ClockMove(deadline, deadline.due_on, due.due_on, moved, due.explanation))
    return moves


def clocks_recompute(*, authority: Authority, actor=None, cases: QuerySet[Case] | None = None) -> list[ClockMove]:
    """Move the open clocks that the council's calendar now puts elsewhere; one event per clock.

    A clock is moved only if it is still open and its due date is still the one the preview saw,
    so a clock met or closed meanwhile never moves.
    """
    calendar = calendar_for(authority)
    moved: list[ClockMove] = []
    for move in clocks_recompute_preview(authority=authority, cases=cases):
        with transaction.atomic():
            changed = (
                Deadline.objects.filter(pk=move.deadline.pk, met_at__isnull=True, due_on=move.due_before)
                .exclude(case__stage=Stage.CLOSED)
                .update(due_on=move.due_after, computation=move.explanation)
            )
            if changed != 1:
                continue
            deadline = move.deadline
            direction = "later" if move.due_after > move.due_before else "earlier"
            shift = abs(move.working_days_moved)
            event_record(
                case=deadline.case,
                kind=EventKind.CLOCK_RECOMPUTED,
                description=(
                    f"{deadline.get_kind_display()} due date recomputed after the council's closure days changed:"
                    f" {move.due_before:%-d %B %Y} to {move.due_after:%-d %B %Y}"
                    f" ({shift} working day{'' if shift == 1 else 's'} {direction})"
                ),
                actor=actor,
                details={
                    "deadline": deadline.pk,
                    "kind": deadline.kind,
                    "due_before": move.due_before,
                    "due_on": move.due_after,
                    "working_days_moved": move.working_days_moved,
                    "computation": move.explanation,
                    "closure_days": sorted(calendar.closures),
                },
            )
            moved.append(move)
    return moved


__all__ = [
    "ClockError",
    "ClockMove",
    "clock_pause",
    "clock_resume",
    "clock_start",
    "clocks_meet_recorded",
    "clocks_recompute",
    "clocks_recompute_preview",
    "due_preview",
    "open_clocks",
]
