"""Reviewers' corrections to the redactions of a submitter's reply, made as the account's are.

A reply is stored as an account is (``review.sealed.reply_open``: the redacted text, each
redaction with its placeholder and the original words it hides, the places) and edited by the
same code (``review.redaction_edits``): add, relabel, remove. Removing restores the words the
worker hid, kept sealed with the reply exactly as the account keeps them.

What differs is the numbering. A reply's placeholders follow the report's ("[PERSON 1]" in a
reply is the account's [PERSON 1], ``processing.messages``), so an edit never renumbers what
stands: a new or relabelled redaction takes the account's placeholder for the same label and
words if there is one, else the next number that neither the report nor any of its replies uses.

Replies feed neither the search index nor the exact-duplicate fingerprint
(``review.search.indexed_text`` is the account and the place description) nor
``Report.redaction_counts``, so there is nothing derived to refresh.

Callers gate first (``access_report(for_write=True)``); these services check the permission
again, lock the report row (so that numbers are chosen one correction at a time, the account's
included) and the message, and write the audit row about the report (its history) in the same
transaction. Audit details name the message, labels, offsets and counts, never the words.
"""

from __future__ import annotations

import hashlib
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from testimony.accounts.permissions import require
from testimony.audit.services import audit_record
from testimony.intake.models import Message
from testimony.review import redaction_edits as edits
from testimony.review.models import Report
from testimony.review.redaction_edits import CorrectionError
from testimony.review.sealed import reply_open, reply_seal, report_text_open


def reply_version(message: Message) -> str:
    """Changes whenever the sealed reply does (each sealing has a fresh nonce); says nothing of it.
    Forms carry it, as they carry ``reports.text_version``, so that a correction chosen on a page
    that is no longer current is refused rather than applied to a text that has moved."""
    return hashlib.sha256(bytes(message.body_sealed)).hexdigest()[:16]


def _replies(report: Report):
    return Message.objects.filter(
        submission_id=report.pk, direction=Message.Direction.FROM_SUBMITTER, body_sealed__isnull=False
    )


def _numbering(report: Report) -> edits.Numbering:
    """Placeholders that stand stay; a new one is the account's for the same words, else unused.

    "Unused" counts the account, the place description and every reply of the report, this one
    included, so that one number never names two things on the page.
    """
    payload = report_text_open(report)
    account = payload["account"]
    texts = [account["redacted_text"], payload.get("place_details") or ""]
    texts += [reply_open(message)["redacted_text"] for message in _replies(report)]
    highest: dict[str, int] = {}
    for text in texts:
        for label, number in edits.PLACEHOLDER.findall(text):
            highest[label] = max(highest.get(label, 0), int(number))
    known: dict[tuple[str, str], str] = {}
    for item in account.get("redactions", []):
        if item.get("original") and item.get("placeholder"):
            known.setdefault((item["label"], edits.fold(item["original"])), item["placeholder"])
    return edits.kept(highest=highest, known=known)


def _rewrite(*, actor, report: Report, message_id: UUID, version: str, edit: edits.Edit) -> dict:
    """Lock, open, apply ``edit``, seal, audit (``report.reply_redaction_<kind>``).

    Returns the reply as now stored.
    """
    require(actor, "report.edit")
    with transaction.atomic():
        row = Report.objects.select_for_update().get(pk=report.pk)
        message = _replies(row).select_for_update().filter(pk=message_id).first()
        if message is None:
            raise CorrectionError(_("This reply is not on this report."))
        if version != reply_version(message):
            raise CorrectionError(_("The reply changed while you were reading it. Reload it and try again."))
        reply = reply_open(message)
        if not reply["redacted_text"]:
            raise CorrectionError(_("This reply could not be opened: there is nothing to correct."))
        pieces = edits.pieces_of(reply)
        extra = edit.apply(pieces, reply["redacted_text"])
        reply = edits.compose(pieces, _numbering(row))
        message.body_sealed = reply_seal(message, reply)
        message.save(update_fields=["body_sealed"])
        audit_record(
            actor=actor,
            action=f"report.reply_redaction_{edit.kind}",
            object_type="report",
            object_id=row.pk,
            details=edit.details | {"message": str(message.pk), "sequence": message.sequence} | extra,
        )
    return reply


def reply_redaction_remove(
    *, actor, report: Report, message_id: UUID, placeholder: str, version: str
) -> dict:
    """Restore the words of every mention hidden behind ``placeholder`` in this reply (and only in
    it: the account and other replies keep theirs)."""
    edit = edits.removal(placeholder=placeholder)
    return _rewrite(actor=actor, report=report, message_id=message_id, version=version, edit=edit)


def reply_redaction_relabel(
    *, actor, report: Report, message_id: UUID, placeholder: str, label: str, version: str
) -> dict:
    """Give every mention behind ``placeholder`` in this reply another label (PERSON → ADDRESS)."""
    edit = edits.relabelling(placeholder=placeholder, label=label)
    return _rewrite(actor=actor, report=report, message_id=message_id, version=version, edit=edit)


def reply_redaction_add(
    *,
    actor,
    report: Report,
    message_id: UUID,
    label: str,
    version: str,
    start: int | None = None,
    end: int | None = None,
    words: str = "",
    everywhere: bool = True,
) -> dict:
    """Hide words of the reply behind a placeholder: a selection (offsets into the redacted reply
    as shown) or the exact words, as ``reports.report_redaction_add`` does for the account."""
    edit = edits.addition(label=label, start=start, end=end, words=words, everywhere=everywhere)
    return _rewrite(actor=actor, report=report, message_id=message_id, version=version, edit=edit)
