"""Exports on the real stack: PostgreSQL, Redis and a Celery worker on the ``evidence`` queue.

The job is asked for through the service (as the console's form does), enqueued on commit to the
real broker, and written by the worker process into the shared export directory; the test reads
the file the way a partner would.
"""

from __future__ import annotations

import csv
import hashlib
import io

import pytest

from testimony.accounts.models import Organisation, User
from testimony.audit.models import AuditEntry
from testimony.evidence import fields as fx
from testimony.evidence import jobs
from testimony.evidence.bench_data import seed_reports
from testimony.evidence.models import ExportJob
from testimony.evidence.services.exports import export_create
from testimony.review.filters import QueueFilters
from testimony.review.selectors import reports_in_scope
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

REPORTS = 3000


@pytest.fixture
def coordinator(seeded_taxonomy):
    # The seeder tags reports with the migration's taxonomy.
    organisation = Organisation.objects.create(name="Export organisation", receives_intake=True)
    seed_reports(REPORTS, organisation=organisation, seed=7, batch=1000)
    return User.objects.create(username="export_coordinator", role="coordinator", organisation=organisation)


def _finished(job_id):
    job = ExportJob.objects.get(pk=job_id)
    return job if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED) else None


def test_the_worker_writes_a_partner_csv_of_every_report_in_scope(platform, coordinator):
    job = export_create(
        user=coordinator,
        destination="partner",
        level="reports",
        format="csv",
        parameters={"filters": QueueFilters(kind="raid")},
    )
    job = wait_for(lambda: _finished(job.pk), timeout=180, what="the export job")
    assert job.status == ExportJob.Status.DONE, job.failure_reason
    expected = reports_in_scope(coordinator, action="evidence.export").filter(kind="raid").count()
    assert 0 < expected < REPORTS
    assert job.rows_total == job.rows_done == expected
    data = jobs.job_file(job).read_bytes()
    assert hashlib.sha256(data).hexdigest() == job.sha256
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == expected
    assert list(rows[0]) == fx.field_names(level="reports", destination="partner")
    assert {row["kind"] for row in rows} == {"raid"}
    assert len({row["report_ref"] for row in rows}) == expected
    tagged = [row for row in rows if row["tags"]]
    assert tagged, "the seeded reports have accepted tags"
    # Nothing internal reached the file: no report id, no day.
    some_id = str(reports_in_scope(coordinator, action="evidence.export").filter(kind="raid").first().pk)
    assert some_id.encode() not in data
    assert all(len(row["received_month"]) == 7 for row in rows)
    done = AuditEntry.objects.get(action="evidence.export_done", object_id=str(job.pk))
    assert done.details["sha256"] == job.sha256
    assert not list(jobs.export_dir().glob(f".{job.pk}*"))  # no partial file, no heartbeat


def test_the_worker_ends_a_job_whose_requester_lost_the_right(platform, coordinator):
    from django.db import transaction

    with transaction.atomic():
        job = export_create(
            user=coordinator, destination="internal", level="cases", format="json", parameters={}
        )
        # Demoted before the worker sees the job (the enqueue waits for this commit).
        User.objects.filter(pk=coordinator.pk).update(role="reviewer")
    job = wait_for(lambda: _finished(job.pk), timeout=120, what="the export job")
    assert job.status == ExportJob.Status.FAILED
    assert job.failure_reason == jobs.FAILED_REFUSED
    assert jobs.job_file(job) is None
    assert not list(jobs.export_dir().glob(f"{job.pk}*"))
