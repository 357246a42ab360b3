"""Retention: destroy the sealed originals and attachments of processed reports after a period.

What is destroyed, for a processed submission received more than the period ago whose report
no case holds (no ``CaseReport`` row):

- after ``RETENTION_ORIGINALS_DAYS``: the original, i.e. the age ciphertext of the report
  (``Submission.report_ciphertext`` becomes empty bytes) and of every uploaded file (the
  ``UploadChunk`` rows; the ``Upload`` rows stay, so the console can still say how many files
  there were). ``Submission.original_destroyed_on`` records the day; "Open original" is refused
  from then on (``original_status``).
- after ``RETENTION_ATTACHMENTS_DAYS``: the cleaned copies the console shows
  (``Attachment.sanitised_sealed`` and ``disguised_voice_sealed``), recorded in
  ``Submission.attachments_destroyed_on``.

A period of 0 disables that part. The redacted, analysed report (sealed under a data key) and
the messages stay: they are what reviewers and cases work on.

Never touched: submissions still ``received`` or ``processing`` (the worker needs the
ciphertext) and ``failed`` ones. A failed submission may be one the worker could open after a
fix (``manage.py requeue_failed``), so destroying it would lose a testimony nobody has read.
Past the period it is kept and flagged instead (``Submission.retention_flagged_on``, and its id
in the audit row of the run that flagged it) for the custodian to decide.

Each batch is one transaction: the destruction and one audit row (actor "system") with the
counts and ids. Runs are idempotent: destroyed rows are marked and not selected again. A report
linked to a case in the moment between selection and update is re-checked under the row lock.

On disk: SQLite runs with ``PRAGMA secure_delete`` (settings), so the bytes are overwritten in
the file. PostgreSQL keeps the old row versions until VACUUM reuses the space; the data is age
ciphertext to the intake key (or sealed under a data key) either way, and what retention buys is
that a key obtained later no longer opens it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from testimony.audit.services import audit_record
from testimony.intake.models import Submission, UploadChunk
from testimony.review.models import Attachment, CaseReport

logger = logging.getLogger(__name__)

BATCH = 200


@dataclass
class RetentionRun:
    originals: list[str] = field(default_factory=list)  # submission ids whose original was destroyed
    attachments: list[str] = field(default_factory=list)  # ... whose attachment copies were
    flagged_failed: list[str] = field(default_factory=list)  # failed submissions kept and flagged
    batches: int = 0


def _cutoff(days: int, today: dt.date) -> dt.date | None:
    """Received before this day means past the period; None when the period is 0 (disabled)."""
    return today - dt.timedelta(days=days) if days > 0 else None


def _not_in_a_case() -> Q:
    return ~Q(Exists(CaseReport.objects.filter(report_id=OuterRef("pk"))))


def _originals_due(cutoff: dt.date | None) -> Q:
    if cutoff is None:
        return Q(pk__in=[])
    return Q(received_on__lt=cutoff, original_destroyed_on__isnull=True)


def _attachments_due(cutoff: dt.date | None) -> Q:
    if cutoff is None:
        return Q(pk__in=[])
    has_copies = Exists(
        Attachment.objects.filter(report_id=OuterRef("pk")).filter(
            Q(sanitised_sealed__isnull=False) | Q(disguised_voice_sealed__isnull=False)
        )
    )
    return Q(received_on__lt=cutoff, attachments_destroyed_on__isnull=True) & Q(has_copies)


def _candidates(originals_cutoff, attachments_cutoff):
    return (
        Submission.objects.filter(status=Submission.Status.PROCESSED)
        .filter(_not_in_a_case())
        .filter(_originals_due(originals_cutoff) | _attachments_due(attachments_cutoff))
    )


def _batch(*, today, originals_cutoff, attachments_cutoff, flag_failed: bool, run: RetentionRun) -> bool:
    """Destroy one batch and audit it, in one transaction. False when there was nothing to do."""
    with transaction.atomic():
        ids = list(
            _candidates(originals_cutoff, attachments_cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        # Lock the rows and check again: a report linked to a case meanwhile keeps its original.
        locked = list(Submission.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
        originals = list(
            _candidates(originals_cutoff, None).filter(pk__in=locked).values_list("pk", flat=True)
        )
        attachments = list(
            _candidates(None, attachments_cutoff).filter(pk__in=locked).values_list("pk", flat=True)
        )
        flagged: list = []
        if flag_failed and originals_cutoff is not None:
            failed = Submission.objects.select_for_update().filter(
                status=Submission.Status.FAILED, received_on__lt=originals_cutoff, retention_flagged_on=None
            )
            flagged = list(failed.values_list("pk", flat=True))
            Submission.objects.filter(pk__in=flagged).update(retention_flagged_on=today)
        if not (originals or attachments or flagged):
            return False
        if originals:
            UploadChunk.objects.filter(upload__submission_id__in=originals).delete()
            Submission.objects.filter(pk__in=originals).update(
                report_ciphertext=b"", original_destroyed_on=today
            )
        if attachments:
            Attachment.objects.filter(report_id__in=attachments).update(
                sanitised_sealed=None, disguised_voice_sealed=None
            )
            Submission.objects.filter(pk__in=attachments).update(attachments_destroyed_on=today)
        details = {
            "originals_destroyed": len(originals),
            "attachments_destroyed": len(attachments),
            "failed_kept_flagged": len(flagged),
            "originals_days": settings.RETENTION_ORIGINALS_DAYS,
            "attachments_days": settings.RETENTION_ATTACHMENTS_DAYS,
            "original_ids": sorted(str(pk) for pk in originals),
            "attachment_ids": sorted(str(pk) for pk in attachments),
            "flagged_ids": sorted(str(pk) for pk in flagged),
        }
        audit_record(actor=None, action="retention.applied", object_type="retention", details=details)
    run.originals += [str(pk) for pk in originals]
    run.attachments += [str(pk) for pk in attachments]
    run.flagged_failed += [str(pk) for pk in flagged]
    run.batches += 1
    return True


def retention_apply(*, today: dt.date | None = None) -> RetentionRun:
    """Apply the retention periods in settings; safe to run any number of times."""
    today = today or timezone.now().date()
    originals_cutoff = _cutoff(settings.RETENTION_ORIGINALS_DAYS, today)
    attachments_cutoff = _cutoff(settings.RETENTION_ATTACHMENTS_DAYS, today)
    run = RetentionRun()
    if originals_cutoff is None and attachments_cutoff is None:
        return run
    first = True
    while _batch(
        today=today,
        originals_cutoff=originals_cutoff,
        attachments_cutoff=attachments_cutoff,
        flag_failed=first,
        run=run,
    ):
        first = False
    # Counts only: the ids are in the audit log, and logs are not the place for them.
    logger.info(
        "Retention: %d originals and %d attachment sets destroyed, %d failed submissions flagged.",
        len(run.originals),
        len(run.attachments),
        len(run.flagged_failed),
    )
    return run


@dataclass(frozen=True)
class OriginalStatus:
    available: bool
    destroyed_on: dt.date | None
    attachments_destroyed_on: dt.date | None


def original_status(submission: Submission) -> OriginalStatus:
    """For the report page: whether "Open original" can work, and when retention destroyed it.

    The report view shows "Original destroyed under the retention policy on <day>" and refuses
    to open it when ``available`` is False.
    """
    return OriginalStatus(
        available=submission.original_destroyed_on is None and bool(submission.report_ciphertext),
        destroyed_on=submission.original_destroyed_on,
        attachments_destroyed_on=submission.attachments_destroyed_on,
    )
