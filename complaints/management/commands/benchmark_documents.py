"""Measure the time and peak memory of rendering one takedown letter and one decision notice.

    DEBUG=0 DJANGO_SETTINGS_MODULE=config.settings_test python manage.py benchmark_documents [--runs 20] [--write-docs]

Runs against a throwaway database filled with the demo data (the case whose complainant was
granted confidentiality, with its takedown request and decision). Each letter is rendered a few
times to warm up (fonts, templates), then measured `--runs` times: wall time and CPU time from
building the letter's context to the PDF bytes, and peak memory as the growth of the process's
peak resident set (VmHWM, reset before each run) and the peak of Python allocations (tracemalloc,
in separate runs so its overhead does not count in the times).
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from complaints.documents.letters import decision_notice, takedown_request_letter
from complaints.management.commands.benchmark_complaints import (
    _sigterm_as_interrupt,
    _throwaway_database,
    docs_write,
    machine_description,
)
from complaints.models import Decision, TakedownRequest
from complaints.services.documents import letter_render

TARGET_SECONDS = 0.5
WARM_UP = 3


@dataclass
class Measured:
    name: str
    pages: int = 0
    size: int = 0
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_growth_mib: list[float] = field(default_factory=list)
    python_peak_mib: float = 0.0


class Command(BaseCommand):
    help = "Time and peak memory of rendering a takedown letter and a decision notice to PDF."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20, help="measured renders of each letter (default 20)")
        parser.add_argument("--write-docs", action="store_true", help="add the figures to docs/benchmarks.md")

    def handle(self, *args, runs: int, write_docs: bool, **options):
        with (
            _sigterm_as_interrupt(),
            tempfile.TemporaryDirectory() as tmp,
            _throwaway_database(Path(tmp), say=self.stdout.write) as database,
        ):
            self.stdout.write("Loading the guidance and the demo data ...")
            call_command("load_guidance", stdout=io.StringIO())
            call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
            request = (
                TakedownRequest.objects.filter(case__complaints__confidentiality_granted=True)
                .distinct()
                .order_by("-requested_at")
                .first()
            )
            decision = Decision.objects.filter(case=request.case).order_by("-decided_on").first()
            results = [
                _measure("Takedown request letter", lambda: takedown_request_letter(request), runs),
                _measure("Decision notice (parties)", lambda: decision_notice(decision, public=False), runs),
            ]
            load = _load_average()
            rows = [_row(result, database.label, runs, load) for result in results]
        for row in rows:
            self.stdout.write(f"{row['measurement']}: {row['figure']}")
        self.stdout.write(f"machine: {rows[0]['machine']}; load average before: {load}")
        if write_docs:
            docs_write(rows)
            self.stdout.write("Figures written to docs/benchmarks.md")


def _measure(name: str, build, runs: int) -> Measured:
    result = Measured(name)
    for _ in range(WARM_UP):
        letter_render(letter=build())
    for _ in range(runs):
        _reset_peak_rss()
        before = _rss_kib("VmRSS")
        wall, cpu = time.perf_counter(), time.process_time()
        rendered = letter_render(letter=build())
        result.wall.append(time.perf_counter() - wall)
        result.cpu.append(time.process_time() - cpu)
        result.rss_growth_mib.append(max(0, _rss_kib("VmHWM") - before) / 1024)
        result.size = len(rendered.pdf)
    from pypdf import PdfReader

    result.pages = len(PdfReader(io.BytesIO(rendered.pdf)).pages)
    tracemalloc.start()
    for _ in range(3):
        tracemalloc.reset_peak()
        letter_render(letter=build())
        result.python_peak_mib = max(result.python_peak_mib, tracemalloc.get_traced_memory()[1] / 1024 / 1024)
    tracemalloc.stop()
    return result


def _reset_peak_rss() -> None:
    """Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM) to the current one."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _rss_kib(field_name: str) -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _row(result: Measured, database: str, runs: int, load: str) -> dict:
    wall, cpu = sorted(result.wall), sorted(result.cpu)
    p90 = wall[min(len(wall) - 1, int(round(0.9 * (len(wall) - 1))))]
    verdict = "meets" if statistics.median(wall) < TARGET_SECONDS else "misses"
    return {
        "date": date.today().isoformat(),
        "measurement": f"{result.name} rendered to PDF (context, HTML, WeasyPrint pdf/ua-1)",
        "figure": (
            f"median {statistics.median(wall):.3f} s (p90 {p90:.3f}, max {wall[-1]:.3f}), "
            f"CPU median {statistics.median(cpu):.3f} s; peak RSS growth {max(result.rss_growth_mib):.1f} MiB, "
            f"Python peak {result.python_peak_mib:.1f} MiB; {runs} runs"
        ),
        "machine": machine_description(),
        "notes": (
            f"target < {TARGET_SECONDS} s ({verdict} it on the median); {result.pages} pages, {result.size:,} bytes; "
            f"demo case with a confidential complainant; {database}; load average {load} when it ran "
            f"(the machine is shared); `manage.py benchmark_documents`"
        ),
    }
