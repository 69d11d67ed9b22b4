"""Background work on a real Celery worker and Redis: each test starts its own redis-server and
workers on spare ports and stops only those.

- two deadline sweeps running at once send each reminder exactly once;
- a worker killed (SIGKILL) between sending an e-mail and marking it sent: the task is
  redelivered to another worker, and the e-mail is not sent twice.
(A complaint sent while Redis is stopped is saved and acknowledged once Redis is back:
tests/complaints/test_submission_faults.py.)
"""

import re
import time
from datetime import date, timedelta

import pytest
import redis
from celery import Celery
from django.contrib.auth.models import Group, User
from django.utils import timezone

from complaints import roles
from complaints.models import (
    Case,
    Deadline,
    DeadlineKind,
    Event,
    EventKind,
    OfficerProfile,
    OutboxMessage,
    OutboxStatus,
)
from complaints.services.working_days import add_working_days
from tests.factories import make_district
from tests.services import RedisServer, kill, start_worker, stop_process, wait_for_log, worker_env

CLOCKS = 40


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker_client(redis_server):
    client = Celery("test-client", broker=redis_server.url, set_as_current=False)
    yield client
    client.close()


def _mail_files(tmp_path):
    folder = tmp_path / "var" / "mail"
    return sorted(folder.glob("*.log")) if folder.exists() else []


def _sent(tmp_path) -> list[str]:
    """The Message-ID of every e-mail the file backend wrote (one file can hold several)."""
    return [
        line.split(":", 1)[1].strip()
        for path in _mail_files(tmp_path)
        for line in path.read_text().splitlines()
        if line.startswith("Message-ID:")
    ]


