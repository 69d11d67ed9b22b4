"""Measure the background jobs at scale: one deadline sweep and one outbox dispatch.

    DEBUG=0 DJANGO_SETTINGS_MODULE=config.settings_test \\
        python manage.py benchmark_background --clocks 100000 --messages 10000 --write-docs

1. Builds a throwaway PostgreSQL database (test_<name>_background_<pid>, dropped afterwards, also
   on Ctrl-C and SIGTERM) and fills it with COPY: councils in all four nations, each with a
   Monitoring Officer, cases in open stages with an assigned officer, each with a short history of
   hash-chained events (so the sweep's events join existing chains), and ``--clocks`` open clocks.
   Like a sweep in steady state, most clocks are not yet near their due date or were reminded or
   escalated by earlier sweeps; ``--new-share`` of them have newly entered the reminder window and
   as many have newly become overdue (the work the sweep has to do).
2. Runs one deadline sweep in a fresh Python process (as a worker would) and reports its wall time
   and the process's peak memory (resident set, including Django itself), then checks every case's
   history chain (as `verify_history` does) and fails on any break.
3. Adds ``--messages`` pending outbox e-mails and runs one dispatch in a fresh process with the
   in-memory (locmem) e-mail backend, reporting wall time, messages sent and peak memory.

The last line reads: sweep X s, Y MB (target < 5 s, < 150 MB); dispatch X s for N messages, Y MB.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from complaints.management.commands.benchmark_complaints import docs_write, machine_description
from complaints.management.commands.benchmark_workspace import Copier, _sigterm_as_interrupt, _throwaway_database

SWEEP_TARGET_SECONDS = 5.0
SWEEP_TARGET_MB = 150.0
NATIONS = ("ENG", "ENG", "WLS", "SCT", "NIR")
OPEN_STAGES = ("received", "acknowledged", "member_comment", "assessment", "investigation", "hearing")
KINDS = ("acknowledge", "member_response", "assessment", "investigation", "hearing", "takedown")
# Each case's history before the sweep: (kind, description), chained like event_record's.
HISTORY = (
    ("complaint_received", "Complaint received"),
    ("case_opened", "Case opened"),
    ("deadline_set", "Clocks set"),
)

# Run in a child process, so its peak memory is the job's own and not the builder's.
CHILD = """
import json, sys, time
import django
django.setup()
from complaints.services import deadline_sweep, outbox  # noqa: F401  (imported before the baseline)


def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024


# Reset the peak resident set size, so the peak below is the job's own (Linux: clear_refs 5).
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")
baseline_mb = status("VmRSS")
job = sys.argv[1]
started = time.perf_counter()
if job == "sweep":
    result = deadline_sweep.deadline_sweep()
    figures = {"reminders": result.reminders, "escalations": result.escalations}
else:
    figures = {"sent": outbox.outbox_send_pending()}
