"""Retention: sealed originals and attachments of old processed reports are destroyed, unless a case
holds them; failed and unprocessed submissions are kept; one audit row per batch; idempotent; and the
bytes are gone from the database file."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from django.db import connection

from testimony.audit.models import AuditEntry
from testimony.crypto import padding
from testimony.crypto.atrest import seal
from testimony.intake.models import Submission, UploadChunk
from testimony.intake.services import submission_create_from_report
from testimony.review.models import Attachment, Case, CaseReport, Report
from testimony.review.retention import original_status, retention_apply
from tests.conftest import valid_report

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
OLD = TODAY - dt.timedelta(days=400)
RECENT = TODAY - dt.timedelta(days=30)


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.RETENTION_ORIGINALS_DAYS = 365
    settings.RETENTION_ATTACHMENTS_DAYS = 365


def stored(*, received_on: dt.date = OLD, status: str = "processed", files: int = 1, report: bool = True):
    """A submission through the real intake (age ciphertext, uploads), its report and cleaned copies."""
    attachments = [
        padding.AttachmentPlaintext(name=f"photo{i}.jpg", content_type="image/jpeg", content=os.urandom(3000))
        for i in range(files)
    ]
    submission = submission_create_from_report(report=valid_report(), attachments=attachments).submission
    Submission.objects.filter(pk=submission.pk).update(status=status, received_on=received_on)
    # With committed transactions the eager worker has already processed it: start from a known state.
    Report.objects.filter(pk=submission.pk).delete()
    if report:
        row = Report.objects.create(
            submission=submission,
            language="ru",
            kind="raid",
            event_month="2025-01",
            country="RU",
            text_sealed=seal(json.dumps({"account": {}}).encode(), context=f"report.text:{submission.pk}"),
            analysis_version="1",
            received_on=received_on,
            has_attachments=bool(files),
        )
        for position in range(files):
            attachment = Attachment.objects.create(
                report=row, position=position, kind="image", content_type="image/jpeg", cleaned=True
            )
            pk = attachment.pk
            attachment.sanitised_sealed = seal(os.urandom(2000), context=f"attachment.content:{pk}")
            attachment.disguised_voice_sealed = seal(os.urandom(500), context=f"attachment.voice:{pk}")
            attachment.save()
    submission.refresh_from_db()
    return submission


def chunks_of(submission) -> int:
    return UploadChunk.objects.filter(upload__submission=submission).count()


def test_an_old_processed_report_loses_its_original_and_attachment_copies():
    submission = stored()
    assert chunks_of(submission) == 1
    run = retention_apply(today=TODAY)
    submission.refresh_from_db()
    assert bytes(submission.report_ciphertext) == b""
    assert chunks_of(submission) == 0
    assert submission.uploads.count() == 1  # the console can still say there was a file
    assert submission.original_destroyed_on == TODAY
    assert submission.attachments_destroyed_on == TODAY
    attachment = Attachment.objects.get(report_id=submission.pk)
    assert attachment.sanitised_sealed is None
    assert attachment.disguised_voice_sealed is None
    assert run.originals == [str(submission.pk)]
    status = original_status(submission)
    assert not status.available
    assert status.destroyed_on == TODAY
    # the report reviewers work on stays
    assert Report.objects.filter(pk=submission.pk).exists()


def test_the_run_is_audited_once_by_the_system_with_counts_and_ids():
    first, second = stored(), stored()
    retention_apply(today=TODAY)
    entry = AuditEntry.objects.get(action="retention.applied")
    assert entry.actor == "system"
    assert entry.actor_id is None
    assert entry.details["originals_destroyed"] == 2
    assert entry.details["attachments_destroyed"] == 2
    assert set(entry.details["original_ids"]) == {str(first.pk), str(second.pk)}


def test_a_second_run_does_nothing_and_writes_nothing():
    stored()
    retention_apply(today=TODAY)
    run = retention_apply(today=TODAY)
    assert run.originals == run.attachments == run.flagged_failed == []
    assert AuditEntry.objects.filter(action="retention.applied").count() == 1


def test_a_report_a_case_holds_keeps_everything(organisation):
    held = stored()
    case = Case.objects.create(organisation=organisation, title="Raid at the market")
    CaseReport.objects.create(case=case, report_id=held.pk)
    loose = stored()
    retention_apply(today=TODAY)
    held.refresh_from_db()
    assert bytes(held.report_ciphertext).startswith(b"age-encryption.org/v1")
    assert chunks_of(held) == 1
    assert held.original_destroyed_on is None
    assert Attachment.objects.get(report_id=held.pk).sanitised_sealed is not None
    assert original_status(held).available
    loose.refresh_from_db()
    assert loose.original_destroyed_on == TODAY


def test_recent_reports_are_kept():
    recent = stored(received_on=RECENT)
    boundary = stored(received_on=TODAY - dt.timedelta(days=365))
    retention_apply(today=TODAY)
    for submission in (recent, boundary):
        submission.refresh_from_db()
        assert submission.original_destroyed_on is None
        assert chunks_of(submission) == 1


@pytest.mark.parametrize("status", ["received", "processing"])
def test_unprocessed_submissions_are_never_touched(status):
    waiting = stored(status=status, report=False)
    retention_apply(today=TODAY)
    waiting.refresh_from_db()
    assert bytes(waiting.report_ciphertext).startswith(b"age-encryption.org/v1")
    assert chunks_of(waiting) == 1
    assert waiting.retention_flagged_on is None
    assert not AuditEntry.objects.filter(action="retention.applied").exists()


def test_failed_submissions_are_kept_and_flagged_once_for_the_custodian():
    failed = stored(status="failed", report=False)
    retention_apply(today=TODAY)
    failed.refresh_from_db()
    assert bytes(failed.report_ciphertext).startswith(b"age-encryption.org/v1")
    assert chunks_of(failed) == 1
    assert failed.retention_flagged_on == TODAY
    entry = AuditEntry.objects.get(action="retention.applied")
    assert entry.details["flagged_ids"] == [str(failed.pk)]
    assert entry.details["originals_destroyed"] == 0
    retention_apply(today=TODAY + dt.timedelta(days=1))
    assert AuditEntry.objects.filter(action="retention.applied").count() == 1


def test_zero_disables_each_part(settings):
    settings.RETENTION_ORIGINALS_DAYS = 0
    submission = stored()
    retention_apply(today=TODAY)
    submission.refresh_from_db()
    assert submission.original_destroyed_on is None
    assert chunks_of(submission) == 1
    assert submission.attachments_destroyed_on == TODAY  # the attachments period still applies
    settings.RETENTION_ATTACHMENTS_DAYS = 0
    other = stored()
    retention_apply(today=TODAY)
    other.refresh_from_db()
    assert other.original_destroyed_on is None
    assert other.attachments_destroyed_on is None


def test_the_two_periods_are_separate(settings):
    settings.RETENTION_ATTACHMENTS_DAYS = 60
    submission = stored(received_on=TODAY - dt.timedelta(days=100))
    retention_apply(today=TODAY)
    submission.refresh_from_db()
    assert submission.attachments_destroyed_on == TODAY
    assert submission.original_destroyed_on is None
    assert chunks_of(submission) == 1


def test_batches_cover_everything_each_with_its_own_audit_row(monkeypatch):
    from testimony.review import retention

    monkeypatch.setattr(retention, "BATCH", 2)
    submissions = [stored(files=0) for _ in range(5)]
    run = retention_apply(today=TODAY)
    assert sorted(run.originals) == sorted(str(s.pk) for s in submissions)
    assert run.batches == 3
    assert AuditEntry.objects.filter(action="retention.applied").count() == 3


def test_the_task_has_its_name_and_is_scheduled_daily():
    from config.celery import RETENTION_INTERVAL_SECONDS, app
    from testimony.review.retention_tasks import apply_retention

    assert apply_retention.name == "review.apply_retention"
    app.loader.import_default_modules()
    assert "review.apply_retention" in app.tasks
    schedule = app.conf.beat_schedule
    entry = schedule["apply retention"]
    assert entry["task"] == "review.apply_retention"
    assert float(entry["schedule"]) == RETENTION_INTERVAL_SECONDS


def test_the_task_runs_the_retention(settings):
    from testimony.review.retention_tasks import apply_retention

    settings.RETENTION_ORIGINALS_DAYS = 1
    submission = stored(received_on=dt.date.today() - dt.timedelta(days=3))
    assert apply_retention.delay().get()["originals"] == 1
    submission.refresh_from_db()
    assert submission.original_destroyed_on == dt.date.today()


@pytest.mark.django_db(transaction=True)
def test_no_ciphertext_of_a_destroyed_original_remains_in_the_database_file(organisation):
    # given an old report and one a case holds, both committed to the file-backed test database
    destroyed = stored()
    held = stored()
    case = Case.objects.create(organisation=organisation, title="Case")
    CaseReport.objects.create(case=case, report_id=held.pk)
    database = Path(connection.settings_dict["NAME"])

    def pieces(submission) -> list[bytes]:
        """Slices from the middle of every ciphertext the submission holds: report, files, copies."""
        blobs = [bytes(submission.report_ciphertext)]
        blobs += [bytes(c.data) for c in UploadChunk.objects.filter(upload__submission=submission)]
        for attachment in Attachment.objects.filter(report_id=submission.pk):
            blobs += [bytes(attachment.sanitised_sealed), bytes(attachment.disguised_voice_sealed)]
        return [blob[len(blob) // 2 : len(blob) // 2 + 48] for blob in blobs]

    destroyed_pieces, held_pieces = pieces(destroyed), pieces(held)
    assert len(destroyed_pieces) == 4
    on_disk = database.read_bytes()
    assert all(piece in on_disk for piece in destroyed_pieces + held_pieces)  # the check can fail
    # when retention runs
    retention_apply(today=TODAY)
    # then none of the destroyed bytes are left anywhere in the file, free pages included
    on_disk = database.read_bytes()
    assert [piece for piece in destroyed_pieces if piece in on_disk] == []
    assert all(piece in on_disk for piece in held_pieces)
