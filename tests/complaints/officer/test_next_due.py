"""A case's next due date is kept by the database from its running clocks, however they change.

The dashboard sorts and counts by `Case.next_due_on`; these tests change deadlines through the ORM,
through a bulk update and through raw SQL, on whichever database the suite runs (PostgreSQL in CI,
SQLite in the embedded mode's own test below), and read the date back from the database.
"""

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from complaints.models import Authority, Case, Deadline
from tests.factories import make_district

pytestmark = pytest.mark.django_db


def _case(reference="MO-2026-00001"):
    authority = Authority.objects.first() or make_district()
    return Case.objects.create(reference=reference, authority=authority, opened_at=timezone.now())


def _clock(case, due_on, kind="acknowledge"):
    return Deadline.objects.create(
        case=case, kind=kind, starts_on=date(2026, 11, 2), working_days=5, due_on=due_on, computation="test"
    )


def _next_due(case):
    return Case.objects.values_list("next_due_on", flat=True).get(pk=case.pk)


def test_a_case_without_clocks_has_no_next_due_date():
    assert _next_due(_case()) is None


def test_starting_clocks_sets_the_earliest_due_date():
    case = _case()
    _clock(case, date(2026, 12, 1))
    assert _next_due(case) == date(2026, 12, 1)
    _clock(case, date(2026, 11, 25), kind="assessment")
    assert _next_due(case) == date(2026, 11, 25)


def test_meeting_the_earliest_clock_moves_the_date_to_the_next_running_one():
    case = _case()
    first = _clock(case, date(2026, 11, 25))
    _clock(case, date(2026, 12, 9), kind="assessment")
    first.met_at = timezone.now()
    first.save()
    assert _next_due(case) == date(2026, 12, 9)


def test_meeting_every_clock_clears_the_date():
    case = _case()
    _clock(case, date(2026, 11, 25))
    Deadline.objects.filter(case=case).update(met_at=timezone.now())
    assert _next_due(case) is None


def test_moving_a_due_date_by_raw_sql_and_deleting_a_clock_are_followed_too():
    case = _case()
    clock = _clock(case, date(2026, 11, 25))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_deadline SET due_on = %s WHERE id = %s", [date(2026, 12, 4), clock.pk])
    assert _next_due(case) == date(2026, 12, 4)
    Deadline.objects.filter(pk=clock.pk).delete()
    assert _next_due(case) is None


def test_saving_a_case_read_before_its_clock_started_keeps_the_date_the_database_set():
    case = _case()
    stale = Case.objects.get(pk=case.pk)
    _clock(case, date(2026, 11, 25))
    stale.title = "Renamed"
    stale.save()
    assert _next_due(case) == date(2026, 11, 25)
    assert Case.objects.get(pk=case.pk).title == "Renamed"


def test_clocks_of_one_case_never_change_another_cases_date():
    case, other = _case(), _case("MO-2026-00002")
    _clock(case, date(2026, 11, 25))
    _clock(other, date(2026, 12, 25))
    Deadline.objects.filter(case=case).update(met_at=timezone.now())
    assert _next_due(case) is None
    assert _next_due(other) == date(2026, 12, 25)


def test_the_embedded_sqlite_database_keeps_the_date_with_its_own_triggers(tmp_path):
    """The same triggers on SQLite (the embedded mode), applied by the migrations to a new file."""
    import os
    import subprocess
    import sys

    script = (
        "import django, datetime; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from django.utils import timezone\n"
        "from complaints.models import Authority, Case, Deadline\n"
        "a = Authority.objects.create(name='A', slug='a', kind='district', nation='ENG')\n"
        "c = Case.objects.create(reference='MO-1', authority=a, opened_at=timezone.now())\n"
        "d = Deadline.objects.create(case=c, kind='acknowledge', starts_on=datetime.date(2026, 11, 2),"
        " working_days=5, due_on=datetime.date(2026, 11, 9), computation='t')\n"
        "print(Case.objects.get(pk=c.pk).next_due_on)\n"
        "Deadline.objects.filter(pk=d.pk).update(met_at=timezone.now())\n"
        "print(Case.objects.get(pk=c.pk).next_due_on)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'embedded.sqlite3'}",
        "REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["2026-11-09", "None"]