figures["seconds"] = time.perf_counter() - started
figures["peak_mb"] = status("VmHWM")
figures["baseline_mb"] = baseline_mb
print(json.dumps(figures))
"""


class Command(BaseCommand):
    help = "Build a throwaway database and time one deadline sweep and one outbox dispatch."

    def add_arguments(self, parser):
        parser.add_argument("--clocks", type=int, default=100_000, help="open clocks (two per case)")
        parser.add_argument("--messages", type=int, default=10_000, help="pending outbox e-mails to dispatch")
        parser.add_argument(
            "--new-share",
            type=float,
            default=0.01,
            help="share of clocks newly in the reminder window, and again newly overdue (default 0.01 each)",
        )
        parser.add_argument("--seed", type=int, default=20261121)
        parser.add_argument("--write-docs", action="store_true", help="add the figures to docs/benchmarks.md")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("benchmark_background needs PostgreSQL (set DATABASE_URL).")
        clocks, messages, share = options["clocks"], options["messages"], options["new_share"]
        if clocks < 10 or messages < 1 or not 0 <= share <= 0.4:
            raise CommandError("Need --clocks of at least 10, --messages of at least 1 and --new-share from 0 to 0.4.")
        try:
            with _sigterm_as_interrupt(), ExitStack() as cleanup:
                cleanup.enter_context(_throwaway_database(say=self.say, label="background"))
                started = time.perf_counter()
                with transaction.atomic():
                    expected = build_clocks(clocks=clocks, share=share, seed=options["seed"])
                _analyse()
                self.say(f"Built {clocks:,} open clocks in {time.perf_counter() - started:.1f} s")
                load = os.getloadavg()
                sweep = _run_child("sweep")
                sweep["load"] = load
                self.say(f"Sweep: {sweep}")
                if (sweep["reminders"], sweep["escalations"]) != expected:
                    raise CommandError(f"The sweep queued {sweep}, expected reminders and escalations {expected}.")
                self.say(_history_checked())
                # The next sweep finds nothing new: the cost of reading 100,000 open clocks alone.
                idle = _run_child("sweep")
                self.say(f"Sweep with nothing new: {idle}")
                with transaction.atomic():
                    build_messages(messages=messages)
                _analyse()
                dispatch = _run_child("outbox")
                self.say(f"Dispatch: {dispatch}")
                if dispatch["sent"] != messages + sum(expected):
                    raise CommandError(f"The dispatch sent {dispatch['sent']}, expected {messages + sum(expected)}.")
        except KeyboardInterrupt:
            raise CommandError("Interrupted; the benchmark database was dropped.") from None

        if options["write_docs"]:
            docs_write(_doc_rows(sweep, idle, dispatch, clocks=clocks, messages=messages, share=share))
            self.say("Figures written to docs/benchmarks.md")
        self.stdout.write(
            f"sweep {sweep['seconds']:.2f} s, {sweep['peak_mb']:.0f} MB over {clocks:,} open clocks "
            f"({sweep['reminders']} reminders, {sweep['escalations']} escalations; "
            f"target < {SWEEP_TARGET_SECONDS:g} s, < {SWEEP_TARGET_MB:g} MB); "
            f"sweep with nothing new {idle['seconds']:.2f} s, {idle['peak_mb']:.0f} MB; "
            f"dispatch {dispatch['seconds']:.2f} s for {dispatch['sent']:,} messages, {dispatch['peak_mb']:.0f} MB"
        )

    def say(self, message: str) -> None:
        self.stderr.write(message)


def _analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _run_child(job: str) -> dict:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123",
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "VAR_DIR": str(settings.VAR_DIR),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(  # noqa: S603 - this interpreter and a fixed script
        [sys.executable, "-c", CHILD, job], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise CommandError(f"The {job} process failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def build_clocks(*, clocks: int, share: float, seed: int) -> tuple[int, int]:
    """Councils, officers, cases and open clocks. Returns the (reminders, escalations) a sweep should queue."""
    from complaints import roles
    from complaints.models import Authority, Case, Deadline, Event, OfficerProfile
    from complaints.models.events import event_hash
    from complaints.services.working_days import add_working_days

    rng = random.Random(seed)
    now = datetime.now(UTC)
    today = date.today()
    roles.roles_apply()
    User = get_user_model()
    mo_group = Group.objects.get(name=roles.MONITORING_OFFICER)
    officer_group = Group.objects.get(name=roles.CASE_OFFICER)
    councils, officers = [], {}
    for index, nation in enumerate(NATIONS):
        council = Authority.objects.create(
            name=f"Benchmark Council {index + 1}", slug=f"bench-{index + 1}", kind="district", nation=nation
        )
        councils.append(council)
        mo = User.objects.create_user(f"mo{index + 1}", email=f"mo{index + 1}@bench.example")
        mo.groups.add(mo_group)
        OfficerProfile.objects.create(user=mo, authority=council)
        officers[council.pk] = []
        for n in range(4):
            officer = User.objects.create_user(f"officer{index + 1}-{n}", email=f"officer{index + 1}-{n}@bench.example")
            officer.groups.add(officer_group)
            OfficerProfile.objects.create(user=officer, authority=council)
            officers[council.pk].append(officer.pk)
    window_end = {
        nation: add_working_days(today, settings.REMINDER_WORKING_DAYS, nation=nation).due_on for nation in NATIONS
    }

    cases = Copier(Case)
    deadlines = Copier(Deadline)
    events = Copier(Event)
    case_count = (clocks + 1) // 2
    new = max(1, int(clocks * share)) if share else 0
    # Clock numbers 0..new-1 newly need a reminder, new..2*new-1 newly need an escalation.
    reminders = escalations = 0
    clock_number = 0
    for case_number in range(1, case_count + 1):
        council = councils[case_number % len(councils)]
        opened_at = now - timedelta(days=rng.randint(1, 90))
        cases.add(
            {
                "id": case_number,
                "reference": f"BG-{case_number:07d}",
                "authority_id": council.pk,
                "title": f"Benchmark case {case_number}",
                "stage": rng.choice(OPEN_STAGES),
                "assigned_officer_id": rng.choice(officers[council.pk]),
                "opened_at": opened_at,
            }
        )
        previous = ""
        for sequence, (kind, description) in enumerate(HISTORY, start=1):
            event = {
                "case_id": case_number,
                "kind": kind,
                "actor_id": None,
                "actor_label": "System",
                "description": description,
                "details": {},
                "created_at": opened_at + timedelta(seconds=sequence),
                "sequence": sequence,
                "previous_hash": previous,
            }
            previous = event_hash(**event)
            events.add({"id": (case_number - 1) * len(HISTORY) + sequence, **event, "entry_hash": previous})
        for _ in range(2):
            if clock_number >= clocks:
                break
            end = window_end[council.nation]
            reminded = escalated = None
            if clock_number < new:  # newly inside the reminder window
                due = today + timedelta(days=rng.randint(0, (end - today).days))
                reminders += 1
            elif clock_number < 2 * new:  # newly overdue, reminded earlier
                due = today - timedelta(days=rng.randint(1, 3))
                reminded = now - timedelta(days=3)
                escalations += 1
            else:
                bucket = rng.random()
                if bucket < 0.6:  # not yet near its due date
                    due = end + timedelta(days=rng.randint(1, 60))
                elif bucket < 0.8:  # inside the window, already reminded
                    due = today + timedelta(days=rng.randint(0, (end - today).days))
                    reminded = now - timedelta(hours=6)
                else:  # overdue, already reminded and escalated
                    due = today - timedelta(days=rng.randint(1, 60))
                    reminded = escalated = now - timedelta(days=1)
            start = min(due, today) - timedelta(days=28)
            deadlines.add(
                {
                    "id": clock_number + 1,
                    "case_id": case_number,
                    "kind": rng.choice(KINDS),
                    "starts_on": start,
                    "working_days": 20,
                    "due_on": due,
                    "computation": f"20 working days from {start:%-d %B %Y}: due {due:%-d %B %Y}.",
                    "created_at": now,
                    "reminder_claimed_at": reminded,
                    "escalation_claimed_at": escalated,
                }
            )
            clock_number += 1
    cases.close()
    deadlines.close()
    events.close()
    return reminders, escalations


def _history_checked() -> str:
    """Every case's hash chain, checked as `verify_history` does; a break fails the benchmark."""
    from complaints.models import Event
    from complaints.selectors.history import history_breaks

    started = time.perf_counter()
    breaks = [str(found) for found in history_breaks()]
    if breaks:
        raise CommandError("History broken after the sweep:\n" + "\n".join(breaks[:20]))
    return f"History intact: {Event.objects.count():,} events checked in {time.perf_counter() - started:.1f} s"


