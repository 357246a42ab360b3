"""Submissions per second on the real stack: gunicorn, PostgreSQL, Redis and a Celery worker.

Starts its own web and worker processes against a scratch PostgreSQL database, sends N
client-encrypted submissions from C concurrent clients, and reports how many the web accepted
per second and how long the worker took to decrypt them all. The receipt KDF runs with the
production parameters (Argon2id, 19 MiB, 2 passes), which is most of the server's cost.
Proof of work is solved before the clock starts: it is the sender's cost, not the server's.

    .venv/bin/python benchmarks/submissions.py [--count 300] [--clients 16]
      (env: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres,
            BENCH_REDIS_URL=redis://127.0.0.1:6379/13)
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def _post(url: str, body: dict) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()

    admin_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    database_url = urlunparse(urlparse(admin_url)._replace(path="/testimony_bench"))
    var = Path(tempfile.mkdtemp(prefix="testimony-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": str(var),
        "KEYS_DIR": str(var / "keys"),
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "REDIS_URL": redis_url,
        "POW_DIFFICULTY": "12",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "4"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("AGE_IDENTITY_FILE", None)
    processes = []
    try:
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS testimony_bench")
            admin.execute("CREATE DATABASE testimony_bench")
        subprocess.run(
            [str(BIN / "python"), "manage.py", "init_keys"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        subprocess.run([str(BIN / "python"), "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([str(BIN / "python"), "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
        subprocess.run(["redis-cli", "-u", redis_url, "flushdb"], check=False, capture_output=True)

        os.environ.update(env)
        import django

        django.setup()
        from testimony.crypto import age, padding
        from testimony.intake import pow
        from testimony.intake.models import Submission
        from tests.conftest import valid_report

        print(f"Preparing {args.count} encrypted reports and proofs of work...", flush=True)
        bodies = []
        for n in range(args.count):
            challenge = pow.issue()
            ciphertext = age.encrypt_to_intake(padding.pad_report(valid_report(account=f"Отчёт {n}")))
            bodies.append(
                {
                    "pow": {
                        "challenge": challenge.token,
                        "nonce": pow.solve(challenge.token, challenge.difficulty),
                    },
                    "ciphertext": base64.b64encode(ciphertext).decode(),
                }
            )

        processes.append(
            subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application"],
                cwd=ROOT,
                env=env,
            )
        )
        worker_env = {**env, "AGE_IDENTITY_FILE": str(var / "keys" / "intake_identity.age")}
        processes.append(
            subprocess.Popen(
                [str(BIN / "celery"), "-A", "config", "worker", "--loglevel=WARNING", "--concurrency=2"],
                cwd=ROOT,
                env=worker_env,
            )
        )
        url = f"http://127.0.0.1:{args.port}/api/v1/submissions/"
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/api/v1/challenges/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            statuses = list(pool.map(lambda body: _post(url, body), bodies))
        accepted_in = time.perf_counter() - started
        assert statuses.count(201) == args.count, statuses
        while Submission.objects.filter(status="processed").count() < args.count:
            if time.perf_counter() - started > 600:
                raise SystemExit("worker did not finish within 10 minutes")
            time.sleep(0.2)
        processed_in = time.perf_counter() - started

        rate, latency = args.count / accepted_in, accepted_in / args.count * args.clients * 1000
        print(
            f"machine: {os.cpu_count()} cores; gunicorn {env['GUNICORN_WORKERS']} workers; Celery 2 processes"
        )
        print(f"submissions accepted: {args.count} in {accepted_in:.2f} s = {rate:.1f} per second")
        print(f"  mean latency with {args.clients} concurrent clients: {latency:.0f} ms")
        done_rate = args.count / processed_in
        print(f"all decrypted by the worker after {processed_in:.2f} s = {done_rate:.1f} per second")
        return 0
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
