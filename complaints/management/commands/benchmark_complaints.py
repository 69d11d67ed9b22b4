"""Measure the complaint form where it is heaviest, and the start page under load.

    DEBUG=0 DJANGO_SETTINGS_MODULE=config.settings_test python manage.py benchmark_complaints

1. The final "check your answers" POST after five ~4 MB screenshots were uploaded, in-process
   with Django's test client (so the time is server time), plus each upload request, since the
   images are checked and re-encoded when they are uploaded.
2. Requests per second of /complain/ served by gunicorn on a loopback port.

Everything runs against a throwaway database ("..._bench_<pid>" on PostgreSQL, or an SQLite file
when PostgreSQL is unreachable) and a temporary directory; both, and the gunicorn process, are
removed on the way out, including on Ctrl-C, SIGTERM and errors.
"""

from __future__ import annotations

import http.client
import io
import logging
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
from django.urls import reverse
from django.utils import timezone

SUBMISSION_TARGET_SECONDS = 1.5
FILES_PER_COMPLAINT = 5
SCREENSHOT_SIZE = (1500, 2500)  # width, height: a tall phone or browser screenshot
MACHINE_LABEL = "python-svc"
DOCS_PATH = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
DOCS_HEADER = "## Figures"
DOCS_COLUMNS = "| date | measurement | figure | machine | notes |"
MAX_REQUESTS_PER_CONNECTION = 500_000  # a bound on each load thread besides its deadline
SERVER_START_TIMEOUT = 60.0

ABOUT = {
    "name": "Sam Resident",
    "email": "sam@example.com",
    "phone": "01632 960 001",
    "address": "1 High Street",
    "complainant_type": "public",
}
OUTCOME = {"outcome_sought": "An apology and the post taken down.", "previous_complaint": "no"}


class Command(BaseCommand):
    help = "Time the final complaint submission (5 x ~4 MB screenshots) and load-test the start page."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5, help="complete journeys to time (default 5)")
        parser.add_argument("--image-megabytes", type=float, default=4.0, help="size of each PNG (default 4)")
        parser.add_argument("--seconds", type=float, default=10.0, help="length of the load test (default 10)")
        parser.add_argument("--concurrency", type=int, default=8, help="load-test connections (default 8)")
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
        parser.add_argument("--skip-load", action="store_true", help="only time the submission")
        parser.add_argument("--write-docs", action="store_true", help=f"add the figures to {DOCS_PATH.name}")

    def handle(self, *args, **options):
        if not 1 <= options["runs"] <= 200:
            raise CommandError("--runs must be between 1 and 200.")
        if not 0.05 <= options["image_megabytes"] <= 9:
            raise CommandError("--image-megabytes must be between 0.05 and 9 (uploads are limited to 10 MB).")
        if not (1 <= options["seconds"] <= 300 and 1 <= options["concurrency"] <= 64 and 1 <= options["workers"] <= 32):
            raise CommandError("--seconds must be 1-300, --concurrency 1-64 and --workers 1-32.")

        # Eager Celery logs every task at INFO, kombu a notice about memory://; the figures matter here.
        logging.getLogger("celery").setLevel(logging.WARNING)
        logging.getLogger("kombu.connection").setLevel(logging.ERROR)
        try:
            with _sigterm_as_interrupt(), ExitStack() as cleanup:
                tmp = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="standards-desk-bench-")))
                self.say(f"Temporary directory {tmp}")
                database = cleanup.enter_context(_throwaway_database(tmp, say=self.say))
                submission = measure_submission(
                    tmp, runs=options["runs"], megabytes=options["image_megabytes"], say=self.say
                )
                load = None
                if not options["skip_load"]:
                    load = measure_start_page_load(
                        tmp,
                        database=database,
                        seconds=options["seconds"],
                        concurrency=options["concurrency"],
                        workers=options["workers"],
                        say=self.say,
                    )
        except KeyboardInterrupt:
            raise CommandError(
                "Interrupted; the benchmark database, gunicorn and temporary files were removed."
            ) from None
        rows = figure_rows(submission, load, database)
        self.stdout.write("")
        self.stdout.write(_table(rows))
        self.stdout.write("")
        self.stdout.write(self._verdict(submission))
        if options["write_docs"]:
            docs_write(rows)
            self.say(f"Figures written to {DOCS_PATH}")

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def _verdict(self, submission: SubmissionResult) -> str:
        median = statistics.median(submission.submit_seconds)
        line = (
            f"Final submission (POST /complain/check/, {FILES_PER_COMPLAINT} x {submission.image_label}): "
            f"min {min(submission.submit_seconds):.3f} s, median {median:.3f} s, "
            f"max {max(submission.submit_seconds):.3f} s over {len(submission.submit_seconds)} runs; "
            f"target < {SUBMISSION_TARGET_SECONDS} s: "
        )
        if median < SUBMISSION_TARGET_SECONDS:
            return line + self.style.SUCCESS("met")
        return line + self.style.ERROR("MISSED")


