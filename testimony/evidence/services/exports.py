"""Exports: ask for one (``export_create``), and the worker's run of it (``export_run``).

``export_create`` checks what was asked against the field rules (a destination's levels, text
only internal and only for a role that may read it), stores the request on an ``ExportJob`` (the
reviewer's search words sealed, as a bulk job does), writes the ``evidence.export`` audit row in
the same transaction and enqueues ``evidence.run_export`` once committed.

``export_run`` is the task's body: it claims the job by compare-and-set, evaluates the request
again with the requester's current scope and rights (a job never reaches what its requester could
not), counts, streams the rows through the format's writer into ``jobs.job_output`` (a temporary
file renamed when complete), reporting progress every ``PROGRESS_EVERY`` rows, and records what
was applied (``ExportJob.disclosure``). Its audit row holds counts and the file's SHA-256, never
data. A failure leaves no file and a code in ``failure_reason``.
"""

from __future__ import annotations

import gc
import logging
import uuid
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from testimony.accounts.permissions import can, require
from testimony.audit.services import audit_record, audit_record_now
from testimony.evidence import fields as fx
from testimony.evidence import jobs
from testimony.evidence.models import Destination, ExportJob
from testimony.evidence.rows import (
    EXPORT_ACTION,
    RowSource,
    SourceRefused,
    aggregate_source,
    case_source,
    redacted_filters,
    report_source,
    text_allowed,
)
from testimony.evidence.writers import FORMATS
from testimony.review.filters import QueueFilters

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 10_000


class ExportRefused(ValidationError):
    pass


# --- Parameters as stored ---------------------------------------------------------------------


def _search_context(job_id) -> str:
    return f"export.q:{job_id}"


def job_filters(job: ExportJob) -> QueueFilters:
    return QueueFilters.from_sealed_json(job.parameters.get("filters", {}), context=_search_context(job.pk))


def _aggregate_parameters(parameters: dict) -> dict:
    from testimony.evidence.aggregates import DIMENSIONS

    rows = parameters.get("rows") or ""
    columns = parameters.get("columns") or None
    if rows not in DIMENSIONS:
        raise ExportRefused(_("Choose what the table counts by."))
    if columns is not None and (columns not in DIMENSIONS or columns == rows):
        raise ExportRefused(_("Choose a different second dimension, or none."))
    return {"rows": rows, "columns": columns}


# --- Creating a job --------------------------------------------------------------------------


def export_create(*, user, destination: str, level: str, format: str, parameters: dict) -> ExportJob:
    """Validate, record and audit an export, and enqueue it once committed.

    ``parameters``: ``filters`` (a ``QueueFilters`` or its JSON), ``include_text`` (bool; internal
    only), and for aggregates ``rows`` and ``columns`` (dimensions of ``evidence.aggregates``).
    """
    require(user, EXPORT_ACTION)
    if user.organisation_id is None:
        raise ExportRefused(_("Your account belongs to no organisation."))
    if destination not in Destination.values:
        raise ExportRefused(_("Choose who the export is for."))
    # fields.levels_for never names "package": a package is services.packages' job (it shares jobs.py).
    if level not in fx.levels_for(destination):
        raise ExportRefused(_("Publication gets aggregated counts only."))
    if format not in FORMATS:
        raise ExportRefused(_("Choose a file format."))
    filters = parameters.get("filters") or QueueFilters()
    if isinstance(filters, dict):
        filters = QueueFilters.from_json(filters)
    include_text = bool(parameters.get("include_text"))
    # Aggregates first: text_allowed refuses them too, with a message about roles that misleads.
    if include_text and level == ExportJob.Level.AGGREGATE:
        raise ExportRefused(_("Aggregated counts have no text."))
    if include_text and not text_allowed(user, level=level, destination=destination):
        raise ExportRefused(
            _("The text can be exported only for our organisation, by a role that may read it.")
        )
    job_id = uuid.uuid4()
    stored: dict = {
        "filters": filters.to_sealed_json(context=_search_context(job_id)),
        "include_text": include_text,
    }
    if level == ExportJob.Level.AGGREGATE:
        stored.update(_aggregate_parameters(parameters))
    with transaction.atomic():
        job = ExportJob.objects.create(
            id=job_id,
            organisation_id=user.organisation_id,
            requested_by=user,
            destination=destination,
            level=level,
            format=format,
            parameters=stored,
        )
        audit_record(
            actor=user,
            action=EXPORT_ACTION,
            object_type="export_job",
            object_id=str(job.pk),
            details={
                "destination": destination,
                "level": level,
                "format": format,
                "include_text": include_text,
                "filters": redacted_filters(filters),
                **({"rows": stored["rows"], "columns": stored["columns"]} if "rows" in stored else {}),
            },
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id) -> None:
    from testimony.evidence.tasks import run_export

    jobs.job_enqueue(run_export, job_id=job_id)


