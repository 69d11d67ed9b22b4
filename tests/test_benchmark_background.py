"""The background benchmark runs end to end at a small size and reports the sweep and the dispatch.

A subprocess: it creates and drops its own PostgreSQL database (test_..._background_<pid>), which
must not meet pytest-django's test database.
"""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_SECONDS = 300


@pytest.mark.postgres
def test_the_background_benchmark_times_a_sweep_and_a_dispatch():
    env = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    command = [
        sys.executable,
        "manage.py",
        "benchmark_background",
        "--clocks",
        "300",
        "--messages",
        "20",
        "--new-share",
        "0.05",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)  # the command drops its database on TERM
        output, _ = process.communicate(timeout=60)
        raise AssertionError(f"benchmark_background took over {TIMEOUT_SECONDS} s:\n{output}") from None
    assert process.returncode == 0, output
    assert re.search(
        r"sweep \d+\.\d+ s, \d+ MB over 300 open clocks \(15 reminders, 15 escalations; target < 5 s, < 150 MB\); "
        r"sweep with nothing new \d+\.\d+ s, \d+ MB; dispatch \d+\.\d+ s for 50 messages, \d+ MB",
        output,
    ), output
    assert "Dropped database" in output, output
