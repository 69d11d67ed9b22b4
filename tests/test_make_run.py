"""`make run` serves on the port asked for and tells the app its own address."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("variables", "site_url", "listen"),
    [
        ([], "http://127.0.0.1:8000", "127.0.0.1:8000"),
        (["PORT=8080"], "http://127.0.0.1:8080", "127.0.0.1:8080"),
        (["HOST=0.0.0.0", "PORT=9000"], "http://127.0.0.1:9000", "0.0.0.0:9000"),
        (
            ["PORT=8080", "SITE_URL=https://standards.example.gov.uk"],
            "https://standards.example.gov.uk",
            "127.0.0.1:8080",
        ),
    ],
)
def test_make_run_sets_site_url_to_the_address_served(variables, site_url, listen):
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert f"SITE_URL={site_url} .venv/bin/python manage.py runserver {listen}" in dry_run.stdout, dry_run.stdout