def export_audit_download(*, user, job: ExportJob) -> None:
    """A download is a disclosure too: audited, with the file's hash (what left)."""
    audit_record_now(
        actor=user,
        action="evidence.download",
        object_type="export_job",
        object_id=str(job.pk),
        details={
            "level": job.level,
            "format": job.format,
            "destination": job.destination,
            "sha256": job.sha256,
        },
    )


# --- Running a job (the task's body) ---------------------------------------------------------


def _source(job: ExportJob, user) -> RowSource:
    filters = job_filters(job)
    include_text = bool(job.parameters.get("include_text"))
    if job.level == ExportJob.Level.REPORTS:
        return report_source(
            user=user, filters=filters, destination=job.destination, include_text=include_text
        )
    if job.level == ExportJob.Level.CASES:
        return case_source(user=user, filters=filters, destination=job.destination, include_text=include_text)
    if job.level == ExportJob.Level.AGGREGATE:
        return aggregate_source(
            user=user,
            filters=filters,
            destination=job.destination,
            rows=job.parameters["rows"],
            columns=job.parameters.get("columns"),
        )
    raise SourceRefused(f"{job.level} is not an export level")


def _counted(rows: Iterator[tuple], job: ExportJob) -> Iterator[tuple]:
    """The rows, reporting progress every ``PROGRESS_EVERY`` (one small UPDATE each time)."""
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            jobs.job_progress(job, done=done)


def may_use_job(user, job: ExportJob) -> bool:
    """May ``user`` see and download ``job``: evidence.export in the job's organisation, and, for
    a job holding text, the right to read that text (an analyst may not read reports).

    Never a package: packages have their own permission and download view
    (``evidence.package``, ``services.packages.may_use_package``)."""
    if job.level == ExportJob.Level.PACKAGE:
        return False
    if not can(user, EXPORT_ACTION) or not user.is_active or user.organisation_id != job.organisation_id:
        return False
    if (job.parameters or {}).get("include_text"):
        return text_allowed(user, level=job.level, destination=job.destination)
    return True


def export_run(*, job_id: uuid.UUID) -> str:
    """Write the job's file. Safe to run twice: only a queued job is claimed."""
    job = jobs.job_claim(job_id=job_id)
    if job is None:
        status = ExportJob.objects.filter(id=job_id).values_list("status", flat=True).first()
        if status is None:
            logger.info("Export job vanished before it ran; nothing to do.")
        return status or "missing"
    user = job.requested_by
    if user is None or not may_use_job(user, job):
        jobs.job_mark_failed(job_id=job.pk, reason=jobs.FAILED_REFUSED)  # the right was lost meanwhile
        return ExportJob.Status.FAILED
    try:
        source = _source(job, user)
    except SourceRefused:
        jobs.job_mark_failed(job_id=job.pk, reason=jobs.FAILED_REFUSED)
        return ExportJob.Status.FAILED
    output = FORMATS[job.format]
    total = source.count()
    job.disclosure = {**source.record, "format": job.format}
    job.save(update_fields=["disclosure"])
    jobs.job_progress(job, done=0, total=total)
    fx.region_points()  # loaded (once per process) before the freeze below, not during the rows
    # The cyclic garbage collector's full passes walk every object in the process (Django, the
    # gazetteer: millions of them) while the rows only make short-lived, acyclic ones: freezing
    # what exists now keeps those passes out of the loop (about a fifth of the time at a million
    # rows). Unfrozen afterwards, so the worker process is as before.
    gc.freeze()
    try:
        with jobs.job_output(job, suffix=output.suffix) as out:
            written = output.write(
                out,
                columns=source.columns,
                rows=_counted(iter(source), job),
                metadata=job.disclosure,
                hxl=source.hxl if job.format == ExportJob.Format.HXL else None,
                types=source.types,
            )
            jobs.job_progress(job, done=written, total=max(total, written))
    finally:
        gc.unfreeze()
    with transaction.atomic():
        audit_record(
            actor=None,
            action="evidence.export_done",
            object_type="export_job",
            object_id=str(job.pk),
            details={"rows": written, "size": job.size, "sha256": job.sha256},
        )
    return ExportJob.Status.DONE


def export_release(*, job_id: uuid.UUID) -> None:
    """Give a running job back to the queue (a transient error: the retry must be able to claim it)."""
    ExportJob.objects.filter(id=job_id, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.QUEUED, rows_done=0
    )
