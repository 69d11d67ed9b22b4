"""A case's history is append-only in the database, not only in the ORM, and tamper-evident."""

import io
import json
import os
import secrets
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from complaints.models import Case, Event, EventKind, ImmutableEventError
from complaints.services.events import event_record
from tests.factories import make_district
from tests.history_guard import event_guard_lifted

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def case(db):
    return Case.objects.create(reference="MO-2026-00001", authority=make_district(), opened_at=timezone.now())


def record(case, description="Something happened", **details):
    return event_record(case=case, kind=EventKind.NOTE, description=description, details=details)


def run_verify(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_history", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


# --- the database refuses changes however they are made


@pytest.mark.django_db
def test_it_refuses_a_raw_sql_update_of_an_event(case):
    event = record(case, "Complaint received")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_event SET description = %s WHERE id = %s", ["Rewritten", event.pk])
    event.refresh_from_db()
    assert event.description == "Complaint received"


@pytest.mark.django_db
def test_it_refuses_a_raw_sql_delete_of_an_event(case):
    event = record(case)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM complaints_event WHERE id = %s", [event.pk])
    assert Event.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_it_refuses_an_update_through_the_base_manager(case):
    event = record(case, "Complaint received")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Event._base_manager.filter(pk=event.pk).update(description="Rewritten")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Event._base_manager.filter(pk=event.pk)._raw_delete(connection.alias)
    event.refresh_from_db()
    assert event.description == "Complaint received"


@pytest.mark.django_db
def test_it_refuses_saving_an_event_built_with_an_existing_primary_key(case):
    event = record(case, "Complaint received")
    forged = Event(
        pk=event.pk,
        case=case,
        kind=EventKind.NOTE,
        actor_label="System",
        description="Rewritten",
        sequence=event.sequence,
        previous_hash=event.previous_hash,
    )
    forged.entry_hash = forged.compute_hash()
    with pytest.raises(ImmutableEventError):
        forged.save()
    # Round the model's own guard, straight to Django's save: the trigger still refuses.
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        forged.save_base()
    event.refresh_from_db()
    assert event.description == "Complaint received"


@pytest.mark.django_db
def test_it_refuses_events_written_round_the_service(case):
    with pytest.raises(ImmutableEventError):
        Event.objects.create(case=case, kind=EventKind.NOTE, actor_label="System", description="Unchained")
    with pytest.raises(ImmutableEventError):
        Event.objects.bulk_create([Event(case=case, kind=EventKind.NOTE, actor_label="x", description="y")])
    assert not Event.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_it_refuses_truncating_the_event_table_on_postgresql(case):
    record(case)
    with connection.cursor() as cursor:
        # The test's own transaction holds deferred foreign-key checks, which TRUNCATE would refuse first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE complaints_event CASCADE")
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_flush_command_refuses_to_wipe_history(case):
    record(case)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # The test suite lifts the guard for its own flushes between tests; any other flush is refused.
    from django.db.backends.base.operations import BaseDatabaseOperations

    patched = BaseDatabaseOperations.execute_sql_flush
    BaseDatabaseOperations.execute_sql_flush = patched.original
    try:
        with pytest.raises(CommandError, match="couldn't be flushed") as refused:
            call_command("flush", interactive=False, verbosity=0)
    finally:
        BaseDatabaseOperations.execute_sql_flush = patched
    assert isinstance(refused.value.__cause__, IntegrityError)
    assert "append-only" in str(refused.value.__cause__)
    assert Event.objects.count() == 1


# --- the hash chain


@pytest.mark.django_db
def test_events_are_numbered_and_each_links_to_the_one_before_in_its_own_case(case):
    other = Case.objects.create(reference="MO-2026-00002", authority=case.authority, opened_at=timezone.now())
    first, second = record(case, "one"), record(case, "two")
    elsewhere = record(other, "first of another case")
    third = record(case, "three", when=timezone.now().date(), id=uuid.uuid4())
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.previous_hash == ""
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert (elsewhere.sequence, elsewhere.previous_hash) == (1, "")
    for event in Event.objects.all():
        assert len(event.entry_hash) == 64
        assert event.entry_hash == event.compute_hash(), "the stored row hashes to what was recorded"


@pytest.mark.django_db
def test_verify_history_passes_an_intact_history(case):
    for n in range(3):
        record(case, f"event {n}")
    code, out, err = run_verify()
    assert code == 0, err
    assert "History intact: 3 event(s) checked." in out


@pytest.mark.django_db
def test_verify_history_names_the_case_and_event_changed_with_the_trigger_dropped(case):
    events = [record(case, f"event {n}") for n in range(3)]
    with event_guard_lifted(connection), connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_event SET description = %s WHERE id = %s", ["Rewritten", events[1].pk])
    code, out, err = run_verify()
    assert code == 1
    assert f"case {case.reference}, event {events[1].pk} (number 2 in the case)" in err
    assert "content was changed" in err
    assert f"event {events[2].pk}" not in err, "the next event still links to the stored hash"


@pytest.mark.django_db
def test_verify_history_finds_an_event_removed_with_the_trigger_dropped(case):
    events = [record(case, f"event {n}") for n in range(3)]
    with event_guard_lifted(connection), connection.cursor() as cursor:
        cursor.execute("DELETE FROM complaints_event WHERE id = %s", [events[1].pk])
    code, _, err = run_verify()
    assert code == 1
    assert f"event {events[2].pk} (number 3 in the case): event number 2 to 2 missing before it" in err
    assert f"event {events[2].pk} (number 3 in the case): does not link" in err


@pytest.mark.django_db
def test_verify_history_finds_an_edit_whose_hash_was_recomputed(case):
    events = [record(case, f"event {n}") for n in range(3)]
    forged = events[1]
    forged.description = "Rewritten"
    with event_guard_lifted(connection), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE complaints_event SET description = %s, entry_hash = %s WHERE id = %s",
            ["Rewritten", forged.compute_hash(), forged.pk],
        )
    code, _, err = run_verify("--case", case.reference)
    assert code == 1
    assert f"event {events[2].pk} (number 3 in the case): does not link to the event before it" in err


