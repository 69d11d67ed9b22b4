"""The workspace benchmark runs end to end at a small size and ends with its summary line.

A subprocess, because the command creates and drops its own PostgreSQL database.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from complaints.management.commands.benchmark_workspace import CASE_PAGES, Result, summary_line

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark measures PostgreSQL full-text search")
def test_benchmark_workspace_reports_dashboard_search_and_case_page_figures():
    env = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    command = [sys.executable, "manage.py", "benchmark_workspace", "--cases", "300", "--complaints", "400"]
    command += ["--events", "1000"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    last = lines[-1]
    assert re.fullmatch(
        r"dashboard p95 [\d.]+ ms \(\d+ queries\); search p95 [\d.]+ ms \(\d+ queries\); "
        r"case page p95 [\d.]+ ms \(\d+ queries\)",
        last,
    ), last
    case_pages = {}
    for name, _ in CASE_PAGES:
        line = next(line for line in lines if line.startswith(f"{name} "))
        assert re.search(r"CPU median +[\d.]+ ms", line), line
        case_pages[name] = float(re.search(r"p95 +([\d.]+) ms", line).group(1))
    assert float(re.search(r"case page p95 ([\d.]+) ms", last).group(1)) == max(case_pages.values())
    assert "Dropped database" in result.stderr


def _result(name, p95, queries):
    return Result(name, "/", [p95] * 50, queries, 200, [1.0] * 50)


def test_the_summary_line_gives_the_slowest_of_the_cases_pages_as_the_case_page():
    results = [_result("dashboard", 30, 11), _result("search", 40, 11)]
    results += [_result(name, 20 + index, 10 + index) for index, (name, _) in enumerate(CASE_PAGES)]
    results[3] = _result(CASE_PAGES[1][0], 45, 13)
    assert summary_line(results) == (
        "dashboard p95 30.0 ms (11 queries); search p95 40.0 ms (11 queries); case page p95 45.0 ms (13 queries)"
    )
