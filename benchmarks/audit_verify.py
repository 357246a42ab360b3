"""What verifying the audit chain costs: the full walk, and the log page's bounded check.

Fills a scratch database with a chain of fake entries (nothing else), then times
``audit_chain_check`` (what ``manage.py verify_audit`` and the periodic task run) and
``audit_chain_recent`` (the log page's "Verify chain") after a checkpoint, with a few entries
since it and with more than ``PAGE_VERIFY_LIMIT``. Prints entries read and queries, which do
not depend on the machine, beside the times, which do.

    .venv/bin/python benchmarks/audit_verify.py [--entries 200000]
    .venv/bin/python benchmarks/audit_verify.py --database-url postgres://postgres@127.0.0.1:5432/scratch

Without ``--database-url`` it uses a new SQLite file under a temporary folder (unit-test
settings). A database URL must name a scratch database: the command refuses one that already
holds audit entries, and migrates it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from testimony.audit import selectors  # noqa: E402
from testimony.audit.chain import GENESIS, digest, entry_fields  # noqa: E402
from testimony.audit.models import AuditEntry  # noqa: E402
from testimony.audit.services import audit_checkpoint_record, audit_key, audit_record  # noqa: E402
from testimony.evidence.bench_data import use_database_url  # noqa: E402

BATCH = 5000


def fill(count: int) -> None:
    """Append ``count`` chained entries shaped like real ones (a report view with a few details)."""
    key = audit_key()
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "digest").first()
    seq, previous = last if last else (0, GENESIS)
    start = timezone.now() - dt.timedelta(days=30)
    batch = []
    for n in range(count):
        seq += 1
        entry = AuditEntry(
            seq=seq,
            at=start + dt.timedelta(seconds=seq),
            actor_id=7,
            actor="reviewer",
            action="report.view",
            object_type="report",
            object_id=f"{seq:032x}",
            details={"case": n % 97, "via": "queue"},
            previous=previous,
        )
        entry.digest = previous = digest(key, previous, entry_fields(entry))
        batch.append(entry)
        if len(batch) == BATCH:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    if batch:
        AuditEntry.objects.bulk_create(batch)


def timed(run):
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - began
    return result, seconds, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument(
        "--since", type=int, default=2_000, help="entries after the checkpoint, below the limit"
    )
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if args.database_url:
        use_database_url(args.database_url)
    call_command("migrate", verbosity=0)
    if AuditEntry.objects.exists():
        raise SystemExit("This database already holds audit entries: use a scratch database.")

    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1 and 5 min), {connection.vendor}")
    began = time.perf_counter()
    fill(args.entries)
    print(f"filled {args.entries} entries in {time.perf_counter() - began:.1f} s")

    check, seconds, queries = timed(selectors.audit_chain_check)
    assert check.intact, check.problems
    print(
        f"full walk (verify_audit, periodic task): {check.head_seq} entries, {seconds:.2f} s, "
        f"{check.head_seq / seconds:,.0f} entries/s, {queries} queries"
    )
    audit_checkpoint_record(check=check, by="benchmark")

    with transaction.atomic():
        for _ in range(args.since):
            audit_record(actor=None, action="report.view", object_type="report", object_id="x")
    recent, seconds, queries = timed(selectors.audit_chain_recent)
    assert recent.intact, recent.problems
    print(
        f"page check, {args.since} entries since the checkpoint: {recent.entries_read} entries read, "
        f"{seconds:.3f} s, {queries} queries"
    )

    fill(selectors.PAGE_VERIFY_LIMIT + 1000)
    recent, seconds, queries = timed(selectors.audit_chain_recent)
    assert not recent.damaged, recent.problems
    assert recent.unverified, recent
    print(
        f"page check at its limit ({selectors.PAGE_VERIFY_LIMIT}, {recent.unverified} left unverified): "
        f"{recent.entries_read} entries read, {seconds:.3f} s, {queries} queries"
    )


if __name__ == "__main__":
    main()
