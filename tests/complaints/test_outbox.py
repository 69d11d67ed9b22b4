"""The outbox: acknowledgements are written with the complaint and sent exactly once by a worker."""

import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from complaints.models import Complaint, Deadline, DeadlineKind, EventKind, OutboxMessage, OutboxStatus
from complaints.services import outbox
from complaints.services.outbox import outbox_message_send, outbox_send_pending
from config.celery import app as celery_app
from tests.complaints.journey import Journey
from tests.factories import make_code, make_councillor, make_district

BASE_DIR = Path(__file__).resolve().parents[2]


def _message(**fields):
    fields.setdefault("to", "sam@example.com")
    fields.setdefault("subject", "We have received your complaint MO-2026-00001")
    fields.setdefault("template", "acknowledgement")
    fields.setdefault("context", {"name": "Sam", "reference": "MO-2026-00001", "assessment_days": 20})
    return OutboxMessage.objects.create(**fields)


def _case():
    from complaints.models import Case

    return Case.objects.create(reference="MO-2026-00001", authority=make_district(), opened_at=timezone.now())


@pytest.mark.django_db
def test_a_message_is_sent_once_even_when_claimed_twice():
    message = _message()
    assert outbox_message_send(message_id=message.pk) == "sent"
    assert outbox_message_send(message_id=message.pk) == "skipped"
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


