"""Celery tasks: they take ids only, claim work by compare-and-set, and are safe to run twice."""

from __future__ import annotations

import logging
from uuid import UUID

from celery import Task, shared_task
from celery.signals import worker_process_init
from django.conf import settings

from testimony.intake.models import Message, Submission
from testimony.processing import failures, services
from testimony.processing.enqueue import enqueue_message, enqueue_submission

logger = logging.getLogger(__name__)

# What the task bodies raise for a transient error (failures.scrubbed_failures), and so retry on.
TRANSIENT_ERRORS = (failures.TransientFailure,)
_SWEEP_BATCH = 500


class SubmissionTask(Task):
    """Records a visible ``failed`` state, with a code only, when a task gives up.

    The exception it is handed is already scrubbed (``failures.scrubbed_failures``): a class name.
    """

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        submission_id = kwargs.get("submission_id")
        if submission_id:
            services.submission_mark_failed(submission_id=UUID(submission_id), reason=failures.CRASHED)


@shared_task(
    name="processing.process_submission",
    base=SubmissionTask,
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=settings.PROCESSING_TIME_LIMIT_SECONDS,
    time_limit=settings.PROCESSING_TIME_LIMIT_SECONDS + 30,
)
@failures.scrubbed_failures(transient=services.TRANSIENT_DATABASE_ERRORS)
def process_submission(self: Task, *, submission_id: str) -> str:
    if not services.submission_claim(submission_id=UUID(submission_id)):
        status = Submission.objects.filter(id=submission_id).values_list("status", flat=True).first()
        if status is None:
            logger.info("Submission vanished before processing; nothing to do.")
        return status or "missing"
    try:
        return services.submission_process(submission_id=UUID(submission_id))
    except services.TRANSIENT_DATABASE_ERRORS:
        # Give the row back, or the retry would find it claimed and do nothing until the sweeper.
        services.submission_release(submission_id=UUID(submission_id))
        raise  # retried with backoff; on_failure records the failure once retries run out
    except Exception:
        # A poison submission must end visibly, not loop: record it (a code only). Celery logs
        # the failure with the scrubbed exception: its class name, no message, no traceback of it.
        services.submission_mark_failed(submission_id=UUID(submission_id), reason=failures.CRASHED)
        raise


@shared_task(
    name="processing.process_message",
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    soft_time_limit=60,
    time_limit=90,
)
@failures.scrubbed_failures(transient=services.TRANSIENT_DATABASE_ERRORS)
def process_message(*, message_id: str) -> bool:
    return services.message_process(message_id=UUID(message_id))


@shared_task(name="processing.sweep_stale", acks_late=True, ignore_result=True)
@failures.scrubbed_failures()
def sweep_stale() -> int:
    """Re-enqueue work the broker lost or a dead worker left; duplicates are no-ops by design."""
    services.submission_release_stale()
    services.uploads_delete_abandoned()
    ids = list(
        Submission.objects.filter(status=Submission.Status.RECEIVED).values_list("id", flat=True)[
            :_SWEEP_BATCH
        ]
    )
    for submission_id in ids:
        enqueue_submission(submission_id)
    message_ids = list(Message.objects.filter(body_sealed=None).values_list("id", flat=True)[:_SWEEP_BATCH])
    for message_id in message_ids:
        enqueue_message(message_id)
    # Bulk jobs of the console whose task died or was lost: resumed after their cursor, or failed.
    from testimony.review.services.bulk import bulk_jobs_sweep

    jobs = bulk_jobs_sweep()
    return len(ids) + len(message_ids) + jobs["requeued"]


@worker_process_init.connect
def _load_models(**_kwargs: object) -> None:
    """Load the analysis models when a worker process starts, not inside its first task's time limit."""
    from testimony.analysis.pipeline import warm_up

    warm_up()
