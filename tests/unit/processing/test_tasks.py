"""The worker's hand-off: claim, decrypt, record; idempotent; failures visible and free of plaintext."""

import io
import json

import pytest

from testimony.crypto import age, padding
from testimony.crypto.atrest import unseal
from testimony.intake.models import Message, Submission
from testimony.intake.services import submission_create_encrypted, submission_create_from_report
from testimony.processing import failures, services, tasks
from testimony.review.sealed import reply_open
from tests.conftest import valid_report

pytestmark = pytest.mark.django_db


def _stored(report=None, *, ciphertext=None) -> Submission:
    ciphertext = ciphertext or age.encrypt_to_intake(padding.pad_report(report or valid_report()))
    return submission_create_encrypted(report_ciphertext=ciphertext, upload_claims=[]).submission


def test_processing_decrypts_and_seals_the_facts_without_the_account():
    submission = _stored()
    assert tasks.process_submission(submission_id=str(submission.id)) == "processed"
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PROCESSED
    facts = json.loads(unseal(bytes(submission.facts_sealed), context=f"submission.facts:{submission.id}"))
    assert facts["kind"] == "raid"
    assert facts["attachments"] == 0
    assert "account" not in facts


def test_processing_twice_changes_nothing():
    submission = _stored()
    tasks.process_submission(submission_id=str(submission.id))
    submission.refresh_from_db()
    before = bytes(submission.facts_sealed)
    assert tasks.process_submission(submission_id=str(submission.id)) == "processed"
    submission.refresh_from_db()
    assert bytes(submission.facts_sealed) == before


def test_a_claimed_submission_is_not_claimed_again():
    submission = _stored()
    assert services.submission_claim(submission_id=submission.id)
    assert not services.submission_claim(submission_id=submission.id)


def test_a_vanished_submission_is_a_no_op():
    assert tasks.process_submission(submission_id="00000000-0000-0000-0000-000000000000") == "missing"


def test_ciphertext_for_another_key_fails_with_a_code_only():
    import pyrage

    stranger = pyrage.x25519.Identity.generate().to_public()
    ciphertext = pyrage.encrypt(padding.pad_report(valid_report(account="секрет")), [stranger])
    submission = _stored(ciphertext=ciphertext)
    assert tasks.process_submission(submission_id=str(submission.id)) == "failed"
    submission.refresh_from_db()
    assert submission.status == Submission.Status.FAILED
    assert submission.failure_reason == failures.UNDECRYPTABLE


def test_a_report_that_decrypts_but_is_invalid_fails_visibly():
    submission = _stored(valid_report(kind="picnic", account="секретный текст"))
    tasks.process_submission(submission_id=str(submission.id))
    submission.refresh_from_db()
    assert submission.status == Submission.Status.FAILED
    assert submission.failure_reason == failures.INVALID_REPORT


def test_a_crash_is_recorded_as_failed(monkeypatch):
    submission = _stored()

    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "submission_process", explode)
    with pytest.raises(failures.TaskCrashed):
        tasks.process_submission.apply(kwargs={"submission_id": str(submission.id)}, throw=True)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.FAILED
    assert submission.failure_reason == failures.CRASHED


def test_sweeper_enqueues_what_the_broker_lost(monkeypatch):
    submission = _stored()
    # The broker was down at submission time: nothing was processed.
    assert Submission.objects.get(id=submission.id).status == Submission.Status.RECEIVED
    assert tasks.sweep_stale() >= 1
    assert Submission.objects.get(id=submission.id).status == Submission.Status.PROCESSED


def test_sweeper_releases_work_of_a_dead_worker():
    import datetime as dt

    from django.utils import timezone

    submission = _stored()
    services.submission_claim(submission_id=submission.id)
    Submission.objects.filter(id=submission.id).update(
        processing_deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    tasks.sweep_stale()
    assert Submission.objects.get(id=submission.id).status == Submission.Status.PROCESSED


def test_a_broker_outage_does_not_fail_the_submission(monkeypatch, caplog):
    from kombu.exceptions import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.process_submission, "apply_async", down)
    from testimony.processing.enqueue import enqueue_submission

    submission = submission_create_from_report(report=valid_report(), attachments=[]).submission
    enqueue_submission(submission.id)
    assert "sweeper" in caplog.text
    assert str(submission.id) not in caplog.text
    assert Submission.objects.get(id=submission.id).status == Submission.Status.RECEIVED


