"""Measure what checking evidence files costs a web worker, and the start page while uploads run.

    DEBUG=0 DJANGO_SETTINGS_MODULE=config.settings_test python manage.py benchmark_evidence

1. Each file, accepted or refused, is checked by the evidence service in a fresh process set up
   as a web worker is (Django loaded, the same settings), which reports its peak memory
   (VmHWM, and the HEIC decoder's child process's ru_maxrss), wall time and CPU time. The files
   are the heaviest the limits accept (a 50 megapixel JPEG and HEIC, the largest PNG, animation
   and PDF) and the bombs they refuse (a 40 megapixel 16-bit PNG, a 1 GiB Flate stream in a 1 MB
   PDF, a PDF of 180,000 objects, an animation of too many frames).
2. The start page's latency under gunicorn while eight clients upload heavy files at once
   (50 megapixel JPEGs and 16-bit PNG bombs), against the same figure with no uploads, and the
   gunicorn workers' peak memory (VmHWM) at the end.

`--quick` makes every file small (for the test of this command). The throwaway database, gunicorn
and temporary files are removed on the way out, as benchmark_complaints does.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from complaints.management import evidence_samples as samples
from complaints.management.commands.benchmark_complaints import (
    _complaint_subjects,
    _free_loopback_port,
    _gunicorn,
    _percentile,
    _production_env,
    _run_checked,
    _sigterm_as_interrupt,
    _tail,
    _throwaway_database,
    docs_write,
    machine_description,
)

MEMORY_TARGET_MB = 250
TIME_TARGET_SECONDS = 2.0
QUICK_LIMITS = {"EVIDENCE_DECODE_MAX_BYTES": "2500000", "EVIDENCE_PDF_MAX_DECODED_BYTES": "30000000"}


@dataclass
class Sample:
    label: str
    name: str
    content: bytes
    expected: str  # "accepted" or "refused"


def build_samples(quick: bool, say) -> list[Sample]:
    """The heaviest files the limits accept, and the bombs they refuse."""
    if quick:
        photo, heic, png, frames, gif_side = (800, 600), (320, 240), (800, 600), 20, 64
        bomb_png, flate, objects, pdf_ok = (1000, 800), 50_000_000, 60_000, (2_000, 20_000_000)
    else:
        photo, heic, png, frames, gif_side = (8160, 6120), (8160, 6120), (5000, 5000), 150, 816
        bomb_png, flate, objects, pdf_ok = (7300, 5480), 1024**3, 180_000, (45_000, 90_000_000)
    made = [
        (f"JPEG photo {photo[0]}x{photo[1]}", "photo.jpg", lambda: samples.jpeg_photo(*photo), "accepted"),
        (
            f"HEIC photo {heic[0]}x{heic[1]} (512-pixel tiles)",
            "photo.heic",
            lambda: samples.heic_photo(*heic),
            "accepted",
        ),
        (
            f"PNG screenshot {png[0]}x{png[1]} (largest accepted)",
            "big.png",
            lambda: samples.png_screenshot(*png),
            "accepted",
        ),
        (
            f"GIF of {frames} frames {gif_side}x{gif_side}",
            "moving.gif",
            lambda: samples.animated("GIF", frames=frames, size=(gif_side, gif_side)),
            "accepted",
        ),
        (
            f"PDF of {pdf_ok[0]:,} objects, streams decoding to {pdf_ok[1] / 1e6:g} MB",
            "heavy.pdf",
            lambda: samples.pdf_at_the_limits(*pdf_ok),
            "accepted",
        ),
        (f"16-bit PNG {bomb_png[0]}x{bomb_png[1]}", "sixteen.png", lambda: samples.png_16_bit(*bomb_png), "refused"),
        (
            f"PDF with a {flate / 1024**2:.0f} MiB Flate stream",
            "flate.pdf",
            lambda: samples.pdf_flate_bomb(flate),
            "refused",
        ),
        (f"PDF of {objects:,} objects", "objects.pdf", lambda: samples.pdf_many_objects(objects), "refused"),
        ("GIF of 1,000 frames", "frames.gif", lambda: samples.animated("GIF", frames=1000, size=(16, 16)), "refused"),
    ]
    built = []
    for label, name, make, expected in made:
        started = time.perf_counter()
        content = make()
        say(f"  made {label}: {len(content):,} bytes in {time.perf_counter() - started:.1f} s")
        built.append(Sample(label, name, content, expected))
    return built


class Command(BaseCommand):
    help = "Peak memory and time of checking the heaviest evidence files, and the start page under upload load."

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="small files (checks that the command runs)")
        parser.add_argument("--skip-load", action="store_true", help="only measure the file checks")
        parser.add_argument("--only-load", action="store_true", help="only measure the start page under load")
        parser.add_argument("--uploads", type=int, default=8, help="concurrent uploading clients (default 8)")
        parser.add_argument("--seconds", type=float, default=20.0, help="length of the load test (default 20)")
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
        parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (default 8)")
        parser.add_argument("--write-docs", action="store_true", help="add the figures to docs/benchmarks.md")
        parser.add_argument("--check-file", help=argparse.SUPPRESS)  # used by the command itself

    def handle(self, *args, **options):
        if options["check_file"]:
            self.stdout.write(json.dumps(check_one(Path(options["check_file"]))))
            return
        if not (1 <= options["uploads"] <= 32 and 2 <= options["seconds"] <= 300 and 1 <= options["workers"] <= 32):
            raise CommandError("--uploads must be 1-32, --seconds 2-300 and --workers 1-32.")
        try:
            with _sigterm_as_interrupt(), ExitStack() as cleanup:
                tmp = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="standards-desk-evidence-")))
                self.say(f"Temporary directory {tmp}")
                self.say("Making the files ...")
                files = build_samples(options["quick"], self.say)
                # Small files meet the limits only if the limits shrink with them.
                limits = QUICK_LIMITS if options["quick"] else {}
                checks = [] if options["only_load"] else [measure_check(s, tmp, limits, self.say) for s in files]
                load = None
                if not options["skip_load"]:
                    database = cleanup.enter_context(_throwaway_database(tmp, say=self.say))
                    heavy = [f for f in files if f.name in ("photo.jpg", "sixteen.png")]
                    load = measure_start_page_under_uploads(tmp, database, heavy, options, self.say)
        except KeyboardInterrupt:
            raise CommandError(
                "Interrupted; the benchmark database, gunicorn and temporary files were removed."
            ) from None
        rows = figure_rows(checks, load, quick=options["quick"])
        self.stdout.write("")
        for row in rows:
            self.stdout.write(f"{row['measurement']}: {row['figure']}")
        self.stdout.write(f"machine: {machine_description()}")
        if options["write_docs"]:
            docs_write(rows)
            self.say("Figures written to docs/benchmarks.md")

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()


# --- 1. one file, one fresh process ----------------------------------------------------------


def check_one(path: Path) -> dict:
    """Run in a fresh process: check one file with the evidence service, as the upload view does."""
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from complaints.services.evidence_files import EvidenceRejected, evidence_file_store

    baseline_mb = _peak_mb()
    with open(path, "rb") as handle:
        upload = TemporaryUploadedFile(path.name, "application/octet-stream", path.stat().st_size, None)
        upload.file.write(handle.read())
        upload.file.flush()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        stored = evidence_file_store(upload=upload)
        outcome, detail = "accepted", f"{stored.width}x{stored.height}" if stored.width else stored.content_type
    except EvidenceRejected as refusal:
        outcome, detail = "refused", refusal.code
    finally:
        upload.close()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "outcome": outcome,
        "detail": detail,
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu + children.ru_utime + children.ru_stime,
        "baseline_mb": baseline_mb,
        "peak_mb": _peak_mb(),
        "child_peak_mb": children.ru_maxrss / 1024,
    }


def _peak_mb() -> float:
    """This process's peak resident memory since it started its program (VmHWM).

    Not ru_maxrss: Linux carries that over from the process this one was forked from, here the
    command holding every sample file in memory.
    """
    match = re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())
    return int(match.group(1)) / 1024 if match else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class CheckResult:
    sample: Sample
    figures: dict


def measure_check(sample: Sample, tmp: Path, limits: dict, say) -> CheckResult:
    path = tmp / "files" / sample.name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(sample.content)
    env = {**os.environ, "PRIVATE_STORAGE_ROOT": str(tmp / "checked"), "LOG_LEVEL": "ERROR", **limits}
    command = [sys.executable, "manage.py", "benchmark_evidence", "--check-file", str(path)]
    completed = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if completed.returncode:
        raise CommandError(f"Checking {sample.label} failed:\n{completed.stdout}\n{completed.stderr}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    if figures["outcome"] != sample.expected:
        raise CommandError(
            f"{sample.label} was {figures['outcome']} ({figures['detail']}), expected {sample.expected}."
        )
    say(
        f"  {sample.label}: {figures['outcome']} ({figures['detail']}) in {figures['wall']:.2f} s "
        f"(CPU {figures['cpu']:.2f} s), peak {figures['peak_mb']:.0f} MB"
        + (f", decoder process {figures['child_peak_mb']:.0f} MB" if figures["child_peak_mb"] else "")
    )
    return CheckResult(sample, figures)


# --- 2. the start page while heavy uploads run -------------------------------------------------


@dataclass
class LoadResult:
    quiet: list[float]
    loaded: list[float]
    uploads: int
    upload_statuses: dict
    upload_seconds: list[float]
    worker_peaks_mb: list[float]
    workers: int
    threads: int
    clients: int
    seconds: float
    errors: int


class _Browser:
    """Just enough of a browser for the journey: cookies, CSRF token, form and multipart posts."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            headers.update({"Content-Type": content_type, "X-CSRFToken": self.cookies.get("csrftoken", "")})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, content
        finally:
            connection.close()

    def post(self, path: str, data: dict) -> int:
        return self.request("POST", path, urlencode(data, doseq=True).encode(), "application/x-www-form-urlencoded")[0]

    def upload(self, name: str, content: bytes) -> int:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\nadd\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request("POST", "/complain/evidence/", body, f"multipart/form-data; boundary={boundary}")[0]


