"""Celery tasks of the console: ids only, late acknowledgement, safe to run twice."""

from __future__ import annotations

from uuid import UUID

from celery import Task, shared_task
from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError

from testimony.processing.failures import TransientFailure, scrubbed_failures
from testimony.review.services import bulk

# What a job's body raises for a transient database error (scrubbed_failures), and so retries on.
TRANSIENT_ERRORS = (TransientFailure,)


class BulkJobTask(Task):
    """A job that gives up ends visibly ``failed`` on its progress page, not ``running`` forever."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_id = kwargs.get("job_id")
        if job_id:
            bulk.bulk_job_mark_failed(job_id=UUID(job_id))


@shared_task(
    name="review.run_bulk_job",
    base=BulkJobTask,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,  # resumes after the job's cursor: batches already done stay done
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    soft_time_limit=3600,
    time_limit=3660,
)
@scrubbed_failures(transient=(DatabaseOperationalError, DatabaseInterfaceError))
def run_bulk_job(*, job_id: str) -> str:
    return bulk.bulk_job_run(job_id=UUID(job_id))