def test_submitter_message_is_sealed_for_the_console():
    import pyrage
    from django.conf import settings
    from django.utils import timezone

    submission = _stored()
    # A reply waits until its report is processed (so that its placeholders can follow the report's).
    tasks.process_submission(submission_id=str(submission.id))
    ciphertext = pyrage.encrypt(
        padding.pad_report({"v": 1, "text": "дополнение"}),
        [pyrage.x25519.Recipient.from_str(settings.AGE_RECIPIENT)],
    )
    message = Message.objects.create(
        submission=submission,
        direction="from_submitter",
        sequence=1,
        ciphertext=ciphertext,
        sent_on=timezone.now(),
    )
    assert tasks.process_message(message_id=str(message.id))
    assert not tasks.process_message(message_id=str(message.id))
    message.refresh_from_db()
    assert reply_open(message) == {"redacted_text": "дополнение", "redactions": [], "places": []}


def test_sweeper_deletes_uploads_nobody_claimed():
    import datetime as dt

    from django.utils import timezone

    from testimony.intake.models import Upload

    today = timezone.now().date()
    old = Upload.objects.create(token_hash="x", size=10, created_on=today - dt.timedelta(days=3))
    fresh = Upload.objects.create(token_hash="y", size=10, created_on=today)
    claimed = Upload.objects.create(
        token_hash="z", size=10, created_on=today - dt.timedelta(days=30), submission=_stored()
    )
    tasks.sweep_stale()
    remaining = set(Upload.objects.values_list("id", flat=True))
    assert old.id not in remaining
    assert {fresh.id, claimed.id} <= remaining


