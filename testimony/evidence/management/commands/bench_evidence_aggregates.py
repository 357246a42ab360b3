"""``manage.py bench_evidence_aggregates``: time the dashboard's tables on seeded reports.

Each table is counted by ``evidence.aggregates`` (``count_table``, or ``published_table(s)`` where a
destination is named) over an analyst's ``evidence_reports`` (default filters: verified reports),
``--repeat`` times after two warm-up runs; the figures are the whole call (query, transfer,
building the table) in this process. Last, disclosure control alone (``disclosure.protect``, no
database) on a 200 x 120 table with a small cell in every row, the size docs/disclosure.md
speaks of. ``--explain`` prints PostgreSQL's plan of each table's query once::

    manage.py bench_evidence_aggregates --database-url postgres://postgres@127.0.0.1:5432/bench_evidence
"""

from __future__ import annotations

import os
import random
import statistics
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from testimony.evidence import disclosure
from testimony.evidence.aggregates import (
    EvidenceFilters,
    count_table,
    evidence_reports,
    published_table,
    published_tables,
)
from testimony.evidence.bench_data import use_database_url
from testimony.evidence.views import dashboard


def _last_months(count: int) -> tuple[str, str]:
    import datetime as dt

    today = dt.date.today()
    year, month = today.year, today.month - (count - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}", today.strftime("%Y-%m")


DASHBOARD = tuple(dimension for dimension, _heading in dashboard.TABLES)
PROTECT_ONLY = "protect"  # a case's "rows": disclosure control alone, on _wide_table()


def _wide_table() -> disclosure.Table:
    """200 x 120 counts of 10 to 500 with one count under 10 in every row (fixed seed)."""
    generator = random.Random(5)  # noqa: S311 - reproducible bench data, not secrets
    cells = {
        (f"r{row}", f"c{column}"): generator.randint(10, 500) for row in range(200) for column in range(120)
    }
    for row in range(200):
        cells[(f"r{row}", f"c{row % 120}")] = generator.randint(1, 9)
    return disclosure.Table(rows="kind", columns="tag", cells=cells)


def _cpu_seconds(stat: Path) -> float:
    """User plus system CPU time of a process, from /proc/<pid>/stat (fields 14 and 15)."""
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _figures(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
        f"max {ordered[-1] * 1000:7.1f} ms"
    )


