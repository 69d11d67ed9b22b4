"""benchmark_evidence runs end to end with small files and reports each check's figures.

It runs as a subprocess: every file is checked in a fresh process of its own, as the command
does to measure peak memory, and the load part (gunicorn, a throwaway database) is skipped.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_SECONDS = 300


def test_benchmark_evidence_reports_memory_and_time_of_every_check():
    env = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    command = [sys.executable, "manage.py", "benchmark_evidence", "--quick", "--skip-load"]
    completed = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    figure = r": peak \d+ MB, \d+\.\d\d s \(CPU \d+\.\d\d s\)"
    for label in ("JPEG photo", "HEIC photo", "PNG screenshot", "GIF of 20 frames", "PDF of 2,000 objects"):
        assert re.search(rf"Evidence check: {label}.*\(accepted\){figure}", output), (label, output)
    for label in ("16-bit PNG", "PDF with a 48 MiB Flate stream", "PDF of 60,000 objects", "GIF of 1,000 frames"):
        assert re.search(rf"Evidence check: {label}.*\(refused\){figure}", output), (label, output)
    assert "Start page" not in output  # --skip-load
