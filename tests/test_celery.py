"""The Celery app: eager in the embedded default, Redis-backed otherwise, and a real worker round trip."""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent

PRINT_CELERY_CONF = """
import json
from config.celery import app
c = app.conf
print(json.dumps({
    "always_eager": c.task_always_eager,
    "acks_late": c.task_acks_late,
    "reject_on_worker_lost": c.task_reject_on_worker_lost,
    "prefetch_multiplier": c.worker_prefetch_multiplier,
    "broker_url": c.broker_url,
    "result_backend": c.result_backend,
    "beat_tasks": sorted(entry["task"] for entry in c.beat_schedule.values()),
}))
"""


def clean_env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "1",
    }
    env.update(values)
    return env


def celery_conf(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PRINT_CELERY_CONF],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_redis_tasks_run_eagerly_in_process(tmp_path):
    conf = celery_conf(clean_env(tmp_path))
    assert conf["always_eager"] is True
    assert conf["broker_url"] == "memory://"


def test_with_redis_tasks_go_to_the_broker_and_results_to_redis(tmp_path):
    redis_url = "redis://127.0.0.1:6379/3"
    conf = celery_conf(clean_env(tmp_path, REDIS_URL=redis_url))
    assert conf["always_eager"] is False
    assert conf["broker_url"] == redis_url
    assert conf["result_backend"] == redis_url


def test_tasks_are_acknowledged_late_and_fetched_one_at_a_time(tmp_path):
    """A task lost with its worker is redelivered, and a busy worker does not hoard messages."""
    conf = celery_conf(clean_env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/3"))
    assert conf["acks_late"] is True
    assert conf["reject_on_worker_lost"] is True
    assert conf["prefetch_multiplier"] == 1


def test_beat_schedule_names_only_registered_tasks(tmp_path):
    from config.celery import app

    app.loader.import_default_modules()
    conf = celery_conf(clean_env(tmp_path))
    assert conf["beat_tasks"]
    for task in conf["beat_tasks"]:
        assert task in app.tasks, f"beat schedules {task}, which no module registers"


def test_ping_runs_eagerly_in_the_test_process():
    from complaints.tasks import ping

    assert ping.delay().get(timeout=5) == "pong"


def _database_url_for_worker(tmp_path: Path) -> str:
    """The worker must see the same database as the test, i.e. the test database pytest created."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    name = str(db["NAME"])
    if connection.creation.is_in_memory_db(name):
        # Another process cannot open an in-memory database; ping needs none, so any file will do.
        return f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    return f"sqlite:///{name}"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_consumes_a_task_from_redis_and_returns_the_result(tmp_path):
    queue = f"test-{uuid.uuid4().hex}"
    env = clean_env(
        tmp_path,
        REDIS_URL=settings.TEST_REDIS_URL,
        DATABASE_URL=_database_url_for_worker(tmp_path),
        PRIVATE_STORAGE_ROOT=str(tmp_path / "private"),
    )
    log_path = tmp_path / "worker.log"
    # A client of its own: the test process's app is eager (settings_test leaves REDIS_URL unset).
    # Not set as current, or shared tasks in later tests would bind to it instead of config's app.
    client = Celery(
        "test-client", broker=settings.TEST_REDIS_URL, backend=settings.TEST_REDIS_URL, set_as_current=False
    )
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [
                str(BIN_DIR / "celery"),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            result = client.send_task("complaints.tasks.ping", queue=queue)
            deadline = time.monotonic() + 60
            while not result.ready():
                if worker.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the worker returned no result; its log:\n{log_path.read_text()}")
                time.sleep(0.2)
            assert result.get(timeout=5) == "pong"
            result.forget()
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=10)
            _forget_queue(queue)
            client.close()


def _forget_queue(queue: str) -> None:
    """Leave nothing of this test's queue in the shared test Redis database, even after a failure."""
    server = redis.Redis.from_url(settings.TEST_REDIS_URL)
    try:
        for key in server.scan_iter(match=f"*{queue}*"):
            server.delete(key)
    finally:
        server.close()