def _to_evidence_page(browser: _Browser, authority, councillor) -> None:
    posted = date.today() - timedelta(days=7)
    browser.request("GET", "/complain/about-you/")
    steps = [
        ("/complain/about-you/", {"name": "Sam Resident", "email": "sam@example.com", "complainant_type": "public"}),
        ("/complain/council/", {"authority": str(authority.public_id)}),
        ("/complain/councillors/", {"councillors": [str(councillor.public_id)], "unlisted": ""}),
        (
            "/complain/posts/add/",
            {
                "platform": "facebook",
                "account_name": "Cllr Jo Bloggs",
                "posted_on_0": str(posted.day),
                "posted_on_1": str(posted.month),
                "posted_on_2": str(posted.year),
                "text_reported": "Residents of Elm Road are scroungers.",
                "capacity_indicators": ["account_name"],
            },
        ),
        ("/complain/posts/", {"add_another": "no"}),
        ("/complain/code/", {"clauses": ["1"]}),
    ]
    for path, data in steps:
        status = browser.post(path, data)
        if status != 302:
            raise CommandError(f"POST {path} answered {status} while setting up an uploading client.")


def _start_page_latencies(port: int, seconds: float) -> tuple[list[float], int]:
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        try:
            connection.request("GET", "/")
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
        finally:
            connection.close()
        time.sleep(0.05)
    return sorted(latencies), errors


