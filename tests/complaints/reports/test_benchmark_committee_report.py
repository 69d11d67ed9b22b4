"""The committee report benchmark runs end to end at a tiny size and prints its figures.

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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark needs PostgreSQL")
def test_benchmark_committee_report_times_a_years_report_and_its_memory():
    env = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    command = [sys.executable, "manage.py", "benchmark_committee_report", "--size", "40:60"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    last = result.stdout.strip().splitlines()[-1]
    assert re.match(
        r"committee report, 40 cases / 60 complaints: PDF [\d.]+ s and \d+ MB peak, [\d.]+ s CPU \((within|OUTSIDE) ",
        last,
    ), last
    assert "Dropped database" in result.stderr


def test_a_bad_size_is_refused():
    env = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    command = [sys.executable, "manage.py", "benchmark_committee_report", "--size", "lots"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode != 0
    assert "--size must be CASES:COMPLAINTS" in result.stderr
