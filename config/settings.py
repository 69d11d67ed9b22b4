"""Settings for Standards Desk, read from the environment.

Every value has a safe embedded default (SQLite, eager Celery, local files) except where running
in production makes a default dangerous: SECRET_KEY is required once DEBUG is off.
"""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_choice,
    env_colour,
    env_database,
    env_date,
    env_dates,
    env_int,
    env_list,
    env_lockout_parameters,
    env_redis_url,
    env_str,
)
from config.static_headers import static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

# --- Secret key and debug exposure (see config/serving.py and config/checks.py).
DEVELOPMENT_SECRET_KEY = "insecure-development-key-only-for-debug-mode-000000000000000000"  # noqa: S105
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif not DEBUG:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or SECRET_KEY.startswith("django-insecure-"):
        raise ImproperlyConfigured("SECRET_KEY is a development key; set a secret of your own when DEBUG is off.")
    if len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} characters when DEBUG is off; got {len(SECRET_KEY)}. "
            'Make one with: python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
# manage.py runserver and gunicorn refuse to serve DEBUG beyond the loopback interface without this.
ALLOW_DEBUG_ON_NETWORK = env_bool("ALLOW_DEBUG_ON_NETWORK", False)
# --- end of secret key and debug exposure

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # The admin site with the two-factor requirement (config/admin_site.py).
    "config.apps.StandardsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "guidance",
    "complaints",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "complaints.middleware.OfficerIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Nothing above reads the body (CSRF reads it in process_view, after these): a body over the
    # cap is refused unread, control characters with a 400, and both answers carry every header.
    "config.middleware.RequestBodyLimitMiddleware",
    "config.middleware.ControlCharacterMiddleware",
    # Last, so it sees every refused sign-in and answers with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.council",
            ],
            # Django's `date` filter, with the same output at a tenth of the cost (see the module).
            "builtins": ["complaints.templatetags.dates"],
        },
    },
]

# Database: an SQLite file under var/ unless DATABASE_URL says otherwise.
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'standards_desk.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Connections are kept between requests (and checked before reuse), so a request neither waits
# for a new connection nor loses the statements the database has already planned on it.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 300, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_PREPARED_STATEMENTS", True):
    # Parameters are sent apart from the SQL, and a statement run a few times on a connection is
    # prepared: PostgreSQL then reuses its plan instead of planning it again on every request
    # (psycopg 3; Django leaves it off by default for poolers such as PgBouncer in transaction
    # mode, behind which DATABASE_PREPARED_STATEMENTS=0 turns it off).
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A request's queries take milliseconds: starting parallel workers for one costs more than it
    # saves, and a reused (generic) plan would otherwise choose them on guessed row counts.
    # Added to any options DATABASE_URL gives (`?options=...`).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c max_parallel_workers_per_gather=0".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # On a fresh clone var/ does not exist yet, and SQLite will not create the folder.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # A busy SQLite file waits rather than failing at once when the worker and web overlap.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the Celery broker and result backend, the cache (rate limits, sessions' neighbours).
REDIS_URL = env_redis_url("REDIS_URL")
# A hung Redis (a full network buffer, a stopped process) must cost a request at most about a
# second: every connection to it gives up after this many seconds.
REDIS_TIMEOUT_SECONDS = env_int("REDIS_TIMEOUT_MS", 500, minimum=50) / 1000
if REDIS_URL:
    # Fails open: a Redis outage is logged and the public journey carries on (see config/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                "retry_on_timeout": False,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang when Redis is down: publishing gives up quickly and the