def test_crashed_submissions_can_be_requeued_after_a_fix(monkeypatch):
    from django.core.management import call_command

    submission = _stored()

    def explode(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(services, "submission_process", explode)
    with pytest.raises(failures.TaskCrashed):
        tasks.process_submission.apply(kwargs={"submission_id": str(submission.id)}, throw=True)
    monkeypatch.undo()
    call_command("requeue_failed")
    assert Submission.objects.get(id=submission.id).status == Submission.Status.RECEIVED
    tasks.sweep_stale()
    assert Submission.objects.get(id=submission.id).status == Submission.Status.PROCESSED


def test_a_transient_database_error_hands_the_row_back_for_the_retry(monkeypatch):
    from django.db import OperationalError

    submission = _stored()

    def flaky(**kwargs):
        raise OperationalError("connection lost")

    monkeypatch.setattr(services, "submission_process", flaky)
    monkeypatch.setattr(tasks.process_submission, "max_retries", 0)
    with pytest.raises(failures.TransientFailure):
        tasks.process_submission.apply(kwargs={"submission_id": str(submission.id)}, throw=True)
    assert Submission.objects.get(id=submission.id).status == Submission.Status.RECEIVED


# --- nothing of a failing exception's message reaches a log ---------------------------------------

MARKER = "Холиков-секрет-79161234567"


def _records_text(records) -> str:
    """Everything a log handler could write for these records: message, arguments, extras, traceback."""
    import logging

    formatter = logging.Formatter("%(message)s")
    parts = []
    for record in records:
        parts.append(formatter.format(record))  # formats exc_info too, as a handler would
        parts.append(repr(record.__dict__))
    return "\n".join(parts)


class _LeakyLibraryError(ValueError):
    """As a third-party library might raise: the report's words in the message."""


def _analysis_that_quotes_the_text(monkeypatch):
    def analyse_report(report):
        raise _LeakyLibraryError(f"cannot parse {MARKER} in {report['account'][:40]!r}")

    monkeypatch.setattr(services, "analyse_report", analyse_report)


def test_a_crash_logs_the_exception_class_only(monkeypatch, caplog):
    import logging

    caplog.set_level(logging.DEBUG)  # every logger, every level: Celery's trace lines included
    submission = _stored(valid_report(account=f"Меня зовут {MARKER}, нас задержали на рынке."))
    _analysis_that_quotes_the_text(monkeypatch)

    # Not thrown: Celery handles the failure as on a worker (logs it, calls on_failure).
    assert tasks.process_submission.apply(kwargs={"submission_id": str(submission.id)}, throw=False).failed()

    submission.refresh_from_db()
    assert (submission.status, submission.failure_reason) == (Submission.Status.FAILED, failures.CRASHED)
    logged = _records_text(caplog.records)
    # Celery did log the failure (so this test looks at the right records), by class name only.
    assert "raised unexpected" in logged
    assert "_LeakyLibraryError" in logged
    assert MARKER not in logged
    assert "cannot parse" not in logged


def test_the_exception_a_task_raises_holds_the_class_name_and_nothing_chained(monkeypatch):
    submission = _stored(valid_report(account=f"Меня зовут {MARKER}."))
    _analysis_that_quotes_the_text(monkeypatch)
    with pytest.raises(failures.TaskCrashed) as raised:
        tasks.process_submission.apply(kwargs={"submission_id": str(submission.id)}, throw=True)
    assert raised.value.args == ("_LeakyLibraryError",)
    # Nothing chained: a formatted traceback would print a chained exception with its message.
    assert raised.value.__context__ is None
    assert raised.value.__cause__ is None
    import traceback

    assert MARKER not in "".join(traceback.format_exception(raised.value))
    assert Submission.objects.get(id=submission.id).failure_reason == failures.CRASHED


def test_a_transient_error_that_outlasts_the_retries_ends_failed_and_is_logged_by_class_only(
    monkeypatch, caplog
):
    import logging

    from django.db import OperationalError

    caplog.set_level(logging.DEBUG)
    submission = _stored()

    def flaky(**kwargs):
        # As a driver may word it: a value from the row in the message.
        raise OperationalError(f'value "{MARKER}" in column')

    monkeypatch.setattr(services, "submission_process", flaky)
    monkeypatch.setattr(tasks.process_submission, "max_retries", 0)
    # Not thrown, so that Celery's failure handling (the task's on_failure) runs as on a worker.
    result = tasks.process_submission.apply(kwargs={"submission_id": str(submission.id)}, throw=False)
    assert result.failed()
    submission.refresh_from_db()
    assert (submission.status, submission.failure_reason) == (Submission.Status.FAILED, failures.CRASHED)
    logged = _records_text(caplog.records)
    assert "OperationalError" in logged
    assert MARKER not in logged


def test_a_crash_opening_a_message_logs_the_class_only(monkeypatch, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    submission = _stored()
    message = Message.objects.create(
        submission=submission, direction="from_submitter", sequence=1, ciphertext=b"x", sent_on="2024-01-01"
    )

    def explode(**kwargs):
        raise _LeakyLibraryError(MARKER)

    monkeypatch.setattr(services, "message_process", explode)
    assert tasks.process_message.apply(kwargs={"message_id": str(message.id)}, throw=False).failed()
    logged = _records_text(caplog.records)
    assert "_LeakyLibraryError" in logged
    assert MARKER not in logged


def test_scrubbed_failures_lets_celery_control_exceptions_through():
    from celery.exceptions import Ignore

    @failures.scrubbed_failures()
    def body():
        raise Ignore()

    with pytest.raises(Ignore):
        body()


def test_the_worker_indexes_and_fingerprints_the_text_as_the_console_does():
    from testimony.review.models import Report
    from testimony.review.sealed import report_text_open
    from testimony.review.search import indexed_text, search_filter
    from testimony.review.similar import text_fingerprint

    submission = _stored(valid_report(where={"country": "RU", "place": "524901", "details": "рынок Садовод"}))
    tasks.process_submission(submission_id=str(submission.id))
    report = Report.objects.get(submission=submission)
    payload = report_text_open(report)
    # One text for both (review.search.indexed_text): the account and the place description.
    assert report.text_fingerprint == text_fingerprint(indexed_text(payload))
    assert search_filter(Report.objects.all(), "патенты").filter(pk=report.pk).exists()
    assert search_filter(Report.objects.all(), "Садовод").filter(pk=report.pk).exists()


def _reply(submission, text: str) -> Message:
    import pyrage
    from django.conf import settings
    from django.utils import timezone

    ciphertext = pyrage.encrypt(
        padding.pad_report({"v": 1, "text": text}),
        [pyrage.x25519.Recipient.from_str(settings.AGE_RECIPIENT)],
    )
    return Message.objects.create(
        submission=submission,
        direction="from_submitter",
        sequence=1,
        ciphertext=ciphertext,
        sent_on=timezone.now(),
    )


def test_a_reply_waits_for_its_report_then_is_sealed_redacted():
    submission = _stored(valid_report(account="Меня зовут Фаррух Холиков, тел +7 916 123-45-67."))
    message = _reply(submission, "Холикова брата забрали, звоните Бахрому Каримову +7 926 555-12-34.")
    # while the report is not processed, the reply waits (the sweeper offers it again)
    assert not tasks.process_message(message_id=str(message.id))
    assert Message.objects.get(id=message.id).body_sealed is None
    tasks.process_submission(submission_id=str(submission.id))
    assert tasks.process_message(message_id=str(message.id))
    message.refresh_from_db()
    reply = reply_open(message)
    # The report holds [PERSON 1] (Фаррух Холиков) and [PHONE 1]: the same surname, declined, keeps
    # its placeholder; the new name and number come after the report's.
    assert reply["redacted_text"] == "[PERSON 1] брата забрали, звоните [PERSON 2] [PHONE 2]."
    # Stored as an account is: each redaction where it stands, with the words it hides (sealed).
    shown = [reply["redacted_text"][r["start"] : r["end"]] for r in reply["redactions"]]
    assert (
        shown == [r["placeholder"] for r in reply["redactions"]] == ["[PERSON 1]", "[PERSON 2]", "[PHONE 2]"]
    )
    assert [r["original"] for r in reply["redactions"]] == [
        "Холикова",
        "Бахрому Каримову",
        "+7 926 555-12-34",
    ]
    assert "Холиков".encode() not in bytes(message.body_sealed)


def test_a_reply_whose_analysis_fails_is_never_sealed_in_clear(monkeypatch, caplog):
    import logging

    from testimony.processing import messages

    caplog.set_level(logging.DEBUG)
    submission = _stored()
    tasks.process_submission(submission_id=str(submission.id))
    message = _reply(submission, f"Меня зовут {MARKER}")

    def broken(text, **kwargs):
        raise _LeakyLibraryError(text)

    monkeypatch.setattr(messages, "redact_reply", broken)
    assert tasks.process_message(message_id=str(message.id))
    message.refresh_from_db()
    assert unseal(bytes(message.body_sealed), context=f"message.body:{message.id}") == b""
    logged = _records_text(caplog.records)
    assert "_LeakyLibraryError" in logged
    assert MARKER not in logged


def test_replies_sealed_in_clear_before_can_be_redacted_again():
    from django.core.management import call_command

    from testimony.crypto.atrest import seal

    submission = _stored(valid_report(account="Меня зовут Фаррух Холиков."))
    tasks.process_submission(submission_id=str(submission.id))
    message = _reply(submission, "Звоните Холикову +7 926 555-12-34.")
    # as an older worker left it: the reply sealed for the console in clear
    clear = seal("Звоните Холикову +7 926 555-12-34.".encode(), context=f"message.body:{message.id}")
    Message.objects.filter(id=message.id).update(body_sealed=clear)
    call_command("redact_replies", stdout=io.StringIO())
    assert Message.objects.get(id=message.id).body_sealed is None
    tasks.sweep_stale()
    assert reply_open(Message.objects.get(id=message.id))["redacted_text"] == "Звоните [PERSON 1] [PHONE 1]."


def test_redact_replies_leaves_replies_the_worker_sealed_with_their_redactions():
    """A reviewer may have corrected such a reply: only ``--all`` redoes it."""
    from django.core.management import call_command

    submission = _stored(valid_report(account="Меня зовут Фаррух Холиков."))
    tasks.process_submission(submission_id=str(submission.id))
    message = _reply(submission, "Звоните Холикову +7 926 555-12-34.")
    tasks.process_message(message_id=str(message.id))
    sealed = bytes(Message.objects.get(id=message.id).body_sealed)
    out = io.StringIO()
    call_command("redact_replies", stdout=out)
    assert out.getvalue().startswith("0 replies")
    assert bytes(Message.objects.get(id=message.id).body_sealed) == sealed
    call_command("redact_replies", "--all", stdout=io.StringIO())
    assert Message.objects.get(id=message.id).body_sealed is None
