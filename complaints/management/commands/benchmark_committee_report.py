"""Time a year's Standards Committee report over a large throwaway database.

    DEBUG=0 DJANGO_SETTINGS_MODULE=config.settings_test \\
        python manage.py benchmark_committee_report --size 2000:5000 --size 20000:50000 --write-docs

For each size (cases:complaints) it builds a throwaway PostgreSQL database (dropped afterwards,
also on Ctrl-C and SIGTERM), fills it with COPY: a principal council with 20 parish and town
councils and a second principal council, councillors of several parties, two years of cases
(some merged, several complaints to some cases), posts, alleged provisions, decisions with
provisions breached, acknowledgement and assessment clocks and takedown requests. It then runs
`manage.py committee_report` for the second year, PDF and CSV, each in a fresh process, and
reports the wall time, CPU time and that process's own peak resident memory (VmHWM), and, in this
process, the time to count the figures and to draw the PDF. Target for 2,000 cases and 5,000
complaints: under 10 s and 300 MB.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from complaints.management.commands.benchmark_complaints import docs_write, machine_description
from complaints.management.commands.benchmark_workspace import Copier, _sigterm_as_interrupt, _throwaway_database
from complaints.models import (
    Authority,
    Case,
    Complaint,
    Councillor,
    Deadline,
    Decision,
    SocialMediaPost,
    TakedownRequest,
    post_search,
)
from guidance.models import Clause, CodeOfConduct

START, END = date(2026, 4, 1), date(2027, 3, 31)
FIRST_DAY = date(2025, 4, 1)
TARGET_SECONDS = 10.0
TARGET_MB = 300.0
PARTIES = ("Conservative", "Labour", "Liberal Democrat", "Green Party", "Independent", "Reform UK", "")
PLATFORMS = ("facebook", "x", "instagram", "tiktok", "youtube", "whatsapp", "blog", "other")
TYPES = ("public", "public", "public", "councillor", "officer", "clerk", "mp", "other")
OUTCOMES = ("no_further_action", "no_further_action", "informal_resolution", "no_breach", "breach", "withdrawn")
STAGES = ("received", "acknowledged", "member_comment", "assessment", "investigation", "hearing")


def _size(value: str) -> tuple[int, int]:
    try:
        cases, complaints = (int(part) for part in value.split(":"))
    except ValueError:
        raise CommandError(f"--size must be CASES:COMPLAINTS, for example 2000:5000, not '{value}'.") from None
    if cases < 10 or complaints < cases:
        raise CommandError("--size needs at least 10 cases and at least as many complaints as cases.")
    return cases, complaints


class Command(BaseCommand):
    help = "Time a year's Standards Committee report (PDF and CSV) over large throwaway databases."

    def add_arguments(self, parser):
        parser.add_argument("--size", action="append", help="CASES:COMPLAINTS (repeatable); default 2000:5000")
        parser.add_argument("--seed", type=int, default=20261121)
        parser.add_argument("--write-docs", action="store_true", help="add the figures to docs/benchmarks.md")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("benchmark_committee_report needs PostgreSQL.")
        sizes = [_size(value) for value in (options["size"] or ["2000:5000"])]
        rows = []
        for cases, complaints in sizes:
            try:
                with _sigterm_as_interrupt(), _throwaway_database(say=self.say):
                    started = time.perf_counter()
                    with transaction.atomic():
                        build(cases=cases, complaints=complaints, seed=options["seed"])
                    with connection.cursor() as cursor:
                        cursor.execute("VACUUM ANALYZE")
                    self.say(
                        f"Built {cases:,} cases and {complaints:,} complaints in {time.perf_counter() - started:.1f} s"
                    )
                    result = measure(cases=cases, complaints=complaints, say=self.say)
            except KeyboardInterrupt:
                raise CommandError("Interrupted; the benchmark database was dropped.") from None
            self.stdout.write(result["line"])
            rows += result["rows"]
        if options["write_docs"]:
            docs_write(rows)
            self.say("Figures written to docs/benchmarks.md")

    def say(self, message: str) -> None:
        self.stderr.write(message)


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# The child's own peak is VmHWM of /proc/self/status: Linux carries ru_maxrss across fork and
# exec, so getrusage in the child would report at least this (large) process's resident memory.
_CHILD = """
import resource, sys
from django.core.management import execute_from_command_line