@pytest.mark.django_db
def test_a_failed_send_goes_back_to_pending_with_the_error_and_a_doubling_wait(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    settings.OUTBOX_BACKOFF_SECONDS = 60
    message = _message()

    before = timezone.now()
    assert outbox_message_send(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert "smtp down" in message.last_error
    assert before + timedelta(seconds=59) < message.next_attempt_at < timezone.now() + timedelta(seconds=61)

    # Not due yet: neither the task nor the dispatcher tries it before its time.
    assert outbox_message_send(message_id=message.pk) == "skipped"
    assert outbox_send_pending() == 0
    message.refresh_from_db()
    assert message.attempts == 1

    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    started = timezone.now()
    assert outbox_message_send(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert message.attempts == 2
    assert started + timedelta(seconds=119) < message.next_attempt_at < timezone.now() + timedelta(seconds=121)


def test_the_wait_between_tries_doubles_up_to_its_ceiling(settings):
    settings.OUTBOX_BACKOFF_SECONDS = 30
    settings.OUTBOX_BACKOFF_MAX_SECONDS = 200
    assert [outbox.backoff(n).total_seconds() for n in range(1, 6)] == [30, 60, 120, 200, 200]


@pytest.mark.django_db
def test_after_the_last_attempt_the_message_is_failed_and_recorded_on_the_case(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    case = _case()
    message = _message(case=case)
    results = []
    for _ in range(3):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
        results.append(outbox_message_send(message_id=message.pk))
    assert results == ["retry", "retry", "failed"]
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 3
    assert "Gave up after 3 attempts" in message.last_error
    failed = case.events.get(kind=EventKind.MESSAGE_FAILED)
    assert failed.details["message"] == str(message.public_id)
    # Given up means given up: the dispatcher leaves it for an officer.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_send_pending() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_dispatch_sends_what_is_due_and_leaves_a_send_in_progress_alone():
    pending = _message()
    in_progress = _message(status=OutboxStatus.SENDING, claimed_at=timezone.now())
    assert outbox_send_pending() == 1
    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert statuses[pending.pk] == OutboxStatus.SENT
    assert statuses[in_progress.pk] == OutboxStatus.SENDING
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_message_left_sending_by_a_dead_worker_is_not_sent_again_when_the_backend_cannot_tell(settings):
    settings.OUTBOX_RECLAIM_SECONDS = 120
    case = _case()
    abandoned = _message(
        status=OutboxStatus.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(seconds=121), case=case
    )
    recent = _message(status=OutboxStatus.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(seconds=100))

    outbox_send_pending()

    assert mail.outbox == []
    abandoned.refresh_from_db()
    recent.refresh_from_db()
    assert abandoned.status == OutboxStatus.FAILED
    assert "not known" in abandoned.last_error
    assert case.events.filter(kind=EventKind.MESSAGE_FAILED).count() == 1
    assert recent.status == OutboxStatus.SENDING  # inside the window: its worker may still be sending


def test_the_reclaim_window_must_be_longer_than_the_mail_timeout(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "VAR_DIR": str(tmp_path),
        "EMAIL_TIMEOUT": "60",
        "OUTBOX_RECLAIM_SECONDS": "60",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "OUTBOX_RECLAIM_SECONDS (60) must be longer than EMAIL_TIMEOUT (60)" in result.stderr


@pytest.mark.django_db
def test_the_acknowledgement_clock_is_met_when_the_email_is_sent_not_when_it_is_queued(
    client, django_capture_on_commit_callbacks, settings
):
    council = make_district()
    make_code(council)
    councillor = make_councillor(council)
    journey = Journey(client)
    journey.complete_up_to_check(council, [councillor])
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert journey.send().status_code == 302
    clock = Deadline.objects.get(kind=DeadlineKind.ACKNOWLEDGE)
    assert clock.met_at is None  # queued and tried, not sent

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
    assert outbox_send_pending() == 1
    clock.refresh_from_db()
    message.refresh_from_db()
    assert clock.met_at == message.sent_at
    assert clock.case.events.filter(kind=EventKind.CLOCK_MET).count() == 1


@pytest.mark.django_db
def test_each_email_carries_its_outbox_reference_as_message_id():
    message = _message()
    outbox_message_send(message_id=message.pk)
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<{message.public_id}@example.gov.uk>"
    assert mail.outbox[0].extra_headers["X-Outbox-Reference"] == str(message.public_id)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port: int, workdir: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("redis-server did not start")


def _stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture
def celery_on_broker():
    """Point this process's Celery app at a given broker (not eager), restoring it afterwards."""
    keys = ("task_always_eager", "broker_url", "result_backend")
    saved = {key: celery_app.conf[key] for key in keys}

    def configure(url: str):
        celery_app.conf.update(task_always_eager=False, broker_url=url, result_backend=url)
        # Drop the cached connection and producer pools so the new broker URL is used;
        # Celery does the same in a freshly forked process.
        celery_app._after_fork()

    yield configure
    celery_app.conf.update(**saved)
    celery_app._after_fork()


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_the_complaint_is_saved_and_acknowledged_when_the_worker_is_back(
    client, tmp_path, celery_on_broker, settings
):
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not installed")
    council = make_district()
    make_code(council)
    councillor = make_councillor(council)
    port = _free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    redis_process = _start_redis(port, tmp_path)
    worker = None
    try:
        celery_on_broker(broker)
        _stop(redis_process)  # the broker goes away before the complaint is sent

        journey = Journey(client)
        journey.complete_up_to_check(council, [councillor])
        started = time.monotonic()
        response = journey.send()
        assert response.status_code == 302, response.content[:500]
        assert time.monotonic() - started < 10  # the complainant is not kept waiting on the broker
        complaint = Complaint.objects.get()
        message = OutboxMessage.objects.get(complaint=complaint)
        assert message.status == OutboxStatus.PENDING

        redis_process = _start_redis(port, tmp_path)
        db = connection.settings_dict
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": "worker-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": broker,
            "VAR_DIR": str(tmp_path / "var"),
            "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OUTBOX_SWEEP_SECONDS": "1",
        }
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--beat",
                "--pool=solo",
                "--loglevel=WARNING",
                "-s",
                str(tmp_path / "beat-schedule"),
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.status == OutboxStatus.SENT:
                break
            assert worker.poll() is None, "the worker exited"
            time.sleep(0.5)
        assert message.status == OutboxStatus.SENT
        sent = list((tmp_path / "var" / "mail").glob("*.log"))
        assert len(sent) == 1
        assert complaint.reference in sent[0].read_text()
    finally:
        _stop(worker)
        _stop(redis_process)


@pytest.mark.django_db
def test_a_dispatch_stops_after_three_failures_in_a_row_leaving_the_rest_untried(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    messages = [_message() for _ in range(5)]
    assert outbox_send_pending() == 0
    attempts = [OutboxMessage.objects.get(pk=m.pk).attempts for m in messages]
    assert attempts == [1, 1, 1, 0, 0]
