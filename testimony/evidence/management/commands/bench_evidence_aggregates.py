"""``manage.py bench_evidence_aggregates``: time the dashboard's tables on seeded reports.

Each table is counted as the dashboard counts it (``evidence.aggregates.count_table`` over an
analyst's ``evidence_reports``, default filters: verified reports), ``--repeat`` times after
two warm-up runs; the figures are the whole call (query, transfer, building the table) in this
process. ``--explain`` prints PostgreSQL's plan of each table's query once::

    manage.py bench_evidence_aggregates --database-url postgres://postgres@127.0.0.1:5432/bench_evidence
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from testimony.evidence.aggregates import EvidenceFilters, count_table, evidence_reports, published_table
from testimony.evidence.bench_data import use_database_url


def _last_months(count: int) -> tuple[str, str]:
    import datetime as dt

    today = dt.date.today()
    year, month = today.year, today.month - (count - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}", today.strftime("%Y-%m")


def _figures(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
        f"max {ordered[-1] * 1000:7.1f} ms"
    )


class _Statements:
    def __init__(self):
        self.seen: list[tuple[str, tuple]] = []

    def __call__(self, execute, sql, params, many, context):
        self.seen.append((sql, params))
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Time the evidence dashboard's aggregate tables (p50/p95) on the seeded reports."

    def add_arguments(self, parser):
        parser.add_argument("--database-url", help="use this database instead of DATABASE_URL")
        parser.add_argument("--repeat", type=int, default=20, help="timed runs per table")
        parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each query")

    def handle(self, *args, database_url, repeat, explain, **options):
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
        ]
        out(f"\nEach table {repeat} times after warm-up (whole call: query and building the table):")
        for label, rows, columns, filters, destination in cases:

            def run(rows=rows, columns=columns, filters=filters, destination=destination):
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
            out(f"  {label:34s} {_figures(samples)}   {len(table.cells):5d} cells")
            if explain and connection.vendor == "postgresql":
                self._explain(run)

    def _explain(self, run) -> None:
        statements = _Statements()
        with connection.execute_wrapper(statements):
            run()
        sql, params = statements.seen[-1]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            for (line,) in cursor.fetchall():
                self.stdout.write("      " + line)
