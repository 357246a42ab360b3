"""Every way intake refuses input, each with a stable code and a message in the submitter's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class IntakeError(Exception):
    code = "invalid"
    status = 400
    message = _("Something in the form is not right. Please check it and try again.")

    def __init__(self, message: object = None, *, field: str | None = None) -> None:
        super().__init__(self.code)
        if message is not None:
            self.message = message
        self.field = field


class PowInvalid(IntakeError):
    code = "pow_invalid"
    status = 400
    message = _("The page's security check did not finish. Please wait a moment and send again.")


class PowReused(IntakeError):
    code = "pow_reused"
    status = 409
    message = _("This security check was already used. Please send again.")


class RateLimited(IntakeError):
    code = "rate_limited"
    status = 429
    message = _("Too many reports are arriving right now. Please wait a few minutes and send again.")


class TooLarge(IntakeError):
    code = "too_large"
    status = 413
    message = _("This is too large to send.")


class TooManyAttachments(IntakeError):
    code = "too_many_attachments"
    status = 400
    message = _("Too many files are attached.")


class MalformedCiphertextError(IntakeError):
    code = "malformed_ciphertext"
    status = 400
    message = _("The encrypted report was damaged on the way. Please send again.")


class InvalidReport(IntakeError):
    code = "invalid_report"
    status = 400

    def __init__(self, problems: list) -> None:
        super().__init__(
            problems[0].message if problems else None, field=problems[0].field if problems else None
        )
        self.problems = problems


class UploadUnknown(IntakeError):
    code = "upload_unknown"
    status = 404
    message = _("A file upload could not be found. Please attach the file again.")


class UploadIncomplete(IntakeError):
    code = "upload_incomplete"
    status = 400
    message = _("A file has not finished uploading.")


class UploadOffsetMismatch(IntakeError):
    code = "offset_mismatch"
    status = 409
    message = _("Part of a file arrived out of order; the upload will continue from where it stopped.")


class ReceiptUnknown(IntakeError):
    code = "receipt_unknown"
    status = 404
    message = _("No report has this receipt. Check the digits and try again.")


class ReceiptMalformed(IntakeError):
    code = "receipt_malformed"
    status = 400
    message = _("A receipt has 20 digits.")


class ServerBusy(IntakeError):
    code = "server_busy"
    status = 503
    message = _("The service is very busy. Please try again later.")