# outbox row, already committed, is picked up by the periodic dispatch instead.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_timeout": REDIS_TIMEOUT_SECONDS,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = "Europe/London"
# Two queues: quick work (e-mail, sweeps) on "default"; long work (PDFs, imports) on "documents",
# served by workers of its own so a big report never holds up an acknowledgement.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "complaints.tasks.document_*": {"queue": "documents"},
    "complaints.tasks.committee_report_*": {"queue": "documents"},
    "guidance.tasks.*": {"queue": "documents"},
}
# A worker process is replaced after this many tasks, so leaks in PDF rendering cannot pile up.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 100, minimum=1)
# With acks_late, a task whose worker died is handed out again once this many seconds have passed
# without an acknowledgement; it must be longer than the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env_int("REDIS_VISIBILITY_TIMEOUT", 3600, minimum=1)
# --- Sessions: the public draft's idle limit and the purge (complaints/sessions.py, services/drafts.py).
SESSION_ENGINE = "complaints.sessions"
# A complaint not yet sent is cleared, with its uploaded files, after this many minutes unused.
DRAFT_IDLE_MINUTES = env_int("DRAFT_IDLE_MINUTES", 60, minimum=1)
# How often beat clears idle drafts and deletes expired sessions (manage.py clearsessions does the same).
SESSION_PURGE_MINUTES = env_int("SESSION_PURGE_MINUTES", 10, minimum=1)
# --- end of sessions
CELERY_BEAT_SCHEDULE = {
    "purge-sessions": {"task": "complaints.tasks.sessions_purge", "schedule": SESSION_PURGE_MINUTES * 60.0},
    "dispatch-outbox": {
        "task": "complaints.tasks.outbox_dispatch_pending",
        "schedule": float(env_int("OUTBOX_SWEEP_SECONDS", 60, minimum=1)),
    },
    "deadline-sweep": {
        "task": "complaints.tasks.deadline_sweep",
        "schedule": float(env_int("DEADLINE_SWEEP_SECONDS", 15 * 60, minimum=1)),
    },
    "purge-unsent-evidence": {"task": "complaints.tasks.evidence_unsent_purge", "schedule": 3600.0},
    "takedown-follow-up": {"task": "complaints.tasks.takedown_follow_up", "schedule": crontab(hour=8, minute=0)},
    "retention": {"task": "complaints.tasks.retention_apply", "schedule": crontab(hour=2, minute=30)},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# Compiled front-end assets (npm run build) live outside git in build/static.
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "build" / "static"]

