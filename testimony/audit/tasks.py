"""The periodic full verification of the audit chain (scheduled in config/celery.py)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from testimony.audit.selectors import audit_chain_check
from testimony.audit.services import audit_checkpoint_record
from testimony.processing.failures import TransientFailure, scrubbed_failures

logger = logging.getLogger(__name__)


@shared_task(
    name="audit.verify_chain",
    acks_late=True,
    ignore_result=True,
    # Only reads until the checkpoint is appended, so running it again after a lost worker or a
    # database that was briefly away costs time and nothing else.
    autoretry_for=(TransientFailure,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=3,
    soft_time_limit=3300,
    time_limit=3600,
)
@scrubbed_failures(transient=(OperationalError, InterfaceError))
def verify_chain() -> dict:
    """Walk the whole log, always (never from a checkpoint), and record the result as a checkpoint."""
    check = audit_chain_check()
    entry = audit_checkpoint_record(check=check, by="periodic")
    if not check.intact:
        # Outside the database too: someone who can write to it could hide a row, not a log line.
        logger.error(
            "audit chain damaged: %d problem(s), first at entry %d; run manage.py verify_audit",
            check.problem_count,
            check.problems[0].seq,
        )
    return {
        "intact": check.intact,
        "problems": check.problem_count,
        "head_seq": check.head_seq,
        "checkpoint": entry.seq,
    }