def build_messages(*, messages: int) -> None:
    from complaints.models import Case, OutboxMessage

    now = datetime.now(UTC)
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True)[:messages])
    rows = Copier(OutboxMessage)
    first_id = (OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for n in range(messages):
        reference = f"BG-{case_ids[n % len(case_ids)]:07d}"
        rows.add(
            {
                "id": first_id + n,
                "case_id": case_ids[n % len(case_ids)],
                "to": f"complainant{n}@bench.example",
                "subject": f"We have received your complaint {reference}",
                "template": "acknowledgement",
                "context": {
                    "name": f"Complainant {n}",
                    "reference": reference,
                    "assessment_days": 20,
                    "council_name": "Benchmark Council",
                    "submitted_on": "1 December 2026",
                },
                "status": "pending",
                "created_at": now,
            }
        )
    rows.close()


def _doc_rows(sweep: dict, idle: dict, dispatch: dict, *, clocks: int, messages: int, share: float) -> list[dict]:
    machine = machine_description()
    today = date.today().isoformat()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    sweep_load = ", ".join(f"{value:.1f}" for value in sweep["load"])
    met = sweep["seconds"] < SWEEP_TARGET_SECONDS and sweep["peak_mb"] < SWEEP_TARGET_MB
    return [
        {
            "date": today,
            "measurement": f"benchmark_background: one deadline sweep over {clocks:,} open clocks",
            "figure": f"{sweep['seconds']:.2f} s; peak memory {sweep['peak_mb']:.0f} MB "
            f"(process after start-up {sweep['baseline_mb']:.0f} MB)",
            "machine": machine,
            "notes": (
                f"target < {SWEEP_TARGET_SECONDS:g} s and < {SWEEP_TARGET_MB:g} MB: {'met' if met else 'MISSED'}; "
                f"PostgreSQL; {sweep['reminders']} reminders and {sweep['escalations']} escalations queued "
                f"({share:.0%} of clocks each newly due, the rest not yet due or already reminded/escalated); "
                f"each case with {len(HISTORY)} earlier events, the sweep's events chained onto them and every "
                "chain checked afterwards; "
                f"fresh process, peak RSS including Django; load average {sweep_load} when it started"
            ),
        },
        {
            "date": today,
            "measurement": f"benchmark_background: one deadline sweep over {clocks:,} open clocks, nothing new",
            "figure": f"{idle['seconds']:.2f} s; peak memory {idle['peak_mb']:.0f} MB "
            f"(process after start-up {idle['baseline_mb']:.0f} MB)",
            "machine": machine,
            "notes": (
                "the sweep after the one above: every clock near or past its due date already claimed, so this "
                f"is the cost of finding the work; PostgreSQL; fresh process; load average {load}"
            ),
        },
        {
            "date": today,
            "measurement": f"benchmark_background: one outbox dispatch of {messages:,} pending e-mails",
            "figure": f"{dispatch['seconds']:.2f} s for {dispatch['sent']:,} sent; peak memory "
            f"{dispatch['peak_mb']:.0f} MB (after start-up {dispatch['baseline_mb']:.0f} MB)",
            "machine": machine,
            "notes": (
                "locmem e-mail backend (keeps every message in memory); each message claimed, rendered, sent, "
                "marked sent with a MESSAGE_SENT event; includes the sweep's "
                f"{sweep['reminders'] + sweep['escalations']} messages; fresh process; load average {load}"
            ),
        },
    ]
