"""The deadline sweep: reminders before a clock is due, escalation to the Monitoring Officer after.

Run every 15 minutes by Celery beat (and once by `manage.py run_task sweep`). For each open clock
(not met, not paused, on an open case):
- REMINDER_WORKING_DAYS working days or fewer before its due date, the assigned officer (or, with
  nobody assigned, the Monitoring Officer) is reminded once;
- once past its due date, the Monitoring Officer is told once; where the council's time limit for
  that clock says so (by default the further information clock: the complainant never answered),
  the case is flagged for closure at the same time (`Case.flagged_for_closure_at`).

"Once" holds when two sweeps run together or a worker dies half-way: each clock is claimed with a
conditional update that changes it only while unclaimed (``reminder_claimed_at IS NULL`` -> now;
one UPDATE ... RETURNING per batch names exactly the rows it changed), in the same transaction as
the outbox messages and their events; a sweep that dies leaves the clocks of the batch it had not
committed unclaimed for the next one. The sweep's messages wait for the outbox
dispatch (the sweep task asks for one as soon as it has queued any).

Set-based: candidate clocks are read a batch of ids and a few columns at a time through partial
indexes of unclaimed open clocks, never every open case into memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from complaints.models import Case, Deadline, DeadlineKind, EventKind, Nation, OutboxMessage, Stage, TimeLimit
from complaints.roles import MONITORING_OFFICER
from complaints.services.events import NewEvent, events_record_many
from complaints.services.time_limits import default_limits
from complaints.services.working_days import add_working_days

# Clocks per transaction. A batch costs a fixed number of queries (read, lock, claim, two
# INSERTs), so larger batches cost fewer round trips; each holds its cases' row locks until it
# commits, so an officer's write to one of them waits for at most one batch.
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


def _reminder_window_ends(today: date) -> dict[str, date]:
    """The last due date inside the reminder window, in each nation's calendar."""
    days = settings.REMINDER_WORKING_DAYS
    return {nation: add_working_days(today, days, nation=nation).due_on if days else today for nation in Nation.values}


def reminder_candidates(today: date):
    """Unreminded open clocks due from today to the latest window end of any nation.

    The exact window depends on the council's nation; rows outside theirs are dropped when read
    (`_in_window`). Keeping the council out of this filter lets the database read the few clocks
    near their due date from the partial index first.
    """
    return _open_clocks().filter(
        reminder_claimed_at__isnull=True, due_on__gte=today, due_on__lte=max(_reminder_window_ends(today).values())
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
    "case__authority__nation",
    "case__authority__parent__nation",
    "case__assigned_officer__email",
    "case__assigned_officer__first_name",
    "case__assigned_officer__last_name",
)


def _nation(row: dict) -> str:
    # A parish or town council's calendar is its principal council's.
    return row["case__authority__parent__nation"] or row["case__authority__nation"]


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


@dataclass(frozen=True)
class _Job:
    """What the sweep does to a clock: reminder or escalation."""

    claim_field: str
    template: str
    event_kind: str

    def recipient(self, row: dict, officers: _MonitoringOfficers) -> tuple[str, str]:
        if self.template == "deadline_reminder" and row["case__assigned_officer__email"]:
            name = f"{row['case__assigned_officer__first_name']} {row['case__assigned_officer__last_name']}".strip()
            return row["case__assigned_officer__email"], name
        return officers.for_case(row)

    def subject(self, row: dict) -> str:
        clock = KIND_LABELS.get(row["kind"], row["kind"])
        if self.template == "deadline_reminder":
            return f"Due {row['due_on']:%-d %B}: {clock}, {row['case__reference']}"
        return f"Overdue since {row['due_on']:%-d %B}: {clock}, {row['case__reference']}"

    def description(self, row: dict) -> str:
        clock = KIND_LABELS.get(row["kind"], row["kind"])
        if self.template == "deadline_reminder":
            return f"Reminder queued: {clock} due {row['due_on']:%-d %B %Y}"
        return f"{clock} overdue since {row['due_on']:%-d %B %Y}; Monitoring Officer told"


REMINDER = _Job(claim_field="reminder_claimed_at", template="deadline_reminder", event_kind=EventKind.REMINDER_SENT)
ESCALATION = _Job(
    claim_field="escalation_claimed_at", template="deadline_escalation", event_kind=EventKind.DEADLINE_ESCALATED
)


def _open_cases():
    return Case.objects.filter(merged_into__isnull=True).exclude(stage=Stage.CLOSED)


def _claim(pks: list[int], job: _Job, now) -> set[int]:
    """The claim: one conditional UPDATE for the whole batch. Returns the clocks it changed.

    A clock changes only if it is still open and unclaimed for this job, and only if this sweep
    could lock it without waiting (the inner SELECT ... FOR UPDATE SKIP LOCKED); RETURNING names
    exactly the rows that changed, so a clock claimed by another sweep in the meantime, whether
    before this statement began or while it ran, is not among them. (SQLite has no row locks and
    no SKIP LOCKED; there writers take turns, and RETURNING still names only the rows changed.)
    """
    if not pks:
        return set()
    unclaimed = {f"{job.claim_field}__isnull": True}
    free = (
        Deadline.objects.select_for_update(skip_locked=True)
        .filter(pk__in=pks, met_at__isnull=True, paused_at__isnull=True, **unclaimed)
        .order_by()
        .values("pk")
    )
    inner, params = free.query.get_compiler(using=free.db).as_sql()
    field = Deadline._meta.get_field(job.claim_field)
    quote = connection.ops.quote_name
    table, column, key = quote(Deadline._meta.db_table), quote(field.column), quote(Deadline._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = %s WHERE {key} IN ({inner}) AND {column} IS NULL RETURNING {key}",  # noqa: S608 - names quoted, values bound
            [field.get_db_prep_save(now, connection), *params],
        )
        return {pk for (pk,) in cursor.fetchall()}


