"""What the server keeps of a submission: ciphertext, a receipt hash, a reply key, the day.

No IP address, user agent or precise time is stored (DESIGN.md, "Intake"). Primary keys are
random UUIDs so that ids do not reveal the order of submissions.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSING = "processing", _("Being processed")
        PROCESSED = "processed", _("Processed")
        FAILED = "failed", _("Processing failed")

    class EncryptedBy(models.TextChoices):
        BROWSER = "browser", "browser"
        SERVER = "server", "server"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    receipt_lookup = models.CharField(max_length=64, unique=True)
    report_ciphertext = models.BinaryField()
    encrypted_by = models.CharField(max_length=10, choices=EncryptedBy.choices)
    reply_recipient = models.CharField(max_length=80)
    reply_identity_salt = models.BinaryField()
    reply_identity_wrapped = models.BinaryField()
    received_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    # A code from processing.failures, never text derived from the report.
    failure_reason = models.CharField(max_length=40, blank=True, default="")
    processing_deadline = models.DateTimeField(null=True, blank=True)
    # Sealed with a data key (crypto.atrest): the structured fields, without the account text.
    facts_sealed = models.BinaryField(null=True, blank=True)
    # Retention (review/retention.py). The day the sealed original (report ciphertext and uploaded
    # files) was destroyed, and the day the cleaned attachment copies were; the console says so
    # and refuses "Open original" after the first.
    original_destroyed_on = models.DateField(null=True, blank=True)
    attachments_destroyed_on = models.DateField(null=True, blank=True)
    # A failed submission past the retention period is kept (only the worker can still open it,
    # once fixed); the day retention first flagged it for the custodian.
    retention_flagged_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["received", "processing", "processed", "failed"]),
                name="submission_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"submission {self.id}"


class Upload(models.Model):
    """An attachment's age ciphertext, received in chunks so a dropped connection can resume."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token_hash = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    received = models.PositiveBigIntegerField(default=0)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="uploads"
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_on = models.DateField()

    def __str__(self) -> str:
        return f"upload {self.id}"

    @property
    def complete(self) -> bool:
        return self.received == self.size


class UploadChunk(models.Model):
    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["upload", "index"], name="upload_chunk_unique")]

    def __str__(self) -> str:
        return f"chunk {self.index} of upload {self.upload_id}"


class Message(models.Model):
    """A message between the organisation and a submitter.

    To the submitter: ``ciphertext`` is age to the submission's reply recipient. From the
    submitter: ``ciphertext`` is age to the intake recipient until the worker opens it.
    ``body_sealed`` is what the console reads, under a data key (context ``message.body:<id>``):
    to the submitter, the organisation's plain text; from the submitter, nothing until the worker
    has opened it, then the redacted reply as JSON in the shape of a report's account
    (``redacted_text``, ``redactions``, ``places``; ``review.sealed.reply_seal``/``reply_open``),
    or "" when it could not be opened. Replies sealed as bare text by older workers still open
    (``reply_open``), without redactions.
    """

    class Direction(models.TextChoices):
        TO_SUBMITTER = "to_submitter", _("From the organisation")
        FROM_SUBMITTER = "from_submitter", _("From you")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=16, choices=Direction.choices)
    sequence = models.PositiveIntegerField()
    ciphertext = models.BinaryField(null=True, blank=True)
    body_sealed = models.BinaryField(null=True, blank=True)
    sent_on = models.DateField()

    class Meta:
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "sequence"], name="message_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"message {self.sequence} of submission {self.submission_id}"
