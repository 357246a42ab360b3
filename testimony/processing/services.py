"""The worker's side of intake: open a submission with the intake identity and record the result.

This is the hand-off step of the foundation; redaction, geocoding and tagging (the analysis
pipeline) build on it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from uuid import UUID

import pyrage
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from testimony.crypto import age, padding
from testimony.crypto.atrest import seal
from testimony.crypto.keys import load_intake_identity
from testimony.intake.models import Message, Submission, Upload
from testimony.intake.report import facts_of, validate_report
from testimony.intake.services import upload_ciphertext
from testimony.processing import failures
from testimony.processing.attachments import Sanitised, sanitise
from testimony.processing.attachments.sandbox import Checked, sanitise_isolated
from testimony.processing.reports import ANALYSIS_VERSION, analyse_report, report_region
from testimony.review.models import Attachment as ReportAttachment
from testimony.review.models import Report
from testimony.review.sealed import reply_seal
from testimony.review.search import report_text_index
from testimony.review.similar import content_fingerprint, image_hash, keyed_image_hash

logger = logging.getLogger(__name__)
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)


class ProcessingFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def submission_claim(*, submission_id: UUID) -> bool:
    """Move a submission from ``received`` to ``processing``; False if another worker has it or it is done."""
    deadline = timezone.now() + dt.timedelta(seconds=settings.PROCESSING_TIME_LIMIT_SECONDS * 2)
    claimed = Submission.objects.filter(id=submission_id, status=Submission.Status.RECEIVED).update(
        status=Submission.Status.PROCESSING, processing_deadline=deadline
    )
    return claimed == 1


def _open_report(submission: Submission, identity: pyrage.x25519.Identity) -> dict:
    try:
        plaintext = age.decrypt(bytes(submission.report_ciphertext), identity)
    except pyrage.DecryptError:
        raise ProcessingFailed(failures.UNDECRYPTABLE) from None
    try:
        report = padding.unpad_report(plaintext)
    except padding.PaddingError:
        raise ProcessingFailed(failures.INVALID_REPORT) from None
    if validate_report(report, today=submission.received_on):
        raise ProcessingFailed(failures.INVALID_REPORT)
    return report


def _open_attachments(
    submission: Submission, identity: pyrage.x25519.Identity
) -> list[padding.AttachmentPlaintext]:
    opened = []
    for upload in submission.uploads.order_by("position"):
        try:
            opened.append(padding.unpack_attachment(age.decrypt(upload_ciphertext(upload), identity)))
        except (pyrage.DecryptError, padding.PaddingError):
            raise ProcessingFailed(failures.BAD_ATTACHMENT) from None
    return opened


def _store_report(
    submission: Submission, report: dict, attachments: list[padding.AttachmentPlaintext]
) -> None:
    """Write the processed report and its cleaned attachments. Caller holds a transaction."""
    analysed = analyse_report(report)
    sid = submission.id
    where = report["where"]
    row, _created = Report.objects.update_or_create(
        submission=submission,
        defaults={
            "language": analysed.language,
            "kind": report["kind"],
            "event_month": report["when"][:7],
            "country": where["country"],
            "place": where.get("place", ""),
            "perpetrators": report["who"],
            # Coarse dimensions for the evidence aggregates: the region (form place, else the
            # text's first place in that country) and the citizenship the submitter chose to
            # give (validated against the form's codes; the sealed report keeps the rest).
            "region": report_region(
                country=where["country"], place_id=where.get("place", ""), places=analysed.places
            ),
            "nationality": report.get("citizenship") or "",
            "text_sealed": seal(analysed.sealed_payload, context=f"report.text:{sid}"),
            "places": analysed.places,
            "suggested_tags": analysed.suggested_tags,
            "redaction_counts": analysed.redaction_counts,
            "analysis_version": ANALYSIS_VERSION,
            # Copied for the queue, which filters and sorts on them without joining.
            "received_on": submission.received_on,
            "has_attachments": bool(attachments),
        },
    )
    # Queue search tokens and the exact-duplicate fingerprint, from the same text and by the same
    # function as the console's corrections (review.search.report_text_index), in this
    # transaction: a stored report is findable at once and a rolled-back one leaves no tokens.
    report_text_index(report=row, payload=json.loads(analysed.sealed_payload))
    row.attachments.all().delete()
    keep_location = bool(report.get("keep_location"))
    # The decoders run in a confined child that holds no key (attachments/sandbox.py).
    clean = sanitise_isolated if settings.ATTACHMENT_SANDBOX else sanitise
    for position, item in enumerate(attachments):
        cleaned = clean(item.content, declared_type=item.content_type, keep_location=keep_location)
        attachment = ReportAttachment.objects.create(
            report=row,
            position=position,
            kind=cleaned.kind,
            content_type=cleaned.content_type,
            cleaned=cleaned.cleaned,
            flag=cleaned.reason,
        )
        attachment.sanitised_sealed = (
            seal(cleaned.content, context=f"attachment.content:{attachment.pk}") if cleaned.cleaned else None
        )
        attachment.disguised_voice_sealed = (
            seal(cleaned.disguised_voice, context=f"attachment.voice:{attachment.pk}")
            if cleaned.disguised_voice
            else None
        )
        # Keyed fingerprints for duplicate suggestions: of the bytes (exact), and of an image's
        # pixels (near: a 64-bit difference hash, keyed; review.similar).
        attachment.content_fingerprint = content_fingerprint(cleaned.content)
        is_image = cleaned.cleaned and cleaned.kind == "image"
        attachment.image_hash = _image_hash(cleaned) if is_image else ""
        attachment.save(
            update_fields=["sanitised_sealed", "disguised_voice_sealed", "content_fingerprint", "image_hash"]
        )


def _image_hash(cleaned: Sanitised) -> str:
    """From the sandbox, a cleaned image's hash comes as bits the child computed: decoding its
    answer here would bring a decoder back into the process that holds the keys."""
    if isinstance(cleaned, Checked):
        return "" if cleaned.image_bits is None else keyed_image_hash(cleaned.image_bits)
    return image_hash(cleaned.content)  # ATTACHMENT_SANDBOX off: decoded in this process anyway


def submission_process(*, submission_id: UUID) -> str:
    """Decrypt, clean, analyse and store a claimed submission; mark it processed or failed (a code).

    Precondition: the caller claimed it (``submission_claim``). Returns the final status. The
    report, its attachments and the status change are written in one transaction, so a worker
    killed half-way leaves nothing half-written and the redelivered task starts again cleanly.
    """
    submission = Submission.objects.get(id=submission_id)
    identity = load_intake_identity()
    try:
        report = _open_report(submission, identity)
        attachments = _open_attachments(submission, identity)
    except ProcessingFailed as failed:
        submission_mark_failed(submission_id=submission_id, reason=failed.reason)
        return Submission.Status.FAILED
    facts = facts_of(report) | {"attachments": len(attachments)}
    sealed = seal(
        json.dumps(facts, separators=(",", ":")).encode(), context=f"submission.facts:{submission_id}"
    )
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(id=submission_id)
        if locked.status != Submission.Status.PROCESSING:
            return locked.status  # another delivery finished it first
        _store_report(locked, report, attachments)
        locked.status = Submission.Status.PROCESSED
        locked.facts_sealed = sealed
        locked.processing_deadline = None
        locked.failure_reason = ""
        locked.save(update_fields=["status", "facts_sealed", "processing_deadline", "failure_reason"])
    return Submission.Status.PROCESSED


def submission_mark_failed(*, submission_id: UUID, reason: str) -> None:
    Submission.objects.filter(id=submission_id).exclude(status=Submission.Status.PROCESSED).update(
        status=Submission.Status.FAILED, failure_reason=reason, processing_deadline=None
    )


def submission_release(*, submission_id: UUID) -> None:
    """Hand a claimed submission back (a transient error): the retry can claim it again."""
    try:
        Submission.objects.filter(id=submission_id, status=Submission.Status.PROCESSING).update(
            status=Submission.Status.RECEIVED, processing_deadline=None
        )
    except TRANSIENT_DATABASE_ERRORS:
        logger.warning("Could not release a submission; the sweeper will once its deadline passes.")


def submission_requeue_failed(*, reasons: list[str]) -> int:
    """Put failed submissions back in the queue, for example after fixing the bug that crashed them."""
    return Submission.objects.filter(status=Submission.Status.FAILED, failure_reason__in=reasons).update(
        status=Submission.Status.RECEIVED, failure_reason="", processing_deadline=None
    )


def submission_release_stale(*, now: dt.datetime | None = None) -> int:
    """Return submissions whose worker died mid-task to ``received``, so they are enqueued again."""
    return Submission.objects.filter(
        status=Submission.Status.PROCESSING, processing_deadline__lt=now or timezone.now()
    ).update(status=Submission.Status.RECEIVED, processing_deadline=None)


def message_process(*, message_id: UUID) -> bool:
    """Open a submitter's message with the intake identity, redact it as the account is, and seal
    the redacted reply for the console (``processing.messages``, ``review.sealed.reply_seal``).
    Idempotent.

    Waits (returns False, leaving it to the sweeper) while the report is still being processed, so
    that the reply's placeholders can follow the report's.
    """
    message = Message.objects.filter(id=message_id, body_sealed=None).select_related("submission").first()
    if message is None:
        return False
    if message.submission.status in (Submission.Status.RECEIVED, Submission.Status.PROCESSING):
        return False
    try:
        plaintext = age.decrypt(bytes(message.ciphertext), load_intake_identity())
        text = str(padding.unpad_report(plaintext).get("text", ""))
    except (pyrage.DecryptError, padding.PaddingError):
        text = ""
        logger.warning("A submitter message could not be opened.")
    sealed = reply_seal(message, _redacted_reply(message, text) if text else None)
    return Message.objects.filter(id=message.id, body_sealed=None).update(body_sealed=sealed) == 1


def _redacted_reply(message: Message, text: str) -> dict | None:
    """The reply redacted (``review.sealed.reply_open`` reads it); None (shown as "could not be
    opened") if the analysis fails: never the words unredacted, and not a task that fails and is
    swept again forever."""
    from testimony.processing.messages import redact_reply
    from testimony.review.sealed import report_text_open

    report = Report.objects.filter(submission_id=message.submission_id).first()
    try:
        return redact_reply(
            text,
            report_payload=report_text_open(report) if report else None,
            report_language=report.language if report else None,
            country=report.country if report else None,
        )
    except Exception as exc:  # any analysis failure: the class name alone is logged
        logger.warning("A submitter message could not be redacted (%s).", type(exc).__name__)
        return None


UNCLAIMED_UPLOAD_DAYS = 2


def uploads_delete_abandoned(*, today: dt.date | None = None) -> int:
    """Delete uploads no submission claimed within two days (a sender who gave up, or abuse)."""
    cutoff = (today or timezone.now().date()) - dt.timedelta(days=UNCLAIMED_UPLOAD_DAYS)
    deleted, _by_model = Upload.objects.filter(submission__isnull=True, created_on__lt=cutoff).delete()
    return deleted