def _process(rows: list[dict], job: _Job, *, now, today: date, officers: _MonitoringOfficers) -> int:
    """Claim and queue one batch, in one transaction. Returns how many clocks were claimed.

    A fixed number of queries per batch, however large: lock the batch's open cases, claim its
    clocks with one UPDATE, insert the outbox messages with one INSERT and their events with
    one more (events_record_many). No savepoints: if anything fails, the whole batch (claims,
    messages and events) is rolled back and its clocks are left for the next sweep.

    The sweep never waits for a lock: cases and clocks that another transaction holds (an officer
    working on the case, another sweep) are skipped (SKIP LOCKED) and left for the next sweep.
    Cases are locked before clocks, in key order, so the sweep cannot deadlock with anyone. A case
    closed or merged since the candidates were read is not locked, so its clocks are left alone.
    """
    if not rows:
        return 0
    with transaction.atomic():
        case_ids = sorted({row["case_id"] for row in rows})
        cases = set(
            _open_cases()
            .select_for_update(no_key=True, skip_locked=True)
            .filter(pk__in=case_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        claimed_pks = _claim([row["pk"] for row in rows if row["case_id"] in cases], job, now)
        claimed = [row for row in rows if row["pk"] in claimed_pks]
        messages = OutboxMessage.objects.bulk_create(
            [
                OutboxMessage(
                    to=to,
                    subject=job.subject(row),
                    template=job.template,
                    context=_context(row, name=name, today=today),
                    case_id=row["case_id"],
                )
                for row in claimed
                for to, name in [job.recipient(row, officers)]
            ]
        )
        entries = [
            NewEvent(
                case_id=row["case_id"],
                kind=job.event_kind,
                description=job.description(row),
                details={"deadline": row["pk"], "kind": row["kind"], "message": str(message.public_id)},
            )
            for row, message in zip(claimed, messages, strict=True)
        ]
        if job is ESCALATION:
            entries += _flag_for_closure(claimed, now=now)
        events_record_many(entries)
    return len(claimed)


def _flag_for_closure(rows: list[dict], *, now) -> list[NewEvent]:
    """Cases whose clock ran out where the council's time limit says so (by default the further
    information clock: the complainant did not answer) are flagged for closure, once.

    Two queries per batch: the councils' own time limits, and one UPDATE ... RETURNING of the cases
    flagged now (a case already flagged is not flagged again). Returns their events.
    """
    if not rows:
        return []
    defaults = {kind for kind, limit in default_limits().items() if limit.flag_for_closure}
    principals = {row["case__authority__parent_id"] or row["case__authority_id"] for row in rows}
    own = {
        (authority_id, kind): flag
        for authority_id, kind, flag in TimeLimit.objects.filter(authority_id__in=principals).values_list(
            "authority_id", "kind", "flag_for_closure"
        )
    }
    flagged: dict[int, dict] = {}
    for row in rows:
        principal = row["case__authority__parent_id"] or row["case__authority_id"]
        if own.get((principal, row["kind"]), row["kind"] in defaults):
            flagged.setdefault(row["case_id"], row)
    if not flagged:
        return []
    changed = set(_update_flag(sorted(flagged), now))
    return [
        NewEvent(
            case_id=case_id,
            kind=EventKind.CASE_UPDATED,
            description=(
                f"Flagged for closure: no answer by {row['due_on']:%-d %B %Y} "
                f"({KIND_LABELS.get(row['kind'], row['kind']).lower()} clock ran out)"
            ),
            details={"flagged_for_closure": True, "deadline": row["pk"], "kind": row["kind"]},
        )
        for case_id, row in flagged.items()
        if case_id in changed
    ]


def _update_flag(case_ids: list[int], now) -> list[int]:
    """Flag the cases not yet flagged, returning those changed (one UPDATE ... RETURNING)."""
    field = Case._meta.get_field("flagged_for_closure_at")
    quote = connection.ops.quote_name
    table, column, key = quote(Case._meta.db_table), quote(field.column), quote(Case._meta.pk.column)
    placeholders = ", ".join(["%s"] * len(case_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = %s WHERE {key} IN ({placeholders}) AND {column} IS NULL RETURNING {key}",  # noqa: S608 - names quoted, values bound
            [field.get_db_prep_save(now, connection), *case_ids],
        )
        return [pk for (pk,) in cursor.fetchall()]


def deadline_sweep(*, today: date | None = None) -> SweepResult:
    """Queue the reminders and escalations that are due. Returns how many of each were queued."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    officers = _MonitoringOfficers()
    reminders = escalations = 0
    window_ends = _reminder_window_ends(today)
    for rows in _batches(reminder_candidates(today)):
        rows = [row for row in rows if row["due_on"] <= window_ends[_nation(row)]]
        reminders += _process(rows, REMINDER, now=now, today=today, officers=officers)
    for rows in _batches(escalation_candidates(today)):
        escalations += _process(rows, ESCALATION, now=now, today=today, officers=officers)
    return SweepResult(reminders=reminders, escalations=escalations)