# --- the throwaway database ------------------------------------------------------------------


@dataclass
class Database:
    vendor: str
    name: str
    url: str
    label: str


@contextmanager
def _throwaway_database(tmp: Path, *, say):
    """A migrated test database of our own: test_<name>_bench_<pid>, or an SQLite file under tmp."""
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        test_settings["NAME"] = f"test_{connection.settings_dict['NAME']}_bench_{os.getpid()}"
    else:
        test_settings["NAME"] = str(tmp / "bench.sqlite3")  # a file, so gunicorn can share it
    say(f"Creating database {test_settings['NAME']} ({connection.vendor}) ...")
    old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
    try:
        label = f"PostgreSQL {connection.pg_version // 10000}" if connection.vendor == "postgresql" else "SQLite"
        yield Database(
            connection.vendor, connection.settings_dict["NAME"], _database_url(connection.settings_dict), label
        )
    finally:
        connection.close()
        teardown_databases(old_config, verbosity=0)
        say(f"Dropped database {test_settings['NAME']}")


def _database_url(db: dict) -> str:
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


@contextmanager
def _sigterm_as_interrupt():
    """SIGTERM (e.g. a timeout in a test) unwinds like Ctrl-C, so every cleanup still runs."""

    def interrupt(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second TERM must not cut the cleanup short
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --- screenshots -----------------------------------------------------------------------------


def screenshot_png(megabytes: float, seed: int) -> tuple[bytes, tuple[int, int]]:
    """A screenshot-like PNG of about `megabytes`: a header bar, a photo (noise) and lines of text.

    The photo's height is fitted so the file lands near the target: noise does not compress, the
    rest does. Below 4 MB the canvas shrinks too, so small test images stay quick to make.
    """
    scale = min(1.0, (megabytes / 4.0) ** 0.5)
    width, height = (max(200, int(side * scale)) for side in SCREENSHOT_SIZE)
    target = megabytes * 1024 * 1024
    low_rows, high_rows = height // 10, height // 2
    low, high = len(_screenshot(width, height, low_rows, seed)), len(_screenshot(width, height, high_rows, seed))
    per_row = max(1.0, (high - low) / (high_rows - low_rows))
    rows = int(min(height - 300 * scale, max(1, low_rows + (target - low) / per_row)))
    return _screenshot(width, height, rows, seed), (width, height)


def _screenshot(width: int, height: int, photo_rows: int, seed: int) -> bytes:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    pixels = np.full((height, width, 3), 255, np.uint8)
    bar = max(20, height // 20)
    pixels[:bar] = (59, 89, 152)  # the app's header bar
    margin = max(8, width // 25)
    top = bar + margin
    photo_rows = max(1, min(photo_rows, height - top - margin))
    pixels[top : top + photo_rows, margin : width - margin] = rng.integers(
        0, 256, (photo_rows, width - 2 * margin, 3), dtype=np.uint8
    )
    line, glyph = max(6, height // 75), max(4, height // 140)
    y = top + photo_rows + margin
    while y + line < height - margin:  # lines of "words": dark blocks of varying width
        x, end = margin, margin + int(rng.integers((width - 2 * margin) // 2, width - 2 * margin))
        while x < end:
            word = int(rng.integers(glyph, glyph * 6))
            pixels[y : y + glyph * 2, x : min(x + word, width - margin)] = (20, 20, 20)
            x += word + int(rng.integers(glyph // 2 + 1, glyph + 2))
        y += line + glyph
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, "PNG")
    return buffer.getvalue()


# --- 1. the final submission -----------------------------------------------------------------


@dataclass
class SubmissionResult:
    image_label: str
    image_sizes: list[int]
    image_dimensions: tuple[int, int]
    submit_seconds: list[float] = field(default_factory=list)
    upload_seconds: list[float] = field(default_factory=list)
    submit_queries: list[int] = field(default_factory=list)
    check_page_seconds: list[float] = field(default_factory=list)
    celery_eager: bool = True


def measure_submission(tmp: Path, *, runs: int, megabytes: float, say) -> SubmissionResult:
    say(f"Making {FILES_PER_COMPLAINT} screenshots of ~{megabytes:g} MiB ...")
    images = [screenshot_png(megabytes, seed) for seed in range(FILES_PER_COMPLAINT)]
    sizes = [len(content) for content, _ in images]
    result = SubmissionResult(
        image_label=f"{statistics.mean(sizes) / 1024 / 1024:.2f} MiB PNG",
        image_sizes=sizes,
        image_dimensions=images[0][1],
        celery_eager=bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)),
    )
    say(f"  sizes {', '.join(f'{s:,}' for s in sizes)} bytes, {images[0][1][0]}x{images[0][1][1]} px")
    private = tmp / "private"
    private.mkdir()
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(private), "base_url": None},
        },
    }
    with override_settings(
        PRIVATE_STORAGE_ROOT=private,
        STORAGES=storages,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        authority, councillor = _complaint_subjects()
        for run in range(runs):
            _one_journey(run, authority, councillor, images, result)
            say(
                f"  run {run + 1}/{runs}: submission {result.submit_seconds[-1]:.3f} s "
                f"({result.submit_queries[-1]} queries), uploads "
                + ", ".join(f"{s:.2f}" for s in result.upload_seconds[-FILES_PER_COMPLAINT:])
                + " s"
            )
    return result


def _complaint_subjects():
    """The least a complaint needs: a council, a sitting councillor and a code with clauses."""
    from complaints.models import Authority, AuthorityKind, Councillor
    from guidance.models import Clause, CodeOfConduct

    authority = Authority.objects.create(
        name="Benchmark District Council", slug="benchmark-district", kind=AuthorityKind.DISTRICT, nation="ENG"
    )
    councillor = Councillor.objects.create(
        authority=authority, name="Jo Bloggs", ward="Central", party="Independent", term_start=date(2023, 5, 4)
    )
    code = CodeOfConduct.objects.create(
        slug="benchmark-code-2021",
        title="Benchmark Code of Conduct",
        authority=authority,
        effective_from=date(2021, 5, 20),
    )
    for position, (number, heading) in enumerate([("1", "Respect"), ("2", "Bullying"), ("5", "Disrepute")]):
        Clause.objects.create(code=code, number=number, heading=heading, text=f"{heading}.", position=position)
    return authority, councillor


def _one_journey(run: int, authority, councillor, images, result: SubmissionResult) -> None:
    from complaints.models import Complaint

    # A different loopback address per run keeps the per-IP submission rate limit out of the way.
    client = Client(REMOTE_ADDR=f"127.0.{run // 250}.{run % 250 + 2}")
    posted = timezone.localdate() - timedelta(days=7)
    steps = [
        ("about", ABOUT),
        ("council", {"authority": str(authority.public_id)}),
        ("councillors", {"councillors": [str(councillor.public_id)], "unlisted": ""}),
        (
            "post_add",
            {
                "platform": "facebook",
                "url": "https://www.facebook.com/cllr.jo/posts/123",
                "account_name": "Cllr Jo Bloggs",
                "posted_on_0": str(posted.day),
                "posted_on_1": str(posted.month),
                "posted_on_2": str(posted.year),
                "text_reported": "Residents of Elm Road are scroungers.",
                "capacity_indicators": ["account_name", "council_business"],
            },
        ),
        ("posts", {"add_another": "no"}),
        ("clauses", {"clauses": ["1"]}),
    ]
    for name, data in steps:
        _expect_redirect(client.post(reverse(f"complain:{name}"), data), name)
    for number, (content, _) in enumerate(images, start=1):
        upload = SimpleUploadedFile(f"screenshot-{number}.png", content, content_type="image/png")
        started = time.perf_counter()
        response = client.post(reverse("complain:evidence"), {"file": upload, "action": "add"})
        result.upload_seconds.append(time.perf_counter() - started)
        _expect_redirect(response, f"evidence upload {number}")
    _expect_redirect(client.post(reverse("complain:evidence"), {"action": "continue"}), "evidence")
    _expect_redirect(
        client.post(reverse("complain:outcome"), {**OUTCOME, "confidentiality_requested": "no"}), "outcome"
    )
    started = time.perf_counter()
    page = client.get(reverse("complain:check"))
    result.check_page_seconds.append(time.perf_counter() - started)
    if page.status_code != 200:
        raise CommandError(f"Check your answers answered {page.status_code}.")

    before = Complaint.objects.count()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.post(reverse("complain:check"), {"declaration": "on", "website": ""})
        elapsed = time.perf_counter() - started
    if response.status_code != 302 or response["Location"] != reverse("complain:confirmation"):
        raise CommandError(f"The submission was not accepted ({response.status_code}): {response.content[:500]!r}")
    complaint = Complaint.objects.order_by("-pk").first()
    if Complaint.objects.count() != before + 1 or complaint.evidence.count() != len(images):
        raise CommandError("The submission did not record one complaint with all its evidence.")
    result.submit_seconds.append(elapsed)
    result.submit_queries.append(len(queries))


def _expect_redirect(response, step: str) -> None:
    if response.status_code != 302:
        raise CommandError(f"Step {step} answered {response.status_code}: {response.content[:1000]!r}")


# --- 2. the start page under load ------------------------------------------------------------


@dataclass
class LoadResult:
    workers: int
    concurrency: int
    seconds: float
    ok: int
    errors: int
    latencies: list[float]
    client_cpu_seconds: float
    first_error: str = ""

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        return _percentile(self.latencies, p)


def measure_start_page_load(
    tmp: Path, *, database: Database, seconds: float, concurrency: int, workers: int, say
) -> LoadResult:
    env = _production_env(tmp, database)
    say("Collecting static files for the manifest ...")
    _run_checked([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env, timeout=300)
    port = _free_loopback_port()
    with _gunicorn(env, port, workers, tmp) as server:
        say(f"gunicorn pid {server.pid}, {workers} workers on 127.0.0.1:{port}; waiting for it to answer ...")
        _wait_until_answering(server, port, tmp)
        say("Warming up ...")
        _load(port, seconds=min(3.0, max(1.0, seconds / 5)), concurrency=concurrency, workers=workers)
        say(f"Load: {concurrency} connections for {seconds:g} s ...")
        result = _load(port, seconds=seconds, concurrency=concurrency, workers=workers)
    say(f"  {result.ok} answered, {result.errors} errors{': ' + result.first_error if result.first_error else ''}")
    return result


def _production_env(tmp: Path, database: Database) -> dict:
    """The environment a deployment would give the web process, pointed at our database and tmp."""
    env = dict(os.environ)
    for name in (  # test-only or shared-service settings must not leak into the "production" process
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "REDIS_URL",
        "PRIVATE_STORAGE_ROOT",
        "EMAIL_BACKEND",
        "TEST_DB_SUFFIX",
        "WEB_CONCURRENCY",
    ):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        VAR_DIR=str(tmp / "var"),
        DATABASE_URL=database.url,
        LOG_LEVEL="WARNING",
    )
    return env


def _run_checked(command: list[str], env: dict, *, timeout: float) -> None:
    completed = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if completed.returncode:
        raise CommandError(f"{' '.join(command[1:])} failed:\n{completed.stdout}\n{completed.stderr}")


def _free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _gunicorn(env: dict, port: int, workers: int, tmp: Path):
    """gunicorn with the Dockerfile's options, in its own process group, always stopped on exit."""
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--timeout", "60",
        "--graceful-timeout", "5",
        "--max-requests", "1000",
        "--max-requests-jitter", "100",
        "--access-logfile", str(tmp / "access.log"),
        "--error-logfile", str(tmp / "gunicorn.log"),
    ]  # fmt: skip
    if Path("/dev/shm").is_dir():  # noqa: S108 - as the Dockerfile: heartbeats off the disk
        command += ["--worker-tmp-dir", "/dev/shm"]  # noqa: S108
    with open(tmp / "gunicorn.out", "wb") as output:
        server = subprocess.Popen(  # noqa: S603
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield server
        finally:
            _stop(server)


def _stop(server: subprocess.Popen) -> None:
    """TERM the master we started; if it or a worker of its group lingers, KILL that group."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    for _ in range(50):  # workers leave just after the master
        try:
            os.killpg(server.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.killpg(server.pid, signal.SIGKILL)
    if server.poll() is None:
        server.kill()
        server.wait(timeout=5)


def _wait_until_answering(server: subprocess.Popen, port: int, tmp: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn exited with {server.returncode}:\n{_tail(tmp)}")
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            status, body = _get(probe)
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
            continue
        finally:
            probe.close()
        if status == 200 and b"Complain about a councillor" in body:
            return
        raise CommandError(f"/complain/ answered {status}:\n{body[:1000]!r}\n{_tail(tmp)}")
    raise CommandError(f"gunicorn did not answer within {SERVER_START_TIMEOUT:g} s:\n{_tail(tmp)}")


def _tail(tmp: Path) -> str:
    logs = [tmp / "gunicorn.out", tmp / "gunicorn.log"]
    return "\n".join(log.read_text(errors="replace")[-3000:] for log in logs if log.exists())


def _get(conn: http.client.HTTPConnection) -> tuple[int, bytes]:
    conn.request("GET", "/complain/")
    response = conn.getresponse()
    return response.status, response.read()


def _load(port: int, *, seconds: float, concurrency: int, workers: int) -> LoadResult:
    """`concurrency` threads, each with a keep-alive connection, GET /complain/ until the deadline.

    gunicorn's sync workers close the connection after each response; http.client then
    reconnects by itself, which is what a browser hitting a sync worker would do too.
    """
    stop = threading.Event()
    deadline = time.monotonic() + seconds
    per_thread: list[tuple[list[float], list[str]]] = [([], []) for _ in range(concurrency)]

    def hammer(latencies: list[float], errors: list[str]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            for _ in range(MAX_REQUESTS_PER_CONNECTION):
                if stop.is_set() or time.monotonic() >= deadline:
                    return
                started = time.perf_counter()
                try:
                    status, _ = _get(conn)
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    errors.append(repr(exc))
                    time.sleep(0.01)
                    continue
                if status == 200:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors.append(f"HTTP {status}")
        finally:
            conn.close()

    threads = [threading.Thread(target=hammer, args=bucket, daemon=True) for bucket in per_thread]
    cpu_before, started = time.process_time(), time.perf_counter()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 30)
    finally:
        stop.set()
    elapsed = time.perf_counter() - started
    latencies = sorted(value for bucket, _ in per_thread for value in bucket)
    errors = [message for _, bucket in per_thread for message in bucket]
    return LoadResult(
        workers=workers,
        concurrency=concurrency,
        seconds=elapsed,
        ok=len(latencies),
        errors=len(errors),
        latencies=latencies,
        client_cpu_seconds=time.process_time() - cpu_before,
        first_error=errors[0] if errors else "",
    )


# --- reporting -------------------------------------------------------------------------------


def _percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))  # nearest rank
    return ordered[index]


def _spread(values: list[float], unit: str = "s", digits: int = 3) -> str:
    return (
        f"median {statistics.median(values):.{digits}f} {unit} "
        f"(min {min(values):.{digits}f}, max {max(values):.{digits}f})"
    )


def machine_description() -> str:
    cores = os.cpu_count() or 1
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {round(int(line.split()[1]) / 1024 / 1024)} GiB"
        cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")
    except OSError:
        model = ""
    return f"{cores} cores{memory} ({MACHINE_LABEL})" + (f", {model}" if model else "")


def figure_rows(submission: SubmissionResult, load: LoadResult | None, database: Database) -> list[dict]:
    machine = machine_description()
    today = date.today().isoformat()
    width, height = submission.image_dimensions
    sizes = ", ".join(f"{size:,}" for size in submission.image_sizes)
    runs = len(submission.submit_seconds)
    mode = "eager Celery (e-mail sent in the request), locmem e-mail" if submission.celery_eager else "Celery broker"
    rows = [
        {
            "date": today,
            "measurement": f"Final submission POST /complain/check/ with {FILES_PER_COMPLAINT} screenshots",
            "figure": _spread(submission.submit_seconds) + f", {runs} runs",
            "machine": machine,
            "notes": (
                f"target < {SUBMISSION_TARGET_SECONDS} s; in-process test client; {database.label}; {mode}; "
                f"{statistics.median(submission.submit_queries):g} queries; PNGs {width}x{height}, {sizes} bytes"
            ),
        },
        {
            "date": today,
            "measurement": "Evidence upload request (one screenshot, processed on upload)",
            "figure": _spread(submission.upload_seconds) + f", {len(submission.upload_seconds)} uploads",
            "machine": machine,
            "notes": (
                f"{submission.image_label} {width}x{height}; verify, decode, display copy, phash; "
                f"includes test-client multipart encoding; {database.label}"
            ),
        },
    ]
    if load is not None:
        rows.append(
            {
                "date": today,
                "measurement": "Start page GET /complain/ under load (gunicorn, loopback)",
                "figure": (
                    f"{load.rate:.0f} req/s; p50 {load.percentile(50) * 1000:.1f} ms, "
                    f"p95 {load.percentile(95) * 1000:.1f} ms, p99 {load.percentile(99) * 1000:.1f} ms; "
                    f"{load.errors} errors"
                ),
                "machine": machine,
                "notes": (
                    f"{load.workers} sync workers, {load.concurrency} connections, {load.seconds:.1f} s, "
                    f"{load.ok} requests; DEBUG=0, config.settings, {database.label}, CONN_MAX_AGE=0; "
                    f"Python load generator on the same cores used {load.client_cpu_seconds:.1f} CPU-s"
                ),
            }
        )
    return rows


def _table(rows: list[dict]) -> str:
    headers = ("measurement", "figure")
    widths = [max(len(h), *(len(row[h]) for row in rows)) for h in headers]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(row[h].ljust(w) for h, w in zip(headers, widths, strict=True)) for row in rows]
    lines.append(f"machine: {rows[0]['machine']}")
    return "\n".join(lines)


def _markdown_row(row: dict) -> str:
    cells = (row[key].replace("|", "\\|") for key in ("date", "measurement", "figure", "machine", "notes"))
    return "| " + " | ".join(cells) + " |"


def docs_write(rows: list[dict]) -> None:
    """Add the rows to the Figures table, replacing rows of the same date, measurement and machine."""
    text = DOCS_PATH.read_text() if DOCS_PATH.exists() else ""
    lines = text.splitlines()
    if DOCS_HEADER not in lines:
        if not lines:
            lines = ["# Benchmarks", "", "Figures from `make benchmark` (`manage.py benchmark_complaints`)."]
        lines += ["", DOCS_HEADER, "", DOCS_COLUMNS, "|---|---|---|---|---|"]
    start = lines.index(DOCS_HEADER) + 1
    while start < len(lines) and not lines[start].startswith("|"):
        start += 1
    if start == len(lines):
        lines += [DOCS_COLUMNS, "|---|---|---|---|---|"]
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    header, body = lines[start : start + 2], lines[start + 2 : end]
    replaced = {(row["date"], row["measurement"], row["machine"]) for row in rows}
    kept = [line for line in body if _row_key(line) not in replaced]
    lines[start:end] = header + kept + [_markdown_row(row) for row in rows]
    DOCS_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCS_PATH.write_text("\n".join(lines) + "\n")


def _row_key(line: str) -> tuple[str, str, str] | None:
    cells = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
    return (cells[0], cells[1], cells[3]) if len(cells) >= 4 else None
