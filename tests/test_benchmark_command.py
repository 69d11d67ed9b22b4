"""The benchmark command runs end to end (tiny images, no load test) and reports its figure.

It runs as a subprocess because it creates and drops its own database (test_..._bench_<pid> on
PostgreSQL, an SQLite file otherwise), which must not meet pytest-django's test database.
"""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_SECONDS = 240


def test_benchmark_command_reports_the_submission_time():
    env = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    command = [
        sys.executable,
        "manage.py",
        "benchmark_complaints",
        "--runs",
        "1",
        "--skip-load",
        "--image-megabytes",
        "0.2",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)  # the command cleans up its database and files on TERM
        try:
            output, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        raise AssertionError(f"benchmark_complaints took over {TIMEOUT_SECONDS} s:\n{output}") from None

    assert process.returncode == 0, output
    assert re.search(
        r"Final submission \(POST /complain/check/, 5 x 0\.\d+ MiB PNG\): "
        r"min \d+\.\d+ s, median \d+\.\d+ s, max \d+\.\d+ s over 1 runs",
        output,
    ), output
    assert "Dropped database" in output, output
