import pytest
from django.conf import settings
from django.db.backends.base.operations import BaseDatabaseOperations

from tests.history_guard import event_guard_lifted


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="PostgreSQL is not reachable at 127.0.0.1:5432 (set REQUIRE_SERVICES=1 to fail)")
    skip_redis = pytest.mark.skip(reason="Redis is not reachable at 127.0.0.1:6379 (set REQUIRE_SERVICES=1 to fail)")
    skip_browser = pytest.mark.skip(reason="Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    for item in items:
        if "postgres" in item.keywords and not settings.POSTGRES_AVAILABLE:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not settings.REDIS_AVAILABLE:
            item.add_marker(skip_redis)
        if "browser" in item.keywords and not _chromium_path_exists() and not _services_required():
            item.add_marker(skip_browser)


def _services_required() -> bool:
    import os

    return os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def _chromium_path_exists() -> bool:
    import os

    return os.path.exists("/usr/bin/chromium")


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Every test gets its own private file area so stored evidence never leaks between tests."""
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_STORAGE_ROOT = root
    storages = {**settings.STORAGES}
    storages["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root), "base_url": None},
    }
    settings.STORAGES = storages
    return root


@pytest.fixture(scope="session", autouse=True)
def flush_past_the_event_guard():
    """Transactional tests empty every table afterwards; the append-only triggers would refuse
    that for events, as they refuse `manage.py flush` outside the tests."""
    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        if not any("complaints_event" in sql for sql in sql_list):
            return original(self, sql_list)
        with event_guard_lifted(self.connection):
            return original(self, sql_list)

    execute_sql_flush.original = original
    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters live in the cache; each test starts with none used."""
    from django.core.cache import caches

    caches["default"].clear()
    yield


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin client, signed in as the admin would be: with a code (two-factor)."""
    from django.test import Client

    from tests.complaints.officer.signin import sign_in

    return sign_in(Client(), admin_user)


@pytest.fixture(autouse=True)
def task_results_may_be_awaited():
    """Celery marks "a task is running here, do not wait on results" in one process-wide flag while
    an eager task runs. A live-server request thread left over from an earlier test can still be
    inside such a task, which would make this test's `result.get()` refuse; the test process is
    never a worker, so each test starts with waiting allowed."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
    yield