def peak_kb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


try:
    execute_from_command_line(["manage.py", *sys.argv[1:]])
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    sys.stderr.write("PEAK_KB %d CPU %.3f\\n" % (peak_kb(), usage.ru_utime + usage.ru_stime))
"""


def _run_command(fmt: str, output: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident memory (MB) of `manage.py committee_report` in a
    new process."""
    env = {**os.environ, "TEST_DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    command = [
        sys.executable,
        "-c",
        _CHILD,
        "committee_report",
        f"--start={START}",
        f"--end={END}",
        "--scope=all",
        f"--format={fmt}",
        f"--output={output}",
    ]
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603
        command, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=900, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise CommandError(f"committee_report failed: {result.stderr[-800:]}")
    figures = result.stderr.rsplit("PEAK_KB", 1)[1].split()
    return seconds, float(figures[2]), int(figures[0]) / 1024


def measure(*, cases: int, complaints: int, say) -> dict:
    from complaints.selectors.committee_report import committee_report_figures
    from complaints.services.committee_report import ReportText, report_render

    with tempfile.TemporaryDirectory() as folder:
        pdf_seconds, pdf_cpu, pdf_mb = _run_command("pdf", Path(folder) / "report.pdf")
        pdf_pages = _page_count((Path(folder) / "report.pdf").read_bytes())
        csv_seconds, csv_cpu, csv_mb = _run_command("csv", Path(folder) / "report.csv")
    started = time.perf_counter()
    figures = committee_report_figures(start=START, end=END, scope="all")
    figures_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report_render(figures, ReportText.defaults(figures))
    render_seconds = time.perf_counter() - started
    open_cases = len(figures.table("open_cases").rows)
    say(
        f"{cases:,} cases / {complaints:,} complaints: PDF {pdf_seconds:.2f} s ({pdf_cpu:.2f} s CPU), {pdf_mb:.0f} MB; "
        f"CSV {csv_seconds:.2f} s, {csv_mb:.0f} MB; figures {figures_seconds:.2f} s; PDF drawing {render_seconds:.2f} s"
    )
    within = pdf_seconds < TARGET_SECONDS and pdf_mb < TARGET_MB
    line = (
        f"committee report, {cases:,} cases / {complaints:,} complaints: PDF {pdf_seconds:.2f} s and {pdf_mb:.0f} MB "
        f"peak, {pdf_cpu:.2f} s CPU "
        f"({'within' if within else 'OUTSIDE'} the {TARGET_SECONDS:.0f} s / {TARGET_MB:.0f} MB target), "
        f"CSV {csv_seconds:.2f} s and {csv_mb:.0f} MB; counting {figures_seconds:.2f} s, drawing {render_seconds:.2f} s"
    )
    machine = machine_description()
    today = date.today().isoformat()
    load = os.getloadavg()[0]
    notes = (
        f"year 1 Apr 2026 to 31 Mar 2027, all councils; {open_cases} open cases listed; "
        f"in a new process (includes Django start-up); counting {figures_seconds:.2f} s, "
        f"drawing {render_seconds:.2f} s; load average {load:.1f}"
    )
    rows = [
        {
            "date": today,
            "measurement": f"Committee report PDF, {cases:,} cases / {complaints:,} complaints",
            "figure": f"{pdf_seconds:.2f} s wall, {pdf_cpu:.2f} s CPU, peak {pdf_mb:.0f} MB (target < 10 s, < 300 MB)",
            "machine": machine,
            "notes": notes + f"; {pdf_pages} pages",
        },
        {
            "date": today,
            "measurement": f"Committee report CSV, {cases:,} cases / {complaints:,} complaints",
            "figure": f"{csv_seconds:.2f} s wall, {csv_cpu:.2f} s CPU, peak {csv_mb:.0f} MB",
            "machine": machine,
            "notes": notes,
        },
    ]
    return {"line": line, "rows": rows, "peak_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


# --- data ------------------------------------------------------------------------------------


def _moment(rng: random.Random, first: date, days: int) -> datetime:
    day = first + timedelta(days=rng.randrange(days))
    return datetime(day.year, day.month, day.day, rng.randrange(7, 20), rng.randrange(60), tzinfo=UTC)


def build(*, cases: int, complaints: int, seed: int) -> None:
    """Fill the database with COPY (see the module's docstring)."""
    rng = random.Random(seed)
    principal = Authority.objects.create(name="Northmoor District Council", slug="northmoor", kind="district")
    other = Authority.objects.create(name="Southshire District Council", slug="southshire", kind="district")
    locals_ = [
        Authority.objects.create(
            name=f"Parish {n:02d} Council", slug=f"parish-{n:02d}", kind="parish" if n % 4 else "town", parent=principal
        )
        for n in range(1, 21)
    ]
    councils = [principal] * 10 + locals_ + [other] * 4
    code = CodeOfConduct.objects.create(
        slug="benchmark-code", title="Code of Conduct", authority=principal, effective_from=date(2021, 5, 20)
    )
    headings = (
        "Respect",
        "Bullying, harassment and discrimination",
        "Impartiality of officers of the council",
        "Confidentiality and access to information",
        "Disrepute",
        "Use of position",
        "Use of local authority resources and facilities",
        "Complying with the Code of Conduct",
        "Interests",
        "Gifts and hospitality",
    )
    clauses = [
        Clause.objects.create(code=code, number=str(n), heading=h, text=h, position=n)
        for n, h in enumerate(headings, start=1)
    ]
    officer = get_user_model().objects.create_user("benchmark-officer")
    councillor_ids: dict[int, list[int]] = {}
    copier = Copier(Councillor)
    next_councillor = 1
    for council in {c.pk: c for c in councils}.values():
        ids = []
        for _ in range(12):
            copier.add(
                {
                    "id": next_councillor,
                    "authority_id": council.pk,
                    "name": f"Councillor {next_councillor}",
                    "party": rng.choice(PARTIES),
                    "term_start": date(2023, 5, 4),
                }
            )
            ids.append(next_councillor)
            next_councillor += 1
        councillor_ids[council.pk] = ids
    copier.close()

    case_copier, complaint_copier, post_copier = Copier(Case), Copier(Complaint), Copier(SocialMediaPost)
    post_search.bulk_load_begin(connection)
    decision_copier, clock_copier, takedown_copier = Copier(Decision), Copier(Deadline), Copier(TakedownRequest)
    clause_links, councillor_links, breach_links = [], [], []
    days = (END - FIRST_DAY).days + 1
    case_rows = []
    for number in range(1, cases + 1):
        council = rng.choice(councils)
        opened = _moment(rng, FIRST_DAY, days)
        open_case = rng.random() < 0.15 or opened.date() > END - timedelta(days=30)
        closed = None if open_case else opened + timedelta(days=rng.randrange(20, 160))
        if closed and closed.date() > date(2027, 6, 30):
            closed = None
        case_rows.append((number, council, opened, closed))
        case_copier.add(
            {
                "id": number,
                "reference": f"BM-{number:06d}",
                "authority_id": council.pk,
                "stage": "closed" if closed else rng.choice(STAGES),
                "outcome": rng.choice(OUTCOMES) if closed else "",
                "opened_at": opened,
                "closed_at": closed,
                "merged_into_id": None,
            }
        )
        due = opened.date() + timedelta(days=7)
        met = opened + timedelta(days=rng.randrange(0, 10))
        clock_copier.add(
            {
                "id": clock_copier.count + 1,
                "case_id": number,
                "kind": "acknowledge",
                "starts_on": opened.date(),
                "working_days": 5,
                "due_on": due,
                "computation": "Benchmark.",
                "met_at": met,
                "created_at": opened,
            }
        )
        clock_copier.add(
            {
                "id": clock_copier.count + 1,
                "case_id": number,
                "kind": "assessment",
                "starts_on": opened.date(),
                "working_days": 20,
                "due_on": opened.date() + timedelta(days=28),
                "computation": "Benchmark.",
                "met_at": opened + timedelta(days=rng.randrange(10, 45)) if closed else None,
                "created_at": opened,
            }
        )
        if closed:
            outcome = rng.choice(OUTCOMES)
            decision_copier.add(
                {
                    "id": decision_copier.count + 1,
                    "case_id": number,
                    "outcome": outcome,
                    "reasons": "Benchmark reasons.",
                    "decided_by_id": officer.pk,
                    "decided_on": (closed - timedelta(days=3)).date(),
                }
            )
            if outcome == "breach":
                breach_links.append((decision_copier.count, rng.choice(clauses).pk))
        if rng.random() < 0.08:
            takedown_copier.add(
                {
                    "id": takedown_copier.count + 1,
                    "case_id": number,
                    "status": rng.choice(("sent", "complied", "complied", "declined")),
                    "requested_at": opened + timedelta(days=rng.randrange(5, 40)),
                }
            )
    # Complaints: one per case, the rest spread over the cases (a few viral ones take many).
    extra = complaints - cases
    owners = [row[0] for row in case_rows]
    viral = rng.sample(owners, k=max(1, cases // 200))
    complaint_cases = owners + [rng.choice(viral) if rng.random() < 0.3 else rng.choice(owners) for _ in range(extra)]
    by_number = {row[0]: row for row in case_rows}
    for complaint_id, case_number in enumerate(complaint_cases, start=1):
        _, council, opened, _ = by_number[case_number]
        complaint_copier.add(
            {
                "id": complaint_id,
                "reference": f"BM-C-{complaint_id:07d}",
                "case_id": case_number,
                "authority_id": council.pk,
                "complainant_name": f"Complainant {complaint_id}",
                "complainant_email": f"c{complaint_id}@example.com",
                "complainant_type": rng.choice(TYPES),
                "outcome_sought": "An apology.",
                "submitted_at": opened + timedelta(hours=rng.randrange(0, 72)),
                "code_id": code.pk,
                "declaration_confirmed": True,
            }
        )
        post_copier.add(
            {
                "id": complaint_id,
                "complaint_id": complaint_id,
                "case_id": case_number,
                "platform": rng.choice(PLATFORMS),
                "account_name": "Cllr Account",
                "text_reported": "A post.",
            }
        )
        for clause in rng.sample(clauses, k=rng.randrange(1, 3)):
            clause_links.append((complaint_id, clause.pk))
        councillor_links.append((complaint_id, rng.choice(councillor_ids[council.pk])))
    for copier in (case_copier, complaint_copier, post_copier, decision_copier, clock_copier, takedown_copier):
        copier.close()
    post_search.bulk_load_end(connection)
    _copy_links(Complaint.clauses.through, "complaint_id", "clause_id", clause_links)
    _copy_links(Complaint.councillors.through, "complaint_id", "councillor_id", councillor_links)
    _copy_links(Decision.clauses_breached.through, "decision_id", "clause_id", breach_links)
    # A few cases merged into another (their complaints moved there first).
    merged = rng.sample(owners[1:], k=max(1, cases // 50))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_complaint SET case_id = 1 WHERE case_id = ANY(%s)", [merged])
        cursor.execute("UPDATE complaints_socialmediapost SET case_id = 1 WHERE case_id = ANY(%s)", [merged])
        cursor.execute("UPDATE complaints_case SET merged_into_id = 1 WHERE id = ANY(%s)", [merged])


def _copy_links(through, left: str, right: str, pairs: list[tuple[int, int]]) -> None:
    copier = Copier(through)
    for number, (a, b) in enumerate(sorted(set(pairs)), start=1):
        copier.add({"id": number, left: a, right: b})
    copier.close()
