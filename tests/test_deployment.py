"""The full-stack deployment: docker-compose.yml (parsed, as there is no Docker engine here),
the Dockerfile, the CI script and the README that tells people how to run all of it."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "worker-documents", "beat")
# Compose interpolation: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}.
_INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (BASE_DIR / "Dockerfile").read_text()


def _command(service: dict) -> str:
    command = service.get("command", "")
    return command if isinstance(command, str) else " ".join(command)


def _healthcheck_test(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


def _interpolate(value: str, given: dict[str, str]) -> str:
    """What compose would substitute, with `given` standing in for the caller's environment."""

    def replace(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if name in given:
            return given[name]
        if op and op.endswith("-"):
            return arg
        raise AssertionError(f"{name} has no default and must be given: {arg}")

    return _INTERPOLATION.sub(replace, str(value))


def _dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", text)
    instructions = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


# --- docker-compose.yml


def test_compose_defines_proxy_database_redis_web_worker_and_beat(compose):
    assert {"proxy", "db", "redis", "web", "worker", "beat"} <= set(compose["services"])
    assert compose["services"]["proxy"]["image"].startswith("caddy:2")
    assert compose["services"]["db"]["image"].startswith("postgres:15")
    assert compose["services"]["redis"]["image"].startswith("redis:7")


def test_every_long_running_service_has_a_healthcheck(compose):
    # beat is excepted: it has no remote-control channel to ping, so a healthcheck could only
    # ask whether the process exists, which Docker already knows (restart policy).
    for name, service in compose["services"].items():
        if name == "beat":
            continue
        assert "healthcheck" in service, f"{name} has no healthcheck"
        assert service["healthcheck"]["test"], f"{name} has an empty healthcheck"


def test_healthchecks_probe_each_service_properly(compose):
    services = compose["services"]
    assert "pg_isready" in _healthcheck_test(services["db"])
    assert "redis-cli ping" in _healthcheck_test(services["redis"])
    web_check = _healthcheck_test(services["web"])
    assert "urllib" in web_check and "http://127.0.0.1:8000/" in web_check
    assert "X-Forwarded-Proto': 'https'" in web_check, "asks as the proxy does, so the https redirect does not answer"
    worker_check = _healthcheck_test(services["worker"])
    assert "inspect ping" in worker_check and "$$HOSTNAME" in worker_check
    assert "http://127.0.0.1:8081/healthz" in _healthcheck_test(services["proxy"])


def test_web_worker_and_beat_share_the_same_database_redis_and_secret(compose):
    environments = [compose["services"][name]["environment"] for name in APP_SERVICES]
    for key in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PRIVATE_STORAGE_ROOT", "DEBUG"):
        assert len({env[key] for env in environments}) == 1, f"{key} differs between web, worker and beat"
    env = environments[0]
    assert env["DATABASE_URL"] == "postgres://standards:standards@db:5432/standards"
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert env["DEBUG"] == "0"


def test_secret_key_must_be_supplied_rather_than_defaulted(compose):
    for name in APP_SERVICES:
        assert compose["services"][name]["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_database_credentials_match_the_postgres_service(compose):
    db_env = compose["services"]["db"]["environment"]
    url = compose["services"]["web"]["environment"]["DATABASE_URL"]
    expected = f"postgres://{db_env['POSTGRES_USER']}:{db_env['POSTGRES_PASSWORD']}@db:5432/{db_env['POSTGRES_DB']}"
    assert url == expected


def test_web_starts_only_once_database_and_redis_are_healthy(compose):
    depends_on = compose["services"]["web"]["depends_on"]
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_worker_and_beat_wait_for_healthy_services(compose):
    for name in ("worker", "worker-documents", "beat"):
        depends_on = compose["services"][name]["depends_on"]
        for dependency in ("db", "redis"):
            assert depends_on[dependency]["condition"] == "service_healthy", f"{name} -> {dependency}"


def test_web_migrates_and_loads_guidance_before_starting_gunicorn(compose):
    command = _command(compose["services"]["web"])
    migrate = command.index("manage.py migrate --noinput")
    guidance = command.index("manage.py load_guidance")
    gunicorn = command.index("gunicorn config.wsgi")
    assert migrate < guidance < gunicorn
    # && so a failed migration stops the container instead of serving an old schema.
    assert "&&" in command[migrate:gunicorn]
    assert "--bind 0.0.0.0:8000" in command


def test_only_the_proxy_is_published_and_gunicorn_is_reached_through_it(compose):
    services = compose["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert services["proxy"]["ports"] == ["443:443", "80:80"]
    assert services["web"]["expose"] == ["8000"]
    assert services["proxy"]["environment"]["UPSTREAM"] == "web:8000"
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]
    assert (BASE_DIR / "Caddyfile").is_file()


def test_tls_secure_cookies_hsts_and_https_redirect_are_on_by_default(compose):
    env = {
        key: _interpolate(value, {})
        for key, value in compose["services"]["web"]["environment"].items()
        if key != "SECRET_KEY"
    }
    assert env["BEHIND_TLS_PROXY"] == "1"
    assert env["SECURE_SSL_REDIRECT"] == "1"
    assert env["SESSION_COOKIE_SECURE"] == "1"
    assert env["CSRF_COOKIE_SECURE"] == "1"
    assert int(env["SECURE_HSTS_SECONDS"]) >= 31_536_000
    assert env["SITE_URL"].startswith("https://")
    assert "127.0.0.1" in env["ALLOWED_HOSTS"].split(","), "the web healthcheck asks 127.0.0.1"
    proxy = {key: _interpolate(value, {}) for key, value in compose["services"]["proxy"]["environment"].items()}
    assert proxy["CADDY_TLS"] == "internal", "a local certificate by default"


def test_proxy_and_app_share_one_request_body_cap(compose):
    app_cap = compose["services"]["web"]["environment"]["MAX_REQUEST_BODY_BYTES"]
    proxy_cap = compose["services"]["proxy"]["environment"]["MAX_REQUEST_BODY_BYTES"]
    assert app_cap == proxy_cap == "${MAX_REQUEST_BODY_BYTES:-11534336}"
    for name in APP_SERVICES:
        assert compose["services"][name]["environment"]["MAX_REQUEST_BODY_BYTES"] == app_cap
    caddyfile = (BASE_DIR / "Caddyfile").read_text()
    assert "max_size {$MAX_REQUEST_BODY_BYTES:11534336}" in caddyfile


def test_worker_and_beat_run_celery_for_the_config_app(compose):
    assert _command(compose["services"]["worker"]).startswith("celery -A config worker")
    assert _command(compose["services"]["beat"]).startswith("celery -A config beat")


def test_web_worker_and_beat_run_the_same_image(compose):
    images = {compose["services"][name]["image"] for name in APP_SERVICES}
    assert len(images) == 1
    for name in APP_SERVICES:
        assert compose["services"][name]["build"]["context"] == "."


def test_private_files_are_a_named_volume_shared_by_web_worker_and_beat(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["environment"]["PRIVATE_STORAGE_ROOT"] == "/data/private"
        mounts = dict(volume.split(":", 1) for volume in service["volumes"])
        assert mounts.get("private-files") == "/data/private", f"{name} lacks the private files volume"


def test_every_named_volume_used_is_declared(compose):
    declared = set(compose["volumes"])
    assert {"postgres-data", "redis-data", "private-files", "caddy-data", "caddy-config"} <= declared
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/", "~")):
                assert source in declared, f"{name} uses undeclared volume {source}"


def test_databases_keep_their_data_in_volumes(compose):
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert "redis-data:/data" in compose["services"]["redis"]["volumes"]


def test_compose_environment_is_accepted_by_the_settings(compose, tmp_path):
    """Every value compose hands the app must pass the settings' own validation."""
    service_env = compose["services"]["web"]["environment"]
    given = {"SECRET_KEY": secrets.token_urlsafe(50)}
    env = {key: _interpolate(value, given) for key, value in service_env.items()}
    env.update(
        PATH=os.environ.get("PATH", "/usr/bin:/bin"),
        HOME=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings",
        VAR_DIR=str(tmp_path / "var"),
        PRIVATE_STORAGE_ROOT=str(tmp_path / "private"),
    )
    # The deployment checklist too: compose's defaults raise no warning.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- Dockerfile and .dockerignore


def test_dockerfile_builds_assets_with_node_then_runs_on_python_slim(dockerfile):
    stages = [rest for keyword, rest in _dockerfile_instructions(dockerfile) if keyword == "FROM"]
    assert len(stages) >= 2
    assert stages[0].startswith("node:20")
    assert stages[-1].startswith("python:3.11-slim")
    assert "npm ci" in dockerfile and "npm run build" in dockerfile
    assert re.search(r"COPY --from=\w+ \S*build/static", dockerfile)


def test_dockerfile_installs_weasyprint_libraries_and_requirements(dockerfile):
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b"):
        assert package in dockerfile
    assert "pip install -r requirements.txt" in dockerfile


def test_dockerfile_collects_static_files_at_build_time(dockerfile):
    runs = [rest for keyword, rest in _dockerfile_instructions(dockerfile) if keyword == "RUN"]
    assert any("collectstatic --noinput" in run and "SECRET_KEY=" in run for run in runs)


def test_dockerfile_does_not_run_as_root(dockerfile):
    users = [rest for keyword, rest in _dockerfile_instructions(dockerfile) if keyword == "USER"]
    assert users, "no USER directive"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_exposes_8000_and_serves_with_gunicorn(dockerfile):
    instructions = _dockerfile_instructions(dockerfile)
    assert ("EXPOSE", "8000") in instructions
    cmd = [rest for keyword, rest in instructions if keyword == "CMD"][-1]
    assert "gunicorn" in cmd and "config.wsgi" in cmd and "0.0.0.0:8000" in cmd
    assert "--timeout" in cmd


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = (BASE_DIR / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", "node_modules", "var", "build"):
        assert entry in ignored, f"{entry} is not in .dockerignore"


# --- CI and README


def test_ci_script_is_strict_executable_bash_that_runs_make_test():
    script = BASE_DIR / ".ci" / "run"
    text = script.read_text()
    assert os.access(script, os.X_OK)
    assert text.startswith("#!/usr/bin/env bash") or text.startswith("#!/bin/bash")
    assert "set -euo pipefail" in text
    assert "REQUIRE_SERVICES=1" in text
    assert "make test" in text
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_readme_starts_with_make_run_and_make_test():
    readme = (BASE_DIR / "README.md").read_text()
    first_run = readme.index("make run")
    first_test = readme.index("make test")
    assert first_run < first_test < readme.index("docker compose up")


def test_readme_states_the_plain_http_opt_out():
    readme = (BASE_DIR / "README.md").read_text()
    section = readme[readme.index("### Plain http") :]
    for name in (
        "SITE_ADDRESS=http://",
        "SECURE_SSL_REDIRECT=0",
        "SESSION_COOKIE_SECURE=0",
        "CSRF_COOKIE_SECURE=0",
        "SECURE_HSTS_SECONDS=0",
    ):
        assert name in section, name


def test_readme_documents_every_environment_variable_the_settings_read():
    names = set()
    for path in (BASE_DIR / "config" / "settings.py",):
        names |= set(re.findall(r"\benv_\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", path.read_text()))
    assert "DATABASE_URL" in names  # the pattern still finds the settings' reads
    readme = (BASE_DIR / "README.md").read_text()
    undocumented = sorted(name for name in names if f"`{name}`" not in readme)
    assert not undocumented, f"README.md does not document: {', '.join(undocumented)}"


def _option(command: list[str], flag: str) -> str:
    return command[command.index(flag) + 1]


def test_quick_and_long_work_have_workers_of_their_own_that_restart_after_bounded_tasks(compose):
    quick = compose["services"]["worker"]["command"]
    documents = compose["services"]["worker-documents"]["command"]
    assert _option(quick, "-Q") == "default"
    assert _option(documents, "-Q") == "documents"
    for command in (quick, documents):
        assert int(_option(command, "--max-tasks-per-child")) <= 200
    # Each healthcheck pings its own worker by the node name it is started with.
    assert "default@" in _healthcheck_test(compose["services"]["worker"])
    assert "documents@" in _healthcheck_test(compose["services"]["worker-documents"])


def test_pdf_and_import_tasks_are_routed_to_the_documents_queue_and_the_rest_to_default():
    from config.celery import app

    app.loader.import_default_modules()
    route = app.amqp.router.route
    for task in (
        "complaints.tasks.document_acknowledgement_letter",
        "complaints.tasks.document_decision_notice",
        "guidance.tasks.guidance_import",
    ):
        assert task in app.tasks
        assert route({}, task)["queue"].name == "documents", task
    for task in ("complaints.tasks.outbox_send", "complaints.tasks.deadline_sweep", "complaints.tasks.retention_apply"):
        assert route({}, task)["queue"].name == "default", task
    assert app.conf.worker_max_tasks_per_child


def test_the_readme_shows_both_queues():
    readme = (BASE_DIR / "README.md").read_text()
    assert "-Q default" in readme and "-Q documents" in readme
