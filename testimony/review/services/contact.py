"""Two-way contact with the submitter: the thread as the console reads it, messages, needs_info.

A message to the submitter is age-encrypted to the submission's reply key (only the receipt
holder reads it on the follow-up page) and sealed under a data key for the console
(``intake.services.message_to_submitter_create``). A submitter's reply is age ciphertext to the
intake key until the worker opens it, redacts it as the account is (placeholders consistent with
the report's, ``processing.messages``) and seals it as an account is stored, redactions and
places with their offsets (``review.sealed.reply_open``); until then the console can only say that
it arrived. Reviewers correct a reply's redactions as the account's (``reply_redactions``).

Callers gate first (``access_report``); these services check the permission again, lock the
report, and write the audit row in the same transaction. No message text goes into the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from testimony.accounts.permissions import require
from testimony.audit.services import audit_record
from testimony.crypto.atrest import unseal
from testimony.intake.models import Message
from testimony.intake.services import message_to_submitter_create
from testimony.review.data.needs_info_templates import TEMPLATES, template_language, template_text
from testimony.review.models import Report
from testimony.review.models.reports import ReviewState
from testimony.review.sealed import reply_open
from testimony.review.services.reply_redactions import reply_version
from testimony.review.services.states import report_change_state

# Long enough for a careful question; short enough to read on a small phone. The intake side
# allows a submitter ACCOUNT_MAX_CHARS for a reply; the organisation writes less.
MESSAGE_MAX_CHARS = 4000


class ContactError(ValueError):
    """A message the console refuses; ``message`` is shown to the reviewer."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class ThreadEntry:
    id: UUID
    sequence: int
    from_submitter: bool
    sent_on: dt.date
    # None: a reply the worker has not opened yet. "" on an opened reply: it could not be opened.
    # A reply's text is redacted; the organisation's is as written.
    text: str | None
    # A reply's redactions and places, offsets into ``text`` (``review.sealed.reply_open``).
    redactions: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
    version: str = ""  # a reply's, for its correction forms (``reply_redactions.reply_version``)

    @property
    def pending(self) -> bool:
        return self.text is None

    @property
    def unreadable(self) -> bool:
        return self.text == ""


@dataclass(frozen=True)
class Thread:
    report_id: UUID
    language: str  # the language templated questions are written in
    entries: list[ThreadEntry]


def _entry(message: Message) -> ThreadEntry:
    from_submitter = message.direction == Message.Direction.FROM_SUBMITTER
    entry = ThreadEntry(
        id=message.id,
        sequence=message.sequence,
        from_submitter=from_submitter,
        sent_on=message.sent_on,
        text=None,
    )
    if message.body_sealed is None:
        return entry
    if not from_submitter:
        text = unseal(bytes(message.body_sealed), context=f"message.body:{message.id}").decode("utf-8")
        return replace(entry, text=text)
    reply = reply_open(message)
    return replace(
        entry,
        text=reply["redacted_text"],
        redactions=reply["redactions"],
        places=reply["places"],
        version=reply_version(message),
    )


def report_contact_thread(*, user, report: Report) -> Thread:
    """The messages of the report's submission, oldest first, opened for this response only.

    Precondition: ``report`` came from ``access_report`` for ``user``. Replies are the
    submitter's own words (redacted by the worker), so reading them is audited like a report view.
    """
    require(user, "report.view")
    with transaction.atomic():
        messages = list(Message.objects.filter(submission_id=report.pk).order_by("sequence"))
        audit_record(
            actor=user,
            action="report.contact_viewed",
            object_type="report",
            object_id=report.pk,
            details={"messages": len(messages)},
        )
    return Thread(
        report_id=report.pk,
        language=template_language(report.language),
        entries=[_entry(message) for message in messages],
    )


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ContactError(_("Write a message first."))
    if len(text) > MESSAGE_MAX_CHARS:
        raise ContactError(
            _("The message is too long (at most %(limit)s characters).") % {"limit": MESSAGE_MAX_CHARS}
        )
    return text


def _send(*, user, report: Report, text: str, template_key: str = "") -> Message:
    """Caller holds a transaction and the report's row lock."""
    message = message_to_submitter_create(submission_id=report.pk, text=text)
    details: dict = {"message": str(message.id), "sequence": message.sequence}
    if template_key:
        details["template"] = template_key
        details["language"] = template_language(report.language)
    audit_record(
        actor=user, action="report.message_sent", object_type="report", object_id=report.pk, details=details
    )
    return message


def report_message_send(*, user, report_id: UUID, text: str) -> Message:
    """Write to the submitter. Precondition: ``access_report(for_write=True)`` allowed it."""
    require(user, "report.message")
    text = _clean_text(text)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        return _send(user=user, report=report, text=text)


def _move_to_needs_info(*, user, report: Report) -> None:
    """Caller holds a transaction and the row lock. The queue's state service does the change.

    ``needs_info`` follows ``in_review`` (services/states.py); a ``new`` report is taken into
    review first, so asking a question about a fresh report is one click (two audited changes).
    A report already waiting for information just gets the message. From a final state
    (verified, rejected, duplicate) the reviewer reopens it first: ``StateChangeRefused``.
    """
    if report.state == ReviewState.NEEDS_INFO:
        return
    if report.state == ReviewState.NEW:
        report_change_state(user=user, report_id=report.pk, state=ReviewState.IN_REVIEW)
    report_change_state(user=user, report_id=report.pk, state=ReviewState.NEEDS_INFO)


def report_request_info(*, user, report_id: UUID, template_key: str, extra: str = "") -> Message:
    """Send a templated question in the submitter's language and move the report to ``needs_info``.

    The question is written in ``Report.language`` (detected by the analysis; Russian when there
    is no text in that language), followed by the reviewer's own line if given. Message, state
    change and their audit rows are one transaction.
    """
    require(user, "report.message")
    require(user, "report.edit")
    if template_key not in TEMPLATES:
        raise ContactError(_("Choose one of the questions."))
    extra = (extra or "").strip()
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        text = template_text(template_key, report.language)
        if extra:
            text = f"{text}\n\n{extra}"
        text = _clean_text(text)
        message = _send(user=user, report=report, text=text, template_key=template_key)
        try:
            _move_to_needs_info(user=user, report=report)
        except ValidationError as refused:  # states.StateChangeRefused
            # Raised inside the transaction: the message above is rolled back with it.
            raise ContactError(" ".join(refused.messages)) from None
    return message


def needs_info_choices(language: str) -> list[dict]:
    """The templates for the console form: key, English label, and the text as it would be sent."""
    return [
        {"key": key, "label": template["label"], "text": template_text(key, language)}
        for key, template in TEMPLATES.items()
    ]
