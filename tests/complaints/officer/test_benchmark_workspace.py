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

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark measures PostgreSQL full-text search")
def test_benchmark_workspace_reports_dashboard_search_and_case_page_figures():
    env = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    command = [sys.executable, "manage.py", "benchmark_workspace", "--cases", "300", "--complaints", "400"]
    command += ["--events", "1000"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        r"dashboard p95 [\d.]+ ms \(\d+ queries\); search p95 [\d.]+ ms \(\d+ queries\); "
        r"case page p95 (?:[\d.]+ ms \(\d+ queries\)|n/a \(no such page yet\))",
        last,
    ), last
    assert "Dropped database" in result.stderr
