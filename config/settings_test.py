"""Settings for the test suite.

PostgreSQL and Redis are used when reachable at their usual local addresses (or at
TEST_DATABASE_URL / TEST_REDIS_URL). Otherwise the suite falls back to SQLite and eager Celery,
and tests marked as needing a service are skipped with the reason. REQUIRE_SERVICES=1 turns a
missing service into a failure instead.
"""

import os
import socket
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 0), timeout=0.5):
            return True
    except OSError:
        return False


_pg_url = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/standards_desk")
_redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
_require = os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}

POSTGRES_AVAILABLE = _reachable(_pg_url)
REDIS_AVAILABLE = _reachable(_redis_url)
if _require and not (POSTGRES_AVAILABLE and REDIS_AVAILABLE):
    missing = [name for name, ok in (("PostgreSQL", POSTGRES_AVAILABLE), ("Redis", REDIS_AVAILABLE)) if not ok]
    raise ImproperlyConfigured(f"REQUIRE_SERVICES=1 but not reachable: {', '.join(missing)}")

os.environ["DEBUG"] = "0"
os.environ["SECRET_KEY"] = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"
os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["SESSION_COOKIE_SECURE"] = "0"
os.environ["CSRF_COOKIE_SECURE"] = "0"
os.environ["SECURE_HSTS_SECONDS"] = "0"
os.environ.setdefault("VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test"))
if POSTGRES_AVAILABLE:
    os.environ["DATABASE_URL"] = _pg_url
else:
    os.environ["DATABASE_URL"] = "sqlite:///" + os.path.join(os.environ["VAR_DIR"], "test.sqlite3")
# The web process under test runs Celery eagerly (REDIS_URL unset) so each test is self-contained;
# tests of the real broker and worker use TEST_REDIS_URL explicitly.
os.environ.pop("REDIS_URL", None)
TEST_REDIS_URL = _redis_url

from config.settings import *  # noqa: E402,F401,F403
from config.settings import STATIC_ROOT, STORAGES  # noqa: E402

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# WhiteNoise warns about a missing STATIC_ROOT; tests serve static files from the finders.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Separate test databases for runs that share one server at the same time (e.g. a benchmark
# beside the suite): TEST_DB_SUFFIX=bench gives test_standards_desk_bench.
if os.environ.get("TEST_DB_SUFFIX"):
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": f"test_{DATABASES['default']['NAME']}_{os.environ['TEST_DB_SUFFIX']}"  # noqa: F405
    }
