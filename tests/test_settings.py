"""Settings come from the environment and fail loudly on bad values.

Each case runs Django in a fresh subprocess with an explicit environment, because the settings
are read once at import and the test process itself runs on config.settings_test.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "ENGINE": s.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(s.DATABASES["default"]["NAME"]),
    "DB_HOST": s.DATABASES["default"].get("HOST", ""),
    "DB_OPTIONS": s.DATABASES["default"].get("OPTIONS", {}),
    "CONN_MAX_AGE": s.DATABASES["default"]["CONN_MAX_AGE"],
    "CONN_HEALTH_CHECKS": s.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "CACHE": s.CACHES["default"]["BACKEND"],
    "EAGER": s.CELERY_TASK_ALWAYS_EAGER,
    "BROKER": s.CELERY_BROKER_URL,
    "PRIVATE_STORAGE_ROOT": str(s.PRIVATE_STORAGE_ROOT),
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "STATICFILES": s.STORAGES["staticfiles"]["BACKEND"],
    "EMAIL_BACKEND": s.EMAIL_BACKEND,
}))
"""


def clean_env(tmp_path: Path | None = None, **values: str) -> dict[str, str]:
    """Only what is given: nothing leaks in from the test process (settings_test sets plenty)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path or BASE_DIR),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    if tmp_path is not None:
        env["VAR_DIR"] = str(tmp_path / "var")
    env.update(values)
    return env


def run(args: list[str], env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout)


def load_settings(env: dict[str, str]) -> dict:
    result = run([sys.executable, "-c", PRINT_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def production_env(tmp_path: Path, **values: str) -> dict[str, str]:
    return clean_env(
        tmp_path,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="standards.example.gov.uk",
        **values,
    )


# --- Failing loudly


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "nonsense://x"),
        ("REDIS_URL", "http://x"),
        ("COUNCIL_COLOUR", "blue"),
        ("COUNCIL_NATION", "FRA"),
        ("EVIDENCE_MAX_FILES", "abc"),
        ("EVIDENCE_MAX_FILES", "0"),
        ("EMAIL_USE_TLS", "sometimes"),
        ("DRAFT_IDLE_MINUTES", "an hour"),
        ("DRAFT_IDLE_MINUTES", "0"),
        ("SESSION_PURGE_MINUTES", "-5"),
    ],
)
def test_it_refuses_to_start_with_a_bad_value_and_names_the_variable(tmp_path, name, value):
    env = clean_env(tmp_path, **{"DEBUG": "1", name: value})
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_it_refuses_to_start_without_secret_key_when_debug_is_off(tmp_path):
    result = run([sys.executable, "manage.py", "check"], clean_env(tmp_path, DEBUG="0"))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for(tmp_path):
    """An unset DEBUG is production: so a missing SECRET_KEY is an error, not a silent default."""
    result = run([sys.executable, "manage.py", "check"], clean_env(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# --- Embedded defaults


def test_debug_defaults_give_sqlite_under_var_and_eager_celery():
    # No VAR_DIR either: the default location itself is what is being checked.
    values = load_settings(clean_env(DEBUG="1"))
    assert values["DEBUG"] is True
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(values["DB_NAME"]) == BASE_DIR / "var" / "standards_desk.sqlite3"
    assert Path(values["PRIVATE_STORAGE_ROOT"]) == BASE_DIR / "var" / "private"
    assert values["EAGER"] is True
    assert values["BROKER"] == "memory://"
    assert values["CACHE"].endswith("LocMemCache")
    assert values["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert "127.0.0.1" in values["ALLOWED_HOSTS"]


def test_database_and_redis_urls_switch_to_postgres_and_a_real_broker(tmp_path):
    values = load_settings(
        clean_env(
            tmp_path,
            DEBUG="1",
            DATABASE_URL="postgres://standards:standards@db:5432/standards",
            REDIS_URL="redis://redis:6379/0",
        )
    )
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert (values["DB_HOST"], values["DB_NAME"]) == ("db", "standards")
    assert values["EAGER"] is False
    assert values["BROKER"] == "redis://redis:6379/0"
    assert values["CACHE"].endswith("RedisCache")


def test_postgresql_connections_are_kept_and_prepare_the_statements_they_run_often(tmp_path):
    values = load_settings(production_env(tmp_path, DATABASE_URL="postgres://standards:standards@db:5432/standards"))
    assert values["DB_OPTIONS"] == {
        "server_side_binding": True,
        "prepare_threshold": 5,
        "options": "-c max_parallel_workers_per_gather=0",
    }
    assert (values["CONN_MAX_AGE"], values["CONN_HEALTH_CHECKS"]) == (300, True)


def test_prepared_statements_can_be_turned_off_for_a_pooler_that_cannot_keep_them(tmp_path):
    env = production_env(
        tmp_path,
        DATABASE_URL="postgres://standards:standards@db:5432/standards",
        DATABASE_PREPARED_STATEMENTS="0",
        DATABASE_CONN_MAX_AGE="0",
    )
    values = load_settings(env)
    assert values["DB_OPTIONS"] == {"options": "-c max_parallel_workers_per_gather=0"}
    assert values["CONN_MAX_AGE"] == 0


def test_options_given_in_the_database_url_are_kept(tmp_path):
    env = production_env(
        tmp_path, DATABASE_URL="postgres://standards:standards@db:5432/standards?options=-c%20search_path%3Dapp"
    )
    assert load_settings(env)["DB_OPTIONS"]["options"] == "-c search_path=app -c max_parallel_workers_per_gather=0"


def test_sqlite_gets_a_busy_timeout_and_no_postgresql_options(tmp_path):
    values = load_settings(clean_env(tmp_path, DEBUG="1"))
    assert values["DB_OPTIONS"] == {"timeout": 20}


# --- Production profile


def test_production_profile_is_secure_by_default(tmp_path):
    values = load_settings(production_env(tmp_path))
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["STATICFILES"].endswith("CompressedManifestStaticFilesStorage")
    assert values["ALLOWED_HOSTS"] == ["standards.example.gov.uk"]


def test_production_profile_passes_the_deployment_checklist(tmp_path):
    env = production_env(
        tmp_path, DATABASE_URL="postgres://standards:standards@db:5432/standards", REDIS_URL="redis://redis:6379/0"
    )
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_unset_allowed_hosts_in_production_means_no_hosts(tmp_path):
    env = production_env(tmp_path)
    del env["ALLOWED_HOSTS"]
    assert load_settings(env)["ALLOWED_HOSTS"] == []


# --- Code health


def test_models_and_migrations_agree(tmp_path):
    env = clean_env(tmp_path, DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}")
    result = run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing():
    result = run([str(BIN_DIR / "ruff"), "check", "."], clean_env(), timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
