"""Hand-off from the web process to the worker, called from ``transaction.on_commit``.

A broker that is down must not fail a submission that is already committed: the row stays
``received`` and the periodic sweeper enqueues it once the broker is back.
"""

from __future__ import annotations

import logging
from uuid import UUID

from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_submission(submission_id: UUID) -> None:
    from testimony.processing.tasks import process_submission

    try:
        process_submission.apply_async(kwargs={"submission_id": str(submission_id)})
    except (OperationalError, OSError):
        # No id in the line: with the log's own timestamp it would date the submission.
        logger.warning("Broker unavailable; the sweeper will enqueue the submission later.")


def enqueue_message(message_id: UUID) -> None:
    from testimony.processing.tasks import process_message

    try:
        process_message.apply_async(kwargs={"message_id": str(message_id)})
    except (OperationalError, OSError):
        logger.warning("Broker unavailable; the sweeper will enqueue the message later.")
