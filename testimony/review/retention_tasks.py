"""The periodic retention task (scheduled in config/celery.py); the work is review/retention.py."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from testimony.processing.failures import TransientFailure, scrubbed_failures
from testimony.review.retention import retention_apply


@shared_task(
    name="review.apply_retention",
    acks_late=True,
    ignore_result=True,
    # Only a database that is briefly away is worth retrying; each finished batch is committed,
    # so a retry (or tomorrow's run) continues where this one stopped.
    autoretry_for=(TransientFailure,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=3300,
    time_limit=3600,
)
# Exceptions leave with their class name only (processing.failures): none may carry a report's words.
@scrubbed_failures(transient=(OperationalError, InterfaceError))
def apply_retention() -> dict:
    run = retention_apply()
    return {
        "originals": len(run.originals),
        "attachments": len(run.attachments),
        "flagged_failed": len(run.flagged_failed),
    }
