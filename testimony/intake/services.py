"""Every write on the submitter side: submissions, uploads and messages.

Plaintext handled here lives in memory only for the length of a call; what is stored is age
ciphertext (or a value sealed with a data key), a receipt hash and the day.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from uuid import UUID

import pyrage
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from testimony.crypto import age, padding, receipts
from testimony.crypto.atrest import seal
from testimony.intake import errors
from testimony.intake.models import Message, Submission, Upload, UploadChunk
from testimony.intake.report import validate_report
from testimony.intake.selectors import submission_for_receipt, upload_token_hash
from testimony.processing.enqueue import enqueue_message, enqueue_submission

_AGE_HEADER_ALLOWANCE = 1024


@dataclass(frozen=True)
class UploadClaim:
    upload_id: UUID
    token: str


@dataclass(frozen=True)
class CreatedSubmission:
    submission: Submission
    receipt: str

    @property
    def receipt_display(self) -> str:
        return receipts.format_receipt(self.receipt)


def _age_size(plaintext_size: int) -> int:
    chunks = max(1, -(-plaintext_size // (64 * 1024)))
    return _AGE_HEADER_ALLOWANCE + 16 + plaintext_size + 16 * chunks


def attachment_ciphertext_limit() -> int:
    container = padding.bucket(settings.ATTACHMENT_MAX_BYTES + 4096, padding.ATTACHMENT_MIN_BYTES)
    return _age_size(container)


def _check_report_ciphertext(ciphertext: bytes) -> None:
    try:
        age.check_envelope(
            ciphertext,
            minimum_plaintext=padding.REPORT_MIN_BYTES,
            maximum_bytes=settings.REPORT_CIPHERTEXT_MAX_BYTES,
        )
    except age.MalformedCiphertext as exc:
        if str(exc) == "too large":
            raise errors.TooLarge() from None
        raise errors.MalformedCiphertextError() from None


def _insert_submission(*, report_ciphertext: bytes, encrypted_by: str) -> CreatedSubmission:
    """Insert the row with a fresh receipt and reply key. Caller holds a transaction."""
    reply_identity = pyrage.x25519.Identity.generate()
    for _attempt in range(3):
        receipt = receipts.new_receipt()
        keys = receipts.derive(receipt)
        salt, wrapped = receipts.wrap_secret(keys, str(reply_identity).encode("ascii"))
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    receipt_lookup=keys.lookup,
                    report_ciphertext=report_ciphertext,
                    encrypted_by=encrypted_by,
                    reply_recipient=str(reply_identity.to_public()),
                    reply_identity_salt=salt,
                    reply_identity_wrapped=wrapped,
                    received_on=timezone.now().date(),
                )
        except IntegrityError:
            continue  # 66-bit receipts practically never collide; the constraint makes it certain.
        return CreatedSubmission(submission=submission, receipt=receipt)
    raise errors.ServerBusy()


def submission_create_encrypted(
    *, report_ciphertext: bytes, upload_claims: list[UploadClaim]
) -> CreatedSubmission:
    """A report the browser (or a partner app) encrypted; attachments were uploaded beforehand."""
    _check_report_ciphertext(report_ciphertext)
    if len(upload_claims) > settings.ATTACHMENT_MAX_COUNT:
        raise errors.TooManyAttachments()
    with transaction.atomic():
        created = _insert_submission(
            report_ciphertext=report_ciphertext, encrypted_by=Submission.EncryptedBy.BROWSER
        )
        for position, claim in enumerate(upload_claims):
            claimed = Upload.objects.filter(
                id=claim.upload_id,
                token_hash=upload_token_hash(claim.token),
                submission__isnull=True,
                received=F("size"),
            ).update(submission=created.submission, position=position)
            if claimed != 1:
                exists = Upload.objects.filter(id=claim.upload_id, submission__isnull=True).exists()
                raise errors.UploadIncomplete() if exists else errors.UploadUnknown()
        transaction.on_commit(lambda: enqueue_submission(created.submission.id))
    return created


def submission_create_from_report(
    *, report: dict, attachments: list[padding.AttachmentPlaintext]
) -> CreatedSubmission:
    """A report that arrived in clear (no JavaScript, or a JSON API client): encrypt it in memory."""
    problems = validate_report(report)
    if problems:
        raise errors.InvalidReport(problems)
    if len(attachments) > settings.ATTACHMENT_MAX_COUNT:
        raise errors.TooManyAttachments()
    for item in attachments:
        if len(item.content) > settings.ATTACHMENT_MAX_BYTES:
            raise errors.TooLarge(field="attachments")
    report_ciphertext = age.encrypt_to_intake(padding.pad_report(report))
    _check_report_ciphertext(report_ciphertext)
    sealed_attachments = [age.encrypt_to_intake(padding.pack_attachment(item)) for item in attachments]
    with transaction.atomic():
        created = _insert_submission(
            report_ciphertext=report_ciphertext, encrypted_by=Submission.EncryptedBy.SERVER
        )
        for position, ciphertext in enumerate(sealed_attachments):
            upload = Upload.objects.create(
                token_hash="",
                size=len(ciphertext),
                received=len(ciphertext),
                submission=created.submission,
                position=position,
                created_on=created.submission.received_on,
            )
            _store_chunks(upload, ciphertext)
        transaction.on_commit(lambda: enqueue_submission(created.submission.id))
    return created


def _store_chunks(upload: Upload, ciphertext: bytes) -> None:
    step = settings.UPLOAD_CHUNK_BYTES
    UploadChunk.objects.bulk_create(
        UploadChunk(upload=upload, index=index, data=ciphertext[offset : offset + step])
        for index, offset in enumerate(range(0, len(ciphertext), step))
    )


def upload_create(*, size: int) -> tuple[Upload, str]:
    if size <= 0 or size > attachment_ciphertext_limit():
        raise errors.TooLarge(field="attachments")
    pending = Upload.objects.filter(submission__isnull=True).aggregate(total=Sum("size"))["total"] or 0
    if pending + size > settings.UPLOAD_PENDING_MAX_BYTES:
        raise errors.ServerBusy()
    token = secrets.token_urlsafe(32)
    upload = Upload.objects.create(
        token_hash=upload_token_hash(token), size=size, created_on=timezone.now().date()
    )
    return upload, token


def upload_append(*, upload_id: UUID, token: str, offset: int, data: bytes) -> Upload:
    """Append one chunk at ``offset``; a chunk that was already stored is acknowledged, not duplicated."""
    step = settings.UPLOAD_CHUNK_BYTES
    with transaction.atomic():
        upload = (
            Upload.objects.select_for_update()
            .filter(id=upload_id, token_hash=upload_token_hash(token), submission__isnull=True)
            .first()
        )
        if upload is None:
            raise errors.UploadUnknown()
        if offset != upload.received:
            raise errors.UploadOffsetMismatch()
        end = offset + len(data)
        if offset % step or len(data) > step or end > upload.size:
            raise errors.TooLarge(field="attachments")
        if len(data) != step and end != upload.size:
            raise errors.UploadOffsetMismatch()
        UploadChunk.objects.create(upload=upload, index=offset // step, data=data)
        upload.received = end
        upload.save(update_fields=["received"])
        if upload.complete:
            try:
                age.check_envelope(
                    upload_ciphertext(upload),
                    minimum_plaintext=padding.ATTACHMENT_MIN_BYTES,
                    maximum_bytes=attachment_ciphertext_limit(),
                )
            except age.MalformedCiphertext:
                transaction.set_rollback(True)
                raise errors.MalformedCiphertextError(field="attachments") from None
    return upload


def upload_ciphertext(upload: Upload) -> bytes:
    return b"".join(bytes(chunk) for chunk in upload.chunks.order_by("index").values_list("data", flat=True))


def _message_plaintext(text: str) -> bytes:
    return padding.pad_report({"v": 1, "text": text})


def _next_sequence(submission: Submission) -> int:
    last = submission.messages.order_by("-sequence").values_list("sequence", flat=True).first()
    return (last or 0) + 1


def message_to_submitter_create(*, submission_id: UUID, text: str) -> Message:
    """A reviewer's message: readable by the receipt holder, and by the console under a data key."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(id=submission_id)
        message = Message(
            submission=submission,
            direction=Message.Direction.TO_SUBMITTER,
            sequence=_next_sequence(submission),
            sent_on=timezone.now().date(),
        )
        message.ciphertext = age.encrypt(_message_plaintext(text), submission.reply_recipient)
        message.body_sealed = seal(text.encode("utf-8"), context=f"message.body:{message.id}")
        message.save()
    return message


def message_from_submitter_create(
    *, receipt_text: str, text: str | None, ciphertext: bytes | None
) -> Message:
    """A submitter's reply, encrypted to the intake recipient and to the submission's reply key."""
    submission, _identity = submission_for_receipt(receipt_text)
    if ciphertext is None:
        if not text or not text.strip():
            raise errors.InvalidReport([])
        if len(text) > settings.ACCOUNT_MAX_CHARS:
            raise errors.TooLarge(field="text")
        recipients = [
            pyrage.x25519.Recipient.from_str(settings.AGE_RECIPIENT),
            pyrage.x25519.Recipient.from_str(submission.reply_recipient),
        ]
        ciphertext = pyrage.encrypt(_message_plaintext(text), recipients)
    else:
        _check_report_ciphertext(ciphertext)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(id=submission.id)
        message = Message.objects.create(
            submission=locked,
            direction=Message.Direction.FROM_SUBMITTER,
            sequence=_next_sequence(locked),
            ciphertext=ciphertext,
            sent_on=timezone.now().date(),
        )
        transaction.on_commit(lambda: enqueue_message(message.id))
    return message
