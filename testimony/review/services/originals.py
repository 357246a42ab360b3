"""Opening a sealed original: custodians only, with a reason, in memory, for one response.

The web process never holds a usable intake identity (DESIGN.md, "Keys"). It may hold, in
``CUSTODIAN_IDENTITY_FILE``, a copy of that identity wrapped with a passphrase (age's scrypt
recipient, as ``age -p`` or ``manage.py init_keys --passphrase`` write it) that only custodians
know. The custodian types it; the identity is unwrapped in this request's memory, opens the
submission's ciphertext, and both are dropped with the response. Nothing is written but the audit
row: the reason (the custodian's own words, sealed: they may name people) and who, first, before
anything is shown.
A wrong passphrase is audited too, as a failed attempt.
"""

from __future__ import annotations

from pathlib import Path

import pyrage
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from testimony.audit.services import audit_record, audit_record_now, sealed_detail
from testimony.crypto import age, padding
from testimony.crypto.age import AGE_MAGIC
from testimony.review.models import Report
from testimony.review.retention import original_status

REASON_MAX_CHARS = 300


class OriginalUnavailable(Exception):
    """The original cannot be opened; ``str()`` is a message for the custodian."""


def originals_configured() -> bool:
    return bool(getattr(settings, "CUSTODIAN_IDENTITY_FILE", ""))


def _identity(passphrase: str) -> pyrage.x25519.Identity:
    path = settings.CUSTODIAN_IDENTITY_FILE
    if not path:
        raise OriginalUnavailable(_("Originals cannot be opened on this server."))
    try:
        wrapped = Path(path).read_bytes()
    except OSError:
        raise OriginalUnavailable(_("The custodian identity file cannot be read on this server.")) from None
    if not wrapped.startswith(AGE_MAGIC):
        # A bare identity here would let the web process decrypt everything by itself.
        raise OriginalUnavailable(
            _("The custodian identity file is not passphrase-protected; it is refused.")
        )
    try:
        unwrapped = pyrage.passphrase.decrypt(wrapped, passphrase)
    except pyrage.DecryptError:
        raise WrongPassphrase(_("The passphrase is not correct.")) from None
    for line in unwrapped.decode("ascii", errors="replace").splitlines():
        if line.startswith("AGE-SECRET-KEY-"):
            return pyrage.x25519.Identity.from_str(line.strip())
    raise OriginalUnavailable(_("The custodian identity file holds no identity."))


class WrongPassphrase(OriginalUnavailable):
    pass


def report_original_open(*, actor, report: Report, reason: str, passphrase: str) -> dict:
    """The submitter's report as sent (``v``, ``kind``, ``when``, ``where``, ``who``, ``account``…).

    Precondition: the caller gated the report and checked ``report.open_original``. The opening
    is audited before the report is returned; a failure is audited as a failed attempt.
    """
    reason = (reason or "").strip()
    if not reason:
        raise OriginalUnavailable(_("Give the reason for opening the original."))
    if len(reason) > REASON_MAX_CHARS:
        raise OriginalUnavailable(_("Keep the reason under %(n)d characters.") % {"n": REASON_MAX_CHARS})
    status = original_status(report.submission)
    if not status.available:
        raise OriginalUnavailable(
            _("The original was destroyed under the retention policy on %(day)s.")
            % {"day": status.destroyed_on.isoformat() if status.destroyed_on else "?"}
        )
    try:
        identity = _identity(passphrase or "")
        plaintext = age.decrypt(bytes(report.submission.report_ciphertext), identity)
        original = padding.unpad_report(plaintext)
    except (OriginalUnavailable, pyrage.DecryptError, padding.PaddingError) as failed:
        why = "passphrase" if isinstance(failed, WrongPassphrase) else type(failed).__name__
        audit_record_now(
            actor=actor,
            action="report.open_original_failed",
            object_type="report",
            object_id=report.pk,
            details={"reason": sealed_detail(reason, context=f"audit.reason:{report.pk}"), "failure": why},
        )
        if isinstance(failed, OriginalUnavailable):
            raise
        raise OriginalUnavailable(_("The original could not be decrypted with this identity.")) from None
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="report.open_original",
            object_type="report",
            object_id=report.pk,
            details={"reason": sealed_detail(reason, context=f"audit.reason:{report.pk}")},
        )
    return original
