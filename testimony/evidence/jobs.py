"""The life of an export job, shared by every kind of output (files and evidence packages).

A job is claimed by compare-and-set, writes its file under a temporary name in
``settings.EVIDENCE_EXPORT_DIR`` and renames it only when complete, so a download never serves a
half-written file; it records progress as it goes; it ends ``done`` with the file's size and
SHA-256, or ``failed`` with a code. The download link is signed and expires with the file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from testimony.evidence.models import ExportJob
from testimony.processing.failures import TransientFailure

logger = logging.getLogger(__name__)

# Failure codes (ExportJob.failure_reason): never text from the data.
FAILED_UNEXPECTED = "unexpected_error"
FAILED_INTERRUPTED = "interrupted"
FAILED_REFUSED = "refused"  # the requester lost the right to export, or asked for what is not allowed
FAILED_TRANSIENT = "database_unavailable"  # retries ran out on a named transient error
FAILED_TIMEOUT = "timed_out"  # the task's time limit stopped it


def failure_reason(exc: BaseException) -> str:
    """The code a job that ended on ``exc`` is marked failed with (never the exception's text).

    Called with what the job's body raised (a soft time limit arrives there as
    ``SoftTimeLimitExceeded``) and with what Celery hands ``on_failure`` (the body's exception
    scrubbed by ``processing.failures``, or a hard ``TimeLimitExceeded``).
    """
    if isinstance(exc, TransientFailure):
        return FAILED_TRANSIENT
    if isinstance(exc, SoftTimeLimitExceeded | TimeLimitExceeded):
        return FAILED_TIMEOUT
    return FAILED_UNEXPECTED


# A running job touches its heartbeat file when claimed and at every progress report; one whose
# heartbeat is older than this is taken for dead (its worker was killed) by ``jobs_fail_stale``.
# A file, not a column: no migration for it, and the export directory is where the worker writes.
STALE_AFTER = dt.timedelta(minutes=15)

_LINK_SALT = "evidence.download"
_CHUNK = 1 << 20


def export_dir() -> Path:
    folder = Path(settings.EVIDENCE_EXPORT_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def job_enqueue(task, *, job_id: uuid.UUID) -> None:
    """Send the job's ``task`` to the broker (called on commit); with the broker away, log and go on.

    The job stays queued and its page says so; the requester can start it again.
    """
    from kombu.exceptions import OperationalError

    try:
        task.apply_async(kwargs={"job_id": str(job_id)})
    except (OperationalError, OSError):
        logger.warning("Broker unavailable; %s job %s stays queued.", task.name, job_id)


def job_claim(*, job_id: uuid.UUID) -> ExportJob | None:
    """Move a queued job to running; None if it vanished or another worker has it or it is finished."""
    claimed = ExportJob.objects.filter(id=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING
    )
    if claimed != 1:
        return None
    job_heartbeat(job_id=job_id)
    return ExportJob.objects.get(id=job_id)


def _heartbeat_path(job_id) -> Path:
    return export_dir() / f".{job_id}.alive"


def job_heartbeat(*, job_id) -> None:
    """Record that the job's worker is alive (see ``STALE_AFTER``)."""
    _heartbeat_path(job_id).touch(mode=0o600)


def _heartbeat_clear(job_id) -> None:
    _heartbeat_path(job_id).unlink(missing_ok=True)


def job_progress(job: ExportJob, *, done: int, total: int | None = None) -> None:
    job.rows_done = done
    fields = ["rows_done"]
    if total is not None:
        job.rows_total = total
        fields.append("rows_total")
    job.save(update_fields=fields)
    job_heartbeat(job_id=job.id)


@contextlib.contextmanager
def job_output(job: ExportJob, *, suffix: str) -> Iterator[BinaryIO]:
    """A file to write the job's output to; on success it is renamed into place and the job is done.

    On an exception the partial file is removed and the exception propagates (the task marks the
    job failed). The file is created 0600: it holds redacted data, for one organisation.
    """
    folder = export_dir()
    final_name = f"{job.id}{suffix}"
    partial = folder / f".{final_name}.part"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        digest, size = _sha256_of(partial)
        os.replace(partial, folder / final_name)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    now = timezone.now()
    job.file_name = final_name
    job.size = size
    job.sha256 = digest
    job.status = ExportJob.Status.DONE
    job.finished_at = now
    job.expires_at = now + dt.timedelta(hours=settings.EVIDENCE_EXPORT_TTL_HOURS)
    job.save(update_fields=["file_name", "size", "sha256", "status", "finished_at", "expires_at"])
    _heartbeat_clear(job.id)


def _sha256_of(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def job_mark_failed(*, job_id: uuid.UUID, reason: str = FAILED_UNEXPECTED) -> None:
    ExportJob.objects.filter(
        id=job_id, status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]
    ).update(status=ExportJob.Status.FAILED, failure_reason=reason, finished_at=timezone.now())
    _heartbeat_clear(job_id)


def job_file(job: ExportJob) -> Path | None:
    """The finished file, if the job is done, unexpired and the file is there."""
    if job.status != ExportJob.Status.DONE or not job.file_name:
        return None
    if job.expires_at is None or job.expires_at <= timezone.now():
        return None
    path = export_dir() / job.file_name
    return path if path.is_file() else None


def download_token(job: ExportJob) -> str:
    """A signed token naming the job; valid until the job expires (checked again on use)."""
    return signing.dumps({"job": str(job.id)}, salt=_LINK_SALT, compress=False)


def job_id_from_token(token: str) -> uuid.UUID | None:
    max_age = dt.timedelta(hours=settings.EVIDENCE_EXPORT_TTL_HOURS)
    try:
        data = signing.loads(token, salt=_LINK_SALT, max_age=max_age)
        return uuid.UUID(data["job"])
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        return None


def jobs_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the files of jobs past their expiry and mark them expired. Returns how many."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now):
        with transaction.atomic():
            if job.file_name:
                (export_dir() / job.file_name).unlink(missing_ok=True)
            ExportJob.objects.filter(id=job.id).update(status=ExportJob.Status.EXPIRED, file_name="")
        expired += 1
    # Leftovers of a worker killed mid-write (partial files, heartbeats).
    for leftover in [*export_dir().glob(".*.part"), *export_dir().glob(".*.alive")]:
        job_id = leftover.name[1:].split(".", 1)[0]
        with contextlib.suppress(ValueError):
            if not ExportJob.objects.filter(id=uuid.UUID(job_id), status=ExportJob.Status.RUNNING).exists():
                leftover.unlink(missing_ok=True)
    return expired


def jobs_fail_stale(*, now: dt.datetime | None = None) -> int:
    """Mark failed (``interrupted``) the running jobs whose worker died: no heartbeat for ``STALE_AFTER``.

    A job claimed by a worker that was then killed stays ``running``: its redelivered task finds
    it claimed and does nothing. Its partial file is removed by the next ``jobs_expire``.
    Returns how many jobs were marked.
    """
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    failed = 0
    running = ExportJob.objects.filter(status=ExportJob.Status.RUNNING, created_at__lte=cutoff)
    for job_id in running.values_list("id", flat=True):
        beat = _heartbeat_path(job_id)
        alive = beat.exists() and dt.datetime.fromtimestamp(beat.stat().st_mtime, tz=dt.UTC) > cutoff
        if not alive:
            job_mark_failed(job_id=job_id, reason=FAILED_INTERRUPTED)
            for partial in export_dir().glob(f".{job_id}*.part"):
                partial.unlink(missing_ok=True)
            failed += 1
    return failed
