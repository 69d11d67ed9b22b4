"""`manage.py working_days`: the ISO due date on line 1 and the sentence on line 2; a bad date, a
negative count or an unknown nation (or council) is a one-line error with exit status 2."""

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from complaints.models import ClosureDay
from tests.factories import make_district

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    return subprocess.run(
        [sys.executable, "manage.py", "working_days", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_prints_the_iso_due_date_then_the_sentence():
    result = run("--start", "2026-12-23", "--days", "5", "--nation", "ENG")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0] == "2027-01-04"
    assert lines[1].startswith(
        "5 working days from Wed 23 Dec 2026, excluding weekends and England and Wales bank holidays:"
        " due Mon 4 Jan 2027."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--start", "2026-02-30", "--days", "5", "--nation", "ENG"), "--start must be a real date"),
        (("--start", "23/12/2026", "--days", "5", "--nation", "ENG"), "--start must be a real date"),
        (("--start", "2026-12-23", "--days", "-1", "--nation", "ENG"), "--days must be 0 or more"),
        (("--start", "2026-12-23", "--days", "five", "--nation", "ENG"), "--days must be a whole number"),
        (("--start", "2026-12-23", "--days", "5", "--nation", "FRA"), "--nation must be one of ENG, WLS, SCT, NIR"),
    ],
)
def test_bad_input_is_a_one_line_error_with_exit_status_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]


@pytest.mark.django_db
def test_a_council_adds_its_closure_days():
    council = make_district()
    ClosureDay.objects.create(authority=council, day=date(2026, 12, 24))
    out = io.StringIO()
    call_command("working_days", "--start", "2026-12-23", "--days", "5", "--council", "northmoor", stdout=out)
    due, sentence = out.getvalue().splitlines()
    assert due == "2027-01-05"
    assert "the council's closure days: due Tue 5 Jan 2027." in sentence


@pytest.mark.django_db
def test_an_unknown_council_exits_with_status_2():
    with pytest.raises(CommandError) as raised:
        call_command("working_days", "--start", "2026-12-23", "--days", "5", "--council", "atlantis")
    assert raised.value.returncode == 2
