"""Safe defaults: no debug mode on the network by accident, no weak secret key in production,
and `check --deploy` says when the site would run without PostgreSQL or Redis."""

import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from config.serving import gunicorn_hosts, is_loopback, runserver_host
from tests.test_settings import BIN_DIR, clean_env, run
from tests.test_settings import production_env as _production_env

BASE_DIR = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int, process: subprocess.Popen, timeout: float = 60) -> bool:
    """Whether the server answers HTTP on the port before it exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/app.css", timeout=2)  # noqa: S310
            return True
        except urllib.error.HTTPError:
            return True  # any HTTP answer means it is serving
        except OSError:
            time.sleep(0.3)
    return False


def _serve(args: list[str], env: dict, port: int) -> tuple[bool, subprocess.Popen]:
    process = subprocess.Popen(args, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        serving = _answers(port, process)
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=30)
    return serving, process


def production_env(tmp_path, **values):
    env = _production_env(tmp_path)
    env.update(values)
    return env


# --- Secret key


def test_it_refuses_the_development_secret_key_when_debug_is_off(tmp_path):
    key = "insecure-development-key-only-for-debug-mode-000000000000000000"
    result = run([sys.executable, "manage.py", "check"], production_env(tmp_path, SECRET_KEY=key))
    assert result.returncode != 0
    assert "SECRET_KEY is a development key" in result.stderr


def test_it_refuses_a_secret_key_shorter_than_50_characters_when_debug_is_off(tmp_path):
    result = run([sys.executable, "manage.py", "check"], production_env(tmp_path, SECRET_KEY="x7" * 24 + "a"))
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters when DEBUG is off; got 49" in result.stderr
    result = run([sys.executable, "manage.py", "check"], production_env(tmp_path, SECRET_KEY="x7" * 25))
    assert result.returncode == 0, result.stderr


def test_debug_mode_keeps_its_development_key(tmp_path):
    result = run([sys.executable, "manage.py", "check"], clean_env(tmp_path, DEBUG="1"))
    assert result.returncode == 0, result.stderr


# --- check --deploy


def test_check_deploy_warns_when_database_url_and_redis_url_are_unset(tmp_path):
    result = run([sys.executable, "manage.py", "check", "--deploy"], production_env(tmp_path))
    output = result.stdout + result.stderr
    assert "(standards.W001) DATABASE_URL is not set" in output
    assert "(standards.W002) REDIS_URL is not set" in output

    env = production_env(
        tmp_path, DATABASE_URL="postgres://standards:standards@db:5432/standards", REDIS_URL="redis://redis:6379/0"
    )
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "standards.W00" not in result.stdout + result.stderr


def test_check_warns_when_debug_answers_to_hosts_beyond_this_machine(tmp_path):
    env = clean_env(tmp_path, DEBUG="1", ALLOWED_HOSTS="localhost,standards.example.gov.uk")
    result = run([sys.executable, "manage.py", "check"], env)
    assert "(standards.W003)" in result.stdout + result.stderr
    assert "standards.example.gov.uk" in result.stdout + result.stderr
    env["ALLOW_DEBUG_ON_NETWORK"] = "1"
    result = run([sys.executable, "manage.py", "check"], env)
    assert "standards.W003" not in result.stdout + result.stderr


# --- Where the debug mode may listen


@pytest.mark.parametrize(
    ("args", "host"),
    [
        ([], "127.0.0.1"),
        (["8080"], "127.0.0.1"),
        (["--noreload", "0.0.0.0:8080"], "0.0.0.0"),  # noqa: S104
        (["0:8000"], "0"),
        (["[::]:8000", "-6"], "::"),
        (["-6"], "::1"),
        (["localhost:8000"], "localhost"),
    ],
)
def test_it_reads_the_address_runserver_will_listen_on(args, host):
    assert runserver_host(args) == host


def test_it_tells_loopback_from_network_addresses():
    assert all(is_loopback(host) for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(host) for host in ("0.0.0.0", "0", "", "::", "192.168.1.20", "10.0.0.1"))  # noqa: S104
    assert gunicorn_hosts(["0.0.0.0:8000", "[::1]:8001", "unix:/tmp/g.sock", "localhost"]) == [  # noqa: S104
        "0.0.0.0",  # noqa: S104
        "::1",
        "localhost",
    ]


def test_runserver_in_debug_mode_refuses_to_listen_on_every_interface(tmp_path):
    port = _free_port()
    env = clean_env(tmp_path, DEBUG="1")
    result = run([sys.executable, "manage.py", "runserver", "--noreload", f"0.0.0.0:{port}"], env, timeout=60)
    assert result.returncode == 2
    assert "Refusing to start: DEBUG is on and the server would listen on 0.0.0.0" in result.stderr
    assert "ALLOW_DEBUG_ON_NETWORK=1" in result.stderr


def test_runserver_in_debug_mode_listens_on_the_network_when_explicitly_allowed(tmp_path):
    port = _free_port()
    env = clean_env(tmp_path, DEBUG="1", ALLOW_DEBUG_ON_NETWORK="1")
    serving, process = _serve(
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"0.0.0.0:{port}"], env, port
    )
    assert serving, process.stderr.read()


def test_runserver_in_debug_mode_listens_on_loopback(tmp_path):
    port = _free_port()
    serving, process = _serve(
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        clean_env(tmp_path, DEBUG="1"),
        port,
    )
    assert serving, process.stderr.read()


def test_make_run_passes_host_to_the_guarded_runserver():
    result = subprocess.run(
        ["make", "-n", "run", "HOST=0.0.0.0", "PORT=8123"], cwd=BASE_DIR, capture_output=True, text=True, timeout=60
    )
    assert "manage.py runserver 0.0.0.0:8123" in result.stdout


def test_gunicorn_in_debug_mode_refuses_to_listen_on_every_interface(tmp_path):
    port = _free_port()
    result = run(
        [str(BIN_DIR / "gunicorn"), "config.wsgi:application", "--bind", f"0.0.0.0:{port}"],
        clean_env(tmp_path, DEBUG="1"),
        timeout=60,
    )
    assert result.returncode != 0
    assert "DEBUG is on and the server would listen on 0.0.0.0" in result.stderr


def test_gunicorn_serves_the_network_with_debug_off_or_when_allowed(tmp_path):
    for env in (
        production_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50)),
        clean_env(tmp_path, DEBUG="1", ALLOW_DEBUG_ON_NETWORK="1"),
    ):
        port = _free_port()
        serving, process = _serve(
            [str(BIN_DIR / "gunicorn"), "config.wsgi:application", "--bind", f"0.0.0.0:{port}", "--workers", "1"],
            env,
            port,
        )
        assert serving, process.stderr.read()
