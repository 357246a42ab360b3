"""``manage.py seed_evidence_bench --reports 1000000``: fake processed reports for the evidence benchmarks.

Writes N synthetic reports (``evidence.bench_data.seed_reports``: COPY on PostgreSQL; a million
in about 2½ minutes on 2 CPUs) into the organisation that runs the intake (made if missing), then
``VACUUM ANALYZE``. The reports' texts are sealed, so the keys must exist (``manage.py
init_keys``, as for any deployment). Refuses a database that already holds reports unless given
``--yes``: the rows are fake. Use a database of its own::

    createdb -h 127.0.0.1 -U postgres bench_evidence
    manage.py seed_evidence_bench --database-url postgres://postgres@127.0.0.1:5432/bench_evidence \\
        --migrate --reports 1000000
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection

from testimony.evidence.bench_data import analyse, prepare_bench_database, seed_reports


def bench_organisation():
    """The organisation the seeded reports belong to: the intake one, made if the database has none."""
    from testimony.accounts.models import Organisation

    return Organisation.objects.filter(receives_intake=True).first() or Organisation.objects.create(
        name="Bench organisation", receives_intake=True
    )


class Command(BaseCommand):
    help = "Seed N fake processed reports (COPY on PostgreSQL) for the aggregate and export benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=1, help="random seed of the distributions")
        parser.add_argument("--batch", type=int, default=50_000, help="rows per COPY transaction")
        parser.add_argument("--database-url", help="use this database instead of DATABASE_URL")
        parser.add_argument("--migrate", action="store_true", help="run migrations first")
        parser.add_argument("--yes", action="store_true", help="seed even though the database holds reports")

    def handle(self, *args, reports, seed, batch, database_url, migrate, yes, **options):
        from testimony.review.models import Report

        prepare_bench_database(database_url=database_url, migrate=migrate, may_hold_reports=yes)
        name = connection.settings_dict["NAME"]
        self.stdout.write(f"Seeding {reports:,} reports into {connection.vendor} ({name})…")
        began = time.perf_counter()
        organisation = bench_organisation()
        seed_reports(reports, organisation=organisation, seed=seed, batch=batch, log=self.stdout.write)
        seeded = time.perf_counter() - began
        analyse()
        self.stdout.write(
            f"Seeded in {seeded:.0f} s ({reports / seeded if seeded else 0:,.0f} reports/s), "
            f"then VACUUM ANALYZE in {time.perf_counter() - began - seeded:.0f} s; "
            f"{Report.objects.count():,} reports in the database."
        )
