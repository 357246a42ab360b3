"""Reads on the submitter side. The only key to a submission here is its receipt."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from uuid import UUID

import pyrage
from django.conf import settings

from testimony.crypto import age, padding, receipts
from testimony.intake import errors, throttle
from testimony.intake.models import Message, Submission, Upload

_FAILURE_BUCKET = "receipt-failures"


@dataclass(frozen=True)
class ThreadMessage:
    from_submitter: bool
    text: str
    sent_on: dt.date


@dataclass(frozen=True)
class FollowUp:
    status: str
    status_label: str
    received_on: dt.date
    reply_recipient: str
    messages: list[ThreadMessage]


def submission_for_receipt(receipt_text: str) -> tuple[Submission, pyrage.x25519.Identity]:
    """The submission this receipt opens and its reply identity, or ReceiptUnknown.

    Failed guesses are counted globally, not per client, because no client address is known;
    past the limit everyone waits a minute, which makes guessing 66-bit receipts hopeless.
    """
    digits = receipts.normalise_receipt(receipt_text)
    if digits is None:
        raise errors.ReceiptMalformed(field="receipt")
    if throttle.used(_FAILURE_BUCKET) >= settings.RECEIPT_FAILURES_PER_MINUTE:
        raise errors.RateLimited()
    keys = receipts.derive(digits)
    submission = Submission.objects.filter(receipt_lookup=keys.lookup).first()
    secret = None
    if submission is not None:
        secret = receipts.unwrap_secret(
            keys, bytes(submission.reply_identity_salt), bytes(submission.reply_identity_wrapped)
        )
    if submission is None or secret is None:
        throttle.take(_FAILURE_BUCKET, per_minute=settings.RECEIPT_FAILURES_PER_MINUTE)
        raise errors.ReceiptUnknown(field="receipt")
    return submission, pyrage.x25519.Identity.from_str(secret.decode("ascii"))


def _message_text(message: Message, identity: pyrage.x25519.Identity) -> str:
    """The text, or "" for a message this reply key cannot open (a client that encrypted to intake only)."""
    try:
        plaintext = age.decrypt(bytes(message.ciphertext), identity)
        return str(padding.unpad_report(plaintext).get("text", ""))
    except (pyrage.DecryptError, padding.PaddingError):
        return ""


def followup_for_receipt(receipt_text: str) -> FollowUp:
    submission, identity = submission_for_receipt(receipt_text)
    messages = [
        ThreadMessage(
            from_submitter=message.direction == Message.Direction.FROM_SUBMITTER,
            text=_message_text(message, identity),
            sent_on=message.sent_on,
        )
        for message in submission.messages.exclude(ciphertext=None)
    ]
    return FollowUp(
        status=submission.status,
        status_label=str(_status_label(submission.status)),
        received_on=submission.received_on,
        reply_recipient=submission.reply_recipient,
        messages=messages,
    )


def _status_label(status: str) -> object:
    from django.utils.translation import gettext_lazy as _

    labels = {
        Submission.Status.RECEIVED: _("Received. It is waiting to be read by the team."),
        Submission.Status.PROCESSING: _("Received. It is being prepared for the team."),
        Submission.Status.PROCESSED: _("Received and ready for the team to read."),
        Submission.Status.FAILED: _("Received, but we could not open it. The team has been told."),
    }
    return labels[status]


def upload_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def upload_for_token(*, upload_id: UUID, token: str) -> Upload:
    """A pending upload, if ``token`` is the one it was created with."""
    upload = Upload.objects.filter(
        id=upload_id, token_hash=upload_token_hash(token), submission__isnull=True
    ).first()
    if upload is None:
        raise errors.UploadUnknown()
    return upload
