"""Settings, read from the environment (see .env.example for every variable).

With nothing set the platform runs on embedded defaults: SQLite and a filesystem
Celery broker under ``var/``, keys from ``var/keys`` (made by ``manage.py init_keys``).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_optional,
    env_path,
    env_rate,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("VAR_DIR", BASE_DIR / "var")
KEYS_DIR = env_path("KEYS_DIR", VAR_DIR / "keys")


def _key_file_text(name: str) -> str:
    path = KEYS_DIR / name
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""


DEBUG = env_bool("DJANGO_DEBUG", False)
# Empty when neither is set: Django then refuses to start anything that needs it,
# so there is never a built-in production secret.
SECRET_KEY = env_secret("DJANGO_SECRET_KEY") or _key_file_text("django_secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
ONION_HOSTNAME = env_optional("ONION_HOSTNAME")
if ONION_HOSTNAME:
    ALLOWED_HOSTS.append(ONION_HOSTNAME)

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files for the partner API's docs, served from here
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "testimony.crypto",
    "testimony.accounts",
    "testimony.audit",
    "testimony.intake",
    "testimony.processing",
    "testimony.review",
    "testimony.evidence",
]
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    # First, so that nothing after it (including logging) ever sees the client's address.
    "testimony.intake.middleware.StripClientMetadataMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "testimony.intake.middleware.SafeGZipMiddleware",
    "testimony.intake.middleware.SubmitterHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "testimony.intake.middleware.SameOriginPostMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Sessions, CSRF, login, second factor, lockout and idle timeout: console paths only.
    "testimony.accounts.middleware.ConsoleMiddleware",
    "testimony.accounts.middleware.ConsoleViewMiddleware",
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
                "django.template.context_processors.i18n",
                "testimony.intake.context_processors.submitter_page",
                "testimony.accounts.context_processors.console_nav",
            ],
        },
    }
]

DATABASE_URL = env_optional("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                # Deleted and overwritten content is zeroed in the file, so what retention
                # destroys is gone from the disk, not left in free pages.
                "init_command": "PRAGMA secure_delete = ON",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_optional("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "testimony_cache"}
    }

# --- Languages -------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("ru", "Русский"),
    ("uz", "Oʻzbekcha"),
    ("tg", "Тоҷикӣ"),
    ("ky", "Кыргызча"),
    ("kk", "Қазақша"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env_path("STATIC_ROOT", BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# A cached script from this origin would tell whoever checks the phone that the site was visited.
WHITENOISE_MAX_AGE = 0


def _static_no_store(headers, path: str, url: str) -> None:
    headers["Cache-Control"] = "no-store, max-age=0"


WHITENOISE_ADD_HEADERS_FUNCTION = _static_no_store

# --- Uploads: nothing a submitter sends may touch the disk ------------------------
FILE_UPLOAD_HANDLERS = ["testimony.intake.upload_handlers.MemoryOnlyUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("ATTACHMENT_MAX_COUNT", 5, minimum=0) + 1

# --- Security headers ------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0 if DEBUG else 63072000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = not DEBUG and SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(self), payment=(), usb=(), interest-cohort=()"
)
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.google.com/search?q=weather")
NEUTRAL_TITLE = env_bool("NEUTRAL_TITLE", False)

# --- Keys ------------------------------------------------------------------------
AGE_RECIPIENT = env_secret("AGE_RECIPIENT") or _key_file_text("intake_recipient.txt")
# Deliberately no default path: only a process started with this variable (the worker)
# holds the identity, so the web process cannot decrypt what it receives.
AGE_IDENTITY_FILE = env_optional("AGE_IDENTITY_FILE")
AGE_IDENTITY_PASSPHRASE = env_secret("AGE_IDENTITY_PASSPHRASE")
# Custodians only: the intake identity wrapped with a passphrase that custodians type to open an
# original (review.services.originals). The web process cannot use it without that passphrase.
CUSTODIAN_IDENTITY_FILE = env_optional("CUSTODIAN_IDENTITY_FILE")
DATA_KEYS = env_list("DATA_KEYS", []) or [
    line for line in _key_file_text(env_str("DATA_KEYS_FILE", "data_keys")).splitlines() if line.strip()
]
RECEIPT_PEPPER = env_secret("RECEIPT_PEPPER") or _key_file_text("receipt_pepper")
SIGNING_KEY_FILE = env_path("SIGNING_KEY_FILE", KEYS_DIR / "signing_ed25519.pem")

# Memory-hard KDF for receipts: Argon2id at OWASP's recommended floor (19 MiB, 2 passes, 1 lane).
# A receipt has 66 bits of entropy and the lookup is keyed with the pepper, so the KDF is depth,
# not the main defence; heavier settings (RFC 9106: 64 MiB, 3 passes) cost the server ~4x per check.
RECEIPT_KDF_MEMORY_KIB = env_int("RECEIPT_KDF_MEMORY_KIB", 19456, minimum=8)
RECEIPT_KDF_ITERATIONS = env_int("RECEIPT_KDF_ITERATIONS", 2, minimum=1)
RECEIPT_KDF_LANES = env_int("RECEIPT_KDF_LANES", 1, minimum=1)

# --- Console: accounts, sessions, second factor, lockout -------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before checking it
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "/console/login/"
CONSOLE_LANGUAGES = [("en", "English"), ("ru", "Русский")]
CONSOLE_IDLE_TIMEOUT_SECONDS = env_int("CONSOLE_IDLE_TIMEOUT_SECONDS", 30 * 60, minimum=60)
# How long a reviewer's soft lock on a report lasts after they last opened or refreshed it.
CONSOLE_SOFT_LOCK_MINUTES = env_int("CONSOLE_SOFT_LOCK_MINUTES", 15, minimum=1)
# Only the console has sessions (accounts.middleware); the cookie is scoped to its path and
# ends with the browser or after this long, whichever comes first.
SESSION_COOKIE_NAME = "console_session"
SESSION_COOKIE_PATH = "/console/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = env_int("CONSOLE_SESSION_MAX_SECONDS", 12 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The CSRF cookie is the console's too: set only when a console page asks for a token, scoped to
# its path, gone with the browser. (Not CSRF_USE_SESSIONS: Django's error pages check CSRF on
# every path, and the submitter side has no session to keep it in.)
CSRF_COOKIE_NAME = "console_csrf"
CSRF_COOKIE_PATH = "/console/"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_AGE = None
CONSOLE_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), "
    "publickey-credentials-create=(self), publickey-credentials-get=(self)"
)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Testimony console")
# Lockout by account name only: the platform records no IP address (DESIGN.md), not even here.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60  # hours
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "testimony.accounts.lockout.no_client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# The login page itself says the account is locked (same words whether the name exists or not).
AXES_LOCKOUT_CALLABLE = "testimony.accounts.views.lockout_response"
# W002: axes wants its middleware in MIDDLEWARE; it is, inside ConsoleMiddleware.
# W006: axes wants the IP in the lockout key; we lock by account name alone and keep no IPs.
SILENCED_SYSTEM_CHECKS = ["axes.W002", "axes.W006"]
# Security keys: the relying party is the console's host name, reached over HTTPS (or localhost).
OTP_WEBAUTHN_RP_ID = env_str("WEBAUTHN_RP_ID", "localhost")
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
# A security key is a second factor after the password, never a login on its own.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("WEBAUTHN_ALLOWED_ORIGINS", ["http://localhost:8000"])

# --- Abuse limits ----------------------------------------------------------------
POW_DIFFICULTY = env_int("POW_DIFFICULTY", 17, minimum=0)
POW_TTL_SECONDS = env_int("POW_TTL_SECONDS", 3600, minimum=60)
NOJS_SUBMISSIONS_PER_MINUTE = env_int("NOJS_SUBMISSIONS_PER_MINUTE", 6, minimum=1)
RECEIPT_FAILURES_PER_MINUTE = env_int("RECEIPT_FAILURES_PER_MINUTE", 30, minimum=1)
ACCOUNT_MAX_CHARS = env_int("ACCOUNT_MAX_CHARS", 20000, minimum=100)
REPORT_CIPHERTEXT_MAX_BYTES = env_int("REPORT_CIPHERTEXT_MAX_BYTES", 512 * 1024, minimum=4096)
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 25 * 1024 * 1024, minimum=1024)
ATTACHMENT_MAX_COUNT = env_int("ATTACHMENT_MAX_COUNT", 5, minimum=0)
# The worker decodes attachments in a confined child process without keys (processing/attachments/
# sandbox.py). false decodes them in the worker itself: only for tests of the pure function.
ATTACHMENT_SANDBOX = env_bool("ATTACHMENT_SANDBOX", True)
UPLOAD_CHUNK_BYTES = 1024 * 1024
UPLOAD_PENDING_MAX_BYTES = env_int("UPLOAD_PENDING_MAX_BYTES", 2 * 1024 * 1024 * 1024, minimum=1024)

# --- Celery ----------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
    }
else:
    # A broker that is down must not hold up a submitter: the sweeper catches up later.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
# Evidence work (exports, signed packages) runs on a queue of its own, so that it can run in the
# evidence-export environment that holds the signing key and not the intake identity
# (DESIGN.md, "Keys"; docker/compose.yml's evidence-worker). A single local worker takes both.
CELERY_TASK_ROUTES = {"evidence.*": {"queue": "evidence"}}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
SWEEP_INTERVAL_SECONDS = env_int("SWEEP_INTERVAL_SECONDS", 120, minimum=1)
PROCESSING_TIME_LIMIT_SECONDS = env_int("PROCESSING_TIME_LIMIT_SECONDS", 300, minimum=10)
# Retention (review/retention.py): days after receipt before the sealed originals (report
# ciphertext and uploaded files) and the cleaned attachment copies of a processed report are
# destroyed, unless a case holds the report. 0 keeps them for ever.
RETENTION_ORIGINALS_DAYS = env_int("RETENTION_ORIGINALS_DAYS", 365, minimum=0)
RETENTION_ATTACHMENTS_DAYS = env_int("RETENTION_ATTACHMENTS_DAYS", 365, minimum=0)

# --- Evidence: disclosure control, exports, packages, partner API ------------------------
# Smallest count published to each destination; smaller cells are suppressed (evidence.disclosure).
EVIDENCE_K_PUBLIC = env_int("EVIDENCE_K_PUBLIC", 10, minimum=2)
EVIDENCE_K_PARTNER = env_int("EVIDENCE_K_PARTNER", 5, minimum=2)
# Finished exports and packages wait here until their download link expires, then are deleted.
EVIDENCE_EXPORT_DIR = env_path("EVIDENCE_EXPORT_DIR", VAR_DIR / "exports")
EVIDENCE_EXPORT_TTL_HOURS = env_int("EVIDENCE_EXPORT_TTL_HOURS", 24, minimum=1)
# RFC 3161 time-stamping authority for evidence packages (optional): its URL and, to check its
# answers, the PEM certificate chain of its signing certificate.
EVIDENCE_TSA_URL = env_optional("EVIDENCE_TSA_URL")
EVIDENCE_TSA_CA_FILE = env_optional("EVIDENCE_TSA_CA_FILE")
# Partner API: requests per token, in DRF's throttle syntax.
EVIDENCE_API_RATE = env_rate("EVIDENCE_API_RATE", "120/minute")
if CELERY_BROKER_URL.split("://", 1)[0] in {"redis", "rediss", "redis+socket", "sentinel"}:
    # Redis has no real acks: a delivered message waits in an "unacked" set and comes back only
    # when a worker notices it is older than this (kombu's default is an hour). Our tasks ack late,
    # so a message must outlive the longest legitimate run: the hard limit of process_submission
    # (the soft limit + 30 s, see processing.tasks). Twice that plus a minute covers a task that
    # waited briefly in the prefetch buffer and a slow ack, while a worker killed outright gets
    # its work back in minutes (300 s limit: 12 min) even without the sweeper. A too-early
    # redelivery (a task still running, or a retry whose backoff countdown, up to 600 s, is longer)
    # only runs it twice, and the second run is a no-op: tasks claim rows by compare-and-set.
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = 2 * (PROCESSING_TIME_LIMIT_SECONDS + 30) + 60

# --- API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "testimony.intake.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Testimony intake API",
    "DESCRIPTION": "Anonymous, encrypted submission of testimony.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The partner API's docs page (evidence.api_urls): Swagger UI from this site, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging: no time, no address, no user agent ----------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s %(message)s"}},
    "filters": {"route_not_path": {"()": "config.logfilters.RequestPathAsRoute"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["route_not_path"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Its lines carry the request line only, but a probe could put anything in a URL.
        "django.server": {"level": "WARNING"},
        # Warns on every publish over the filesystem transport, which has no host by design.
        "kombu.connection": {"level": "ERROR"},
        # Lockouts are warnings; every successful login at INFO is noise (the audit log has them).
        "axes": {"level": "WARNING"},
    },
}
