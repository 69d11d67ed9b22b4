"""The outbox: acknowledgements are written with the complaint and sent exactly once by a worker."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection

from complaints.models import Complaint, OutboxMessage, OutboxStatus
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
def test_a_failed_send_is_left_pending_with_the_error_then_given_up_after_five_attempts(monkeypatch):
    message = _message()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(outbox, "send_mail", refuse)  # only the delivery leaves the machine
    with pytest.raises(ConnectionRefusedError):
        outbox_message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert "smtp down" in message.last_error
    for _ in range(4):
        with pytest.raises(ConnectionRefusedError):
            outbox_message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 5


@pytest.mark.django_db
def test_the_sweep_sends_pending_messages_and_reclaims_ones_left_by_a_dead_worker():
    from datetime import timedelta

    from django.utils import timezone

    pending = _message()
    abandoned = _message(status=OutboxStatus.SENDING, claimed_at=timezone.now() - timedelta(hours=1))
    in_progress = _message(status=OutboxStatus.SENDING, claimed_at=timezone.now())
    assert outbox_send_pending() == 2
    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert statuses[pending.pk] == OutboxStatus.SENT
    assert statuses[abandoned.pk] == OutboxStatus.SENT
    assert statuses[in_progress.pk] == OutboxStatus.SENDING


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port: int, workdir: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
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
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--pool=solo",
             "--loglevel=WARNING", "-s", str(tmp_path / "beat-schedule"), "--without-heartbeat",
             "--without-mingle", "--without-gossip"],
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
