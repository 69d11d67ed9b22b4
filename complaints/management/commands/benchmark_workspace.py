"""Measure the officer workspace at scale: the dashboard, its search, and a big case page.

    DEBUG=0 DJANGO_SETTINGS_MODULE=config.settings_test \\
        python manage.py benchmark_workspace --cases 100000 --complaints 150000 --events 1000000

1. Builds a throwaway PostgreSQL database (test_<name>_workspace_<pid>, dropped afterwards, also on
   Ctrl-C and SIGTERM) and fills it with COPY, not the services: councils with parish and town
   councils, councillors, cases (most closed, a few per cent open, some merged into others),
   complaints (some confidential, several per case for linked and viral posts), posts with text,
   screenshots with perceptual hashes, clocks, and events chained by hash exactly as event_record
   chains them (sequence, previous hash, entry hash), so `verify_history` accepts them.
2. Signs in a Monitoring Officer (two-factor verified) and times, with Django's test client in
   this process (server time, no network), at least 50 requests each of: the dashboard, the
   dashboard filtered by council and stage, a full-text search, the possible-duplicates queue and
   the pages of a case with 60 complaints and 500 events (the case page, its complaints, its
   posts and evidence, and its timeline); it counts each one's SQL queries.

The last line reads: dashboard p95 X ms (Q queries); search p95 X ms (Q queries); case page p95
X ms (Q queries), where the case page's figure is the slowest of the case's four pages.
"""

from __future__ import annotations

import gc
import io
import json
import logging
import os
import random
import resource
import signal
import statistics
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import setup_databases, teardown_databases
from django.urls import reverse

from complaints.management.commands.benchmark_complaints import docs_write, machine_description

TARGET_MS = 50.0
WARM_UP_REQUESTS = 12
PRINCIPALS = 5
LOCALS_PER_PRINCIPAL = 20
OPEN_SHARE = 0.03
MERGED_SHARE = 0.02
CONFIDENTIAL_SHARE = 0.05
SCREENSHOT_SHARE = 0.6
OFFICER_AREA_SHARE = 0.6
BIG_CASE_COMPLAINTS = 60
BIG_CASE_EVENTS = 500
CHUNK = 20_000
SEARCH_WORD = "racist"
# The big case's pages; the summary line's case page figure is the slowest of them.
CASE_PAGES = (
    ("case page", "officer:case"),
    ("case complaints", "officer:case_complaints"),
    ("case posts and evidence", "officer:case_evidence"),
    ("case timeline", "officer:case_timeline"),
)
WORDS = (
    "council bins parking planning meeting ward residents road budget library school housing park "
    "traffic police leader mayor vote committee chair motion report consultation development green "
    "estate tax rates bus cycle lane flood drain litter graffiti noise licence pub market shop "
    "festival bridge hospital clinic care homes youth club sports field allotment cemetery church"
).split()
FIRST = "Sam Alex Jordan Pat Chris Jamie Morgan Taylor Casey Robin Lee Ashley Drew Kim Jo Ray".split()
LAST = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Khan Evans Thomas Roberts".split()
OPEN_STAGES = (
    ("received", 10),
    ("acknowledged", 15),
    ("member_comment", 15),
    ("further_information", 5),
    ("assessment", 30),
    ("informal_resolution", 8),
    ("investigation", 10),
    ("hearing", 4),
    ("review", 3),
)
PLATFORMS = (
    ("facebook", 45),
    ("x", 30),
    ("instagram", 8),
    ("tiktok", 5),
    ("whatsapp", 5),
    ("blog", 4),
    ("linkedin", 3),
)


