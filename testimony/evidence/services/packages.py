"""Writes for evidence packages: the request (a job, audited), the build the worker runs, the download.

Everything here needs ``evidence.package`` (docs/permissions.md, "Evidence packages"), not
``evidence.export``: a package carries redacted testimony, which exports give only to roles that
may read reports. The view has gated the case or the reports
(``review.selectors.access_case(action=PACKAGE_ACTION)`` / ``access_package_reports``); the build
checks the permission again and reads the contents with the requester's scope at that moment,
so a report moved out of their reach meanwhile is left out (and counted).
"""

from __future__ import annotations

import uuid

from django.db import transaction

from testimony.accounts.permissions import can, require
from testimony.audit.services import audit_record
from testimony.evidence import packages
from testimony.evidence.jobs import (
    FAILED_REFUSED,
    failure_reason,
    job_claim,
    job_enqueue,
    job_mark_failed,
    job_output,
    job_progress,
)
from testimony.evidence.models import Destination, ExportJob
from testimony.evidence.packages import PACKAGE_ACTION

# Progress is saved every this many reports: often enough for the page, not a write per report.
PROGRESS_EVERY = 20


def package_request(*, user, case=None, report_ids: list[str] | None = None) -> ExportJob:
    """Create the package job for a gated ``case`` or gated ``report_ids`` and enqueue it after commit."""
    require(user, PACKAGE_ACTION)
    if (case is None) == (not report_ids):
        raise ValueError("a package is for a case or for a selection of reports")
    parameters = {"case": case.pk} if case is not None else {"reports": sorted(str(pk) for pk in report_ids)}
    with transaction.atomic():
        job = ExportJob.objects.create(
            organisation_id=user.organisation_id,
            requested_by=user,
            # The package holds whole redacted testimonies: the organisation's own level of detail.
            destination=Destination.INTERNAL,
            level=ExportJob.Level.PACKAGE,
            format=ExportJob.Format.ZIP,
            parameters=parameters,
        )
        audit_record(
            actor=user,
            action="evidence.package",
            object_type="case" if case is not None else "export_job",
            object_id=case.pk if case is not None else job.pk,
            details={"job": str(job.pk), **({"reports": len(parameters["reports"])} if case is None else {})},
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def may_use_package(user, job: ExportJob) -> bool:
    """May ``user`` have ``job`` built or download it: a package of their own organisation, and
    ``evidence.package`` now (the request's check is not enough: rights change)."""
    return (
        user is not None
        and user.is_active
        and can(user, PACKAGE_ACTION)
        and user.organisation_id is not None
        and user.organisation_id == job.organisation_id
        and job.level == ExportJob.Level.PACKAGE
    )


def _enqueue(job_id) -> None:
    from testimony.evidence.package_tasks import build_package

    job_enqueue(build_package, job_id=job_id)


def package_build(*, job_id: uuid.UUID) -> str:
    """Build a claimed package job; returns its final status. A finished or vanished job is a no-op."""
    from testimony.review.models import Case

    job = job_claim(job_id=job_id)
    if job is None:
        return "skipped"
    user = job.requested_by
    try:
        if not may_use_package(user, job):
            # The right was lost (or the account deactivated, or moved) since the request.
            raise packages.PackageRefused(FAILED_REFUSED)
        case = None
        if "case" in job.parameters:
            case = Case.objects.filter(pk=job.parameters["case"], organisation_id=job.organisation_id).first()
            if case is None:
                raise packages.PackageRefused(packages.NOTHING_IN_SCOPE)
        rows, links, left_out = packages.package_contents(
            user=user, case=case, report_ids=job.parameters.get("reports")
        )
        if not rows:
            raise packages.PackageRefused(packages.NOTHING_IN_SCOPE)
        signing_key = packages.load_configured_signing_key()
        tsa_url, tsa_ca = packages.configured_tsa()
        job_progress(job, done=0, total=len(rows))

        def progress(done: int) -> None:
            if done % PROGRESS_EVERY == 0 or done == len(rows):
                job_progress(job, done=done)

        with job_output(job, suffix=".zip") as out:
            result = packages.write_package(
                out,
                reports=rows,
                links=links,
                case=case,
                requested_by=user,
                signing_key=signing_key,
                tsa_url=tsa_url,
                tsa_ca_pem=tsa_ca,
                left_out=left_out,
                progress=progress,
            )
            job.disclosure = result.record()
            job.save(update_fields=["disclosure"])
    except packages.PackageRefused as refused:
        job_mark_failed(job_id=job.pk, reason=refused.code)
        return ExportJob.Status.FAILED
    except Exception as exc:
        # Here as well as in the task's on_failure: the job must not stay "running" whoever
        # called this (a worker, an eager test, a shell); the task scrubs the exception, so only
        # here is a soft time limit still told apart from a crash.
        job_mark_failed(job_id=job.pk, reason=failure_reason(exc))
        raise
    with transaction.atomic():
        # The package's own hash in the log: whoever holds a copy can show it is the one built.
        audit_record(
            actor=None,
            action="evidence.package_built",
            object_type="case" if case is not None else "export_job",
            object_id=case.pk if case is not None else job.pk,
            details={
                "job": str(job.pk),
                "sha256": job.sha256,
                "reports": result.reports,
                "timestamp": result.timestamp,
            },
        )
    return ExportJob.Status.DONE
