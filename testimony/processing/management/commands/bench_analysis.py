"""manage.py bench_analysis [--count N] [--size CHARS] [--seed S] — analyse() speed and memory, no database.

Generates synthetic multilingual testimonies (testimony.processing.bench_texts), warms the models
up, then times ``analyse()`` on each text in this one process, as a worker process runs it. A
second pass over as many fresh texts under tracemalloc measures what the analysis itself allocates;
it is separate because tracing slows Python down several times and would distort the timings.
"""

from __future__ import annotations

import gc
import resource
import statistics
import sys
import time
import tracemalloc
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError

from testimony.analysis.pipeline import analyse
from testimony.processing.bench_texts import VARIANTS, samples


def _maxrss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


def _percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


class Command(BaseCommand):
    help = "Measure the analysis pipeline on synthetic ~1 KB testimonies in every language; no database."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300, help="texts to analyse (default 300)")
        parser.add_argument("--size", type=int, default=1024, help="characters per text (default 1024)")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count: int, size: int, seed: int, **options) -> None:
        if count < 1 or size < 1:
            raise CommandError("--count and --size must be positive")
        texts = list(samples(count, size=size, seed=seed))
        rss_before = _maxrss_mib()

        started = time.perf_counter()
        # One text per language and script (not timed below), so every model is loaded.
        for warm in samples(len(VARIANTS), size=size, seed=seed + 1):
            analyse(warm.text)
        warmup_s = time.perf_counter() - started
        rss_warm = _maxrss_mib()

        gc.collect()
        timings: list[float] = []
        by_variant: dict[str, list[float]] = defaultdict(list)
        started = time.perf_counter()
        for sample in texts:
            t0 = time.perf_counter()
            analyse(sample.text)
            elapsed = time.perf_counter() - t0
            timings.append(elapsed)
            by_variant[sample.variant].append(elapsed)
        total_s = time.perf_counter() - started

        # Fresh texts, not the timed ones again: the recognisers' caches grow with new words, as
        # they do in a worker, and that growth belongs in the figure.
        traced = list(samples(count, size=size, seed=seed + 2))
        gc.collect()
        tracemalloc.start()
        for sample in traced:
            analyse(sample.text)
        _current, analysis_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        ms = sorted(t * 1000 for t in timings)
        chars = [len(s.text) for s in texts]
        out = self.stdout.write
        out(f"texts: {count}, {statistics.mean(chars):.0f} characters on average (seed {seed})")
        out(f"warm-up (model loading, {len(VARIANTS)} texts): {warmup_s:.2f} s")
        out(f"analysis: {count} in {total_s:.2f} s = {count / total_s:.1f} reports/s")
        out(
            f"per report: p50 {_percentile(ms, 0.5):.1f} ms, p95 {_percentile(ms, 0.95):.1f} ms, "
            f"max {ms[-1]:.1f} ms, mean {statistics.mean(ms):.1f} ms"
        )
        for variant, values in by_variant.items():
            out(f"  {variant}: mean {statistics.mean(values) * 1000:.1f} ms over {len(values)}")
        out(
            f"memory: peak RSS (ru_maxrss) {_maxrss_mib():.0f} MiB: {rss_before:.0f} before the models, "
            f"{rss_warm:.0f} after warm-up; tracemalloc peak over {count} more analyses "
            f"{analysis_peak / 2**20:.2f} MiB"
        )
