"""Integration fixtures: the real PostgreSQL and Redis, a gunicorn web process and a Celery worker.

Run by scripts/test.sh with ``--ds=config.settings`` and DATABASE_URL, CELERY_BROKER_URL, REDIS_URL
and KEYS_DIR set. pytest-django creates the test database; the web and worker processes are
pointed at it. Only the worker gets the intake identity.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from testimony.crypto import age, padding
from tests.conftest import solved_challenge

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
# An address and a browser that must never be stored or logged (test_intake_pipeline looks).
CLIENT_HEADERS = {"User-Agent": "MarkerBrowser/7.7 (IT-UA-91)", "X-Forwarded-For": "203.0.113.99"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.25, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


@dataclass
class Platform:
    """A running web and worker pair."""

    base_url: str
    env: dict
    logs: Path
    processes: list = field(default_factory=list)
    worker: subprocess.Popen | None = None

    def start_worker(self, *, log_name: str = "worker.log") -> subprocess.Popen:
        """Start a Celery worker with the beat sweeper; only it gets the intake identity.

        In a process group of its own, so that ``kill_worker`` takes its pool children and the
        embedded beat down with it (and never the test run).
        """
        worker_env = {**self.env, "AGE_IDENTITY_FILE": str(Path(settings.KEYS_DIR) / "intake_identity.age")}
        worker_log = open(self.logs / log_name, "ab")  # noqa: SIM115 - closed with the process
        self.worker = subprocess.Popen(
            [
                str(VENV_BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--beat",
                "--queues=celery,evidence",
                "--loglevel=INFO",
                "--concurrency=2",
                "--schedule",
                str(self.logs / f"{Path(log_name).stem}.beat-schedule"),
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=worker_env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(self.worker)
        return self.worker

    def kill_worker(self) -> None:
        """SIGKILL the worker's whole process group: no warm shutdown, no ack, no requeue."""
        assert self.worker is not None
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(timeout=15)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def log_text(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.logs.glob("*.log"))


def post_ciphertext(platform: Platform, ciphertext: bytes) -> tuple[int, dict]:
    """POST an age ciphertext to the submissions API, as the page does; returns (status, body)."""
    body = {"pow": solved_challenge(), "ciphertext": base64.b64encode(ciphertext).decode()}
    return platform.request("POST", "/api/v1/submissions/", body, CLIENT_HEADERS)


def submit_report(platform: Platform, report: dict) -> tuple[int, dict]:
    """Pad and encrypt ``report`` to the intake recipient, then post it (``post_ciphertext``)."""
    return post_ciphertext(platform, age.encrypt_to_intake(padding.pad_report(report)))


def start_platform(
    *, broker_url: str, logs: Path, extra_env: dict | None = None, worker: bool = True
) -> Platform:
    """Start the web process and, unless ``worker=False``, a worker; ``extra_env`` overrides both."""
    logs.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "SWEEP_INTERVAL_SECONDS": "3",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "LOG_LEVEL": "INFO",
        **(extra_env or {}),
    }
    env.pop("AGE_IDENTITY_FILE", None)
    platform = Platform(base_url=f"http://127.0.0.1:{port}", env=env, logs=logs)
    web_log = open(logs / "web.log", "ab")  # noqa: SIM115 - closed with the process
    platform.processes.append(
        subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=web_log,
            stderr=subprocess.STDOUT,
        )
    )
    if worker:
        platform.start_worker()

    def web_up():
        try:
            return platform.request("GET", "/api/v1/challenges/")[0] == 200
        except (urllib.error.URLError, ConnectionError):
            return False

    try:
        wait_for(web_up, timeout=60, what="the web process")
    except AssertionError:
        platform.stop()
        raise AssertionError("web did not start:\n" + platform.log_text()) from None
    return platform


@pytest.fixture(scope="session")
def integration_logs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("integration-logs")


@pytest.fixture(scope="module")
def platform(django_db_setup, django_db_blocker, integration_logs):
    """Web and worker on the machine's real Redis broker.

    Module-scoped: a test that needs to be the only worker on the database (the broker outage)
    lives in a module of its own, so this pair is stopped before it runs.
    """
    running = start_platform(broker_url=settings.CELERY_BROKER_URL, logs=integration_logs / "main")
    yield running
    running.stop()


@dataclass
class PrivateRedis:
    """A redis-server of our own, so a test can stop the broker and start it again."""

    port: int
    directory: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def accepting():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                return False

        wait_for(accepting, timeout=15, what="redis-server")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed to stop and restart a broker")
    redis = PrivateRedis(port=free_port(), directory=tmp_path)
    redis.start()
    yield redis
    redis.stop()
