"""Submissions per second on the real stack: gunicorn, PostgreSQL, Redis and a Celery worker.

Starts its own web and worker processes against a scratch PostgreSQL database, sends N
client-encrypted submissions from C concurrent clients, and reports how many the web accepted
per second and how long the worker took to process them all. The receipt KDF runs with the
production parameters, which is most of the web's cost per submission.

    .venv/bin/python benchmarks/submissions.py [--count 300] [--clients 16]
      (env: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres,
            BENCH_REDIS_URL=redis://127.0.0.1:6379/13)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import post_json, scratch_stack


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()

    with scratch_stack(
        database="testimony_bench", redis_default="redis://127.0.0.1:6379/13", port=args.port
    ) as stack:
        from testimony.intake.models import Submission
        from tests.conftest import valid_report

        print(f"Preparing {args.count} encrypted reports and proofs of work...", flush=True)
        bodies = stack.encrypted_submissions([valid_report(account=f"Отчёт {n}") for n in range(args.count)])
        stack.start_web()
        stack.start_worker(concurrency=2)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            statuses = list(pool.map(lambda body: post_json(stack.submissions_url, body), bodies))
        accepted_in = time.perf_counter() - started
        assert statuses.count(201) == args.count, statuses
        while Submission.objects.filter(status="processed").count() < args.count:
            if time.perf_counter() - started > 600:
                raise SystemExit("worker did not finish within 10 minutes")
            time.sleep(0.2)
        processed_in = time.perf_counter() - started

        rate, latency = args.count / accepted_in, accepted_in / args.count * args.clients * 1000
        workers = stack.env["GUNICORN_WORKERS"]
        print(f"machine: {os.cpu_count()} cores; gunicorn {workers} workers; Celery 2 processes")
        print(f"submissions accepted: {args.count} in {accepted_in:.2f} s = {rate:.1f} per second")
        print(f"  mean latency with {args.clients} concurrent clients: {latency:.0f} ms")
        done_rate = args.count / processed_in
        print(f"all processed by the worker after {processed_in:.2f} s = {done_rate:.1f} per second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
