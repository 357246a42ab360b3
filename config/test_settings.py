"""Unit-test settings: SQLite, eager tasks, a fast KDF and generated keys.

Integration tests do not use this module; they run against config.settings with a real
PostgreSQL, Redis and Celery worker.
"""

import base64
import os
import tempfile
from pathlib import Path

import pyrage

os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="testimony-unit-"))

from config.settings import *  # noqa: F403

_identity = pyrage.x25519.Identity.generate()
# A folder of this process's own: a child process that loads these settings must not replace it.
_identity_file = Path(tempfile.mkdtemp(prefix="testimony-identity-")) / "test_identity.txt"
_identity_file.write_text(str(_identity) + "\n")
_identity_file.chmod(0o600)

SECRET_KEY = "unit-tests-only-" + base64.b64encode(os.urandom(24)).decode()
AGE_RECIPIENT = str(_identity.to_public())
AGE_IDENTITY_FILE = str(_identity_file)
DATA_KEYS = [base64.b64encode(os.urandom(32)).decode()]
RECEIPT_PEPPER = base64.b64encode(os.urandom(32)).decode()

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(Path(os.environ["VAR_DIR"]) / "unit.sqlite3"),
        # As in the embedded (SQLite) settings: deleted content is zeroed (tests read the file
        # after retention), and a transaction takes the write lock when it begins, so the live
        # server's thread and the test's wait for each other instead of failing "database is
        # locked" when a read transaction tries to become a write.
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA secure_delete = ON",
        },
    }
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
RECEIPT_KDF_MEMORY_KIB = 64
RECEIPT_KDF_ITERATIONS = 1
RECEIPT_KDF_LANES = 1
POW_DIFFICULTY = 4
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STATIC_ROOT = Path(os.environ["VAR_DIR"]) / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# A file-backed test database, so privacy tests can read the bytes that reached the disk.
DATABASES["default"]["TEST"] = {"NAME": str(Path(os.environ["VAR_DIR"]) / "unit-test.sqlite3")}
