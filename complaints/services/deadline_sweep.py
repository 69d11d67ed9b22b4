"""The deadline sweep: reminders before a clock is due, escalation to the Monitoring Officer after.

Run every 15 minutes by Celery beat (and once by `manage.py run_task sweep`). For each open clock
(not met, not paused, on an open case):
- REMINDER_WORKING_DAYS working days or fewer before its due date, the assigned officer (or, with
  nobody assigned, the Monitoring Officer) is reminded once;
- once past its due date, the Monitoring Officer is told once.

"Once" holds when two sweeps run together or a worker dies half-way: each clock is claimed with a
conditional update that changes exactly one row (``reminder_claimed_at IS NULL`` ->  now), in the
same transaction as the outbox message and the event; a sweep that dies leaves the clocks it had
not committed unclaimed for the next one.

Set-based: candidate clocks are read a batch of ids and a few columns at a time through partial
indexes of unclaimed open clocks, never every open case into memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from complaints.models import Case, Deadline, DeadlineKind, EventKind, Nation, Stage
from complaints.roles import MONITORING_OFFICER
from complaints.services.events import event_record
from complaints.services.outbox import outbox_message_create
from complaints.services.working_days import add_working_days

BATCH = 500
KIND_LABELS = dict(DeadlineKind.choices)


@dataclass(frozen=True)
class SweepResult:
    reminders: int
    escalations: int


def _open_clocks():
    return Deadline.objects.filter(met_at__isnull=True, paused_at__isnull=True, case__merged_into__isnull=True).exclude(
        case__stage=Stage.CLOSED
    )


def _reminder_window(today: date) -> Q:
    """Clocks due from today up to REMINDER_WORKING_DAYS working days ahead, in each nation's calendar."""
    days = settings.REMINDER_WORKING_DAYS
    window = Q(pk__in=[])
    for nation in Nation.values:
        last_day = add_working_days(today, days, nation=nation).due_on if days else today
        window |= Q(sweep_nation=nation, due_on__lte=last_day)
    return Q(due_on__gte=today) & window


def reminder_candidates(today: date):
    return (
        _open_clocks()
        .filter(reminder_claimed_at__isnull=True)
        .annotate(sweep_nation=Coalesce("case__authority__parent__nation", "case__authority__nation"))
        .filter(_reminder_window(today))
    )


def escalation_candidates(today: date):
    return _open_clocks().filter(escalation_claimed_at__isnull=True, due_on__lt=today)


FIELDS = (
    "pk",
    "kind",
    "due_on",
    "case_id",
    "case__reference",
    "case__authority_id",
    "case__authority__parent_id",
    "case__assigned_officer__email",
    "case__assigned_officer__first_name",
    "case__assigned_officer__last_name",
)


def _batches(queryset):
    """The candidates' columns, BATCH rows at a time, in primary-key order (keyset pagination)."""
    last_pk = 0
    while True:
        rows = list(queryset.filter(pk__gt=last_pk).order_by("pk").values(*FIELDS)[:BATCH])
        if not rows:
            return
        yield rows
        last_pk = rows[-1]["pk"]


class _MonitoringOfficers:
    """The Monitoring Officer's address for each principal council, looked up once per sweep."""

    def __init__(self):
        self._by_authority: dict[int, tuple[str, str]] = {}

    def for_case(self, row: dict) -> tuple[str, str]:
        principal = row["case__authority__parent_id"] or row["case__authority_id"]
        if principal not in self._by_authority:
            user = (
                get_user_model()
                .objects.filter(
                    groups__name=MONITORING_OFFICER, is_active=True, officer_profile__authority_id=principal
                )
                .exclude(email="")
                .order_by("pk")
                .values("email", "first_name", "last_name")
                .first()
            )
            if user:
                self._by_authority[principal] = (user["email"], f"{user['first_name']} {user['last_name']}".strip())
            else:
                self._by_authority[principal] = (settings.COUNCIL_CONTACT_EMAIL, "")
        return self._by_authority[principal]


def _context(row: dict, *, name: str, today: date) -> dict:
    return {
        "name": name,
        "reference": row["case__reference"],
        "clock": KIND_LABELS.get(row["kind"], row["kind"]),
        "due_on": f"{row['due_on']:%-d %B %Y}",
        "days_overdue": (today - row["due_on"]).days,
        "case_path": f"/officer/cases/{row['case__reference']}/",
        "site_url": settings.SITE_URL,
    }


def _remind(row: dict, *, now, today: date, officers: _MonitoringOfficers) -> bool:
    with transaction.atomic():
        claimed = Deadline.objects.filter(
            pk=row["pk"], reminder_claimed_at__isnull=True, met_at__isnull=True, paused_at__isnull=True
        ).update(reminder_claimed_at=now)
        if claimed != 1:
            return False  # another sweep has it, or the clock was met or paused meanwhile
        if row["case__assigned_officer__email"]:
            to = row["case__assigned_officer__email"]
            name = f"{row['case__assigned_officer__first_name']} {row['case__assigned_officer__last_name']}".strip()
        else:
            to, name = officers.for_case(row)
        case = Case(pk=row["case_id"], reference=row["case__reference"])
        clock = KIND_LABELS.get(row["kind"], row["kind"])
        message = outbox_message_create(
            to=to,
            subject=f"Due {row['due_on']:%-d %B}: {clock}, {row['case__reference']}",
            template="deadline_reminder",
            context=_context(row, name=name, today=today),
            case=case,
            enqueue=False,
            record_event=False,
        )
        event_record(
            case=case,
            kind=EventKind.REMINDER_SENT,
            description=f"Reminder queued: {clock} due {row['due_on']:%-d %B %Y}",
            details={"deadline": row["pk"], "kind": row["kind"], "message": str(message.public_id), "to": "officer"},
        )
    return True


def _escalate(row: dict, *, now, today: date, officers: _MonitoringOfficers) -> bool:
    with transaction.atomic():
        claimed = Deadline.objects.filter(
            pk=row["pk"], escalation_claimed_at__isnull=True, met_at__isnull=True, paused_at__isnull=True
        ).update(escalation_claimed_at=now)
        if claimed != 1:
            return False
        to, name = officers.for_case(row)
        case = Case(pk=row["case_id"], reference=row["case__reference"])
        clock = KIND_LABELS.get(row["kind"], row["kind"])
        message = outbox_message_create(
            to=to,
            subject=f"Overdue since {row['due_on']:%-d %B}: {clock}, {row['case__reference']}",
            template="deadline_escalation",
            context=_context(row, name=name, today=today),
            case=case,
            enqueue=False,
            record_event=False,
        )
        event_record(
            case=case,
            kind=EventKind.DEADLINE_ESCALATED,
            description=f"{clock} overdue since {row['due_on']:%-d %B %Y}; Monitoring Officer told",
            details={"deadline": row["pk"], "kind": row["kind"], "message": str(message.public_id)},
        )
    return True


def deadline_sweep(*, today: date | None = None) -> SweepResult:
    """Queue the reminders and escalations that are due. Returns how many of each were queued."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    officers = _MonitoringOfficers()
    reminders = escalations = 0
    for rows in _batches(reminder_candidates(today)):
        reminders += sum(_remind(row, now=now, today=today, officers=officers) for row in rows)
    for rows in _batches(escalation_candidates(today)):
        escalations += sum(_escalate(row, now=now, today=today, officers=officers) for row in rows)
    return SweepResult(reminders=reminders, escalations=escalations)