def _clocks_due_soon(count: int) -> list[Deadline]:
    council = make_district()
    officer = User.objects.create_user("officer", email="officer@example.gov.uk")
    officer.groups.add(Group.objects.get(name=roles.CASE_OFFICER))
    OfficerProfile.objects.create(user=officer, authority=council)
    today = timezone.localdate()
    due = add_working_days(today, 1, nation=council.nation).due_on
    clocks = []
    for number in range(1, count + 1):
        case = Case.objects.create(
            reference=f"MO-2026-{number:05d}", authority=council, opened_at=timezone.now(), assigned_officer=officer
        )
        clocks.append(
            Deadline.objects.create(
                case=case, kind=DeadlineKind.ASSESSMENT, starts_on=today, working_days=1, due_on=due, computation="-"
            )
        )
    return clocks


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_running_at_once_on_two_workers_send_each_reminder_exactly_once(
    tmp_path, redis_server, broker_client, settings
):
    clocks = _clocks_due_soon(CLOCKS)
    env = worker_env(tmp_path, broker_url=redis_server.url, private_root=settings.PRIVATE_STORAGE_ROOT)
    logs = [tmp_path / "one.log", tmp_path / "two.log"]
    workers = []
    try:
        for name, log in zip(("one", "two"), logs, strict=True):
            workers.append(start_worker(tmp_path, env, name=name, log_path=log))
        for worker, log in zip(workers, logs, strict=True):
            wait_for_log(log, "ready.", process=worker)
        # Prefetch is one task per worker: each worker takes one sweep, and they run together.
        broker_client.send_task("complaints.tasks.deadline_sweep", queue="default")
        broker_client.send_task("complaints.tasks.deadline_sweep", queue="default")
        for worker, log in zip(workers, logs, strict=True):
            wait_for_log(log, "complaints.tasks.deadline_sweep", process=worker)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            sent = OutboxMessage.objects.filter(template="deadline_reminder", status=OutboxStatus.SENT).count()
            swept = sum(log.read_text().count("Task complaints.tasks.deadline_sweep[") for log in logs)
            if sent >= CLOCKS and swept >= 4:  # each sweep logs "received" and "succeeded"
                break
            time.sleep(0.5)
        time.sleep(2)  # a duplicate, if there were one, would be sent by now
    finally:
        for worker in workers:
            stop_process(worker)

    text = "".join(log.read_text() for log in logs)
    assert text.count("complaints.tasks.deadline_sweep") >= 2 and "succeeded" in text, text
    assert all("complaints.tasks.deadline_sweep" in log.read_text() for log in logs), "each worker ran a sweep"
    # What each sweep says it queued: between them, each clock once (on this machine they overlap
    # and share the clocks, e.g. 22 and 18).
    queued = [int(n) for n in re.findall(r"deadline_sweep\[[^]]+\] succeeded in [^:]+: \{'reminders': (\d+)", text)]
    assert len(queued) == 2 and sum(queued) == CLOCKS, queued
    assert Event.objects.filter(kind=EventKind.REMINDER_SENT).count() == CLOCKS
    reminders = OutboxMessage.objects.filter(template="deadline_reminder")
    assert reminders.count() == CLOCKS
    assert sorted(reminders.values_list("case_id", flat=True)) == sorted(c.case_id for c in clocks)
    assert not Deadline.objects.filter(reminder_claimed_at__isnull=True).exists()
    sent = _sent(tmp_path)
    assert len(sent) == CLOCKS and len(set(sent)) == CLOCKS  # every reminder e-mailed, none twice


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_sending_has_its_task_redelivered_and_the_email_is_not_sent_twice(
    tmp_path, redis_server, broker_client, settings
):
    message = OutboxMessage.objects.create(
        to="sam@example.com",
        subject="We have received your complaint MO-2026-00001",
        template="acknowledgement",
        context={"name": "Sam", "reference": "MO-2026-00001", "assessment_days": 20},
    )
    env = worker_env(
        tmp_path,
        broker_url=redis_server.url,
        private_root=settings.PRIVATE_STORAGE_ROOT,
        # The message is written, then the worker stalls before it can mark it sent.
        EMAIL_BACKEND="tests.mail_backends.StallingFileBackend",
        STALL_AFTER_SEND_SECONDS="120",
        REDIS_VISIBILITY_TIMEOUT="3",
        EMAIL_TIMEOUT="1",
        OUTBOX_RECLAIM_SECONDS="4",
    )
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = second = None
    try:
        first = start_worker(tmp_path, env, name="first", log_path=first_log)
        wait_for_log(first_log, "ready.", process=first)
        broker_client.send_task("complaints.tasks.outbox_send", args=[message.pk], queue="default")
        deadline = time.monotonic() + 60
        while not _mail_files(tmp_path):
            assert time.monotonic() < deadline, first_log.read_text()
            time.sleep(0.1)
        kill(first)  # after sending, before marking sent

        message.refresh_from_db()
        assert message.status == OutboxStatus.SENDING and message.attempts == 1
        server = redis.Redis.from_url(redis_server.url)
        assert server.hlen("unacked") == 1  # the task was never acknowledged
        time.sleep(3.5)  # past the visibility timeout: Redis hands it out again

        second = start_worker(tmp_path, {**env, "STALL_AFTER_SEND_SECONDS": "0"}, name="second", log_path=second_log)
        wait_for_log(second_log, "succeeded", process=second)
        assert "complaints.tasks.outbox_send" in second_log.read_text()
        assert "'skipped'" in second_log.read_text()  # redelivered, found claimed, not sent again
        assert server.hlen("unacked") == 0
        server.close()

        # Past the reclaim window the dispatcher settles it: the file backend cannot say whether
        # the message went, so it is failed for an officer, never sent a second time.
        message.refresh_from_db()
        wait_until = message.claimed_at + timedelta(seconds=4.5)
        time.sleep(max(0.0, (wait_until - timezone.now()).total_seconds()))
        broker_client.send_task("complaints.tasks.outbox_dispatch_pending", queue="default")
        wait_for_log(second_log, "succeeded", process=second, count=2)
    finally:
        kill(first)
        stop_process(second)

    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "not known" in message.last_error
    assert message.attempts == 1
    assert _sent(tmp_path) == [f"<{message.public_id}@example.gov.uk>"]


def test_the_clock_helpers_use_the_real_calendar():
    # 20 Nov 2026 is a Friday: one working day later is Monday 23 Nov.
    assert add_working_days(date(2026, 11, 20), 1, nation="ENG").due_on == date(2026, 11, 23)
