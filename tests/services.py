"""Real services a fault test starts on a spare port and stops: redis-server, a Celery worker."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own: started, stopped, paused (SIGSTOP) and resumed at will."""

    def __init__(self, workdir: Path):
        if not shutil.which("redis-server"):
            pytest.fail("redis-server is not installed")
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None
        self.paused = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def pause(self) -> None:
        """Freeze the server: connections are accepted by the kernel but nothing is answered."""
        os.kill(self.process.pid, signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)
        self.paused = False

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            self.process = None
            return
        if self.paused:
            self.resume()
        self.process = None
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def worker_env(tmp_path: Path, *, broker_url: str, private_root: Path, **extra: str) -> dict[str, str]:
    """Environment for a worker that shares the test database and file area, sending mail to files."""
    db = connection.settings_dict
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "worker-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": broker_url,
        "VAR_DIR": str(tmp_path / "var"),
        "PRIVATE_STORAGE_ROOT": str(private_root),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OUTBOX_SWEEP_SECONDS": "1",
    }
    env.update(extra)
    return env


def start_worker_with_beat(tmp_path: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--pool=solo",
         "--loglevel=WARNING", "-s", str(tmp_path / "beat-schedule"), "--without-heartbeat",
         "--without-mingle", "--without-gossip"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop_process(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def start_worker(
    tmp_path: Path, env: dict[str, str], *, name: str, queues: str = "default", log_path: Path | None = None
) -> subprocess.Popen:
    """One Celery worker (solo pool, no beat) consuming ``queues``, logging at INFO to ``log_path``."""
    log = (log_path or tmp_path / f"{name}.log").open("a")
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queues,
             "-n", f"{name}@%h", "--loglevel=INFO", "--without-heartbeat", "--without-mingle", "--without-gossip"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    finally:
        log.close()


def wait_for_log(path: Path, text: str, *, process: subprocess.Popen | None = None, timeout: float = 60,
                 count: int = 1) -> None:
    """Wait until ``text`` appears ``count`` times in the log (failing with the log if not)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = path.read_text() if path.exists() else ""
        if content.count(text) >= count:
            return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.2)
    pytest.fail(f"{text!r} did not appear {count} time(s) in {path.name}:\n{path.read_text() if path.exists() else ''}")


def kill(process: subprocess.Popen | None) -> None:
    """SIGKILL: the process gets no chance to acknowledge, requeue or tidy up."""
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
