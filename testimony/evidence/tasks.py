"""Celery tasks of the evidence side: ids only, late acknowledgement, safe to run twice.

They run on the ``evidence`` queue (``CELERY_TASK_ROUTES`` in settings), in the environment that
holds the signing key and not the intake identity. No exception leaves them with a message of its
own (``processing.failures.scrubbed_failures``): a driver error may quote a value from a row.
"""

from __future__ import annotations

import contextlib
import logging
from uuid import UUID

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from testimony.evidence import jobs
from testimony.evidence.services import exports
from testimony.processing.failures import TransientFailure, scrubbed_failures

logger = logging.getLogger(__name__)

TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)
# A 1,000,000-row CSV takes well under a minute; an XLSX of that size some minutes. An hour is
# generous, and a job past it is stopped rather than left holding a database cursor.
EXPORT_SOFT_LIMIT_SECONDS = 3600


class EvidenceJobTask(Task):
    """A job (export or package) whose task gives up ends visibly ``failed`` with a code, not
    ``running`` for ever."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_id = kwargs.get("job_id")
        if job_id:
            jobs.job_mark_failed(job_id=UUID(job_id), reason=jobs.failure_reason(exc))


@shared_task(
    name="evidence.run_export",
    base=EvidenceJobTask,
    acks_late=True,
    autoretry_for=(TransientFailure,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=EXPORT_SOFT_LIMIT_SECONDS,
    time_limit=EXPORT_SOFT_LIMIT_SECONDS + 60,
)
@scrubbed_failures(transient=TRANSIENT_DATABASE_ERRORS)
def run_export(*, job_id: str) -> str:
    try:
        return exports.export_run(job_id=UUID(job_id))
    except TRANSIENT_DATABASE_ERRORS:
        # Give the job back (its partial file is already gone), or the retry would find it
        # claimed and do nothing; if the database is still away, the stale sweep ends it.
        with contextlib.suppress(*TRANSIENT_DATABASE_ERRORS):
            exports.export_release(job_id=UUID(job_id))
        raise
    except Exception as exc:
        # A time limit, or anything else that will fail again the same way: end it now, with a
        # code (no file is left: job_output removed the partial one).
        jobs.job_mark_failed(job_id=UUID(job_id), reason=jobs.failure_reason(exc))
        raise


@shared_task(name="evidence.expire_exports", acks_late=True, ignore_result=True)
@scrubbed_failures()
def expire_exports() -> int:
    """Delete the files whose links expired; end the jobs whose worker died."""
    stale = jobs.jobs_fail_stale()
    if stale:
        logger.warning("%d export job(s) lost their worker and were marked failed.", stale)
    return jobs.jobs_expire()