class Command(BaseCommand):
    help = "Build a large throwaway database and time the officer dashboard, search and case page."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--complaints", type=int, default=150_000)
        parser.add_argument("--events", type=int, default=1_000_000)
        parser.add_argument("--requests", type=int, default=50, help="timed requests per page (at least 50)")
        parser.add_argument("--seed", type=int, default=20261121)
        parser.add_argument("--write-docs", action="store_true", help="add the figures to docs/benchmarks.md")

    def handle(self, *args, **options):
        cases, complaints, events = options["cases"], options["complaints"], options["events"]
        if connection.vendor != "postgresql":
            raise CommandError("benchmark_workspace needs PostgreSQL (set DATABASE_URL); it measures full-text search.")
        if cases < 200 or complaints < cases + BIG_CASE_COMPLAINTS or events < cases + BIG_CASE_EVENTS:
            raise CommandError(
                "Need --cases of at least 200, --complaints at least cases + 60 and --events at least cases + 500."
            )
        if options["requests"] < 50:
            raise CommandError("--requests must be at least 50.")
        logging.getLogger("django.request").setLevel(logging.ERROR)
        try:
            with _sigterm_as_interrupt(), ExitStack() as cleanup:
                cleanup.enter_context(_throwaway_database(say=self.say))
                started = time.perf_counter()
                # One transaction: foreign keys are checked at commit, so tables can be copied in any order.
                with transaction.atomic():
                    world = build(cases=cases, complaints=complaints, events=events, seed=options["seed"], say=self.say)
                with connection.cursor() as cursor:
                    # What autovacuum does to a live database after a bulk load: statistics, and
                    # the visibility map that lets index-only scans skip the table.
                    cursor.execute("VACUUM ANALYZE")
                    # Write the load out now, as a live database would have long since, so the timed
                    # requests do not share the disk with the checkpoint that follows a bulk load.
                    try:
                        with transaction.atomic():
                            cursor.execute("CHECKPOINT")
                    except DatabaseError:
                        self.say("CHECKPOINT needs a superuser; measuring without it.")
                build_seconds = time.perf_counter() - started
                peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                size = _database_size()
                self.say(f"Built in {build_seconds:.1f} s; peak memory {peak_mb:.0f} MB; database {size}")
                # Measure as a web worker would run: without the building's garbage to walk
                # through at every collection (gunicorn's workers start from a clean heap).
                gc.collect()
                gc.freeze()
                results = measure(world, requests=options["requests"], say=self.say)
        except KeyboardInterrupt:
            raise CommandError("Interrupted; the benchmark database was dropped.") from None

        self.stdout.write("")
        for result in results:
            self.stdout.write(result.line())
        if options["write_docs"]:
            docs_write(_doc_rows(results, cases, complaints, events, build_seconds, peak_mb, size))
            self.say("Figures written to docs/benchmarks.md")
        self.stdout.write("")
        self.stdout.write(summary_line(results))

    def say(self, message: str) -> None:
        self.stderr.write(message)


# --- the throwaway database --------------------------------------------------------------------


@contextmanager
def _throwaway_database(*, say, label: str = "workspace"):
    """A PostgreSQL database of its own (test_<name>_<label>_<pid>), dropped afterwards."""
    test_settings = connection.settings_dict.setdefault("TEST", {})
    test_settings["NAME"] = f"test_{connection.settings_dict['NAME']}_{label}_{os.getpid()}"
    say(f"Creating database {test_settings['NAME']} ...")
    old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
    try:
        yield
    finally:
        connection.close()
        teardown_databases(old_config, verbosity=0)
        say(f"Dropped database {test_settings['NAME']}")


@contextmanager
def _sigterm_as_interrupt():
    def interrupt(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _database_size() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cursor.fetchone()[0]


# --- COPY ------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Copier:
    """COPY rows (dicts keyed by attname) into a model's table; unset fields take the model default."""

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.defaults = {}
        for field in self.fields:
            if field.has_default() and not callable(field.default):
                self.defaults[field.attname] = field.default
        self.callables = {f.attname: f.default for f in self.fields if f.has_default() and callable(f.default)}
        self.buffer = io.StringIO()
        self.count = 0

    def add(self, row: dict) -> None:
        values = []
        for field in self.fields:
            name = field.attname
            if name in row:
                value = row[name]
            elif name in self.defaults:
                value = self.defaults[name]
            elif name in self.callables:
                value = self.callables[name]()
            elif field.null:
                value = None
            elif field.blank and field.get_internal_type() in ("CharField", "TextField", "EmailField", "URLField"):
                value = ""
            else:
                raise CommandError(f"{self.model.__name__}.{name} needs a value in the benchmark data")
            values.append(_text(value))
        self.buffer.write("\t".join(values) + "\n")
        self.count += 1
        if self.count % CHUNK == 0:
            self.flush()

    def flush(self) -> None:
        if not self.buffer.tell():
            return
        columns = ", ".join(connection.ops.quote_name(field.column) for field in self.fields)
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            copy.write(self.buffer.getvalue())
        self.buffer = io.StringIO()

    def close(self) -> int:
        self.flush()
        table = self.model._meta.db_table
        pk = self.model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT MAX({pk}) FROM {table}), 1))",  # noqa: S608 - names from the model
                [table, pk],
            )
        return self.count


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