def _wait_until_start_page_answers(server: subprocess.Popen, port: int, tmp: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn exited with {server.returncode}:\n{_tail(tmp)}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/")
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
            continue
        finally:
            connection.close()
        if response.status == 200:
            return
        raise CommandError(f"The start page answered {response.status}:\n{_tail(tmp)}")
    raise CommandError(f"gunicorn did not answer within 60 s:\n{_tail(tmp)}")


def _worker_peaks_mb(master_pid: int) -> list[float]:
    peaks = []
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    for pid in children.read_text().split() if children.exists() else []:
        match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return peaks


def measure_start_page_under_uploads(tmp: Path, database, heavy: list[Sample], options: dict, say) -> LoadResult:
    authority, councillor = _complaint_subjects()
    env = _production_env(tmp, database)
    env.update(
        # The load is the point here: the per-client limits would otherwise stop it within minutes.
        EVIDENCE_UPLOAD_RATE_LIMIT_SESSION="1000000/h",
        EVIDENCE_UPLOAD_RATE_LIMIT_IP="1000000/h",
        EVIDENCE_MAX_FILES="100000",
        WEB_THREADS=str(options["threads"]),  # read by gunicorn.conf.py, as in the container
    )
    say("Collecting static files for the manifest ...")
    _run_checked([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env, timeout=300)
    port, workers, clients, seconds = _free_loopback_port(), options["workers"], options["uploads"], options["seconds"]
    with _gunicorn(env, port, workers, tmp) as server:
        say(f"gunicorn pid {server.pid}, {workers} workers on 127.0.0.1:{port}; waiting for it to answer ...")
        _wait_until_start_page_answers(server, port, tmp)
        say(f"Start page with no uploads for {seconds / 2:g} s ...")
        quiet, quiet_errors = _start_page_latencies(port, seconds / 2)
        browsers = [_Browser(port) for _ in range(clients)]
        for browser in browsers:
            _to_evidence_page(browser, authority, councillor)
        stop = threading.Event()
        statuses: dict[int, int] = {}
        upload_seconds: list[float] = []
        lock = threading.Lock()

        def upload_until_stopped(browser: _Browser, number: int) -> None:
            turn = number
            while not stop.is_set():
                sample = heavy[turn % len(heavy)]
                started = time.perf_counter()
                try:
                    status = browser.upload(sample.name, sample.content)
                except (OSError, http.client.HTTPException):
                    status = 0
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    upload_seconds.append(time.perf_counter() - started)
                turn += 1

        threads = [
            threading.Thread(target=upload_until_stopped, args=(browser, number), daemon=True)
            for number, browser in enumerate(browsers)
        ]
        say(f"Start page while {clients} clients upload {' and '.join(s.label for s in heavy)} for {seconds:g} s ...")
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # let every client have a file in flight
        loaded, loaded_errors = _start_page_latencies(port, seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=180)
        peaks = _worker_peaks_mb(server.pid)
    result = LoadResult(
        quiet=quiet,
        loaded=loaded,
        uploads=sum(statuses.values()),
        upload_statuses=statuses,
        upload_seconds=sorted(upload_seconds),
        worker_peaks_mb=peaks,
        workers=workers,
        threads=options["threads"],
        clients=clients,
        seconds=seconds,
        errors=quiet_errors + loaded_errors,
    )
    say(
        f"  start page: quiet median {_ms(statistics.median(quiet))}, loaded median {_ms(statistics.median(loaded))}, "
        f"p95 {_ms(_percentile(loaded, 95))}; {result.uploads} uploads {statuses}; worker peaks "
        + ", ".join(f"{peak:.0f}" for peak in peaks)
        + " MB"
    )
    return result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


# --- reporting -------------------------------------------------------------------------------


def figure_rows(checks: list[CheckResult], load: LoadResult | None, *, quick: bool) -> list[dict]:
    machine = machine_description()
    today = date.today().isoformat()
    size_note = "small files (--quick); " if quick else ""
    rows = []
    for check in checks:
        figures = check.figures
        child = f"; HEIC decoder process peak {figures['child_peak_mb']:.0f} MB" if figures["child_peak_mb"] else ""
        rows.append(
            {
                "date": today,
                "measurement": f"Evidence check: {check.sample.label} ({figures['outcome']})",
                "figure": (f"peak {figures['peak_mb']:.0f} MB, {figures['wall']:.2f} s (CPU {figures['cpu']:.2f} s)"),
                "machine": machine,
                "notes": (
                    f"{size_note}{len(check.sample.content):,} bytes; {figures['detail']}; one fresh process set up as "
                    f"a web worker (baseline {figures['baseline_mb']:.0f} MB){child}; targets < {MEMORY_TARGET_MB} MB, "
                    f"< {TIME_TARGET_SECONDS:g} s"
                ),
            }
        )
    if load is not None:
        upload_median = statistics.median(load.upload_seconds) if load.upload_seconds else float("nan")
        rows.append(
            {
                "date": today,
                "measurement": (
                    f"Start page GET / while {load.clients} heavy uploads run at once "
                    f"(gunicorn, {load.workers} workers x {load.threads} threads)"
                ),
                "figure": (
                    f"median {_ms(statistics.median(load.loaded))}, p95 {_ms(_percentile(load.loaded, 95))} "
                    f"(no uploads: median {_ms(statistics.median(load.quiet))}, "
                    f"p95 {_ms(_percentile(load.quiet, 95))}); {load.errors} errors"
                ),
                "machine": machine,
                "notes": (
                    f"{size_note}{load.workers} gthread workers of {load.threads} threads (gunicorn.conf.py); "
                    f"{load.clients} clients each uploading, one after "
                    f"another, a 50 MP JPEG or a 40 MP 16-bit PNG for {load.seconds:g} s: {load.uploads} uploads, "
                    f"answers {dict(sorted(load.upload_statuses.items()))}, median upload {upload_median:.2f} s; "
                    f"{len(load.loaded)} start page requests; workers' peak memory (VmHWM) "
                    + ", ".join(f"{peak:.0f}" for peak in load.worker_peaks_mb)
                    + " MB; DEBUG=0, config.settings"
                ),
            }
        )
    return rows