@pytest.mark.django_db
def test_verify_history_reports_a_missing_trigger(case):
    record(case)
    with transaction.atomic():
        from complaints.models.event_guard import install_event_guard, remove_event_guard

        remove_event_guard(connection)
        code, _, err = run_verify()
        install_event_guard(connection)
    assert code == 1
    assert "append-only trigger" in err and "missing or disabled" in err
    assert run_verify()[0] == 0


# --- concurrency on PostgreSQL


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_appends_to_one_case_keep_a_single_unbroken_chain():
    case = Case.objects.create(reference="MO-2026-00009", authority=make_district(), opened_at=timezone.now())
    writers, per_writer = 6, 5
    barrier = threading.Barrier(writers)
    errors = []

    def write(n):
        try:
            barrier.wait(timeout=10)
            for i in range(per_writer):
                record(case, f"writer {n} event {i}")
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    sequences = list(Event.objects.filter(case=case).order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, writers * per_writer + 1))
    code, out, err = run_verify()
    assert code == 0, err


# --- the migration and the triggers on a fresh database of each kind, in a separate process


def _run_scenario(database_url: str, tmp_path) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-c", "from tests.complaints.history_scenario import main; main()"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _assert_scenario(result: dict):
    assert result["verify_after_migration"]["code"] == 0, result["verify_after_migration"]
    assert "4 event(s) checked" in result["verify_after_migration"]["stdout"]
    rows = result["rows"]
    assert [row[1] for row in rows] == [1, 2, 3, 1], "each case's existing events numbered in order"
    assert rows[0][2] == "" and rows[1][2] == rows[0][3] and rows[2][2] == rows[1][3] and rows[3][2] == ""
    for attempt in ("update", "delete", "delete_all"):
        assert result[attempt].startswith("refused: IntegrityError"), (attempt, result[attempt])
        assert "append-only" in result[attempt]
    assert result["verify_untouched"]["code"] == 0
    tampered = result["verify_after_tampering"]
    assert tampered["code"] == 1
    assert f"case MO-2026-00001, event {result['tampered_event']} (number 2 in the case)" in tampered["stderr"]
    assert result["verify_without_trigger"]["code"] == 1
    assert "append-only trigger" in result["verify_without_trigger"]["stderr"]


def test_on_sqlite_the_migration_links_old_history_and_the_triggers_refuse_update_and_delete(tmp_path):
    result = _run_scenario(f"sqlite:///{tmp_path / 'history.sqlite3'}", tmp_path)
    assert result["vendor"] == "sqlite"
    _assert_scenario(result)


@pytest.mark.postgres
def test_on_postgresql_the_migration_links_old_history_and_the_triggers_refuse_update_and_delete(tmp_path):
    base = urlparse(os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/standards_desk"))
    name = f"history_{os.environ.get('TEST_DB_SUFFIX', 'main')}_{os.getpid()}"
    admin = psycopg.connect(urlunparse(base._replace(path="/postgres")), autocommit=True)
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        result = _run_scenario(urlunparse(base._replace(path=f"/{name}")), tmp_path)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    assert result["vendor"] == "postgresql"
    _assert_scenario(result)
