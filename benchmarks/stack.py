"""A scratch copy of the real stack for benchmarks: PostgreSQL database, keys, gunicorn, Celery.

Shared by benchmarks/submissions.py and benchmarks/pipeline_e2e.py. Production settings (KDF
included); only the proof-of-work difficulty is lowered, because solving it is the sender's cost.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def post_json(url: str, body: dict) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status


@dataclass
class Stack:
    env: dict
    var: Path
    port: int
    processes: list = field(default_factory=list)

    @property
    def submissions_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1/submissions/"

    def start_web(self) -> None:
        self.processes.append(
            subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application"],
                cwd=ROOT,
                env=self.env,
            )
        )
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v1/challenges/", timeout=2)
                return
            except OSError:
                time.sleep(0.5)
        raise SystemExit("the web process did not start")

    def start_worker(self, *, concurrency: int, log: Path | None = None) -> None:
        """Only the worker gets the intake identity, as in production."""
        env = {**self.env, "AGE_IDENTITY_FILE": str(self.var / "keys" / "intake_identity.age")}
        if log:
            env["LOG_LEVEL"] = "INFO"
        command = [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            f"--loglevel={'INFO' if log else 'WARNING'}",
        ]
        output = open(log, "ab") if log else None  # noqa: SIM115 - closed when the process ends
        self.processes.append(
            subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT if log else None
            )
        )

    def encrypted_submissions(self, reports: list[dict]) -> list[dict]:
        """API bodies with client-side age ciphertext and solved proofs of work, made in this process."""
        from testimony.crypto import age, padding
        from testimony.intake import pow

        bodies = []
        for report in reports:
            challenge = pow.issue()
            bodies.append(
                {
                    "pow": {
                        "challenge": challenge.token,
                        "nonce": pow.solve(challenge.token, challenge.difficulty),
                    },
                    "ciphertext": base64.b64encode(
                        age.encrypt_to_intake(padding.pad_report(report))
                    ).decode(),
                }
            )
        return bodies


@contextmanager
def scratch_stack(*, database: str, redis_default: str, port: int) -> Iterator[Stack]:
    """Create the database and keys, migrate, point this process's Django at them; stop everything after."""
    admin_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    redis_url = os.environ.get("BENCH_REDIS_URL", redis_default)
    var = Path(tempfile.mkdtemp(prefix="testimony-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": str(var),
        "KEYS_DIR": str(var / "keys"),
        "DATABASE_URL": urlunparse(urlparse(admin_url)._replace(path=f"/{database}")),
        "CELERY_BROKER_URL": redis_url,
        "REDIS_URL": redis_url,
        "POW_DIFFICULTY": "12",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "4"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("AGE_IDENTITY_FILE", None)
    stack = Stack(env=env, var=var, port=port)
    try:
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database}")
            admin.execute(f"CREATE DATABASE {database}")
        manage = [str(BIN / "python"), "manage.py"]
        subprocess.run([*manage, "init_keys"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "createcachetable"], cwd=ROOT, env=env, check=True)
        subprocess.run(["redis-cli", "-u", redis_url, "flushdb"], check=False, capture_output=True)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        yield stack
    finally:
        for process in stack.processes:
            process.terminate()
        for process in stack.processes:
            process.wait(timeout=30)
        shutil.rmtree(var, ignore_errors=True)