# Private files (evidence, generated documents) live outside the web root and are served only
# by permission-checked views. There is deliberately no MEDIA_URL.
PRIVATE_STORAGE_ROOT = Path(env_str("PRIVATE_STORAGE_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# Uploads: 10 files of up to 10 MB each; requests carrying one file stay under this ceiling.
EVIDENCE_MAX_FILES = env_int("EVIDENCE_MAX_FILES", 10, minimum=1)
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# 52 million pixels admits the 48 and 50 megapixel photos of current phones (8160 x 6120).
EVIDENCE_MAX_PIXELS = env_int("EVIDENCE_MAX_PIXELS", 52_000_000, minimum=1)
EVIDENCE_DISPLAY_MAX_SIDE = env_int("EVIDENCE_DISPLAY_MAX_SIDE", 1600, minimum=100)
# --- Bounded checking of evidence files (complaints/services/evidence_files.py): a web worker's
# memory stays under about 250 MB and each file is checked in about 2 seconds, whatever it holds.
# The most memory a decoded image may take (a JPEG counts at the reduced scale it is decoded at;
# 100 MB is a 25 megapixel PNG, WebP or GIF). HEIC photos are decoded in a child process instead.
EVIDENCE_DECODE_MAX_BYTES = env_int("EVIDENCE_DECODE_MAX_BYTES", 100_000_000, minimum=1_000_000)
# Animated GIF, WebP and PNG: every frame is decoded, so frames and their total pixels are limited.
EVIDENCE_MAX_FRAMES = env_int("EVIDENCE_MAX_FRAMES", 300, minimum=1)
EVIDENCE_MAX_FRAME_PIXELS = env_int("EVIDENCE_MAX_FRAME_PIXELS", 100_000_000, minimum=1)
# PDFs: objects in the file, and bytes all its streams decode to (counted, never kept).
EVIDENCE_PDF_MAX_OBJECTS = env_int("EVIDENCE_PDF_MAX_OBJECTS", 50_000, minimum=10)
EVIDENCE_PDF_MAX_DECODED_BYTES = env_int("EVIDENCE_PDF_MAX_DECODED_BYTES", 100_000_000, minimum=1_000_000)
# A backstop: checking any one file stops, and the file is refused, after this many seconds of
# CPU time (the HEIC decoder runs in a child process with the same CPU limit).
EVIDENCE_CHECK_MAX_SECONDS = env_int("EVIDENCE_CHECK_MAX_SECONDS", 10, minimum=1)
# Upload attempts (accepted or refused) per browser session and per client address.
EVIDENCE_UPLOAD_RATE_LIMIT_SESSION = env_str("EVIDENCE_UPLOAD_RATE_LIMIT_SESSION", "30/h")
EVIDENCE_UPLOAD_RATE_LIMIT_IP = env_str("EVIDENCE_UPLOAD_RATE_LIMIT_IP", "100/h")
# --- end of bounded checking
# Files uploaded to a complaint that was never sent are deleted after this many hours.
EVIDENCE_UNSENT_MAX_AGE_HOURS = env_int("EVIDENCE_UNSENT_MAX_AGE_HOURS", 24, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR = None
FILE_UPLOAD_PERMISSIONS = 0o640
# --- Request bodies: the same cap as the full stack's proxy (Caddyfile), applied by the app
# itself before a body is parsed (config/middleware.py), and while it streams in (config/uploads.py).
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 11_534_336, minimum=1024)
FILE_UPLOAD_HANDLERS = [
    "config.uploads.BodyLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# --- end of request bodies

# E-mail: console in the embedded default; SMTP when EMAIL_URL-style settings are given.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "standards@example.gov.uk")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A hung mail server costs a worker at most this many seconds per message (SMTP and Notify).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
# GOV.UK Notify, when EMAIL_BACKEND is complaints.mail.NotifyEmailBackend: the API key and the
# template ids, one per e-mail template (name=id, comma separated). A template not listed uses
# NOTIFY_DEFAULT_TEMPLATE_ID, a Notify template whose subject is ((subject)) and body ((body)).
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "")
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_DEFAULT_TEMPLATE_ID = env_str("NOTIFY_DEFAULT_TEMPLATE_ID", "")
NOTIFY_TEMPLATE_IDS = dict(item.split("=", 1) for item in env_list("NOTIFY_TEMPLATE_IDS", []) if "=" in item)
if EMAIL_BACKEND == "complaints.mail.NotifyEmailBackend" and not (NOTIFY_API_KEY and NOTIFY_DEFAULT_TEMPLATE_ID):
    raise ImproperlyConfigured("The Notify e-mail backend needs NOTIFY_API_KEY and NOTIFY_DEFAULT_TEMPLATE_ID.")

# The outbox: a failed send is tried again after OUTBOX_BACKOFF_SECONDS, then twice that, four
# times that ... (at most OUTBOX_BACKOFF_MAX_SECONDS apart), and given up after OUTBOX_MAX_ATTEMPTS.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5, minimum=1)
OUTBOX_BACKOFF_SECONDS = env_int("OUTBOX_BACKOFF_SECONDS", 60, minimum=1)
OUTBOX_BACKOFF_MAX_SECONDS = env_int("OUTBOX_BACKOFF_MAX_SECONDS", 6 * 3600, minimum=1)
# A message left "sending" this long was claimed by a worker that died; only then is it looked at
# again. It must be longer than a send can take (EMAIL_TIMEOUT), or a slow send would be doubled.
OUTBOX_RECLAIM_SECONDS = env_int("OUTBOX_RECLAIM_SECONDS", 10 * 60, minimum=1)
if OUTBOX_RECLAIM_SECONDS <= EMAIL_TIMEOUT:
    raise ImproperlyConfigured(
        f"OUTBOX_RECLAIM_SECONDS ({OUTBOX_RECLAIM_SECONDS}) must be longer than EMAIL_TIMEOUT ({EMAIL_TIMEOUT})."
    )

# The council running this service.
COUNCIL_NAME = env_str("COUNCIL_NAME", "Northmoor District Council")
COUNCIL_SERVICE_NAME = env_str("COUNCIL_SERVICE_NAME", "Complain about a councillor")
COUNCIL_COLOUR = env_colour("COUNCIL_COLOUR", "#0b5c4b")
COUNCIL_NATION = env_choice("COUNCIL_NATION", "ENG", ("ENG", "WLS", "SCT", "NIR"))
# Council closure days (e.g. the Christmas shutdown) as ISO dates, comma separated: a seed only.
# `manage.py closure_days_load` copies them to every principal council's closure days, which the
# system administrator then keeps in the admin; clocks read only those.
COUNCIL_CLOSURE_DAYS = env_dates("COUNCIL_CLOSURE_DAYS")
COUNCIL_CONTACT_EMAIL = env_str("COUNCIL_CONTACT_EMAIL", "monitoring.officer@example.gov.uk")
# The accessibility statement's dates: when it was first prepared and last reviewed.
ACCESSIBILITY_STATEMENT_PREPARED = env_date("ACCESSIBILITY_STATEMENT_PREPARED", "2026-11-21")
ACCESSIBILITY_STATEMENT_REVIEWED = env_date("ACCESSIBILITY_STATEMENT_REVIEWED", "2026-11-21")
# Years complaint files are kept after the final decision (the privacy notice says so).
COMPLAINT_RETENTION_YEARS = env_int("COMPLAINT_RETENTION_YEARS", 6, minimum=1)
# Retention anonymises a closed case this many years after its final decision (the same period).
RETENTION_YEARS = env_int("RETENTION_YEARS", COMPLAINT_RETENTION_YEARS, minimum=1)
# The deadline sweep reminds the assigned officer this many working days before a clock is due.
REMINDER_WORKING_DAYS = env_int("REMINDER_WORKING_DAYS", 2, minimum=0)
COUNCIL_PHASE = env_str("COUNCIL_PHASE", "Beta")
# Letters: the address, logo and signatory printed on the council's PDFs.
COUNCIL_ADDRESS = env_list("COUNCIL_ADDRESS", ["Council Offices", "Market Place", "Northmoor", "NM1 1AA"])
COUNCIL_TELEPHONE = env_str("COUNCIL_TELEPHONE", "01632 960 000")
# A file among the project's static files (e.g. images/council-logo.svg); empty for none.
COUNCIL_LOGO = env_str("COUNCIL_LOGO", "images/council-logo.svg")
COUNCIL_SIGNATORY_NAME = env_str("COUNCIL_SIGNATORY_NAME", "Rachel Adeyemi")
COUNCIL_SIGNATORY_TITLE = env_str("COUNCIL_SIGNATORY_TITLE", "Monitoring Officer")
# The social media guidance the council's members follow (a guidance document's slug); the
# takedown letter quotes its rules. Empty quotes none.
COUNCIL_SOCIAL_MEDIA_GUIDANCE = env_str("COUNCIL_SOCIAL_MEDIA_GUIDANCE", "ashford-social-media-guidance")
# The public address of the service, used for links in e-mails and letters.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
COMPLAINT_REFERENCE_PREFIX = env_str("COMPLAINT_REFERENCE_PREFIX", "MO")

# Timescales, in working days (DOMAIN.md: councils differ, so they are configurable).
TIMESCALE_ACKNOWLEDGE_DAYS = env_int("TIMESCALE_ACKNOWLEDGE_DAYS", 5, minimum=1)
TIMESCALE_MEMBER_RESPONSE_DAYS = env_int("TIMESCALE_MEMBER_RESPONSE_DAYS", 10, minimum=1)
TIMESCALE_ASSESSMENT_DAYS = env_int("TIMESCALE_ASSESSMENT_DAYS", 20, minimum=1)
TIMESCALE_DECISION_NOTICE_DAYS = env_int("TIMESCALE_DECISION_NOTICE_DAYS", 5, minimum=1)
TIMESCALE_TAKEDOWN_DAYS = env_int("TIMESCALE_TAKEDOWN_DAYS", 5, minimum=1)
# After 15 working days' silence from the complainant the case is flagged for closure.
TIMESCALE_FURTHER_INFORMATION_DAYS = env_int("TIMESCALE_FURTHER_INFORMATION_DAYS", 15, minimum=1)
# Targets: an investigation within about six months; a hearing within 20 working days of the final
# report (it is held no sooner than 14). Each principal council can set its own in the admin.
TIMESCALE_INVESTIGATION_DAYS = env_int("TIMESCALE_INVESTIGATION_DAYS", 120, minimum=1)
TIMESCALE_HEARING_DAYS = env_int("TIMESCALE_HEARING_DAYS", 20, minimum=1)
# Calendar days a complainant has to ask for a review of "no further action".
TIMESCALE_REVIEW_WINDOW_DAYS = env_int("TIMESCALE_REVIEW_WINDOW_DAYS", 7, minimum=1)
COMPLAINT_MAX_AGE_MONTHS = env_int("COMPLAINT_MAX_AGE_MONTHS", 6, minimum=1)

# Officer dashboard: cases per page, and how many of a screenshot's 64 perceptual-hash bits may
# differ for it to be suggested as a possible duplicate of another open case's screenshot.
DASHBOARD_PAGE_SIZE = env_int("DASHBOARD_PAGE_SIZE", 25, minimum=5)
DUPLICATE_SCREENSHOT_MAX_DISTANCE = env_int("DUPLICATE_SCREENSHOT_MAX_DISTANCE", 8, minimum=0)

# Submission protection.
COMPLAINT_RATE_LIMIT = env_str("COMPLAINT_RATE_LIMIT", "10/h")
# Requests for a "check your complaint" link: per connection, and per reference from anywhere.
COMPLAINT_CHECK_RATE_LIMIT = env_str("COMPLAINT_CHECK_RATE_LIMIT", "5/h")
COMPLAINT_CHECK_REFERENCE_RATE_LIMIT = env_str("COMPLAINT_CHECK_REFERENCE_RATE_LIMIT", "3/h")
RATELIMIT_VIEW = "complaints.views.public.rate_limited"
RATELIMIT_USE_CACHE = "default"
# When the cache cannot count (Redis down), let the request through rather than refuse a complaint.
RATELIMIT_FAIL_OPEN = True

# --- Officer sign-in: password, then a code from an authenticator app (or a backup code), for
# every account, the admin included (complaints/views/officer/signin.py, config/admin_site.py).
LOGIN_URL = "officer:login"
LOGIN_REDIRECT_URL = "officer:dashboard"
# Signed out after this many minutes without a request.
OFFICER_IDLE_MINUTES = env_int("OFFICER_IDLE_MINUTES", 30, minimum=1)
# Sensitive actions (bulk assignment, new backup codes) ask for the password or a code again
# when the last one was given longer ago than this.
OFFICER_REAUTH_MINUTES = env_int("OFFICER_REAUTH_MINUTES", 10, minimum=1)
# Backup codes issued at enrolment, each usable once.
OFFICER_BACKUP_CODES = env_int("OFFICER_BACKUP_CODES", 10, minimum=1)
# Administrators manage people's devices (delete one so its owner enrols again) but never see
# their secrets or QR codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", f"Standards Desk ({COUNCIL_NAME})")

# Lockout (django-axes): after SIGNIN_FAILURE_LIMIT wrong passwords or codes, sign-in is refused
# for SIGNIN_LOCKOUT_MINUTES. SIGNIN_LOCKOUT_BY names what is counted: "username" (the account),
# "ip_address" (the client), or both joined with "+" (that account from that client only).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "complaints.backends.OfficerModelBackend"]
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGNIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = env_lockout_parameters("SIGNIN_LOCKOUT_BY", ["username", "ip_address"])
AXES_LOCKOUT_CALLABLE = "complaints.views.officer.signin.locked_out"
# The client's address as the app already knows it (config/middleware.py corrects it behind the
# proxy); never a forwarding header a client could write itself.
AXES_CLIENT_IP_CALLABLE = "complaints.views.officer.signin.client_address"
AXES_SENSITIVE_PARAMETERS = ["password", "code", "csrfmiddlewaretoken"]
# A full sign-in clears the account's failures; a correct password alone does not.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
# --- end of officer sign-in

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 4, minimum=60)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Security headers. HTTPS settings are on whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# --- Behind the full stack's proxy (Caddyfile): it terminates TLS and names the client's address.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    MIDDLEWARE.insert(0, "config.middleware.ProxiedClientAddressMiddleware")
# --- end of proxy

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Static files carry the pages' security headers (config/static_headers.py); they are
# same-origin assets, so no cross-origin access header either.
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
WHITENOISE_ALLOW_ALL_ORIGINS = False
# --- end of static file headers

# --- Error pages: styled 400, 403 and CSRF failure pages (complaints/views/errors.py).
CSRF_FAILURE_VIEW = "complaints.views.errors.csrf_failure"
# --- end of error pages

# --- Logging: complainants' e-mail addresses are masked on every handler (config/log_privacy.py),
# and Celery keeps this configuration rather than installing its own handlers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "filters": {"mask_emails": {"()": "config.log_privacy.EmailMaskingFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_emails"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["mask_emails"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own default gives the "django" logger a console handler too; its records also
    # reach the root handler above, so every request warning was printed twice. Each line once:
    "loggers": {
        # WeasyPrint narrates each rendering step at INFO; its warnings and errors still show.
        "weasyprint.progress": {"level": "WARNING"},
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# --- end of logging
