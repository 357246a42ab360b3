"""End to end on the real stack: API → PostgreSQL → Redis → worker running the full analysis pipeline.

Like benchmarks/submissions.py (same set-up: a scratch PostgreSQL database, its own gunicorn and
Celery worker, production KDF parameters, proof of work solved before the clock starts), but the
reports carry realistic ~1 KB accounts in every language (testimony.processing.bench_texts), so
the worker decrypts, redacts, geocodes, tags and seals each one. The worker is warmed up first
(each pool process loads the analysis models inside its first task), then N submissions are sent
from C concurrent clients and the clock runs until the worker has processed them all.

Prints submissions accepted per second, end-to-end processed per second, and the worker's time
per report (task run time from its log: p50, p95, mean).

    .venv/bin/python benchmarks/pipeline_e2e.py [--count 100] [--clients 16] [--size 1024] [--concurrency 2]
      (env: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres,
            BENCH_REDIS_URL=redis://127.0.0.1:6379/12)
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import post_json, scratch_stack

DATABASE = "testimony_bench_e2e"
_TASK_DONE = re.compile(
    r"Task processing\.process_submission\[[0-9a-f-]+\] succeeded in ([0-9.e-]+)s: 'processed'"
)


def _percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))]


def _wait_processed(submission_model, count: int, started: float, limit: float = 900) -> float:
    while submission_model.objects.filter(status="processed").count() < count:
        failed = submission_model.objects.filter(status="failed").count()
        if failed:
            raise SystemExit(f"{failed} submissions failed; see the worker log")
        if time.perf_counter() - started > limit:
            raise SystemExit(f"the worker did not finish within {limit:.0f} s")
        time.sleep(0.1)
    return time.perf_counter() - started


def _task_times(log: Path, at_least: int) -> list[float]:
    """Run times of the processed tasks in the worker log, once it holds ``at_least`` of them.

    A task commits its row before Celery logs its success, so the log can lag the database a little.
    """
    for _ in range(100):
        times = [float(t) for t in _TASK_DONE.findall(log.read_text(errors="replace"))]
        if len(times) >= at_least:
            return times
        time.sleep(0.1)
    raise SystemExit(f"the worker log shows {len(times)} processed tasks, expected {at_least}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--size", type=int, default=1024, help="characters per account")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--port", type=int, default=8792)
    args = parser.parse_args()

    with scratch_stack(database=DATABASE, redis_default="redis://127.0.0.1:6379/12", port=args.port) as stack:
        from testimony.intake.models import Submission
        from testimony.processing.bench_texts import samples
        from tests.conftest import valid_report

        warmups = 2 * args.concurrency
        print(f"Preparing {warmups} + {args.count} encrypted reports and proofs of work...", flush=True)
        texts = list(samples(warmups + args.count, size=args.size, seed=11))
        chars = [len(sample.text) for sample in texts]
        bodies = stack.encrypted_submissions(
            [valid_report(account=sample.text, language=sample.language) for sample in texts]
        )
        warmup_bodies, bodies = bodies[:warmups], bodies[warmups:]
        worker_log = stack.var / "worker.log"
        stack.start_web()
        stack.start_worker(concurrency=args.concurrency, log=worker_log)
        url = stack.submissions_url

        # Warm-up: sent together, so every pool process gets one while the others load their models.
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=warmups) as pool:
            assert list(pool.map(lambda body: post_json(url, body), warmup_bodies)) == [201] * warmups
        warmup_s = _wait_processed(Submission, warmups, started)
        cold = _task_times(worker_log, warmups)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            statuses = list(pool.map(lambda body: post_json(url, body), bodies))
        accepted_in = time.perf_counter() - started
        assert statuses.count(201) == args.count, statuses
        processed_in = _wait_processed(Submission, warmups + args.count, started)

        runs = sorted(t * 1000 for t in _task_times(worker_log, warmups + args.count)[len(cold) :])
        accepted_rate, processed_rate = args.count / accepted_in, args.count / processed_in
        latency = accepted_in / args.count * args.clients * 1000
        mean_chars = statistics.mean(chars)
        print(
            f"machine: {os.cpu_count()} cores; gunicorn {stack.env['GUNICORN_WORKERS']} workers; "
            f"Celery {args.concurrency} processes; accounts of {mean_chars:.0f} characters on average"
        )
        print(
            f"worker warm-up: {warmups} submissions processed after {warmup_s:.1f} s "
            f"(task times, model loading included: {', '.join(f'{t:.1f} s' for t in cold)})"
        )
        print(f"submissions accepted: {args.count} in {accepted_in:.2f} s = {accepted_rate:.1f} per second")
        print(f"  mean latency with {args.clients} concurrent clients: {latency:.0f} ms")
        print(
            f"all processed by the worker after {processed_in:.2f} s "
            f"= {processed_rate:.1f} per second, end to end"
        )
        mean_ms = statistics.mean(runs)
        print(
            f"worker time per report ({len(runs)} tasks): p50 {_percentile(runs, 0.5):.0f} ms, "
            f"p95 {_percentile(runs, 0.95):.0f} ms, mean {mean_ms:.0f} ms "
            f"(at most {args.concurrency / mean_ms * 1000:.1f} reports/s with {args.concurrency} processes)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