class _Statements:
    """The statements run, each with the hash join setting it ran under (aggregates turn hash
    joins off for statements joining the tags), so ``--explain`` plans them as they ran."""

    def __init__(self):
        self.seen: list[tuple[str, tuple, str]] = []

    def __call__(self, execute, sql, params, many, context):
        # Asked on the driver's connection, below Django's cursor wrappers and so this one.
        hashjoin = context["connection"].connection.execute("SHOW enable_hashjoin").fetchone()[0]
        self.seen.append((sql, params, hashjoin))
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Time the evidence dashboard's aggregate tables (p50/p95) on the seeded reports."

    def add_arguments(self, parser):
        parser.add_argument("--database-url", help="use this database instead of DATABASE_URL")
        parser.add_argument("--repeat", type=int, default=20, help="timed runs per table")
        parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each query")
        parser.add_argument(
            "--only", default="", help="time only the tables whose label contains this text (e.g. 'tag=')"
        )

    def handle(self, *args, database_url, repeat, explain, only, **options):
        from testimony.accounts.models import Organisation, User

        if database_url:
            use_database_url(database_url)
        organisation = Organisation.objects.filter(receives_intake=True).first()
        if organisation is None:
            raise CommandError("No intake organisation: run seed_evidence_bench first.")
        analyst, _created = User.objects.get_or_create(
            username="bench_analyst", defaults={"role": "analyst", "organisation": organisation}
        )
        reports = evidence_reports(analyst)
        total = reports.count()
        counted = count_table(reports=reports, filters=EvidenceFilters(), rows="state")
        out = self.stdout.write
        out(
            f"{connection.vendor} ({connection.settings_dict['NAME']}): {total:,} reports in the "
            f"analyst's scope, {sum(counted.cells.values()):,} verified (counted by default)."
        )
        year_from, year_to = _last_months(12)
        raid_last_year = EvidenceFilters(kind="raid", month_from=year_from, month_to=year_to)
        cases = [
            ("by region", "region", None, EvidenceFilters(), None),
            ("by month", "month", None, EvidenceFilters(), None),
            ("by kind", "kind", None, EvidenceFilters(), None),
            ("by nationality", "nationality", None, EvidenceFilters(), None),
            ("region x month", "region", "month", EvidenceFilters(), None),
            ("kind x month", "kind", "month", EvidenceFilters(), None),
            ("by tag", "tag", None, EvidenceFilters(), None),
            ("by perpetrator", "perpetrator", None, EvidenceFilters(), None),
            ("perpetrator x month", "perpetrator", "month", EvidenceFilters(), None),
            ("region, raid, last 12 months", "region", None, raid_last_year, None),
            ("month, perpetrator=police", "month", None, EvidenceFilters(perpetrator="police"), None),
            ("region, tag=raid (and sub-tags)", "region", None, EvidenceFilters(tag="raid"), None),
            ("public: region x quarter, k=10", "region", "quarter", EvidenceFilters(), "public"),
            # The dashboard's six tables, one call each, then together as the dashboard counts them.
            ("dashboard: 6 tables one by one", DASHBOARD, "each", EvidenceFilters(), "internal"),
            ("dashboard: 6 tables together", DASHBOARD, "together", EvidenceFilters(), "internal"),
            ("protect only: 200 x 120, public k", PROTECT_ONLY, None, None, "public"),
        ]
        out(
            f"\nEach table {repeat} times after warm-up (whole call: query and building the table); "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs. 'Server CPU' is the "
            f"PostgreSQL backend's CPU time for one run with parallel workers off (all the work, "
            f"whatever else the machine is doing; local servers only)."
        )
        cases = [case for case in cases if only in case[0]]
        if not cases:
            raise CommandError(f"No table's label contains {only!r}.")
        wide = _wide_table()
        for label, rows, columns, filters, destination in cases:

            def run(rows=rows, columns=columns, filters=filters, destination=destination):
                if rows == PROTECT_ONLY:
                    return disclosure.protect(wide, disclosure.policy_for(destination))
                if columns == "each":
                    for dimension in rows:
                        table = published_table(
                            reports=reports, filters=filters, rows=dimension, destination=destination
                        )
                    return table
                if columns == "together":
                    tables = published_tables(
                        reports=reports, filters=filters, dimensions=rows, destination=destination
                    )
                    return tables[rows[-1]]
                if destination:
                    return published_table(
                        reports=reports, filters=filters, rows=rows, columns=columns, destination=destination
                    )
                return count_table(reports=reports, filters=filters, rows=rows, columns=columns)

            for _ in range(2):
                table = run()
            samples = []
            for _ in range(repeat):
                began = time.perf_counter()
                run()
                samples.append(time.perf_counter() - began)
            cpu = self._server_cpu(run) if rows != PROTECT_ONLY else None
            cpu_text = f"   server CPU {cpu * 1000:6.0f} ms" if cpu is not None else ""
            out(f"  {label:34s} {_figures(samples)}{cpu_text}   {len(table.cells):5d} cells")
            if explain and connection.vendor == "postgresql" and rows != PROTECT_ONLY:
                self._explain(run)

    def _server_cpu(self, run, runs: int = 3) -> float | None:
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
            if not stat.exists():  # the server runs on another machine
                return None
            cursor.execute("SET max_parallel_workers_per_gather = 0")
        try:
            run()
            began = _cpu_seconds(stat)
            for _ in range(runs):
                run()
            return (_cpu_seconds(stat) - began) / runs
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET max_parallel_workers_per_gather")

    def _explain(self, run) -> None:
        statements = _Statements()
        with connection.execute_wrapper(statements):
            run()
        sql, params, hashjoin = next(seen for seen in reversed(statements.seen) if "GROUP BY" in seen[0])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('enable_hashjoin', %s, true)", [hashjoin])
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            for (line,) in cursor.fetchall():
                self.stdout.write("      " + line)