# --- the data ---------------------------------------------------------------------------------------


@dataclass
class World:
    officer: object
    principal_slug: str
    big_case: str
    today: date


def build(*, cases: int, complaints: int, events: int, seed: int, say) -> World:
    from complaints import roles
    from complaints.models import (
        Authority,
        Case,
        Complaint,
        Councillor,
        Deadline,
        Event,
        Evidence,
        OfficerProfile,
        SocialMediaPost,
        post_search,
    )
    from complaints.models.events import event_hash
    from complaints.services.posts import url_normalise
    from guidance.models import Clause, ClauseCategory, CodeOfConduct

    rng = random.Random(seed)
    today = date.today()
    now = datetime.now(UTC)
    roles.roles_apply()

    say("Councils, councillors, officers, the code ...")
    principals, locals_ = [], {}
    for index in range(PRINCIPALS):
        principal = Authority.objects.create(
            name=f"Benchmark District Council {index + 1}", slug=f"bench-district-{index + 1}", kind="district"
        )
        principals.append(principal)
        locals_[principal.pk] = [
            Authority.objects.create(
                name=f"Benchmark {'Town' if n % 5 == 0 else 'Parish'} Council {index + 1}-{n + 1}",
                slug=f"bench-local-{index + 1}-{n + 1}",
                kind="town" if n % 5 == 0 else "parish",
                parent=principal,
            )
            for n in range(LOCALS_PER_PRINCIPAL)
        ]
    home = principals[0]
    councillors = {}
    for authority in [*principals, *(a for group in locals_.values() for a in group)]:
        count = 40 if authority.is_principal else 8
        councillors[authority.pk] = [
            Councillor(
                authority=authority,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}-{authority.pk}-{n}",
                term_start=date(2019, 5, 2),
            )
            for n in range(count)
        ]
        councillors[authority.pk] = Councillor.objects.bulk_create(councillors[authority.pk])
    code = CodeOfConduct.objects.create(slug="bench-code", title="Benchmark code", effective_from=date(2015, 1, 1))
    clauses = Clause.objects.bulk_create(
        Clause(code=code, number=str(n + 1), heading=label, text=label, category=value, position=n)
        for n, (value, label) in enumerate(ClauseCategory.choices)
    )
    User = get_user_model()
    officers = []
    for username, role in (
        ("bench-mo", roles.MONITORING_OFFICER),
        ("bench-deputy", roles.DEPUTY_MONITORING_OFFICER),
        *((f"bench-officer-{n}", roles.CASE_OFFICER) for n in range(6)),
    ):
        user = User.objects.create_user(username, password=None, first_name=username.title(), last_name="Officer")
        user.groups.add(Group.objects.get(name=role))
        OfficerProfile.objects.create(user=user, authority=home)
        officers.append(user)
    mo = officers[0]
    home_area = [home, *locals_[home.pk]]
    other_area = [a for p in principals[1:] for a in [p, *locals_[p.pk]]]

    say(f"{cases:,} cases ...")
    open_count = max(50, round(cases * OPEN_SHARE))
    merged_count = round(cases * MERGED_SHARE)
    case_rows = []
    first_id = 1
    span_days = 8 * 365
    for index in range(cases):
        pk = first_id + index
        is_open = index >= cases - open_count  # the newest cases are the open ones
        authority = rng.choice(home_area) if rng.random() < OFFICER_AREA_SHARE else rng.choice(other_area)
        if is_open:
            opened = now - timedelta(days=rng.uniform(0, 120))
        else:
            opened = now - timedelta(days=120 + span_days * (1 - index / cases))
        case_rows.append(
            {
                "id": pk,
                "public_id": uuid.uuid4(),
                "reference": f"MO-{opened.year}-{index + 1:06d}",
                "authority_id": authority.pk,
                "stage": _weighted(rng, OPEN_STAGES) if is_open else "closed",
                "outcome": "" if is_open else rng.choice(["no_further_action", "informal_resolution", "no_breach"]),
                "assigned_officer_id": rng.choice(officers).pk if (not is_open or rng.random() < 0.7) else None,
                "opened_at": opened,
                "closed_at": None if is_open else opened + timedelta(days=rng.uniform(20, 200)),
            }
        )
    # The case page's case: open, in the officer's own council, 60 complaints and 500 events.
    big = case_rows[-1]
    big.update(authority_id=home.pk, stage="assessment", assigned_officer_id=mo.pk)
    big_reference = big["reference"]
    # Merged cases: closed, pointing at an earlier case, with no complaints of their own.
    merged_ids = set()
    for row in rng.sample(case_rows[1 : cases - open_count], min(merged_count, cases - open_count - 1)):
        row["merged_into_id"] = rng.randrange(1, row["id"])
        merged_ids.add(row["id"])
    copier = Copier(Case)
    for row in case_rows:
        copier.add(row)
    copier.close()

    say(f"{complaints:,} complaints, posts, screenshots, councillors and clauses alleged ...")
    per_case = {row["id"]: (0 if row["id"] in merged_ids else 1) for row in case_rows}
    per_case[big["id"]] = BIG_CASE_COMPLAINTS
    extra = complaints - sum(per_case.values())
    linked_candidates = [row["id"] for row in case_rows if row["id"] not in merged_ids and row is not big]
    while extra > 0:
        case_id = rng.choice(linked_candidates)
        add = min(extra, rng.choice((1, 1, 1, 2, 3, 5)))
        per_case[case_id] += add
        extra -= add
    complaint_copier, post_copier, evidence_copier = Copier(Complaint), Copier(SocialMediaPost), Copier(Evidence)
    post_search.bulk_load_begin(connection)
    councillor_copier = Copier(Complaint.councillors.through)
    clause_copier = Copier(Complaint.clauses.through)
    complaint_id = post_id = evidence_id = link_id = clause_link_id = 0
    by_id = {row["id"]: row for row in case_rows}
    open_urls = [f"https://facebook.com/cllr.page/posts/{n}" for n in range(max(10, open_count // 20))]
    for case_id, count in per_case.items():
        case = by_id[case_id]
        authority_councillors = councillors[case["authority_id"]]
        councillor = rng.choice(authority_councillors)
        platform = _weighted(rng, PLATFORMS)
        shared_url = f"https://x.com/cllr{case_id}/status/{case_id * 7919}"
        if case["stage"] != "closed" and rng.random() < 0.1:
            shared_url = rng.choice(open_urls)  # some open cases are about the same post: the duplicates queue
        base_hash = rng.getrandbits(64)
        case_clauses = rng.sample(clauses, rng.choice((1, 1, 2)))
        for n in range(count):
            complaint_id += 1
            confidential = rng.random() < CONFIDENTIAL_SHARE
            submitted = case["opened_at"] + timedelta(hours=n)
            complaint_copier.add(
                {
                    "id": complaint_id,
                    "public_id": uuid.uuid4(),
                    "reference": f"{case['reference']}-C{n + 1}",
                    "case_id": case_id,
                    "authority_id": case["authority_id"],
                    "complainant_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    "complainant_email": f"person{complaint_id}@example.com",
                    "complainant_type": "public",
                    "outcome_sought": "An apology and the post taken down.",
                    "confidentiality_requested": confidential,
                    "confidentiality_reason": "Fear of reprisal" if confidential else "",
                    "submitted_at": submitted,
                    "declaration_confirmed": True,
                }
            )
            link_id += 1
            councillor_copier.add({"id": link_id, "complaint_id": complaint_id, "councillor_id": councillor.pk})
            for clause in case_clauses:
                clause_link_id += 1
                clause_copier.add({"id": clause_link_id, "complaint_id": complaint_id, "clause_id": clause.pk})
            words = rng.sample(WORDS, 12)
            if rng.random() < 0.01:
                words.append(SEARCH_WORD)
            post_id += 1
            url = shared_url if rng.random() < 0.9 else f"{shared_url}?ref={n}"
            post_copier.add(
                {
                    "id": post_id,
                    "public_id": uuid.uuid4(),
                    "complaint_id": complaint_id,
                    "case_id": case_id,
                    "platform": platform,
                    "url": url,
                    "normalised_url": url_normalise(url),
                    "account_name": "Cllr " + councillor.name.split("-")[0],
                    "text_reported": " ".join(words).capitalize() + ".",
                    "capacity_indicators": ["account_name"],
                }
            )
            if rng.random() < SCREENSHOT_SHARE:
                evidence_id += 1
                phash = base_hash ^ (1 << rng.randrange(64)) if rng.random() < 0.5 else base_hash
                evidence_copier.add(
                    {
                        "id": evidence_id,
                        "public_id": uuid.uuid4(),
                        "case_id": case_id,
                        "complaint_id": complaint_id,
                        "post_id": post_id,
                        "source": "complainant",
                        "original": f"evidence/originals/bench-{evidence_id}.png",
                        "original_name": "screenshot.png",
                        "sha256": f"{rng.getrandbits(256):064x}",
                        "size": 250_000,
                        "content_type": "image/png",
                        "width": 1080,
                        "height": 1920,
                        "display": f"evidence/display/bench-{evidence_id}.jpg",
                        "perceptual_hash": f"{phash:016x}",
                        "uploaded_at": submitted,
                    }
                )
    for copier in (complaint_copier, post_copier, evidence_copier, councillor_copier, clause_copier):
        copier.close()
    post_search.bulk_load_end(connection)

    say("Clocks ...")
    # COPY fires the trigger that keeps each case's next due date, as any other insert does.
    deadline_copier = Copier(Deadline)
    deadline_id = 0
    for row in case_rows:
        is_open = row["stage"] != "closed"
        start = row["opened_at"].date()
        for kind, days in (("acknowledge", 5), ("assessment", 20)):
            deadline_id += 1
            due = start + timedelta(days=days * 7 // 5)
            met = None
            if not is_open or kind == "acknowledge":
                met = row["opened_at"] + timedelta(days=days)
            elif rng.random() < 0.5:
                due = today + timedelta(days=rng.randint(-15, 30))
                due = max(due, start)
            deadline_copier.add(
                {
                    "id": deadline_id,
                    "case_id": row["id"],
                    "kind": kind,
                    "starts_on": start,
                    "working_days": days,
                    "due_on": due,
                    "computation": f"{days} working days from {start:%-d %B %Y}",
                    "met_at": met,
                    "created_at": row["opened_at"],
                }
            )
    deadline_copier.close()

    say(f"{events:,} events, hash-chained per case ...")
    event_copier = Copier(Event)
    per_case_events = {row["id"]: 1 for row in case_rows}
    per_case_events[big["id"]] = BIG_CASE_EVENTS
    spare = events - sum(per_case_events.values())
    ids = [row["id"] for row in case_rows]
    for case_id in rng.choices(ids, k=spare):
        per_case_events[case_id] += 1
    event_id = 0
    kinds = ("case_updated", "stage_changed", "evidence_viewed", "note", "message_sent", "deadline_set")
    for row in case_rows:
        previous = ""
        created = row["opened_at"]
        for sequence in range(1, per_case_events[row["id"]] + 1):
            event_id += 1
            created = created + timedelta(minutes=37)
            kind = "case_opened" if sequence == 1 else kinds[sequence % len(kinds)]
            description = "Case opened" if sequence == 1 else f"Benchmark event {sequence}"
            actor_id = None if sequence == 1 else mo.pk
            label = "System" if actor_id is None else "Bench-Mo Officer"
            entry = event_hash(
                case_id=row["id"],
                sequence=sequence,
                kind=kind,
                actor_id=actor_id,
                actor_label=label,
                description=description,
                details={},
                created_at=created,
                previous_hash=previous,
            )
            event_copier.add(
                {
                    "id": event_id,
                    "case_id": row["id"],
                    "kind": kind,
                    "actor_id": actor_id,
                    "actor_label": label,
                    "description": description,
                    "details": {},
                    "created_at": created,
                    "sequence": sequence,
                    "previous_hash": previous,
                    "entry_hash": entry,
                }
            )
            previous = entry
    event_copier.close()
    return World(officer=mo, principal_slug=home.slug, big_case=big_reference, today=today)


# --- measuring -----------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    url: str
    timings_ms: list[float]
    queries: int
    status: int
    # This process's CPU time per request: what the page costs in Python, steadier than the wall
    # time on a shared machine (it leaves out the database's own work and waiting for a core).
    cpu_ms: list[float]

    @property
    def p95(self) -> float:
        ordered = sorted(self.timings_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def median(self) -> float:
        return statistics.median(self.timings_ms)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_ms)

    def line(self) -> str:
        verdict = "within" if self.p95 < TARGET_MS else "OVER"
        return (
            f"{self.name:<24} {self.url:<70} median {self.median:6.1f} ms  p95 {self.p95:6.1f} ms  "
            f"(CPU median {self.cpu_median:5.1f} ms)  {self.queries:3d} queries  HTTP {self.status}  "
            f"({verdict} the {TARGET_MS:.0f} ms target, {len(self.timings_ms)} requests)"
        )


def summary_line(results: list[Result]) -> str:
    """The last line: the dashboard, the search, and the slowest of the case's pages."""
    by_name = {result.name: result for result in results}
    case_pages = [by_name[name] for name, _ in CASE_PAGES]
    slowest = max(case_pages, key=lambda result: result.p95)
    shown = (("dashboard", by_name["dashboard"]), ("search", by_name["search"]), ("case page", slowest))
    return "; ".join(f"{label} p95 {result.p95:.1f} ms ({result.queries} queries)" for label, result in shown)


class QueryCounter:
    """An execute wrapper counting the SQL statements a request runs."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def signed_in_client(user) -> Client:
    """A client signed in as `user` with a verified second factor, as the sign-in pages leave it."""
    client = Client()
    client.force_login(user)
    if not apps.is_installed("django_otp.plugins.otp_totp"):  # two-factor sign-in not installed
        return client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    try:
        from complaints.views.officer.auth import AUTHENTICATED_AT

        session[AUTHENTICATED_AT] = time.time()
    except ImportError:
        pass
    session.save()
    return client


def measure(world: World, *, requests: int, say) -> list[Result]:
    client = signed_in_client(world.officer)
    pages = [
        ("dashboard", reverse("officer:dashboard")),
        ("filtered", reverse("officer:dashboard") + f"?council={world.principal_slug}&stage=assessment"),
        ("search", reverse("officer:dashboard") + f"?q={SEARCH_WORD}"),
        ("new and unassigned", reverse("officer:new_cases")),
        ("possible duplicates", reverse("officer:duplicates")),
    ]
    pages += [(name, reverse(route, args=[world.big_case])) for name, route in CASE_PAGES]
    results = []
    for name, url in pages:
        # Warm-up, to the state of a server that has been running: the connection open, templates
        # compiled, and each statement prepared with the plan PostgreSQL settles on (a statement is
        # prepared after 5 runs on a connection, and its plan chosen after 5 more).
        for _ in range(WARM_UP_REQUESTS):
            response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get(url)
        timings, cpu = [], []
        for _ in range(requests):
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        result = Result(name, url, timings, queries.count, response.status_code, cpu)
        say(result.line())
        results.append(result)
    return results


def _doc_rows(results, cases, complaints, events, build_seconds, peak_mb, size) -> list[dict]:
    machine = machine_description()
    today = date.today().isoformat()
    shape = f"{cases:,} cases, {complaints:,} complaints, {events:,} events"
    pg = f"PostgreSQL {connection.pg_version // 10000}" if connection.vendor == "postgresql" else connection.vendor
    rows = [
        {
            "date": today,
            "measurement": f"benchmark_workspace: building {shape} with COPY",
            "figure": f"{build_seconds:.0f} s; peak memory {peak_mb:.0f} MB; database {size}",
            "machine": machine,
            "notes": f"{pg}; {OPEN_SHARE:.0%} of cases open, {MERGED_SHARE:.0%} merged, "
            f"{CONFIDENTIAL_SHARE:.0%} confidential complainants, {PRINCIPALS} councils with "
            f"{LOCALS_PER_PRINCIPAL} parish/town councils each; events hash-chained",
        }
    ]
    for result in results:
        rows.append(
            {
                "date": today,
                "measurement": f"benchmark_workspace: {result.name} GET {result.url.split('?')[0]}",
                "figure": f"median {result.median:.1f} ms, p95 {result.p95:.1f} ms, {result.queries} queries "
                f"(CPU median {result.cpu_median:.1f} ms)",
                "machine": machine,
                "notes": f"{shape}; {len(result.timings_ms)} requests, in-process test client signed in as a "
                f"Monitoring Officer (two-factor verified); {result.url}; target p95 < {TARGET_MS:.0f} ms",
            }
        )
    return rows
